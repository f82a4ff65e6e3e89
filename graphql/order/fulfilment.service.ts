import { and, eq, inArray, ne, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { orderLines, orders, shipments } from "@/db/schema";
import { DomainError } from "../core/errors";
import { enqueueJob, type JobHandler } from "../platform/jobs";
import { AUTO_RECEIVE_MS, OrderErrorCode, quoteOrder } from "./order.rules";
import { releaseStock, type OrderRow } from "./checkout.service";
import { scheduleSettlement } from "../referral/settlement.service";
import { heldByGroup } from "../marketing/group-seat.service";
import { withTxRetry } from "../platform/retry";
import { cancelPaidZeroCash } from "./zero-cash-cancel.service";

type Ctx = { db: Db; now: Date };
export type ShipmentRow = typeof shipments.$inferSelect;

const invalidState = (message: string) => new DomainError(OrderErrorCode.INVALID_STATE, message);
const orderNotFound = () => new DomainError(OrderErrorCode.ORDER_NOT_FOUND, "订单不存在", "orderId");

/** Locks an order row for the rest of the transaction. */
export async function lockOrder(tx: Db, orderId: string): Promise<OrderRow | null> {
  const [row] = await tx.select().from(orders).where(eq(orders.id, orderId)).for("update");
  return row ?? null;
}

/**
 * Marks a locked, pending order paid and splits it into one shipment per supplier. Returns what the
 * ledger split needs. Called by the payment service inside the payment's transaction.
 */
export async function markOrderPaid(tx: Db, order: OrderRow, now: Date) {
  const lines = await tx.select().from(orderLines).where(eq(orderLines.orderId, order.id)).orderBy(orderLines.lineNo);
  const quote = quoteOrder(lines.map((l) => ({ ...l, unitPrice: Number(l.unitPrice), unitSupplyPrice: Number(l.unitSupplyPrice) })));
  // An order placed with free shipping (a points-mall redemption) ships free whatever its goods.
  const planned = order.freightAmount === 0 ? quote.shipments.map((s) => ({ ...s, freight: 0 })) : quote.shipments;
  for (const s of planned) {
    const [shipment] = await tx
      .insert(shipments)
      .values({ orderId: order.id, supplierId: s.supplierId, status: "AWAITING_SHIPMENT", freightAmount: s.freight, createdAt: now })
      .returning();
    await tx
      .update(orderLines)
      .set({ shipmentId: shipment.id })
      .where(and(eq(orderLines.orderId, order.id), eq(orderLines.supplierId, s.supplierId)));
  }
  await tx.update(orders).set({ status: "PAID", paidAt: now }).where(eq(orders.id, order.id));
  return { lines, shipments: planned };
}

/** Cancels an unpaid order and releases its stock. Idempotent: a non-pending order is left alone. */
async function cancelPending(tx: Db, order: OrderRow, now: Date, reason: string): Promise<boolean> {
  if (order.status !== "PENDING_PAYMENT") return false;
  await tx.update(orders).set({ status: "CANCELLED", cancelledAt: now, cancelReason: reason }).where(eq(orders.id, order.id));
  await releaseStock(tx, order.id);
  return true;
}

/** Job: an unpaid order expires 15 minutes after it was placed. */
export const expireOrderJob: JobHandler = async (tx, payload, { now }) => {
  const order = await lockOrder(tx, String(payload.orderId));
  if (!order || order.expiresAt > now) return;
  await cancelPending(tx, order, now, "超时未支付");
};

/**
 * The consumer cancels their own order: an unpaid one, or, before any parcel ships, a paid one that
 * keeps no cash (积分兑换 / 全额抵扣, or its cash lines already refunded) — see cancelPaidZeroCash.
 */
export async function cancelOrder(ctx: Ctx, userId: string, orderId: string): Promise<OrderRow> {
  return withTxRetry(() =>
    ctx.db.transaction(async (tx) => {
      const order = await lockOrder(tx, orderId);
      if (!order || order.userId !== userId) throw orderNotFound();
      const cancelled = (await cancelPending(tx, order, ctx.now, "买家取消")) || (await cancelPaidZeroCash(tx, order, ctx.now, "买家取消"));
      if (!cancelled) throw invalidState("只能取消待付款的订单，或尚未发货且无现金待退的订单（积分兑换/全额抵扣，或现金商品已全部退款）");
      return (await lockOrder(tx, orderId))!;
    }),
  );
}

/** True once any parcel of the order has left the supplier (shipped or received). */
export async function anyParcelShipped(tx: Db, orderId: string): Promise<boolean> {
  const [shipped] = await tx
    .select({ id: shipments.id })
    .from(shipments)
    .where(and(eq(shipments.orderId, orderId), ne(shipments.status, "AWAITING_SHIPMENT")))
    .limit(1);
  return !!shipped;
}

/** The supplier ships one of its shipments with carrier and tracking number. */
export async function shipShipment(
  ctx: Ctx,
  supplierId: string,
  input: { shipmentId: string; carrier: string; trackingNo: string },
): Promise<ShipmentRow> {
  const carrier = input.carrier.trim();
  const trackingNo = input.trackingNo.trim().toUpperCase();
  if (carrier.length < 2 || carrier.length > 20) throw new DomainError(OrderErrorCode.INVALID_TRACKING, "请选择快递公司", "carrier");
  if (!/^[A-Z0-9]{6,30}$/.test(trackingNo)) throw new DomainError(OrderErrorCode.INVALID_TRACKING, "运单号需为 6–30 位字母或数字", "trackingNo");
  return ctx.db.transaction(async (tx) => {
    const [shipment] = await tx
      .select()
      .from(shipments)
      .where(and(eq(shipments.id, input.shipmentId), eq(shipments.supplierId, supplierId)))
      .for("update");
    if (!shipment) throw new DomainError(OrderErrorCode.ORDER_NOT_FOUND, "发货单不存在", "shipmentId");
    const order = await lockOrder(tx, shipment.orderId);
    if (shipment.status !== "AWAITING_SHIPMENT" || !order || !["PAID", "SHIPPED"].includes(order.status)) {
      throw invalidState("该发货单已发货或不可发货");
    }
    if (await heldByGroup(tx, order)) throw invalidState("拼团尚未成功，暂不能发货");
    const [shipped] = await tx
      .update(shipments)
      .set({ status: "SHIPPED", carrier, trackingNo, shippedAt: ctx.now })
      .where(eq(shipments.id, shipment.id))
      .returning();
    const [{ waiting }] = await tx
      .select({ waiting: sql<number>`count(*)::int` })
      .from(shipments)
      .where(and(eq(shipments.orderId, order.id), eq(shipments.status, "AWAITING_SHIPMENT")));
    if (Number(waiting) === 0) await tx.update(orders).set({ status: "SHIPPED" }).where(eq(orders.id, order.id));
    await enqueueJob(tx, {
      kind: "shipment.auto_receive",
      payload: { shipmentId: shipment.id },
      runAt: new Date(ctx.now.getTime() + AUTO_RECEIVE_MS),
      dedupeKey: `shipment.auto_receive:${shipment.id}`,
      now: ctx.now,
    });
    return shipped;
  });
}

/** Marks shipments received and completes the order once nothing is outstanding. */
async function receive(tx: Db, order: OrderRow, shipmentIds: string[] | "all-shipped", now: Date) {
  const where =
    shipmentIds === "all-shipped"
      ? and(eq(shipments.orderId, order.id), eq(shipments.status, "SHIPPED"))
      : and(eq(shipments.orderId, order.id), eq(shipments.status, "SHIPPED"), inArray(shipments.id, shipmentIds));
  await tx.update(shipments).set({ status: "RECEIVED", receivedAt: now }).where(where);
  const [{ open }] = await tx
    .select({ open: sql<number>`count(*)::int` })
    .from(shipments)
    .where(and(eq(shipments.orderId, order.id), ne(shipments.status, "RECEIVED")));
  if (Number(open) === 0) {
    await tx.update(orders).set({ status: "COMPLETED", completedAt: now }).where(eq(orders.id, order.id));
    await scheduleSettlement(tx, order.id, now);
  }
}

/** The consumer confirms receipt of everything shipped. */
export async function confirmReceipt(ctx: Ctx, userId: string, orderId: string): Promise<OrderRow> {
  return ctx.db.transaction(async (tx) => {
    const order = await lockOrder(tx, orderId);
    if (!order || order.userId !== userId) throw orderNotFound();
    if (order.status !== "SHIPPED") throw invalidState("订单尚未全部发货，暂不能确认收货");
    await receive(tx, order, "all-shipped", ctx.now);
    return (await lockOrder(tx, orderId))!;
  });
}

/** Job: a shipped parcel is received automatically 10 days after shipping. Idempotent. */
export const autoReceiveJob: JobHandler = async (tx, payload, { now }) => {
  const [shipment] = await tx.select().from(shipments).where(eq(shipments.id, String(payload.shipmentId)));
  if (!shipment || shipment.status !== "SHIPPED") return;
  const order = await lockOrder(tx, shipment.orderId);
  if (!order) return;
  await receive(tx, order, [shipment.id], now);
};
