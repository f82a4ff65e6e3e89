import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { groupBuyMembers, groupBuys } from "@/db/schema";

/**
 * The seat side of an order leaving its group, called from releaseStock inside the cancelling or
 * refunding transaction (which holds the order lock; the group row is taken after it, the same
 * order a payment takes). An unpaid seat (RESERVED) is RELEASED and the group gets the seat back,
 * so someone else can take it; a paid seat refunded in full becomes REFUNDED (the group's counters
 * keep its history). An order without a seat changes nothing.
 */
export async function releaseGroupSeat(tx: Db, orderId: string): Promise<void> {
  const [member] = await tx
    .select()
    .from(groupBuyMembers)
    .where(and(eq(groupBuyMembers.orderId, orderId), inArray(groupBuyMembers.status, ["RESERVED", "PAID"])))
    .for("update");
  if (!member) return;
  if (member.status === "PAID") {
    await tx.update(groupBuyMembers).set({ status: "REFUNDED" }).where(eq(groupBuyMembers.id, member.id));
    return;
  }
  await tx.update(groupBuyMembers).set({ status: "RELEASED" }).where(eq(groupBuyMembers.id, member.id));
  await tx
    .update(groupBuys)
    .set({ seatsTaken: sql`${groupBuys.seatsTaken} - 1` })
    .where(and(eq(groupBuys.id, member.groupId), sql`${groupBuys.seatsTaken} > ${groupBuys.paidCount}`));
}

/**
 * True when a paid order of a group must not ship yet: its group has not succeeded. (A group that
 * failed refunds its orders; one still open may yet fail.)
 */
export async function heldByGroup(tx: Db, order: { groupBuyId: string | null }): Promise<boolean> {
  if (!order.groupBuyId) return false;
  const [group] = await tx.select({ status: groupBuys.status }).from(groupBuys).where(eq(groupBuys.id, order.groupBuyId));
  return !!group && group.status !== "SUCCEEDED";
}
