import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { flashSales, listingPrices, products, skus, stores } from "@/db/schema";

type Window = { offset: number; limit: number };

/** A sale with what a page shows about it: product, SKU label, image and the store's list price. */
function withProduct(db: Db) {
  return db
    .select({ sale: flashSales, title: products.title, productId: products.id, imageKeys: products.imageKeys, skuLabel: skus.label, listPrice: listingPrices.retailPrice })
    .from(flashSales)
    .innerJoin(skus, eq(skus.id, flashSales.skuId))
    .innerJoin(products, eq(products.id, skus.productId))
    .innerJoin(listingPrices, and(eq(listingPrices.listingId, flashSales.listingId), eq(listingPrices.skuId, flashSales.skuId)));
}

export type FlashSaleView = Awaited<ReturnType<typeof merchantFlashSales>>[number];

export function merchantFlashSales(db: Db, storeId: string, window: Window) {
  return withProduct(db).where(eq(flashSales.storeId, storeId)).orderBy(desc(flashSales.startsAt), desc(flashSales.id)).offset(window.offset).limit(window.limit + 1);
}

/** A store's flash venue: sales not over yet, the running ones first, then by start. */
export async function shopFlashSales(db: Db, storeSlug: string, now: Date) {
  const [store] = await db.select({ id: stores.id }).from(stores).where(eq(stores.slug, storeSlug));
  if (!store) return null;
  return withProduct(db)
    .where(and(eq(flashSales.storeId, store.id), isNull(flashSales.closedAt), gt(flashSales.endsAt, now)))
    .orderBy(flashSales.startsAt, flashSales.id)
    .limit(50);
}

export async function flashSaleView(db: Db, id: string) {
  const [row] = await withProduct(db).where(eq(flashSales.id, id));
  return row ?? null;
}

/** Units not yet taken, per sale: the 16 segment rows of each, summed (never the order tables). */
export async function remainingUnits(db: Db, saleIds: string[]): Promise<Map<string, number>> {
  if (!saleIds.length) return new Map();
  const rows = rowsOf<{ id: string; remaining: number }>(
    await db.execute(sql`
      select flash_sale_id as id, sum(stock)::int as remaining from flash_stock_segments
      where flash_sale_id in (${sql.join(saleIds.map((id) => sql`${id}::uuid`), sql`, `)}) group by flash_sale_id`),
  );
  return new Map(rows.map((r) => [r.id, Number(r.remaining)]));
}
