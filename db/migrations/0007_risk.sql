CREATE TYPE "public"."risk_pair_kind" AS ENUM('DEVICE', 'PHONE', 'ADDRESS', 'PAYMENT_ACCOUNT');--> statement-breakpoint
CREATE TYPE "public"."risk_review_reason" AS ENUM('REFUND_RATE', 'BULK_REGISTRATION', 'MANUAL');--> statement-breakpoint
CREATE TYPE "public"."risk_review_status" AS ENUM('OPEN', 'CLEARED', 'CONFIRMED');--> statement-breakpoint
ALTER TYPE "public"."payment_status" ADD VALUE 'REFUNDED';--> statement-breakpoint
CREATE TABLE "agreement_acceptances" (
	"user_id" uuid NOT NULL,
	"version" text NOT NULL,
	"accepted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "agreement_acceptances_user_id_version_pk" PRIMARY KEY("user_id","version")
);
--> statement-breakpoint
CREATE TABLE "rebinds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"from_inviter_id" uuid,
	"to_inviter_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"operator_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "registrations" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"inviter_id" uuid,
	"device_id" text,
	"ip_index" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "risk_pairs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"inviter_id" uuid NOT NULL,
	"kind" "risk_pair_kind" NOT NULL,
	"order_id" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "risk_reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"reason" "risk_review_reason" NOT NULL,
	"detail" jsonb NOT NULL,
	"status" "risk_review_status" DEFAULT 'OPEN' NOT NULL,
	"resolved_by" uuid,
	"resolved_at" timestamp with time zone,
	"resolution" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "addresses" ADD COLUMN "phone_index" text;--> statement-breakpoint
ALTER TABLE "addresses" ADD COLUMN "place_index" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "payer_account_index" text;--> statement-breakpoint
ALTER TABLE "team_members" ADD COLUMN "invite_disabled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "agreement_acceptances" ADD CONSTRAINT "agreement_acceptances_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rebinds" ADD CONSTRAINT "rebinds_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rebinds" ADD CONSTRAINT "rebinds_from_inviter_id_users_id_fk" FOREIGN KEY ("from_inviter_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rebinds" ADD CONSTRAINT "rebinds_to_inviter_id_users_id_fk" FOREIGN KEY ("to_inviter_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rebinds" ADD CONSTRAINT "rebinds_operator_id_users_id_fk" FOREIGN KEY ("operator_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_inviter_id_users_id_fk" FOREIGN KEY ("inviter_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_pairs" ADD CONSTRAINT "risk_pairs_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_pairs" ADD CONSTRAINT "risk_pairs_inviter_id_users_id_fk" FOREIGN KEY ("inviter_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_pairs" ADD CONSTRAINT "risk_pairs_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_reviews" ADD CONSTRAINT "risk_reviews_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_reviews" ADD CONSTRAINT "risk_reviews_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "rebinds_created_idx" ON "rebinds" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "rebinds_user_idx" ON "rebinds" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "registrations_inviter_idx" ON "registrations" USING btree ("inviter_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "risk_pairs_uq" ON "risk_pairs" USING btree ("user_id","inviter_id","kind");--> statement-breakpoint
CREATE INDEX "risk_pairs_created_idx" ON "risk_pairs" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "risk_reviews_status_idx" ON "risk_reviews" USING btree ("status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "risk_reviews_open_uq" ON "risk_reviews" USING btree ("user_id","reason") WHERE "risk_reviews"."status" = 'OPEN';--> statement-breakpoint
CREATE INDEX "addresses_phone_index_idx" ON "addresses" USING btree ("phone_index");--> statement-breakpoint
CREATE INDEX "addresses_place_index_idx" ON "addresses" USING btree ("place_index");--> statement-breakpoint
CREATE INDEX "payments_payer_account_idx" ON "payments" USING btree ("payer_account_index");--> statement-breakpoint
CREATE INDEX "refunds_pending_idx" ON "refunds" USING btree ("created_at") WHERE "refunds"."status" = 'PENDING';