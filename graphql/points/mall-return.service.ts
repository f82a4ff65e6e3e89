import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { orders, pointsMallItems, pointsRedemptions } from "@/db/schema";

/**
 * A points-mall product order that is called off gives its redemption back: the item's counter goes
 * down by one (someone else may redeem it) and the redemption no longer counts against the person's
 * limit. The points themselves come back through returnSpentPoints. Inside the call-off's
 * transaction, under the order lock, BEFORE any SKU is touched: a redemption locks item → SKU →
 * account, so taking the item after a SKU here could deadlock with one. Idempotent (returned_at).
 */
export async function returnMallRedemption(tx: Db, orderId: string): Promise<void> {
  const [order] = await tx.select({ channel: orders.channel, cancelledAt: orders.cancelledAt }).from(orders).where(eq(orders.id, orderId));
  if (order?.channel !== "POINTS" || !order.cancelledAt) return;
  const [returned] = await tx
    .update(pointsRedemptions)
    .set({ returnedAt: order.cancelledAt })
    .where(and(eq(pointsRedemptions.orderId, orderId), isNull(pointsRedemptions.returnedAt)))
    .returning({ itemId: pointsRedemptions.itemId });
  if (!returned) return;
  await tx
    .update(pointsMallItems)
    .set({ redeemedCount: sql`greatest(${pointsMallItems.redeemedCount} - 1, 0)` })
    .where(eq(pointsMallItems.id, returned.itemId));
}
