ALTER TABLE "live_products" DROP CONSTRAINT "live_products_live_id_lives_id_fk";--> statement-breakpoint
ALTER TABLE "live_products" DROP CONSTRAINT "live_products_live_id_listing_id_pk";--> statement-breakpoint
ALTER TABLE "live_products" ALTER COLUMN "listing_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "live_products" ADD CONSTRAINT "live_products_live_id_product_id_pk" PRIMARY KEY("live_id","product_id");--> statement-breakpoint
-- Existing shelves take their live's kind (all of them SALES so far) before the column is required.
ALTER TABLE "live_products" ADD COLUMN "live_kind" "live_kind";--> statement-breakpoint
UPDATE "live_products" SET "live_kind" = "lives"."kind" FROM "lives" WHERE "lives"."id" = "live_products"."live_id";--> statement-breakpoint
ALTER TABLE "live_products" ALTER COLUMN "live_kind" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "live_products" ADD COLUMN "sold_out_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "lives" ADD CONSTRAINT "lives_id_kind_uq" UNIQUE("id","kind");--> statement-breakpoint
ALTER TABLE "live_products" ADD CONSTRAINT "live_products_live_fk" FOREIGN KEY ("live_id","live_kind") REFERENCES "public"."lives"("id","kind") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_products" ADD CONSTRAINT "live_products_source" CHECK (("live_products"."live_kind" = 'SALES') = ("live_products"."listing_id" is not null));
