import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { orderLines, orders, payments, refunds } from "@/db/schema";
import { postLedgerTransaction } from "../ledger/ledger.service";
import { refundPostings } from "./aftersale.rules";
import { supplierPayables } from "./aftersale-refund.service";
import { releaseStock, type OrderRow } from "./checkout.service";
import { anyParcelShipped } from "./fulfilment.service";
import { hasOpenAfterSale } from "./aftersale-queries.service";

/** What the order still holds in cash: its total less every refund paid out. */
async function cashKept(tx: Db, order: OrderRow): Promise<number> {
  if (order.totalAmount === 0) return 0;
  const [row] = await tx
    .select({ refunded: sql<string>`coalesce(sum(${refunds.amount}), 0)` })
    .from(refunds)
    .where(and(eq(refunds.orderId, order.id), eq(refunds.status, "SUCCEEDED")));
  return order.totalAmount - Number(row.refunded);
}

/**
 * Calls off a paid order that keeps no cash, before any parcel ships, inside the caller's
 * transaction under the order lock: one nobody paid cash for (积分兑换 / 全额抵扣: points and
 * platform coupons covered everything, or a points-mall product), or one whose cash was all
 * refunded already while lines paid by a platform coupon (¥0 cash) were left to ship — the buyer
 * may still call those off. There is no cash to return, so no provider is called: the order is
 * CANCELLED, what is left of the payment's ledger split is reversed as a full call-off (the marketing
 * subsidy, fee, supplier and merchant payables all go back), and releaseStock returns the stock,
 * points and coupons. Returns false (nothing written) for any other order, and while an after-sale
 * is still open (its refund would race the call-off).
 */
export async function cancelPaidZeroCash(tx: Db, order: OrderRow, now: Date, reason: string): Promise<boolean> {
  if (order.status !== "PAID" || (await cashKept(tx, order)) !== 0 || (await anyParcelShipped(tx, order.id)) || (await hasOpenAfterSale(tx, order.id))) return false;
  const lines = await tx.select().from(orderLines).where(eq(orderLines.orderId, order.id)).orderBy(orderLines.lineNo);
  const [payment] = await tx.select().from(payments).where(and(eq(payments.orderId, order.id), eq(payments.status, "SUCCEEDED")));
  await tx.update(orders).set({ status: "CANCELLED", cancelledAt: now, cancelReason: reason }).where(eq(orders.id, order.id));
  await postLedgerTransaction(tx, {
    kind: "order_cancel",
    reference: order.id,
    memo: `订单 ${order.orderNo} 取消（无现金待退）`,
    orderId: order.id,
    now,
    postings: refundPostings({
      provider: payment?.provider ?? "none",
      storeId: order.storeId,
      feeBp: order.platformFeeBp,
      lines: lines.map((l) => ({ paidAmount: l.paidAmount, platformDiscountAmount: l.platformDiscountAmount, refundedBefore: l.refundedAmount, refundNow: 0 })),
      freight: 0,
      supplierReversals: await supplierPayables(tx, order.id, lines),
      calledOff: true,
    }),
  });
  await releaseStock(tx, order.id);
  return true;
}
