import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { afterSaleLines, afterSales, groupBuyMembers, groupBuyOffers, groupBuys, orderLines, orders, stores } from "@/db/schema";
import type { JobHandler } from "../platform/jobs";
import { notify } from "../notification/notification.service";
import { releaseStock, type OrderRow } from "../order/checkout.service";
import { lockOrder } from "../order/fulfilment.service";
import { createRefund } from "../order/aftersale-refund.service";
import { GROUP_REFUND_REASON, afterSeatPaid, expiryOutcome } from "./group-buy.rules";

/** Where a group's page is (the link of its notifications). */
async function groupLink(tx: Db, groupId: string): Promise<string> {
  const [row] = await tx
    .select({ slug: stores.slug })
    .from(groupBuys)
    .innerJoin(groupBuyOffers, eq(groupBuyOffers.id, groupBuys.offerId))
    .innerJoin(stores, eq(stores.id, groupBuyOffers.storeId))
    .where(eq(groupBuys.id, groupId));
  return `/s/${row.slug}/group/${groupId}`;
}

/**
 * A group order was just paid (called by the payment service inside the payment's transaction,
 * after markOrderPaid, with the order locked; the group row is locked after it). The seat becomes
 * PAID; the payment that fills the last seat before the deadline makes the group SUCCEEDED, which
 * releases every member's order to the suppliers' shipping queues. A payment for a group that has
 * already failed (its expiry ran while this buyer was paying) is refunded in full at once: no paid
 * order is ever left in a dead group.
 */
export async function onGroupOrderPaid(tx: Db, order: OrderRow, now: Date): Promise<void> {
  if (!order.groupBuyId) return;
  const [group] = await tx.select().from(groupBuys).where(eq(groupBuys.id, order.groupBuyId)).for("update");
  if (!group) return;
  await tx.update(groupBuyMembers).set({ status: "PAID", paidAt: now }).where(and(eq(groupBuyMembers.orderId, order.id), eq(groupBuyMembers.status, "RESERVED")));
  const outcome = afterSeatPaid(group, now);
  await tx
    .update(groupBuys)
    .set({ paidCount: sql`${groupBuys.paidCount} + 1`, ...(outcome === "SUCCEEDED" ? { status: "SUCCEEDED" as const, succeededAt: now } : {}) })
    .where(eq(groupBuys.id, group.id));
  if (outcome === "REFUND") {
    // As it stands now (PAID): the refund's freight depends on it.
    const [paid] = await tx.select().from(orders).where(eq(orders.id, order.id));
    await refundGroupOrder(tx, paid, now);
    return;
  }
  if (outcome === "SUCCEEDED") {
    const paid = await tx.select({ userId: groupBuyMembers.userId }).from(groupBuyMembers).where(and(eq(groupBuyMembers.groupId, group.id), eq(groupBuyMembers.status, "PAID")));
    const link = await groupLink(tx, group.id);
    await notify(tx, paid.map((m) => ({ userId: m.userId, kind: "GROUP_SUCCEEDED" as const, title: "拼团成功", body: `${group.groupSize} 人团已成团，商家将尽快发货`, link })), now);
  }
}

/**
 * Refunds a paid group order in full (goods + freight) through the after-sale machinery: an
 * after-sale already APPROVED by the system for what is left of every line, and its refund row.
 * The refund sweeper sends it (a provider call never runs inside a transaction); applying it
 * cancels the order, restores stock, reverses 链动2+1 rewards, returns coupons and posts the ledger
 * like any full refund before shipping. Idempotent: an order already being refunded this way is
 * left alone.
 */
