import { sql } from "drizzle-orm";
import { check, index, jsonb, pgEnum, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { id, money, timestamps, tstz } from "./columns";
import { users } from "./identity";
import { orderLines, orders } from "./order";
import { stores } from "./store";
import { payments } from "./payment";

export const afterSaleStatusEnum = pgEnum("after_sale_status", ["REQUESTED", "APPROVED", "REJECTED", "REFUNDED", "CANCELLED"]);
export const refundStatusEnum = pgEnum("refund_status", ["PENDING", "SUCCEEDED", "FAILED"]);

/** A consumer's after-sale request (refund only); the merchant approves or rejects it. */
export const afterSales = pgTable(
  "after_sales",
  {
    id: id(),
    orderId: uuid("order_id").notNull().references(() => orders.id),
    userId: uuid("user_id").notNull().references(() => users.id),
    storeId: uuid("store_id").notNull().references(() => stores.id),
    status: afterSaleStatusEnum("status").notNull().default("REQUESTED"),
    reason: text("reason").notNull(),
    photoKeys: jsonb("photo_keys").$type<string[]>().notNull().default([]),
    /** Goods amount asked back (Σ lines); freight is refunded only with a full refund before shipping. */
    amount: money("amount").notNull(),
    merchantNote: text("merchant_note"),
    decidedBy: uuid("decided_by").references(() => users.id),
    decidedAt: tstz("decided_at"),
    ...timestamps,
  },
  (t) => [index("after_sales_order_idx").on(t.orderId), index("after_sales_store_idx").on(t.storeId, t.status), check("after_sales_amount", sql`${t.amount} > 0`)],
);

/** How much of each order line an after-sale request asks back. */
export const afterSaleLines = pgTable(
  "after_sale_lines",
  {
    afterSaleId: uuid("after_sale_id").notNull().references(() => afterSales.id),
    orderLineId: uuid("order_line_id").notNull().references(() => orderLines.id),
    amount: money("amount").notNull(),
  },
  (t) => [primaryKey({ columns: [t.afterSaleId, t.orderLineId] }), check("after_sale_lines_amount", sql`${t.amount} > 0`)],
);

/** Money going back through the payment provider; the refund number makes retries idempotent. */
export const refunds = pgTable(
  "refunds",
  {
    id: id(),
    orderId: uuid("order_id").notNull().references(() => orders.id),
    paymentId: uuid("payment_id").notNull().references(() => payments.id),
    afterSaleId: uuid("after_sale_id").references(() => afterSales.id),
    refundNo: text("refund_no").notNull(),
    amount: money("amount").notNull(),
    status: refundStatusEnum("status").notNull().default("PENDING"),
    completedAt: tstz("completed_at"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("refunds_refund_no_uq").on(t.refundNo),
    index("refunds_order_idx").on(t.orderId),
    // The sweeper finds refunds still waiting on the provider without scanning the history.
    index("refunds_pending_idx").on(t.createdAt).where(sql`${t.status} = 'PENDING'`),
    check("refunds_amount", sql`${t.amount} > 0`)],
);
