import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { flashPurchases, flashSales, flashStockSegments, skus } from "@/db/schema";
import { soldOutCache } from "./sold-out-cache";

/**
 * An unpaid flash order was cancelled or expired: its units go back to the segment they came from
 * (or to the SKU when the sale has closed), the person's count goes down, and a sold-out flag is
 * lifted. Called from releaseStock inside the cancelling transaction.
 *
 * Locks, in the buyers' own order so that a release never waits in a circle with someone buying at
 * that moment: the sale row FOR NO KEY UPDATE (it keeps releases, the close and the sold-out flag
 * apart, and — unlike FOR UPDATE — lets buyers' foreign-key checks on the sale row through: a buyer
 * holding a segment goes on to insert its order line, which needs one), then the person's count,
 * then the segment.
 */
export async function releaseFlashUnits(tx: Db, userId: string, line: { flashSaleId: string; flashSegment: number | null; skuId: string; quantity: number }) {
  const [sale] = await tx.select().from(flashSales).where(eq(flashSales.id, line.flashSaleId)).for("no key update");
  await tx
    .update(flashPurchases)
    .set({ quantity: sql`greatest(${flashPurchases.quantity} - ${line.quantity}, 0)` })
    .where(and(eq(flashPurchases.flashSaleId, sale.id), eq(flashPurchases.userId, userId)));
  if (sale.closedAt) {
    await tx.update(skus).set({ stock: sql`${skus.stock} + ${line.quantity}` }).where(eq(skus.id, line.skuId));
  } else {
    await tx
      .update(flashStockSegments)
      .set({ stock: sql`${flashStockSegments.stock} + ${line.quantity}` })
      .where(and(eq(flashStockSegments.flashSaleId, sale.id), eq(flashStockSegments.segmentNo, line.flashSegment ?? 0)));
    if (sale.soldOutAt) await tx.update(flashSales).set({ soldOutAt: null }).where(eq(flashSales.id, sale.id));
    soldOutCache.forget(sale.id);
  }
}
