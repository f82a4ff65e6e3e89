CREATE TYPE "public"."anchor_status" AS ENUM('PENDING', 'APPROVED', 'REJECTED', 'SUSPENDED');--> statement-breakpoint
CREATE TYPE "public"."live_comment_status" AS ENUM('VISIBLE', 'HELD', 'DELETED', 'REJECTED');--> statement-breakpoint
CREATE TYPE "public"."live_ban_kind" AS ENUM('MUTE', 'BLOCK');--> statement-breakpoint
CREATE TYPE "public"."live_kind" AS ENUM('SALES', 'TRAINING');--> statement-breakpoint
CREATE TYPE "public"."live_status" AS ENUM('SCHEDULED', 'LIVE', 'ENDED', 'CANCELLED');--> statement-breakpoint
CREATE TABLE "anchors" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"status" "anchor_status" DEFAULT 'PENDING' NOT NULL,
	"tier" smallint DEFAULT 1 NOT NULL,
	"note" text,
	"reviewed_by" uuid,
	"reviewed_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "behaviour_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid,
	"viewer_key" text NOT NULL,
	"kind" text NOT NULL,
	"live_id" uuid,
	"product_id" uuid,
	"value" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "live_bans" (
	"live_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" "live_ban_kind" NOT NULL,
	"by_user_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "live_bans_live_id_user_id_kind_pk" PRIMARY KEY("live_id","user_id","kind")
);
--> statement-breakpoint
CREATE TABLE "live_comments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"live_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"body" text NOT NULL,
	"original" text NOT NULL,
	"verdict" text NOT NULL,
	"hits" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" "live_comment_status" NOT NULL,
	"pinned_at" timestamp with time zone,
	"moderated_by" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "live_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "live_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"live_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "live_prices" (
	"live_id" uuid NOT NULL,
	"sku_id" uuid NOT NULL,
	"live_price" bigint NOT NULL,
	"per_user_limit" integer,
	CONSTRAINT "live_prices_live_id_sku_id_pk" PRIMARY KEY("live_id","sku_id"),
	CONSTRAINT "live_prices_positive" CHECK ("live_prices"."live_price" > 0)
);
--> statement-breakpoint
CREATE TABLE "live_products" (
	"live_id" uuid NOT NULL,
	"listing_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"position" smallint NOT NULL,
	"on_shelf" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "live_products_live_id_listing_id_pk" PRIMARY KEY("live_id","listing_id")
);
--> statement-breakpoint
CREATE TABLE "live_reservations" (
	"live_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"notified_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "live_reservations_live_id_user_id_pk" PRIMARY KEY("live_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "live_viewers" (
	"live_id" uuid NOT NULL,
	"viewer_key" text NOT NULL,
	"user_id" uuid,
	"sharer_id" uuid,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"watch_ms" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "live_viewers_live_id_viewer_key_pk" PRIMARY KEY("live_id","viewer_key")
);
--> statement-breakpoint
CREATE TABLE "lives" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "live_kind" NOT NULL,
	"store_id" uuid,
	"supplier_id" uuid,
	"host_user_id" uuid NOT NULL,
	"title" text NOT NULL,
	"cover_key" text,
	"scheduled_at" timestamp with time zone NOT NULL,
	"status" "live_status" DEFAULT 'SCHEDULED' NOT NULL,
	"playback_url" text,
	"replay_url" text,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"ended_by" uuid,
	"end_reason" text,
	"replay_hidden_at" timestamp with time zone,
	"replay_hidden_reason" text,
	"like_count" bigint DEFAULT 0 NOT NULL,
	"peak_viewers" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "lives_owner" CHECK (("lives"."kind" = 'SALES' and "lives"."store_id" is not null and "lives"."supplier_id" is null) or ("lives"."kind" = 'TRAINING' and "lives"."supplier_id" is not null and "lives"."store_id" is null))
);
--> statement-breakpoint
CREATE TABLE "moderation_words" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"category" text NOT NULL,
	"term" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "moderation_words_category" CHECK ("moderation_words"."category" in ('HOLD', 'MASK', 'AD_LAW', 'ALLOW'))
);
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "live_id" uuid;--> statement-breakpoint
ALTER TABLE "anchors" ADD CONSTRAINT "anchors_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "anchors" ADD CONSTRAINT "anchors_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "behaviour_events" ADD CONSTRAINT "behaviour_events_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_bans" ADD CONSTRAINT "live_bans_live_id_lives_id_fk" FOREIGN KEY ("live_id") REFERENCES "public"."lives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_bans" ADD CONSTRAINT "live_bans_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_bans" ADD CONSTRAINT "live_bans_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_comments" ADD CONSTRAINT "live_comments_live_id_lives_id_fk" FOREIGN KEY ("live_id") REFERENCES "public"."lives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_comments" ADD CONSTRAINT "live_comments_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_comments" ADD CONSTRAINT "live_comments_moderated_by_users_id_fk" FOREIGN KEY ("moderated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_events" ADD CONSTRAINT "live_events_live_id_lives_id_fk" FOREIGN KEY ("live_id") REFERENCES "public"."lives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_prices" ADD CONSTRAINT "live_prices_live_id_lives_id_fk" FOREIGN KEY ("live_id") REFERENCES "public"."lives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_prices" ADD CONSTRAINT "live_prices_sku_id_skus_id_fk" FOREIGN KEY ("sku_id") REFERENCES "public"."skus"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_products" ADD CONSTRAINT "live_products_live_id_lives_id_fk" FOREIGN KEY ("live_id") REFERENCES "public"."lives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_products" ADD CONSTRAINT "live_products_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_products" ADD CONSTRAINT "live_products_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_reservations" ADD CONSTRAINT "live_reservations_live_id_lives_id_fk" FOREIGN KEY ("live_id") REFERENCES "public"."lives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_reservations" ADD CONSTRAINT "live_reservations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_viewers" ADD CONSTRAINT "live_viewers_live_id_lives_id_fk" FOREIGN KEY ("live_id") REFERENCES "public"."lives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_viewers" ADD CONSTRAINT "live_viewers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_viewers" ADD CONSTRAINT "live_viewers_sharer_id_users_id_fk" FOREIGN KEY ("sharer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lives" ADD CONSTRAINT "lives_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lives" ADD CONSTRAINT "lives_supplier_id_suppliers_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "public"."suppliers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lives" ADD CONSTRAINT "lives_host_user_id_users_id_fk" FOREIGN KEY ("host_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lives" ADD CONSTRAINT "lives_ended_by_users_id_fk" FOREIGN KEY ("ended_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "moderation_words" ADD CONSTRAINT "moderation_words_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "behaviour_events_user_idx" ON "behaviour_events" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "behaviour_events_live_idx" ON "behaviour_events" USING btree ("live_id","kind");--> statement-breakpoint
CREATE INDEX "live_comments_live_idx" ON "live_comments" USING btree ("live_id","created_at");--> statement-breakpoint
CREATE INDEX "live_comments_held_idx" ON "live_comments" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "live_events_live_idx" ON "live_events" USING btree ("live_id","id");--> statement-breakpoint
CREATE INDEX "live_reservations_user_idx" ON "live_reservations" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "live_viewers_sharer_idx" ON "live_viewers" USING btree ("live_id","sharer_id");--> statement-breakpoint
CREATE INDEX "lives_store_idx" ON "lives" USING btree ("store_id","scheduled_at");--> statement-breakpoint
CREATE INDEX "lives_supplier_idx" ON "lives" USING btree ("supplier_id","scheduled_at");--> statement-breakpoint
CREATE INDEX "lives_status_idx" ON "lives" USING btree ("status","scheduled_at");--> statement-breakpoint
CREATE UNIQUE INDEX "moderation_words_uq" ON "moderation_words" USING btree ("category","term");--> statement-breakpoint
CREATE INDEX "orders_live_idx" ON "orders" USING btree ("live_id");