import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { afterSaleLines, afterSales, files, orders, orderLines, payments, refunds } from "@/db/schema";
import { DomainError } from "../core/errors";
import { isUuid } from "../core/ids";
import { withTxRetry } from "../platform/retry";
import type { PaymentProvider } from "../payment/payment-provider";
import { AfterSaleErrorCode, REASON_LENGTH, afterSaleAllowed, afterSaleRequestViolation, zeroCashRefusal, type AfterSaleRequest, type RefundableLine } from "./aftersale.rules";
import { applyRefundSucceeded, createRefund, earnOnceDecided, type AfterSaleRow, type RefundRow } from "./aftersale-refund.service";
import { anyParcelShipped, lockOrder } from "./fulfilment.service";
import { heldByGroup } from "../marketing/group-seat.service";

type Ctx = { db: Db; now: Date };
/** Starting a refund needs the payment providers (the refund goes back the way the money came). */
export type RefundCtx = Ctx & { payments: Record<string, PaymentProvider> };

const fail = (code: keyof typeof AfterSaleErrorCode, message: string, field: string | null = null) => new DomainError(code, message, field);
const afterSaleNotFound = () => fail("AFTER_SALE_NOT_FOUND", "售后申请不存在", "afterSaleId");

/** The order's lines with what open (REQUESTED or APPROVED) after-sales already ask back. */
async function refundableLines(tx: Db, orderId: string): Promise<RefundableLine[]> {
  const lines = await tx.select().from(orderLines).where(eq(orderLines.orderId, orderId)).orderBy(orderLines.lineNo);
  const open = await tx
    .select({ orderLineId: afterSaleLines.orderLineId, amount: sql<string>`sum(${afterSaleLines.amount})` })
    .from(afterSaleLines)
    .innerJoin(afterSales, eq(afterSales.id, afterSaleLines.afterSaleId))
    .where(and(eq(afterSales.orderId, orderId), inArray(afterSales.status, ["REQUESTED", "APPROVED"])))
    .groupBy(afterSaleLines.orderLineId);
  const openOf = new Map(open.map((o) => [o.orderLineId, Number(o.amount)]));
  return lines.map((l) => ({ id: l.id, paidAmount: l.paidAmount, refundedAmount: l.refundedAmount, openRequested: openOf.get(l.id) ?? 0 }));
}

/**
 * The consumer asks money back on their own order (refund only): per-line amounts, a reason and up
 * to 6 photos they uploaded. One transaction under the order lock, so two concurrent requests can
 * never together ask more than what remains. `overrideWindow` lets a platform-arbitrated refund
 * (the simulator) through after settlement; the consumer's mutation never sets it.
 */
export async function requestAfterSale(
  ctx: Ctx,
  userId: string,
  input: AfterSaleRequest & { orderId: string },
  opts: { overrideWindow?: boolean } = {},
): Promise<AfterSaleRow> {
  const req = { ...input, reason: input.reason.trim(), lines: input.lines.map((l) => ({ ...l, orderLineId: l.orderLineId.toLowerCase() })) };
  return withTxRetry(() =>
    ctx.db.transaction(async (tx) => {
      const order = isUuid(req.orderId) ? await lockOrder(tx, req.orderId.toLowerCase()) : null;
      if (!order || order.userId !== userId) throw fail("ORDER_NOT_FOUND", "订单不存在", "orderId");
      if (!afterSaleAllowed(order, opts)) throw fail("NOT_REFUNDABLE", "该订单当前不能申请退款（未支付、已取消或已过售后期）", "orderId");
      // A paid seat of a group still being decided: it succeeds (then after-sale as usual) or is refunded in full automatically.
      if (await heldByGroup(tx, order)) throw fail("NOT_REFUNDABLE", "拼团进行中，暂不能申请退款；未成团将自动全额退款", "orderId");
      const zeroCash = order.totalAmount === 0 ? zeroCashRefusal(order, await anyParcelShipped(tx, order.id)) : null;
      if (zeroCash) throw fail(zeroCash.code, zeroCash.message, zeroCash.field);
      const violation = afterSaleRequestViolation(req, await refundableLines(tx, order.id));
      if (violation) throw fail(violation.code, violation.message, violation.field);
      if (req.photoKeys.length) {
        const owned = await tx.select({ key: files.key }).from(files).where(and(inArray(files.key, req.photoKeys), eq(files.ownerUserId, userId)));
        if (owned.length !== req.photoKeys.length) throw fail("INVALID_PHOTO", "照片不存在或不属于你", "photoKeys");
      }
      const [row] = await tx
        .insert(afterSales)
        .values({
          orderId: order.id,
          userId,
          storeId: order.storeId,
          reason: req.reason,
          photoKeys: req.photoKeys,
          amount: req.lines.reduce((s, l) => s + l.amount, 0),
          createdAt: ctx.now,
        })
        .returning();
      await tx.insert(afterSaleLines).values(req.lines.map((l) => ({ afterSaleId: row.id, orderLineId: l.orderLineId, amount: l.amount })));
      return row;
    }),
  );
}

/**
 * Locks an after-sale the way every writer does — order first, then the after-sale — so decisions,
 * cancellations and refunds of one order never deadlock. `scope` restricts whose it may be.
 */
async function lockAfterSale(tx: Db, afterSaleId: string, scope: { userId?: string; storeId?: string }) {
  if (!isUuid(afterSaleId)) return null;
  const [head] = await tx.select().from(afterSales).where(eq(afterSales.id, afterSaleId.toLowerCase()));
  if (!head || (scope.userId && head.userId !== scope.userId) || (scope.storeId && head.storeId !== scope.storeId)) return null;
  const order = (await lockOrder(tx, head.orderId))!;
  const [afterSale] = await tx.select().from(afterSales).where(eq(afterSales.id, head.id)).for("update");
  return { order, afterSale };
}

