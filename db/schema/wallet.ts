import { sql } from "drizzle-orm";
import { boolean, check, index, pgEnum, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { id, money, timestamps, tstz } from "./columns";
import { users } from "./identity";

export const withdrawalStatusEnum = pgEnum("withdrawal_status", ["REQUESTED", "APPROVED", "PAID", "FAILED", "REJECTED"]);

/** Withdrawals from a wallet (rule book §5). The amount is debited when requested. */
export const withdrawals = pgTable(
  "withdrawals",
  {
    id: id(),
    userId: uuid("user_id").notNull().references(() => users.id),
    amount: money("amount").notNull(),
    fee: money("fee").notNull(),
    status: withdrawalStatusEnum("status").notNull().default("REQUESTED"),
    /** Kept across payout retries, so the provider can never pay twice. */
    payoutNo: text("payout_no").notNull(),
    payeeNameEnc: text("payee_name_enc").notNull(),
    payeeAccountEnc: text("payee_account_enc").notNull(),
    reviewedBy: uuid("reviewed_by").references(() => users.id),
    reviewedAt: tstz("reviewed_at"),
    note: text("note"),
    paidAt: tstz("paid_at"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("withdrawals_payout_no_uq").on(t.payoutNo),
    index("withdrawals_user_idx").on(t.userId, t.createdAt),
    index("withdrawals_status_idx").on(t.status, t.createdAt),
    check("withdrawals_amounts", sql`${t.amount} > 0 and ${t.fee} >= 0 and ${t.fee} < ${t.amount}`),
  ],
);

/** Real-name identity for SHARERs (GB 11643 ID number checked); stored encrypted, found by blind index. */
export const realNames = pgTable(
  "real_names",
  {
    userId: uuid("user_id").primaryKey().references(() => users.id),
    nameEnc: text("name_enc").notNull(),
    idNumberEnc: text("id_number_enc").notNull(),
    idNumberIndex: text("id_number_index").notNull(),
    verifier: text("verifier").notNull(),
    verifiedAt: tstz("verified_at").notNull(),
  },
  (t) => [index("real_names_id_index_idx").on(t.idNumberIndex)],
);

/** In-app notifications (promotion, live reminders…) with unread state. */
export const notifications = pgTable(
  "notifications",
  {
    id: id(),
    userId: uuid("user_id").notNull().references(() => users.id),
    kind: text("kind").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    link: text("link"),
    read: boolean("read").notNull().default(false),
    ...timestamps,
  },
  (t) => [index("notifications_user_idx").on(t.userId, t.read, t.createdAt)],
);
