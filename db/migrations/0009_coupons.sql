CREATE TYPE "public"."coupon_issuer" AS ENUM('STORE', 'PLATFORM');--> statement-breakpoint
CREATE TYPE "public"."coupon_kind" AS ENUM('THRESHOLD', 'PERCENT', 'NO_THRESHOLD');--> statement-breakpoint
CREATE TYPE "public"."user_coupon_status" AS ENUM('AVAILABLE', 'USED');--> statement-breakpoint
CREATE TABLE "coupon_claims" (
	"coupon_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "coupon_claims_coupon_id_user_id_pk" PRIMARY KEY("coupon_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "coupons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"issuer" "coupon_issuer" NOT NULL,
	"store_id" uuid,
	"title" text NOT NULL,
	"kind" "coupon_kind" NOT NULL,
	"threshold_fen" bigint DEFAULT 0 NOT NULL,
	"amount_fen" bigint DEFAULT 0 NOT NULL,
	"percent_bp" integer DEFAULT 0 NOT NULL,
	"cap_fen" bigint,
	"product_ids" jsonb,
	"claim_starts_at" timestamp with time zone NOT NULL,
	"claim_ends_at" timestamp with time zone NOT NULL,
	"usable_until" timestamp with time zone NOT NULL,
	"total_quantity" integer NOT NULL,
	"claimed_count" integer DEFAULT 0 NOT NULL,
	"per_user_limit" integer NOT NULL,
	"welcome" boolean DEFAULT false NOT NULL,
	"disabled_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "coupons_quantity" CHECK ("coupons"."claimed_count" between 0 and "coupons"."total_quantity" and "coupons"."per_user_limit" between 1 and 10),
	CONSTRAINT "coupons_store_issuer" CHECK (("coupons"."issuer" = 'STORE') = ("coupons"."store_id" is not null)),
	CONSTRAINT "coupons_values" CHECK ("coupons"."threshold_fen" >= 0 and "coupons"."amount_fen" >= 0 and "coupons"."percent_bp" between 0 and 9900 and ("coupons"."cap_fen" is null or "coupons"."cap_fen" > 0) and "coupons"."claim_ends_at" > "coupons"."claim_starts_at" and "coupons"."usable_until" >= "coupons"."claim_ends_at")
);
--> statement-breakpoint
CREATE TABLE "user_coupons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"coupon_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"status" "user_coupon_status" DEFAULT 'AVAILABLE' NOT NULL,
	"order_id" uuid,
	"source" text NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "orders" DROP CONSTRAINT "orders_amounts";--> statement-breakpoint
ALTER TABLE "order_lines" ADD COLUMN "discount_amount" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "discount_amount" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "coupon_claims" ADD CONSTRAINT "coupon_claims_coupon_id_coupons_id_fk" FOREIGN KEY ("coupon_id") REFERENCES "public"."coupons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupon_claims" ADD CONSTRAINT "coupon_claims_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupons" ADD CONSTRAINT "coupons_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupons" ADD CONSTRAINT "coupons_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_coupons" ADD CONSTRAINT "user_coupons_coupon_id_coupons_id_fk" FOREIGN KEY ("coupon_id") REFERENCES "public"."coupons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_coupons" ADD CONSTRAINT "user_coupons_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "coupons_store_idx" ON "coupons" USING btree ("store_id","claim_ends_at");--> statement-breakpoint
CREATE INDEX "user_coupons_user_idx" ON "user_coupons" USING btree ("user_id","status");--> statement-breakpoint
CREATE INDEX "user_coupons_order_idx" ON "user_coupons" USING btree ("order_id");--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_amounts" CHECK ("orders"."total_amount" = "orders"."goods_amount" + "orders"."freight_amount" - "orders"."discount_amount" and "orders"."goods_amount" >= 0 and "orders"."freight_amount" >= 0 and "orders"."discount_amount" between 0 and "orders"."goods_amount");