import { and, eq, ne } from "drizzle-orm";
import type { Db } from "@/db/client";
import { orders, paymentNotifications, payments, refunds } from "@/db/schema";
import { DomainError } from "../core/errors";
import { isUuid } from "../core/ids";
import { withTxRetry } from "../platform/retry";
import { postLedgerTransaction } from "../ledger/ledger.service";
import { lockOrder, markOrderPaid } from "../order/fulfilment.service";
import { splitPayment } from "../order/order.rules";
import { recordRewardsForPaidOrder } from "../referral/rewards.service";
import { onGroupOrderPaid } from "../marketing/group-buy-lifecycle.service";
import type { PaymentNotification, PaymentProvider } from "./payment-provider";
import { detectPaymentAccountPairs, payerAccountIndex } from "../risk/risk.service";

type Ctx = { db: Db; now: Date };
export type PaymentRow = typeof payments.$inferSelect;

export const PaymentErrorCode = {
  ORDER_NOT_FOUND: "ORDER_NOT_FOUND",
  NOT_PAYABLE: "NOT_PAYABLE",
  UNKNOWN_PROVIDER: "UNKNOWN_PROVIDER",
} as const;

/** Starts (or resumes) paying an unpaid, unexpired order of the buyer's. */
export async function startPayment(ctx: Ctx, userId: string, orderId: string, provider: PaymentProvider | undefined) {
  if (!provider) throw new DomainError(PaymentErrorCode.UNKNOWN_PROVIDER, "不支持的支付方式", "provider");
  return ctx.db.transaction(async (tx) => {
    const order = isUuid(orderId) ? await lockOrder(tx, orderId) : null;
    if (!order || order.userId !== userId) throw new DomainError(PaymentErrorCode.ORDER_NOT_FOUND, "订单不存在", "orderId");
    if (order.status !== "PENDING_PAYMENT" || order.expiresAt <= ctx.now) {
      throw new DomainError(PaymentErrorCode.NOT_PAYABLE, "订单已支付、已取消或已超时", "orderId");
    }
    const [pending] = await tx
      .select()
      .from(payments)
      .where(and(eq(payments.orderId, order.id), eq(payments.status, "PENDING"), eq(payments.provider, provider.name)));
    const payment =
      pending ??
      (
        await tx
          .insert(payments)
          .values({ orderId: order.id, provider: provider.name, amount: order.totalAmount, status: "PENDING", createdAt: ctx.now })
          .returning()
      )[0];
    return { payment, payUrl: provider.checkoutUrl(payment.id) };
  });
}

export type NotificationOutcome = "PAID" | "DUPLICATE" | "ALREADY_PAID" | "LATE";

export class PaymentRejected extends Error {}

/**
 * Applies a verified success notification exactly once. In one transaction: record the notification
 * (unique per provider notify id), lock the order then the payment, check the amount, mark both
 * paid, split the order into shipments, record the 链动2+1 rewards and post the ledger split (the
 * rewards are funded from the merchant's margin). A wrong amount or unknown payment
 * changes nothing. Duplicates — concurrent or later — are answered as success without effect.
 */
export async function applyPaymentNotification(ctx: Ctx, provider: string, n: PaymentNotification): Promise<NotificationOutcome> {
  if (!isUuid(n.paymentId)) throw new PaymentRejected("unknown payment");
  return withTxRetry(() =>
    ctx.db.transaction(async (tx) => {
      const [head] = await tx.select().from(payments).where(and(eq(payments.id, n.paymentId), eq(payments.provider, provider)));
      if (!head) throw new PaymentRejected("unknown payment");
      if (head.amount !== n.amount) throw new PaymentRejected("amount mismatch");
      const order = (await lockOrder(tx, head.orderId))!;
      const [payment] = await tx.select().from(payments).where(eq(payments.id, head.id)).for("update");
      const [recorded] = await tx
        .insert(paymentNotifications)
        .values({ provider, notifyId: n.notifyId, paymentId: payment.id, payload: n, outcome: "RECEIVED", createdAt: ctx.now })
        .onConflictDoNothing({ target: [paymentNotifications.provider, paymentNotifications.notifyId] })
        .returning({ id: paymentNotifications.id });
      if (!recorded) return "DUPLICATE";
      if (payment.status !== "PENDING") return "ALREADY_PAID";
      if (order.status !== "PENDING_PAYMENT") {
        // Paid after the order expired or was paid by another payment: keep the money visible for a refund.
        await tx.update(payments).set({ status: "LATE_NEEDS_REFUND", providerTxnId: n.providerTxnId, paidAt: ctx.now }).where(eq(payments.id, payment.id));
        // Nobody asked for this money: it goes back in full, by the refund sweeper (outside this transaction).
        await tx
          .insert(refunds)
          .values({ orderId: order.id, paymentId: payment.id, afterSaleId: null, refundNo: lateRefundNo(payment.id), amount: payment.amount, createdAt: ctx.now })
          .onConflictDoNothing({ target: refunds.refundNo });
        return "LATE";
      }
      await tx.update(payments).set({ status: "SUCCEEDED", providerTxnId: n.providerTxnId, paidAt: ctx.now }).where(eq(payments.id, payment.id));
      await tx
        .update(payments)
        .set({ status: "CLOSED" })
        .where(and(eq(payments.orderId, order.id), ne(payments.id, payment.id), eq(payments.status, "PENDING")));
      if (n.payerAccount) {
        // Before rewards are computed: a buyer paying from their inviter's account accrues nothing.
        const accountIndex = payerAccountIndex(provider, n.payerAccount);
        await tx.update(payments).set({ payerAccountIndex: accountIndex }).where(eq(payments.id, payment.id));
        await detectPaymentAccountPairs(tx, order.userId, accountIndex, order.id, ctx.now);
      }
      await recordOrderPaid(tx, order, provider, payment.id, ctx.now);
      // A group (拼团) seat is paid: the group may succeed now, or — if it already failed — this order is refunded.
      await onGroupOrderPaid(tx, order, ctx.now);
      return "PAID";
    }),
  );
}