/** The consumer withdraws their request while the merchant has not decided yet. */
export async function cancelAfterSale(ctx: Ctx, userId: string, afterSaleId: string): Promise<AfterSaleRow> {
  return ctx.db.transaction(async (tx) => {
    const found = await lockAfterSale(tx, afterSaleId, { userId });
    if (!found) throw afterSaleNotFound();
    if (found.afterSale.status !== "REQUESTED") throw fail("INVALID_STATE", "商家已处理，不能撤销", "afterSaleId");
    const [row] = await tx.update(afterSales).set({ status: "CANCELLED" }).where(eq(afterSales.id, found.afterSale.id)).returning();
    await earnOnceDecided(tx, found.order, ctx.now);
    return row;
  });
}

/**
 * The merchant of the order's store decides a REQUESTED after-sale. Rejecting ends it (a note is
 * required: the consumer deserves a reason). Approving commits the approval and the refund row
 * together, then sends the refund through the provider — outside the transaction, since a provider
 * call must never hold database locks. If the provider call fails, the after-sale stays APPROVED
 * with a PENDING refund and refundAfterSale retries it with the same refund number.
 */
export async function decideAfterSale(
  ctx: RefundCtx,
  storeId: string,
  input: { afterSaleId: string; approve: boolean; note?: string | null },
  deciderId: string | null = null,
): Promise<AfterSaleRow> {
  const note = input.note?.trim() || null;
  const noteLength = note ? [...note].length : 0;
  if (noteLength > REASON_LENGTH.max || (!input.approve && noteLength < REASON_LENGTH.min)) {
    throw fail("INVALID_NOTE", `${input.approve ? "" : "拒绝需说明理由，"}说明需为 ${REASON_LENGTH.min}–${REASON_LENGTH.max} 个字`, "note");
  }
  const { afterSale, refund } = await withTxRetry(() =>
    ctx.db.transaction(async (tx) => {
      const found = await lockAfterSale(tx, input.afterSaleId, { storeId });
      if (!found) throw afterSaleNotFound();
      if (found.afterSale.status !== "REQUESTED") throw fail("INVALID_STATE", "该申请已处理或已撤销", "afterSaleId");
      const [row] = await tx
        .update(afterSales)
        .set({ status: input.approve ? "APPROVED" : "REJECTED", merchantNote: note, decidedBy: deciderId, decidedAt: ctx.now })
        .where(eq(afterSales.id, found.afterSale.id))
        .returning();
      if (!input.approve) await earnOnceDecided(tx, found.order, ctx.now);
      return { afterSale: row, refund: input.approve ? await createRefund(tx, found.order, row, ctx.now) : null };
    }),
  );
  if (!refund) return afterSale;
  await sendRefund(ctx, refund);
  return (await ctx.db.select().from(afterSales).where(eq(afterSales.id, afterSale.id)))[0];
}

/** Sends a pending refund through the payment's provider; a provider that confirms at once gets it applied now. */
export async function sendRefund(ctx: RefundCtx, refund: RefundRow): Promise<void> {
  if (refund.status === "SUCCEEDED") return;
  const [payment] = await ctx.db.select().from(payments).where(eq(payments.id, refund.paymentId));
  const provider = ctx.payments[payment.provider];
  if (!provider) throw new Error(`no payment provider ${payment.provider} to refund through`);
  const result = await provider.refund(payment, refund.refundNo, refund.amount);
  if (result.status === "SUCCEEDED") await applyRefundSucceeded(ctx, refund.refundNo);
}

/**
 * Refunds an APPROVED after-sale: creates its refund (idempotent — re-running returns the same
 * refund) and sends it. Also the retry path when a provider call failed after approval.
 */
export async function refundAfterSale(ctx: RefundCtx, afterSaleId: string): Promise<RefundRow> {
  const refund = await withTxRetry(() =>
    ctx.db.transaction(async (tx) => {
      const found = await lockAfterSale(tx, afterSaleId, {});
      if (!found) throw afterSaleNotFound();
      if (!["APPROVED", "REFUNDED"].includes(found.afterSale.status)) throw fail("INVALID_STATE", "售后申请未通过审核", "afterSaleId");
      return createRefund(tx, found.order, found.afterSale, ctx.now);
    }),
  );
  await sendRefund(ctx, refund);
  return (await ctx.db.select().from(refunds).where(eq(refunds.id, refund.id)))[0];
}

/**
 * For scripted histories (the simulator): request → approve → refund → applied, through the same
 * functions a consumer and a merchant use, on behalf of both. Returns the refund.
 */
export async function refundGoodsNow(
  ctx: RefundCtx,
  orderId: string,
  perLine: { orderLineId: string; amount: number }[],
  opts: { overrideWindow?: boolean } = {},
): Promise<RefundRow> {
  const [order] = isUuid(orderId) ? await ctx.db.select().from(orders).where(eq(orders.id, orderId)) : [];
  if (!order) throw fail("ORDER_NOT_FOUND", "订单不存在", "orderId");
  const request = { orderId, lines: perLine, reason: "平台安排退款", photoKeys: [] };
  const afterSale = await requestAfterSale(ctx, order.userId, request, opts);
  await decideAfterSale(ctx, order.storeId, { afterSaleId: afterSale.id, approve: true, note: null });
  return (await ctx.db.select().from(refunds).where(eq(refunds.afterSaleId, afterSale.id)))[0];
}
