import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgEnum, pgTable, primaryKey, smallint, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { id, money, timestamps, tstz } from "./columns";
import { users } from "./identity";
import { orderLines, orders } from "./order";
import { stores } from "./store";

export const referralRoleEnum = pgEnum("referral_role", ["REGISTERED", "SHARER", "LEADER"]);
export const rewardTypeEnum = pgEnum("reward_type", ["DIRECT", "TEAM", "PEER"]);
export const rewardStatusEnum = pgEnum("reward_status", ["PENDING", "SETTLED", "REVERSED"]);

/**
 * Versioned 链动2+1 rule sets. The ceilings are also database constraints, so no path — form, API
 * or SQL console — can store a rule set beyond them.
 */
export const ruleSets = pgTable(
  "rule_sets",
  {
    id: id(),
    version: integer("version").notNull(),
    k: integer("k").notNull(),
    rDirectBp: integer("r_direct_bp").notNull(),
    rTeamBp: integer("r_team_bp").notNull(),
    rPeerBp: integer("r_peer_bp").notNull(),
    maxDepth: smallint("max_depth").notNull(),
    capTotalBp: integer("cap_total_bp").notNull(),
    settleDays: integer("settle_days").notNull(),
    withdrawMinFen: money("withdraw_min_fen").notNull().default(1000),
    withdrawFeeBp: integer("withdraw_fee_bp").notNull().default(0),
    withdrawDailyLimitFen: money("withdraw_daily_limit_fen").notNull().default(500000),
    effectiveAt: tstz("effective_at").notNull(),
    createdBy: uuid("created_by").references(() => users.id),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("rule_sets_version_uq").on(t.version),
    index("rule_sets_effective_idx").on(t.effectiveAt),
    check("rule_sets_max_depth_ceiling", sql`${t.maxDepth} between 1 and 3`),
    check("rule_sets_cap_ceiling", sql`${t.capTotalBp} between 0 and 3000`),
    check("rule_sets_settle_floor", sql`${t.settleDays} >= 7`),
    check("rule_sets_rates", sql`${t.rDirectBp} between 0 and 10000 and ${t.rTeamBp} between 0 and 10000 and ${t.rPeerBp} between 0 and 10000`),
  ],
);

/** Each person's place in 链动2+1: role, team (leader, detachedFrom), invite code, freeze flag. */
export const teamMembers = pgTable(
  "team_members",
  {
    userId: uuid("user_id").primaryKey().references(() => users.id),
    inviteCode: text("invite_code").notNull(),
    role: referralRoleEnum("role").notNull().default("REGISTERED"),
    leaderId: uuid("leader_id"),
    detachedFromId: uuid("detached_from_id"),
    promotedAt: tstz("promoted_at"),
    frozen: boolean("frozen").notNull().default(false),
    /** Set by risk control (bulk registrations): the invite code binds nobody until an operator clears it. */
    inviteDisabledAt: tstz("invite_disabled_at"),
    agreementVersion: text("agreement_version"),
    agreedAt: tstz("agreed_at"),
    /** First-party device id seen at registration (risk pairs). */
    deviceId: text("device_id"),
    /** Qualified direct referrals so far (maintained when a referral's first order settles). */
    qualifiedDirects: integer("qualified_directs").notNull().default(0),
    /** When this person first had an order settle, qualifying their inviter (once). */
    qualifiedAt: tstz("qualified_at"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("team_members_invite_code_uq").on(t.inviteCode),
    // 我的团队 lists a leader's members newest first: served by the index alone, whatever the team size.
    index("team_members_leader_joined_idx").on(t.leaderId, t.createdAt.desc().nullsFirst(), t.userId.desc().nullsFirst()),
  ],
);

/** Who invited whom, written once at registration. */
export const invites = pgTable(
  "invites",
  {
    userId: uuid("user_id").primaryKey().references(() => users.id),
    inviterId: uuid("inviter_id").notNull().references(() => users.id),
    channel: text("channel").notNull(),
    storeId: uuid("store_id").references(() => stores.id),
    /** Inviter and invitee share a device, phone, address or payment account: nothing accrues. */
    riskFlagged: boolean("risk_flagged").notNull().default(false),
    boundAt: tstz("bound_at").notNull(),
  },
  (t) => [index("invites_inviter_idx").on(t.inviterId, t.boundAt), check("invites_not_self", sql`${t.userId} <> ${t.inviterId}`)],
);

/** Capped closure of the invite tree (depth 1..3), written at binding: reward lookups stay O(1). */
export const inviteAncestors = pgTable(
  "invite_ancestors",
  {
    userId: uuid("user_id").notNull().references(() => users.id),
    ancestorId: uuid("ancestor_id").notNull().references(() => users.id),
    depth: smallint("depth").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.depth] }),
    index("invite_ancestors_ancestor_idx").on(t.ancestorId, t.depth),
    check("invite_ancestors_depth", sql`${t.depth} between 1 and 3`),
  ],
);

/** One reward per order line × type × receiver; the base and rule-set version are kept for audit. */
export const rewards = pgTable(
  "rewards",
  {
    id: id(),
    orderId: uuid("order_id").notNull().references(() => orders.id),
    orderLineId: uuid("order_line_id").notNull().references(() => orderLines.id),
    buyerId: uuid("buyer_id").notNull().references(() => users.id),
    receiverId: uuid("receiver_id").notNull().references(() => users.id),
    type: rewardTypeEnum("type").notNull(),
    depth: smallint("depth").notNull(),
    base: money("base").notNull(),
    amount: money("amount").notNull(),
    reversedAmount: money("reversed_amount").notNull().default(0),
    status: rewardStatusEnum("status").notNull().default("PENDING"),
    ruleSetVersion: integer("rule_set_version").notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    settledAt: tstz("settled_at"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("rewards_idempotency_uq").on(t.idempotencyKey),
    index("rewards_receiver_idx").on(t.receiverId, t.status),
    index("rewards_order_idx").on(t.orderId),
    check("rewards_amounts", sql`${t.amount} > 0 and ${t.reversedAmount} between 0 and ${t.amount}`),
    check("rewards_depth_ceiling", sql`${t.depth} between 1 and 3`),
    check("rewards_not_to_buyer", sql`${t.receiverId} <> ${t.buyerId}`),
  ],
);

/**
 * Team statistics without hot rows: the payment and binding paths only INSERT deltas (no shared row
 * is updated, so concurrent payers in one big team never wait on each other); a job folds them into
 * `team_stats` every minute. A read is the folded row plus the few deltas not folded yet.
 */
export const teamStatDeltas = pgTable(
  "team_stat_deltas",
  {
    id: id(),
    leaderId: uuid("leader_id").notNull(),
    members: integer("members").notNull().default(0),
    sales: money("sales").notNull().default(0),
    ...timestamps,
  },
  (t) => [index("team_stat_deltas_leader_idx").on(t.leaderId)],
);

export const teamStats = pgTable("team_stats", {
  leaderId: uuid("leader_id").primaryKey(),
  members: integer("members").notNull().default(0),
  sales: money("sales").notNull().default(0),
  updatedAt: tstz("updated_at").notNull(),
});