export async function refundGroupOrder(tx: Db, order: OrderRow, now: Date): Promise<void> {
  const [already] = await tx
    .select({ id: afterSales.id })
    .from(afterSales)
    .where(and(eq(afterSales.orderId, order.id), eq(afterSales.reason, GROUP_REFUND_REASON), inArray(afterSales.status, ["APPROVED", "REFUNDED"])));
  if (already) return;
  const lines = await tx.select().from(orderLines).where(eq(orderLines.orderId, order.id)).orderBy(orderLines.lineNo);
  const asked = lines.map((l) => ({ orderLineId: l.id, amount: l.paidAmount - l.refundedAmount })).filter((l) => l.amount > 0);
  if (!asked.length) return;
  const [afterSale] = await tx
    .insert(afterSales)
    .values({
      orderId: order.id,
      userId: order.userId,
      storeId: order.storeId,
      status: "APPROVED",
      reason: GROUP_REFUND_REASON,
      amount: asked.reduce((s, l) => s + l.amount, 0),
      merchantNote: "系统自动退款",
      decidedAt: now,
      createdAt: now,
    })
    .returning();
  await tx.insert(afterSaleLines).values(asked.map((l) => ({ afterSaleId: afterSale.id, ...l })));
  await createRefund(tx, order, afterSale, now);
}

/** A paid seat whose order someone else holds while the expiry holds the group: the run is retried. */
export class GroupMemberBusy extends Error {}

/**
 * Job at a group's deadline. If the group is still OPEN it has failed: it is marked FAILED, unpaid
 * orders are cancelled (their stock and seats released) and every paid order is refunded in full.
 * Members are told in the same transaction. Idempotent: a group that is no longer open is left
 * alone. Locks: the members' orders first (in id order), then the group — the order a payment takes.
 * Once the group is held it never waits for an order: a seat taken after the first read whose order
 * is busy (a payment holding it waits for this group) is skipped — its payment then finds the group
 * FAILED and refunds itself, its expiry releases the seat. A busy order already PAID has nobody to
 * refund it, so the run gives up instead and the job runner retries it (then it is locked first).
 */
export const expireGroupJob: JobHandler = async (tx, payload, { now }) => {
  const groupId = String(payload.groupBuyId);
  const [head] = await tx.select().from(groupBuys).where(eq(groupBuys.id, groupId));
  if (!head || expiryOutcome(head, now) === "NOTHING") return;
  const locked = new Map<string, OrderRow>();
  /** Locks the live seats' orders not locked yet; without `wait`, skips busy ones and returns their seats. */
  const lockMembersOrders = async (wait: boolean) => {
    const members = await tx
      .select({ orderId: groupBuyMembers.orderId, userId: groupBuyMembers.userId, status: groupBuyMembers.status })
      .from(groupBuyMembers)
      .where(and(eq(groupBuyMembers.groupId, groupId), inArray(groupBuyMembers.status, ["RESERVED", "PAID"])))
      .orderBy(asc(groupBuyMembers.orderId));
    const busy: typeof members = [];
    for (const m of members) {
      if (locked.has(m.orderId)) continue;
      const [order] = wait
        ? [await lockOrder(tx, m.orderId)]
        : await tx.select().from(orders).where(eq(orders.id, m.orderId)).for("update", { skipLocked: true });
      if (order) locked.set(order.id, order);
      else if (!wait) busy.push(m);
    }
    return busy;
  };
  await lockMembersOrders(true);
  const [group] = await tx.select().from(groupBuys).where(eq(groupBuys.id, groupId)).for("update");
  if (expiryOutcome(group, now) === "NOTHING") return;
  await tx.update(groupBuys).set({ status: "FAILED", failedAt: now }).where(eq(groupBuys.id, group.id));
  // Someone who took a seat between the first read and the group lock (no one can join a FAILED group).
  const busy = await lockMembersOrders(false);
  if (busy.some((m) => m.status === "PAID")) throw new GroupMemberBusy(`group ${groupId}: a paid seat's order is busy; retrying`);
  const people = new Set<string>(busy.map((m) => m.userId));
  for (const order of locked.values()) {
    people.add(order.userId);
    if (order.status === "PENDING_PAYMENT") {
      await tx.update(orders).set({ status: "CANCELLED", cancelledAt: now, cancelReason: "拼团未成团" }).where(eq(orders.id, order.id));
      await releaseStock(tx, order.id);
    } else if (order.status === "PAID") {
      await refundGroupOrder(tx, order, now);
    }
  }
  const link = await groupLink(tx, group.id);
  await notify(
    tx,
    [...people].map((userId) => ({ userId, kind: "GROUP_FAILED" as const, title: "拼团未成功", body: "到时未成团，已付款项将全额原路退回", link })),
    now,
  );
};
