import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { orderLines, orders, payments } from "@/db/schema";
import { postLedgerTransaction } from "../ledger/ledger.service";
import { refundPostings } from "./aftersale.rules";
import { supplierPayables } from "./aftersale-refund.service";
import { releaseStock, type OrderRow } from "./checkout.service";
import { anyParcelShipped } from "./fulfilment.service";

/**
 * Calls off a paid order nobody paid cash for (积分兑换 / 全额抵扣: points and platform coupons
 * covered everything, or a points-mall product) before any parcel ships, inside the caller's
 * transaction under the order lock. There is no cash, so no provider is called: the order is
 * CANCELLED, the payment's ledger split is reversed as a full call-off (the marketing subsidy, fee,
 * supplier and merchant payables all go back), and releaseStock returns the stock, points and
 * coupons. Returns false (nothing written) for any other order.
 */
export async function cancelPaidZeroCash(tx: Db, order: OrderRow, now: Date, reason: string): Promise<boolean> {
  if (order.status !== "PAID" || order.totalAmount !== 0 || (await anyParcelShipped(tx, order.id))) return false;
  const lines = await tx.select().from(orderLines).where(eq(orderLines.orderId, order.id)).orderBy(orderLines.lineNo);
  const [payment] = await tx.select().from(payments).where(and(eq(payments.orderId, order.id), eq(payments.status, "SUCCEEDED")));
  await tx.update(orders).set({ status: "CANCELLED", cancelledAt: now, cancelReason: reason }).where(eq(orders.id, order.id));
  await postLedgerTransaction(tx, {
    kind: "order_cancel",
    reference: order.id,
    memo: `订单 ${order.orderNo} 取消（无现金支付）`,
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
