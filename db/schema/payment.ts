import { index, jsonb, pgEnum, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { id, money, timestamps, tstz } from "./columns";
import { orders } from "./order";

export const paymentStatusEnum = pgEnum("payment_status", ["PENDING", "SUCCEEDED", "CLOSED", "LATE_NEEDS_REFUND", "REFUNDED"]);

export const payments = pgTable(
  "payments",
  {
    id: id(),
    orderId: uuid("order_id").notNull().references(() => orders.id),
    provider: text("provider").notNull(),
    amount: money("amount").notNull(),
    status: paymentStatusEnum("status").notNull(),
    providerTxnId: text("provider_txn_id"),
    /** Keyed hash of the payer's account as the provider reports it (risk pairs: same payment account). */
    payerAccountIndex: text("payer_account_index"),
    paidAt: tstz("paid_at"),
    ...timestamps,
  },
  (t) => [
    index("payments_order_idx").on(t.orderId),
    index("payments_payer_account_idx").on(t.payerAccountIndex),
    uniqueIndex("payments_provider_txn_uq").on(t.provider, t.providerTxnId),
  ],
);

/** Every accepted provider notification, once: the unique key makes the callback idempotent. */
export const paymentNotifications = pgTable(
  "payment_notifications",
  {
    id: id(),
    provider: text("provider").notNull(),
    notifyId: text("notify_id").notNull(),
    paymentId: uuid("payment_id").notNull().references(() => payments.id),
    payload: jsonb("payload").notNull(),
    outcome: text("outcome").notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex("payment_notifications_uq").on(t.provider, t.notifyId)],
);
