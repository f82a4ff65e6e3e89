import { and, eq, inArray, ne } from "drizzle-orm";
import type { Db } from "@/db/client";
import { afterSaleLines, afterSales, orderLines, orders, payments, refunds, shipments } from "@/db/schema";
import { withTxRetry } from "../platform/retry";
import { postLedgerTransaction } from "../ledger/ledger.service";
import { recordRefundedTeamSales, reverseRewardsForRefund } from "../referral/reward-reversal.service";
import { givesEveryLineBack, refundNoFor, refundPostings, refundsFreight } from "./aftersale.rules";
import { releaseStock, type OrderRow } from "./checkout.service";
import { lockOrder } from "./fulfilment.service";
import { scheduleRefundRateChecks } from "../risk/risk.service";

import { returnCoupons } from "../marketing/coupon.service";
import { earnOnSettlement, pointsOnRefund } from "../points/points.service";
import { hasOpenAfterSale } from "./aftersale-queries.service";
type Ctx = { db: Db; now: Date };
export type AfterSaleRow = typeof afterSales.$inferSelect;
export type RefundRow = typeof refunds.$inferSelect;

/** A refund notification that names no refund of ours: answered as a failure, nothing written. */
export class RefundRejected extends Error {}

/** The order's successful payment (there is at most one: the payment service closes the others). */
async function paidPayment(tx: Db, orderId: string) {
  const [payment] = await tx.select().from(payments).where(and(eq(payments.orderId, orderId), eq(payments.status, "SUCCEEDED")));
  if (!payment) throw new Error(`order ${orderId} has no successful payment to refund`);
  return payment;
}

/**
 * Creates the refund of an approved after-sale, inside the caller's transaction (which holds the
 * order lock). Idempotent: the refund number is derived from the after-sale, so a second call finds
 * the first row. Freight is added when this refund completes a full refund before anything shipped;
 * other approved refunds still in flight count as committed, so two of them never both add it.
 */
export async function createRefund(tx: Db, order: OrderRow, afterSale: AfterSaleRow, now: Date): Promise<RefundRow> {
  const refundNo = refundNoFor(afterSale.id);
  const [existing] = await tx.select().from(refunds).where(eq(refunds.refundNo, refundNo));
  if (existing) return existing;
  const payment = await paidPayment(tx, order.id);
  const lines = await tx.select().from(orderLines).where(eq(orderLines.orderId, order.id));
  const inFlight = await tx
    .select({ orderLineId: afterSaleLines.orderLineId, amount: afterSaleLines.amount, afterSaleId: afterSaleLines.afterSaleId })
    .from(afterSaleLines)
    .innerJoin(afterSales, eq(afterSales.id, afterSaleLines.afterSaleId))
    .where(and(eq(afterSales.orderId, order.id), eq(afterSales.status, "APPROVED")));
  const sumFor = (lineId: string, mine: boolean) =>
    inFlight.filter((x) => x.orderLineId === lineId && (x.afterSaleId === afterSale.id) === mine).reduce((s, x) => s + x.amount, 0);
  const ships = await tx.select({ status: shipments.status }).from(shipments).where(eq(shipments.orderId, order.id));
  const withFreight =
    order.status === "PAID" &&
    refundsFreight(
      lines.map((l) => ({ paidAmount: l.paidAmount, committed: l.refundedAmount + sumFor(l.id, false), thisRefund: sumFor(l.id, true) })),
      ships.some((s) => s.status !== "AWAITING_SHIPMENT"),
    );
  const [created] = await tx
    .insert(refunds)
    .values({
      orderId: order.id,
      paymentId: payment.id,
      afterSaleId: afterSale.id,
      refundNo,
      amount: afterSale.amount + (withFreight ? order.freightAmount : 0),
      createdAt: now,
    })
    .onConflictDoNothing({ target: refunds.refundNo })
    .returning();
  return created ?? (await tx.select().from(refunds).where(eq(refunds.refundNo, refundNo)))[0];
}

export type RefundOutcome = "APPLIED" | "ALREADY_APPLIED";

/**
 * Applies a confirmed refund exactly once — what the sandbox calls at once and a real provider's
 * refund notification would call later. In ONE transaction, under the order lock (the same lock the
 * settlement job takes, so a refund and a settlement never interleave): add the refunded amounts to
 * the order lines, mark the refund SUCCEEDED and the after-sale REFUNDED, reverse rewards pro rata,
 * post the refund to the ledger, and — when the whole order was refunded before anything shipped —
 * call the order off (CANCELLED, stock restored, suppliers' payables reversed). A second delivery,
 * concurrent or later, finds the refund SUCCEEDED and changes nothing.
 */
