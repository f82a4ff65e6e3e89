CREATE TABLE "flash_purchases" (
	"flash_sale_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	CONSTRAINT "flash_purchases_flash_sale_id_user_id_pk" PRIMARY KEY("flash_sale_id","user_id"),
	CONSTRAINT "flash_purchases_quantity" CHECK ("flash_purchases"."quantity" >= 0)
);
--> statement-breakpoint
CREATE TABLE "flash_sales" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"listing_id" uuid NOT NULL,
	"sku_id" uuid NOT NULL,
	"flash_price" bigint NOT NULL,
	"total_stock" integer NOT NULL,
	"per_user_limit" integer NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"sold_out_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"close_reason" text,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "flash_sales_numbers" CHECK ("flash_sales"."flash_price" > 0 and "flash_sales"."total_stock" > 0 and "flash_sales"."per_user_limit" between 1 and 99 and "flash_sales"."ends_at" > "flash_sales"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "flash_stock_segments" (
	"flash_sale_id" uuid NOT NULL,
	"segment_no" smallint NOT NULL,
	"stock" integer NOT NULL,
	CONSTRAINT "flash_stock_segments_flash_sale_id_segment_no_pk" PRIMARY KEY("flash_sale_id","segment_no"),
	CONSTRAINT "flash_stock_segments_stock" CHECK ("flash_stock_segments"."stock" >= 0)
);
--> statement-breakpoint
ALTER TABLE "order_lines" ADD COLUMN "flash_sale_id" uuid;--> statement-breakpoint
ALTER TABLE "order_lines" ADD COLUMN "flash_segment" smallint;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "channel" text DEFAULT 'NORMAL' NOT NULL;--> statement-breakpoint
ALTER TABLE "flash_purchases" ADD CONSTRAINT "flash_purchases_flash_sale_id_flash_sales_id_fk" FOREIGN KEY ("flash_sale_id") REFERENCES "public"."flash_sales"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flash_purchases" ADD CONSTRAINT "flash_purchases_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flash_sales" ADD CONSTRAINT "flash_sales_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flash_sales" ADD CONSTRAINT "flash_sales_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flash_sales" ADD CONSTRAINT "flash_sales_sku_id_skus_id_fk" FOREIGN KEY ("sku_id") REFERENCES "public"."skus"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flash_sales" ADD CONSTRAINT "flash_sales_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flash_stock_segments" ADD CONSTRAINT "flash_stock_segments_flash_sale_id_flash_sales_id_fk" FOREIGN KEY ("flash_sale_id") REFERENCES "public"."flash_sales"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "flash_sales_store_idx" ON "flash_sales" USING btree ("store_id","starts_at");--> statement-breakpoint
CREATE INDEX "flash_sales_sku_idx" ON "flash_sales" USING btree ("sku_id","ends_at");--> statement-breakpoint
ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_flash_sale_id_flash_sales_id_fk" FOREIGN KEY ("flash_sale_id") REFERENCES "public"."flash_sales"("id") ON DELETE no action ON UPDATE no action;