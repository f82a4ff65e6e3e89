import { sql } from "drizzle-orm";
import { index, jsonb, pgEnum, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { id, timestamps, tstz } from "./columns";
import { users } from "./identity";
import { orders } from "./order";

/** What an invitee shares with their inviter (rule book §6): any one makes the pair accrue nothing. */
export const riskPairKindEnum = pgEnum("risk_pair_kind", ["DEVICE", "PHONE", "ADDRESS", "PAYMENT_ACCOUNT"]);
export const riskReviewReasonEnum = pgEnum("risk_review_reason", ["REFUND_RATE", "BULK_REGISTRATION", "MANUAL"]);
export const riskReviewStatusEnum = pgEnum("risk_review_status", ["OPEN", "CLEARED", "CONFIRMED"]);

/** One row per (invitee, inviter, kind), recorded when it is first seen — at binding, checkout or payment. */
export const riskPairs = pgTable(
  "risk_pairs",
  {
    id: id(),
    userId: uuid("user_id").notNull().references(() => users.id),
    inviterId: uuid("inviter_id").notNull().references(() => users.id),
    kind: riskPairKindEnum("kind").notNull(),
    /** The order whose address or payment revealed the pair (null when seen at binding). */
    orderId: uuid("order_id").references(() => orders.id),
    ...timestamps,
  },
  (t) => [uniqueIndex("risk_pairs_uq").on(t.userId, t.inviterId, t.kind), index("risk_pairs_created_idx").on(t.createdAt)],
);

/**
 * Every registration, with where it came from: bulk registrations through one invite code from one
 * device or IP are counted here. The IP is kept only as a keyed hash.
 */
export const registrations = pgTable(
  "registrations",
  {
    userId: uuid("user_id").primaryKey().references(() => users.id),
    inviterId: uuid("inviter_id").references(() => users.id),
    deviceId: text("device_id"),
    ipIndex: text("ip_index"),
    ...timestamps,
  },
  (t) => [index("registrations_inviter_idx").on(t.inviterId, t.createdAt)],
);

/** The operator's risk queue: a person frozen (or an invite code disabled) by risk control, until reviewed. */
export const riskReviews = pgTable(
  "risk_reviews",
  {
    id: id(),
    userId: uuid("user_id").notNull().references(() => users.id),
    reason: riskReviewReasonEnum("reason").notNull(),
    detail: jsonb("detail").notNull(),
    status: riskReviewStatusEnum("status").notNull().default("OPEN"),
    resolvedBy: uuid("resolved_by").references(() => users.id),
    resolvedAt: tstz("resolved_at"),
    resolution: text("resolution"),
    ...timestamps,
  },
  (t) => [
    index("risk_reviews_status_idx").on(t.status, t.createdAt),
    // At most one open review per person and reason: detection re-running never piles up duplicates.
    uniqueIndex("risk_reviews_open_uq").on(t.userId, t.reason).where(sql`${t.status} = 'OPEN'`),
  ],
);

/** Operator re-binds (rule book §2: only an operator may re-bind, with a reason). Append-only. */
export const rebinds = pgTable(
  "rebinds",
  {
    id: id(),
    userId: uuid("user_id").notNull().references(() => users.id),
    fromInviterId: uuid("from_inviter_id").references(() => users.id),
    toInviterId: uuid("to_inviter_id").notNull().references(() => users.id),
    reason: text("reason").notNull(),
    operatorId: uuid("operator_id").notNull().references(() => users.id),
    ...timestamps,
  },
  (t) => [index("rebinds_created_idx").on(t.createdAt), index("rebinds_user_idx").on(t.userId)],
);

/** Every acceptance of a promoter-agreement version, with its time (the member row keeps only the latest). */
export const agreementAcceptances = pgTable(
  "agreement_acceptances",
  {
    userId: uuid("user_id").notNull().references(() => users.id),
    version: text("version").notNull(),
    acceptedAt: tstz("accepted_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.version] })],
);