export async function applyRefundSucceeded(ctx: Ctx, refundNo: string): Promise<RefundOutcome> {
  return withTxRetry(() =>
    ctx.db.transaction(async (tx) => {
      const [head] = await tx.select().from(refunds).where(eq(refunds.refundNo, refundNo));
      if (!head) throw new RefundRejected("unknown refund");
      if (!head.afterSaleId) return applyLatePaymentRefund(tx, head.id, ctx.now);
      const order = (await lockOrder(tx, head.orderId))!;
      const [refund] = await tx.select().from(refunds).where(eq(refunds.id, head.id)).for("update");
      if (refund.status === "SUCCEEDED") return "ALREADY_APPLIED";
      const asked = await tx.select().from(afterSaleLines).where(eq(afterSaleLines.afterSaleId, refund.afterSaleId!));
      const askedOf = new Map(asked.map((a) => [a.orderLineId, a.amount]));
      const lines = (await tx.select().from(orderLines).where(eq(orderLines.orderId, order.id)).orderBy(orderLines.lineNo)).map((l) => ({
        ...l,
        refundedBefore: l.refundedAmount,
        refundNow: askedOf.get(l.id) ?? 0,
      }));
      for (const l of lines.filter((x) => x.refundNow > 0)) {
        await tx.update(orderLines).set({ refundedAmount: l.refundedBefore + l.refundNow }).where(eq(orderLines.id, l.id));
      }
      await tx.update(refunds).set({ status: "SUCCEEDED", completedAt: ctx.now }).where(eq(refunds.id, refund.id));
      await tx.update(afterSales).set({ status: "REFUNDED" }).where(eq(afterSales.id, refund.afterSaleId!));

      await reverseRewardsForRefund(
        tx,
        { storeId: order.storeId, refundId: refund.id, lines: lines.filter((l) => l.refundNow > 0).map((l) => ({ id: l.id, remainingBase: l.paidAmount - l.refundedBefore - l.refundNow })) },
        ctx.now,
      );
      const goods = lines.reduce((s, l) => s + l.refundNow, 0);
      // Points follow the cash: spent ones come back pro rata, earned ones (after settlement) go back.
      await pointsOnRefund(tx, order, { id: refund.id, refundNo: refund.refundNo, goods }, ctx.now);
      await recordRefundedTeamSales(tx, order.userId, goods, ctx.now);
      await scheduleRefundRateChecks(tx, order.userId, refund.id, ctx.now);
      const callOff = await callsOrderOff(tx, order, lines);
      const [payment] = await tx.select().from(payments).where(eq(payments.id, refund.paymentId));
      await postLedgerTransaction(tx, {
        kind: "order_refund",
        reference: refund.id,
        memo: `订单 ${order.orderNo} 退款 ${refund.refundNo}`,
        orderId: order.id,
        now: ctx.now,
        postings: refundPostings({
          provider: payment.provider,
          storeId: order.storeId,
          feeBp: order.platformFeeBp,
          lines,
          freight: refund.amount - goods,
          supplierReversals: callOff ? await supplierPayables(tx, order.id, lines) : [],
          calledOff: callOff,
        }),
      });
      // A refunded order gives its coupon back (it is unusable anyway once expired) — never while
      // the buyer keeps a line the coupon paid for.
      if (givesEveryLineBack(lines.map(refundedAfter))) await returnCoupons(tx, order.id);
      if (callOff) {
        await tx.update(orders).set({ status: "CANCELLED", cancelledAt: ctx.now, cancelReason: "全额退款" }).where(eq(orders.id, order.id));
        await releaseStock(tx, order.id);
      }
      await earnOnceDecided(tx, order, ctx.now);
      return "APPLIED";
    }),
  );
}

/**
 * The points a settled order did not earn at settlement because a refund request was open are
 * earned once its last open request is decided (refunded, rejected or withdrawn), on the cash the
 * order kept — inside the deciding transaction, under the order lock. Idempotent (once per order).
 */
export async function earnOnceDecided(tx: Db, order: OrderRow, now: Date): Promise<void> {
  if (!order.settledAt || (await hasOpenAfterSale(tx, order.id))) return;
  await earnOnSettlement(tx, order, now);
}

/**
 * A payment that arrived after its order was closed was refunded in full: nothing else moved for it
 * (no order, stock or ledger change was ever made), so only the refund and the payment change.
 */
async function applyLatePaymentRefund(tx: Db, refundId: string, now: Date): Promise<RefundOutcome> {
  const [refund] = await tx.select().from(refunds).where(eq(refunds.id, refundId)).for("update");
  if (refund.status === "SUCCEEDED") return "ALREADY_APPLIED";
  await tx.update(refunds).set({ status: "SUCCEEDED", completedAt: now }).where(eq(refunds.id, refund.id));
  await tx.update(payments).set({ status: "REFUNDED" }).where(and(eq(payments.id, refund.paymentId), eq(payments.status, "LATE_NEEDS_REFUND")));
  return "APPLIED";
}

type AppliedLine = { paidAmount: number; refundedBefore: number; refundNow: number };

const refundedAfter = (l: AppliedLine) => ({ paidAmount: l.paidAmount, refundedAfter: l.refundedBefore + l.refundNow });

/**
 * Every line refunded in full while the order still waits for shipping: nobody will ship it. A line
 * paid for by a platform coupon or points (¥0 cash) keeps the order alive: it still ships.
 */
async function callsOrderOff(tx: Db, order: OrderRow, lines: AppliedLine[]): Promise<boolean> {
  if (order.status !== "PAID" || !givesEveryLineBack(lines.map(refundedAfter))) return false;
  const [shipped] = await tx
    .select({ id: shipments.id })
    .from(shipments)
    .where(and(eq(shipments.orderId, order.id), ne(shipments.status, "AWAITING_SHIPMENT")))
    .limit(1);
  return !shipped;
}

/** What each supplier was owed at payment (supply cost + its shipment's freight): reversed when the order is called off. */
export async function supplierPayables(tx: Db, orderId: string, lines: { supplierId: string; unitSupplyPrice: number; quantity: number }[]) {
  const owed = new Map<string, number>();
  for (const l of lines) owed.set(l.supplierId, (owed.get(l.supplierId) ?? 0) + l.unitSupplyPrice * l.quantity);
  const ships = await tx.select().from(shipments).where(and(eq(shipments.orderId, orderId), inArray(shipments.supplierId, [...owed.keys()])));
  for (const s of ships) owed.set(s.supplierId, (owed.get(s.supplierId) ?? 0) + s.freightAmount);
  return [...owed].map(([supplierId, amount]) => ({ supplierId, amount }));
}
