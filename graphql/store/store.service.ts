import { and, asc, desc, eq, ilike, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { listingPrices, listings, products, skus, stores } from "@/db/schema";
import { DomainError } from "../core/errors";
import { readEconomics } from "../platform/settings";
import { ListingErrorCode, checkListingPrices } from "./store.rules";

type Ctx = { db: Db; now: Date };
export type ListingRow = typeof listings.$inferSelect;
export type StoreRow = typeof stores.$inferSelect;
export type SkuPriceInput = { skuId: string; retailPrice: number };

/** Every SKU of the product must get exactly one price, and each must leave the required margin. */
async function validatedPrices(db: Db, now: Date, productId: string, prices: SkuPriceInput[]) {
  const productSkus = await db.select().from(skus).where(eq(skus.productId, productId));
  const bySku = new Map(productSkus.map((s) => [s.id, s]));
  const given = new Set<string>();
  for (const [i, p] of prices.entries()) {
    if (!bySku.has(p.skuId) || given.has(p.skuId)) {
      throw new DomainError(ListingErrorCode.UNKNOWN_SKU, "SKU 不属于该商品或重复", `prices.${i}.skuId`);
    }
    given.add(p.skuId);
  }
  const missing = productSkus.find((s) => !given.has(s.id));
  if (missing) throw new DomainError(ListingErrorCode.MISSING_SKU_PRICE, `请为「${missing.label}」设置售价`, "prices");
  const violation = checkListingPrices(
    prices.map((p) => ({ ...p, supplyPrice: bySku.get(p.skuId)!.supplyPrice })),
    await readEconomics(db, now),
  );
  if (violation) throw new DomainError(violation.code, violation.message, violation.field);
  return prices;
}

/** Lists a supplier product in the merchant's store with the merchant's price per SKU. */
export async function listProduct(ctx: Ctx, storeId: string, productId: string, prices: SkuPriceInput[]): Promise<ListingRow> {
  const [product] = await ctx.db
    .select({ id: products.id })
    .from(products)
    .where(and(eq(products.id, productId), eq(products.status, "ACTIVE")));
  if (!product) throw new DomainError(ListingErrorCode.PRODUCT_NOT_FOUND, "商品不存在或已下架", "productId");
  await validatedPrices(ctx.db, ctx.now, productId, prices);
  return ctx.db.transaction(async (tx) => {
    const [listing] = await tx
      .insert(listings)
      .values({ storeId, productId, createdAt: ctx.now })
      .onConflictDoNothing({ target: [listings.storeId, listings.productId] })
      .returning();
    if (!listing) throw new DomainError(ListingErrorCode.ALREADY_LISTED, "该商品已在你的店铺中", "productId");
    await tx.insert(listingPrices).values(prices.map((p) => ({ listingId: listing.id, skuId: p.skuId, retailPrice: p.retailPrice })));
    return listing;
  });
}

async function ownListing(db: Db, storeId: string, listingId: string) {
  const [listing] = await db.select().from(listings).where(and(eq(listings.id, listingId), eq(listings.storeId, storeId)));
  if (!listing) throw new DomainError(ListingErrorCode.LISTING_NOT_FOUND, "商品不存在", "listingId");
  return listing;
}

/** Replaces the listing's prices (all SKUs at once, so no SKU is ever left without a valid price). */
export async function updateListingPrices(ctx: Ctx, storeId: string, listingId: string, prices: SkuPriceInput[]) {
  const listing = await ownListing(ctx.db, storeId, listingId);
  await validatedPrices(ctx.db, ctx.now, listing.productId, prices);
  await ctx.db.transaction(async (tx) => {
    for (const p of prices) {
      await tx
        .insert(listingPrices)
        .values({ listingId, skuId: p.skuId, retailPrice: p.retailPrice })
        .onConflictDoUpdate({ target: [listingPrices.listingId, listingPrices.skuId], set: { retailPrice: p.retailPrice } });
    }
  });
  return listing;
}

export async function setListingStatus(ctx: Ctx, storeId: string, listingId: string, status: "ON_SHELF" | "OFF_SHELF") {
  await ownListing(ctx.db, storeId, listingId);
  const [row] = await ctx.db.update(listings).set({ status }).where(eq(listings.id, listingId)).returning();
  return row;
}

export async function storeListings(db: Db, storeId: string, window: { offset: number; limit: number }) {
  return db
    .select()
    .from(listings)
    .where(eq(listings.storeId, storeId))
    .orderBy(desc(listings.createdAt), asc(listings.id))
    .offset(window.offset)
    .limit(window.limit + 1);
}

export async function storeListing(db: Db, storeId: string, listingId: string) {
  const [row] = await db.select().from(listings).where(and(eq(listings.id, listingId), eq(listings.storeId, storeId)));
  return row ?? null;
}

export async function storeById(db: Db, storeId: string) {
  const [row] = await db.select().from(stores).where(eq(stores.id, storeId));
  return row ?? null;
}

export async function storeBySlug(db: Db, slug: string) {
  if (!/^[a-z0-9-]{2,40}$/.test(slug)) return null;
  const [row] = await db.select().from(stores).where(eq(stores.slug, slug));
  return row ?? null;
}

/** Listings a shopper can see: on shelf, product active. */
export async function shopListings(
  db: Db,
  storeId: string,
  filter: { search?: string | null; category?: string | null },
  window: { offset: number; limit: number },
) {
  const conditions = [eq(listings.storeId, storeId), eq(listings.status, "ON_SHELF"), eq(products.status, "ACTIVE")];
  if (filter.search?.trim()) conditions.push(ilike(products.title, `%${filter.search.trim().replace(/[%_\\]/g, "")}%`));
  if (filter.category?.trim()) conditions.push(eq(products.category, filter.category.trim()));
  const rows = await db
    .select({ listing: listings })
    .from(listings)
    .innerJoin(products, eq(products.id, listings.productId))
    .where(and(...conditions))
    .orderBy(desc(listings.createdAt), asc(listings.id))
    .offset(window.offset)
    .limit(window.limit + 1);
  return rows.map((r) => r.listing);
}

export async function shopListing(db: Db, storeId: string, listingId: string) {
  const [row] = await db
    .select({ listing: listings })
    .from(listings)
    .innerJoin(products, eq(products.id, listings.productId))
    .where(and(eq(listings.id, listingId), eq(listings.storeId, storeId), eq(listings.status, "ON_SHELF"), eq(products.status, "ACTIVE")));
  return row?.listing ?? null;
}

export async function storeCategories(db: Db, storeId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ category: products.category })
    .from(listings)
    .innerJoin(products, eq(products.id, listings.productId))
    .where(and(eq(listings.storeId, storeId), eq(listings.status, "ON_SHELF")))
    .orderBy(products.category);
  return rows.map((r) => r.category);
}