/**
 * The one path from "the money is in" to a paid order, inside the caller's transaction (order
 * locked): mark it paid and split it into shipments, record the 链动2+1 rewards and post the ledger
 * split (the rewards are funded from the merchant's margin, platform discounts from the marketing
 * subsidy).
 */
export async function recordOrderPaid(tx: Db, order: typeof orders.$inferSelect, provider: string, paymentId: string, now: Date) {
  const paid = await markOrderPaid(tx, order, now);
  const commissions = await recordRewardsForPaidOrder(
    tx,
    order,
    paid.lines.map((l) => ({ id: l.id, paidAmount: Number(l.paidAmount) })),
    now,
  );
  await postLedgerTransaction(tx, {
    kind: "order_payment",
    reference: paymentId,
    memo: `订单 ${order.orderNo} 支付`,
    orderId: order.id,
    now,
    postings: splitPayment({
      provider,
      storeId: order.storeId,
      feeBp: order.platformFeeBp,
      lines: paid.lines.map((l) => ({
        ...l,
        unitSupplyPrice: Number(l.unitSupplyPrice),
        paidAmount: Number(l.paidAmount),
        commissions: commissions.get(l.id) ?? 0,
      })),
      shipments: paid.shipments,
    }),
  });
}

/** The provider of orders with nothing to pay in cash (points and platform discounts cover everything). */
export const NO_CASH_PROVIDER = "none";

/**
 * An order whose total is 0 (points and platform coupons cover the goods, no freight) cannot go
 * through a payment provider: it is paid at once, inside the transaction that wrote it, through
 * the same path as a provider's notification, with a SUCCEEDED payment of 0 from provider "none"
 * (so the order has the payment every later step — shipping, after-sales, the ledger — expects).
 */
export async function payWithoutCash(tx: Db, order: typeof orders.$inferSelect, now: Date) {
  if (order.totalAmount !== 0 || order.status !== "PENDING_PAYMENT") throw new Error(`order ${order.id} is not a zero-cash pending order`);
  const [payment] = await tx
    .insert(payments)
    .values({ orderId: order.id, provider: NO_CASH_PROVIDER, amount: 0, status: "SUCCEEDED", paidAt: now, createdAt: now })
    .returning();
  await recordOrderPaid(tx, order, NO_CASH_PROVIDER, payment.id, now);
}

/** The provider answers a notification with this: only authentic, consistent ones are acknowledged. */
export async function handleProviderNotification(
  ctx: Ctx,
  provider: PaymentProvider | undefined,
  rawBody: string,
  headers: Headers,
): Promise<{ ok: boolean; outcome?: NotificationOutcome }> {
  const n = provider?.parseNotification(rawBody, headers);
  if (!provider || !n) return { ok: false };
  try {
    return { ok: true, outcome: await applyPaymentNotification(ctx, provider.name, n) };
  } catch (e) {
    if (e instanceof PaymentRejected) return { ok: false };
    throw e;
  }
}

/** Who placed the order (the sandbox page names the default payer account after them). */
/** The refund number of a late payment's automatic refund (one per payment, so re-sending is idempotent). */
export const lateRefundNo = (paymentId: string) => `LT${paymentId.replace(/-/g, "").toUpperCase()}`;

export async function orderBuyerId(db: Db, orderId: string): Promise<string> {
  const [row] = await db.select({ userId: orders.userId }).from(orders).where(eq(orders.id, orderId));
  return row?.userId ?? "";
}

export async function paymentById(db: Db, id: string) {
  if (!isUuid(id)) return null;
  const [row] = await db.select().from(payments).where(eq(payments.id, id));
  return row ?? null;
}
