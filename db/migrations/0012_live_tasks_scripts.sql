CREATE TABLE "live_scripts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"supplier_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"title" text NOT NULL,
	"selling_points" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"body" text NOT NULL,
	"materials" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"ad_hits" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "live_task_rewards" (
	"task_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"user_coupon_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "live_task_rewards_task_id_user_id_pk" PRIMARY KEY("task_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "live_tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"live_id" uuid NOT NULL,
	"coupon_id" uuid NOT NULL,
	"invite_target" smallint NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "live_tasks_target" CHECK ("live_tasks"."invite_target" between 1 and 50)
);
--> statement-breakpoint
ALTER TABLE "coupons" ADD COLUMN "live_id" uuid;--> statement-breakpoint
ALTER TABLE "live_scripts" ADD CONSTRAINT "live_scripts_supplier_id_suppliers_id_fk" FOREIGN KEY ("supplier_id") REFERENCES "public"."suppliers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_scripts" ADD CONSTRAINT "live_scripts_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_scripts" ADD CONSTRAINT "live_scripts_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_task_rewards" ADD CONSTRAINT "live_task_rewards_task_id_live_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."live_tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_task_rewards" ADD CONSTRAINT "live_task_rewards_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_task_rewards" ADD CONSTRAINT "live_task_rewards_user_coupon_id_user_coupons_id_fk" FOREIGN KEY ("user_coupon_id") REFERENCES "public"."user_coupons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_tasks" ADD CONSTRAINT "live_tasks_live_id_lives_id_fk" FOREIGN KEY ("live_id") REFERENCES "public"."lives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "live_tasks" ADD CONSTRAINT "live_tasks_coupon_id_coupons_id_fk" FOREIGN KEY ("coupon_id") REFERENCES "public"."coupons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "live_scripts_product_idx" ON "live_scripts" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "live_scripts_supplier_idx" ON "live_scripts" USING btree ("supplier_id","updated_at");--> statement-breakpoint
CREATE INDEX "live_tasks_live_idx" ON "live_tasks" USING btree ("live_id");