/** Loader batch functions. */
export async function pricesByListingIds(db: Db, ids: readonly string[]) {
  const rows = await db.select().from(listingPrices).where(inArray(listingPrices.listingId, [...ids]));
  return ids.map((id) => new Map(rows.filter((r) => r.listingId === id).map((r) => [r.skuId, r.retailPrice])));
}

export async function listingIdsByStoreProduct(db: Db, keys: readonly string[]) {
  const pairs = keys.map((k) => k.split(":"));
  const storeIds = [...new Set(pairs.map((p) => p[0]))];
  const rows = await db
    .select({ id: listings.id, storeId: listings.storeId, productId: listings.productId })
    .from(listings)
    .where(and(inArray(listings.storeId, storeIds), inArray(listings.productId, pairs.map((p) => p[1]))));
  return pairs.map(([s, p]) => rows.find((r) => r.storeId === s && r.productId === p)?.id ?? null);
}

export async function resellerCountsByProductIds(db: Db, ids: readonly string[]) {
  const rows = await db
    .select({ productId: listings.productId, n: sql<number>`count(*)::int` })
    .from(listings)
    .where(inArray(listings.productId, [...ids]))
    .groupBy(listings.productId);
  return ids.map((id) => Number(rows.find((r) => r.productId === id)?.n ?? 0));
}
