CREATE TYPE "public"."points_mall_kind" AS ENUM('COUPON', 'PRODUCT');--> statement-breakpoint
CREATE TYPE "public"."group_buy_status" AS ENUM('OPEN', 'SUCCEEDED', 'FAILED');--> statement-breakpoint
CREATE TYPE "public"."group_member_status" AS ENUM('RESERVED', 'PAID', 'RELEASED', 'REFUNDED');--> statement-breakpoint
CREATE TABLE "points_accounts" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"balance" integer DEFAULT 0 NOT NULL,
	"expired_through" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "points_accounts_balance" CHECK ("points_accounts"."balance" >= 0 and "points_accounts"."expired_through" >= 0)
);
--> statement-breakpoint
CREATE TABLE "points_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"amount" integer NOT NULL,
	"reference" text NOT NULL,
	"order_id" uuid,
	"expires_at" timestamp with time zone,
	"memo" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "points_entries_amount" CHECK ("points_entries"."amount" <> 0)
);
--> statement-breakpoint
CREATE TABLE "points_mall_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "points_mall_kind" NOT NULL,
	"title" text NOT NULL,
	"points_cost" integer NOT NULL,
	"coupon_id" uuid,
	"store_id" uuid,
	"listing_id" uuid,
	"sku_id" uuid,
	"total_quantity" integer NOT NULL,
	"redeemed_count" integer DEFAULT 0 NOT NULL,
	"per_user_limit" integer NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"disabled_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "points_mall_items_numbers" CHECK ("points_mall_items"."points_cost" > 0 and "points_mall_items"."redeemed_count" between 0 and "points_mall_items"."total_quantity" and "points_mall_items"."per_user_limit" between 1 and 99 and "points_mall_items"."ends_at" > "points_mall_items"."starts_at"),
	CONSTRAINT "points_mall_items_target" CHECK (("points_mall_items"."kind" = 'COUPON') = ("points_mall_items"."coupon_id" is not null) and ("points_mall_items"."kind" = 'PRODUCT') = ("points_mall_items"."sku_id" is not null and "points_mall_items"."listing_id" is not null and "points_mall_items"."store_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "points_redemptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"item_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"points" integer NOT NULL,
	"user_coupon_id" uuid,
	"order_id" uuid,
	"idempotency_key" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "group_buy_members" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"group_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"status" "group_member_status" DEFAULT 'RESERVED' NOT NULL,
	"joined_via" uuid,
	"paid_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "group_buy_offers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"listing_id" uuid NOT NULL,
	"sku_id" uuid NOT NULL,
	"group_price" bigint NOT NULL,
	"group_size" smallint NOT NULL,
	"time_limit_minutes" integer NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"disabled_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "group_buy_offers_numbers" CHECK ("group_buy_offers"."group_price" > 0 and "group_buy_offers"."group_size" between 2 and 20 and "group_buy_offers"."time_limit_minutes" between 5 and 4320 and "group_buy_offers"."ends_at" > "group_buy_offers"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "group_buys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"offer_id" uuid NOT NULL,
	"leader_id" uuid NOT NULL,
	"status" "group_buy_status" DEFAULT 'OPEN' NOT NULL,
	"group_size" smallint NOT NULL,
	"seats_taken" smallint DEFAULT 0 NOT NULL,
	"paid_count" smallint DEFAULT 0 NOT NULL,
	"deadline" timestamp with time zone NOT NULL,
	"succeeded_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "group_buys_seats" CHECK ("group_buys"."seats_taken" between 0 and "group_buys"."group_size" and "group_buys"."paid_count" between 0 and "group_buys"."seats_taken")
);
--> statement-breakpoint
ALTER TABLE "orders" DROP CONSTRAINT "orders_amounts";--> statement-breakpoint
ALTER TABLE "order_lines" ADD COLUMN "platform_discount_amount" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "platform_discount_amount" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "points_used" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "group_buy_id" uuid;--> statement-breakpoint
ALTER TABLE "points_accounts" ADD CONSTRAINT "points_accounts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_entries" ADD CONSTRAINT "points_entries_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_mall_items" ADD CONSTRAINT "points_mall_items_coupon_id_coupons_id_fk" FOREIGN KEY ("coupon_id") REFERENCES "public"."coupons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_mall_items" ADD CONSTRAINT "points_mall_items_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_mall_items" ADD CONSTRAINT "points_mall_items_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_mall_items" ADD CONSTRAINT "points_mall_items_sku_id_skus_id_fk" FOREIGN KEY ("sku_id") REFERENCES "public"."skus"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_mall_items" ADD CONSTRAINT "points_mall_items_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_redemptions" ADD CONSTRAINT "points_redemptions_item_id_points_mall_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."points_mall_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_redemptions" ADD CONSTRAINT "points_redemptions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_buy_members" ADD CONSTRAINT "group_buy_members_group_id_group_buys_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."group_buys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_buy_members" ADD CONSTRAINT "group_buy_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_buy_offers" ADD CONSTRAINT "group_buy_offers_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_buy_offers" ADD CONSTRAINT "group_buy_offers_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_buy_offers" ADD CONSTRAINT "group_buy_offers_sku_id_skus_id_fk" FOREIGN KEY ("sku_id") REFERENCES "public"."skus"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_buy_offers" ADD CONSTRAINT "group_buy_offers_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_buys" ADD CONSTRAINT "group_buys_offer_id_group_buy_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."group_buy_offers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_buys" ADD CONSTRAINT "group_buys_leader_id_users_id_fk" FOREIGN KEY ("leader_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "points_entries_ref_uq" ON "points_entries" USING btree ("kind","reference");--> statement-breakpoint
CREATE INDEX "points_entries_user_idx" ON "points_entries" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "points_entries_expiry_idx" ON "points_entries" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "points_redemptions_key_uq" ON "points_redemptions" USING btree ("user_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "points_redemptions_item_user_idx" ON "points_redemptions" USING btree ("item_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "group_buy_members_order_uq" ON "group_buy_members" USING btree ("order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "group_buy_members_live_uq" ON "group_buy_members" USING btree ("group_id","user_id") WHERE "group_buy_members"."status" in ('RESERVED', 'PAID');--> statement-breakpoint
CREATE INDEX "group_buy_members_group_idx" ON "group_buy_members" USING btree ("group_id","created_at");--> statement-breakpoint
CREATE INDEX "group_buy_offers_store_idx" ON "group_buy_offers" USING btree ("store_id","ends_at");--> statement-breakpoint
CREATE INDEX "group_buys_offer_idx" ON "group_buys" USING btree ("offer_id","status");--> statement-breakpoint
CREATE INDEX "group_buys_deadline_idx" ON "group_buys" USING btree ("status","deadline");--> statement-breakpoint
CREATE INDEX "orders_group_idx" ON "orders" USING btree ("group_buy_id");--> statement-breakpoint
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_platform_discount" CHECK ("order_lines"."platform_discount_amount" between 0 and "order_lines"."discount_amount");--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_amounts" CHECK ("orders"."total_amount" = "orders"."goods_amount" + "orders"."freight_amount" - "orders"."discount_amount" and "orders"."goods_amount" >= 0 and "orders"."freight_amount" >= 0 and "orders"."discount_amount" between 0 and "orders"."goods_amount" and "orders"."platform_discount_amount" between 0 and "orders"."discount_amount" and "orders"."points_used" >= 0);--> statement-breakpoint
-- The points ledger is append-only like the money ledger: corrections are new entries.
CREATE TRIGGER points_entries_append_only BEFORE UPDATE OR DELETE ON points_entries
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
--> statement-breakpoint
CREATE TRIGGER points_entries_no_truncate BEFORE TRUNCATE ON points_entries
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
