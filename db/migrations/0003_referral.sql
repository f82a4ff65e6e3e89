CREATE TYPE "public"."referral_role" AS ENUM('REGISTERED', 'SHARER', 'LEADER');--> statement-breakpoint
CREATE TYPE "public"."reward_status" AS ENUM('PENDING', 'SETTLED', 'REVERSED');--> statement-breakpoint
CREATE TYPE "public"."reward_type" AS ENUM('DIRECT', 'TEAM', 'PEER');--> statement-breakpoint
CREATE TABLE "invite_ancestors" (
	"user_id" uuid NOT NULL,
	"ancestor_id" uuid NOT NULL,
	"depth" smallint NOT NULL,
	CONSTRAINT "invite_ancestors_user_id_depth_pk" PRIMARY KEY("user_id","depth"),
	CONSTRAINT "invite_ancestors_depth" CHECK ("invite_ancestors"."depth" between 1 and 3)
);
--> statement-breakpoint
CREATE TABLE "invites" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"inviter_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"store_id" uuid,
	"risk_flagged" boolean DEFAULT false NOT NULL,
	"bound_at" timestamp with time zone NOT NULL,
	CONSTRAINT "invites_not_self" CHECK ("invites"."user_id" <> "invites"."inviter_id")
);
--> statement-breakpoint
CREATE TABLE "rewards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"order_id" uuid NOT NULL,
	"order_line_id" uuid NOT NULL,
	"buyer_id" uuid NOT NULL,
	"receiver_id" uuid NOT NULL,
	"type" "reward_type" NOT NULL,
	"depth" smallint NOT NULL,
	"base" bigint NOT NULL,
	"amount" bigint NOT NULL,
	"reversed_amount" bigint DEFAULT 0 NOT NULL,
	"status" "reward_status" DEFAULT 'PENDING' NOT NULL,
	"rule_set_version" integer NOT NULL,
	"idempotency_key" text NOT NULL,
	"settled_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "rewards_amounts" CHECK ("rewards"."amount" > 0 and "rewards"."reversed_amount" between 0 and "rewards"."amount"),
	CONSTRAINT "rewards_depth_ceiling" CHECK ("rewards"."depth" between 1 and 3),
	CONSTRAINT "rewards_not_to_buyer" CHECK ("rewards"."receiver_id" <> "rewards"."buyer_id")
);
--> statement-breakpoint
CREATE TABLE "rule_sets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"version" integer NOT NULL,
	"k" integer NOT NULL,
	"r_direct_bp" integer NOT NULL,
	"r_team_bp" integer NOT NULL,
	"r_peer_bp" integer NOT NULL,
	"max_depth" smallint NOT NULL,
	"cap_total_bp" integer NOT NULL,
	"settle_days" integer NOT NULL,
	"effective_at" timestamp with time zone NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "rule_sets_max_depth_ceiling" CHECK ("rule_sets"."max_depth" between 1 and 3),
	CONSTRAINT "rule_sets_cap_ceiling" CHECK ("rule_sets"."cap_total_bp" between 0 and 3000),
	CONSTRAINT "rule_sets_settle_floor" CHECK ("rule_sets"."settle_days" >= 7),
	CONSTRAINT "rule_sets_rates" CHECK ("rule_sets"."r_direct_bp" between 0 and 10000 and "rule_sets"."r_team_bp" between 0 and 10000 and "rule_sets"."r_peer_bp" between 0 and 10000)
);
--> statement-breakpoint
CREATE TABLE "team_members" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"invite_code" text NOT NULL,
	"role" "referral_role" DEFAULT 'REGISTERED' NOT NULL,
	"leader_id" uuid,
	"detached_from_id" uuid,
	"promoted_at" timestamp with time zone,
	"frozen" boolean DEFAULT false NOT NULL,
	"agreement_version" text,
	"agreed_at" timestamp with time zone,
	"device_id" text,
	"qualified_directs" integer DEFAULT 0 NOT NULL,
	"qualified_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "settled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD COLUMN "seq" integer;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD COLUMN "prev_hash" text;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD COLUMN "hash" text;--> statement-breakpoint
ALTER TABLE "invite_ancestors" ADD CONSTRAINT "invite_ancestors_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invite_ancestors" ADD CONSTRAINT "invite_ancestors_ancestor_id_users_id_fk" FOREIGN KEY ("ancestor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invites" ADD CONSTRAINT "invites_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invites" ADD CONSTRAINT "invites_inviter_id_users_id_fk" FOREIGN KEY ("inviter_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invites" ADD CONSTRAINT "invites_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rewards" ADD CONSTRAINT "rewards_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rewards" ADD CONSTRAINT "rewards_order_line_id_order_lines_id_fk" FOREIGN KEY ("order_line_id") REFERENCES "public"."order_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rewards" ADD CONSTRAINT "rewards_buyer_id_users_id_fk" FOREIGN KEY ("buyer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rewards" ADD CONSTRAINT "rewards_receiver_id_users_id_fk" FOREIGN KEY ("receiver_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rule_sets" ADD CONSTRAINT "rule_sets_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "invite_ancestors_ancestor_idx" ON "invite_ancestors" USING btree ("ancestor_id","depth");--> statement-breakpoint
CREATE INDEX "invites_inviter_idx" ON "invites" USING btree ("inviter_id","bound_at");--> statement-breakpoint
CREATE UNIQUE INDEX "rewards_idempotency_uq" ON "rewards" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "rewards_receiver_idx" ON "rewards" USING btree ("receiver_id","status");--> statement-breakpoint
CREATE INDEX "rewards_order_idx" ON "rewards" USING btree ("order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "rule_sets_version_uq" ON "rule_sets" USING btree ("version");--> statement-breakpoint
CREATE INDEX "rule_sets_effective_idx" ON "rule_sets" USING btree ("effective_at");--> statement-breakpoint
CREATE UNIQUE INDEX "team_members_invite_code_uq" ON "team_members" USING btree ("invite_code");--> statement-breakpoint
CREATE INDEX "team_members_leader_idx" ON "team_members" USING btree ("leader_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_entries_account_seq_uq" ON "ledger_entries" USING btree ("account_id","seq");