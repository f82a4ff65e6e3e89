import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { cartItems, listingPrices, listings, products, skus, stores } from "@/db/schema";
import { DomainError } from "../core/errors";
import { MAX_QUANTITY_PER_ITEM } from "./order.rules";

type Ctx = { db: Db; now: Date };

export const CartErrorCode = {
  PRODUCT_UNAVAILABLE: "PRODUCT_UNAVAILABLE",
  INVALID_QUANTITY: "INVALID_QUANTITY",
  CART_FULL: "CART_FULL",
} as const;

const MAX_CART_LINES = 50;

function checkQuantity(quantity: number) {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY_PER_ITEM) {
    throw new DomainError(CartErrorCode.INVALID_QUANTITY, `数量需在 1 到 ${MAX_QUANTITY_PER_ITEM} 之间`, "quantity");
  }
}

/** Adds a SKU of a store's on-shelf listing to the cart (quantities add up, capped at 99). */
export async function addToCart(ctx: Ctx, userId: string, input: { storeSlug: string; skuId: string; quantity: number }) {
  checkQuantity(input.quantity);
  const [offer] = await ctx.db
    .select({ storeId: stores.id, listingId: listings.id })
    .from(skus)
    .innerJoin(products, eq(products.id, skus.productId))
    .innerJoin(listings, eq(listings.productId, products.id))
    .innerJoin(stores, eq(stores.id, listings.storeId))
    .innerJoin(listingPrices, and(eq(listingPrices.listingId, listings.id), eq(listingPrices.skuId, skus.id)))
    .where(and(eq(skus.id, input.skuId), eq(stores.slug, input.storeSlug), eq(listings.status, "ON_SHELF"), eq(products.status, "ACTIVE")));
  if (!offer) throw new DomainError(CartErrorCode.PRODUCT_UNAVAILABLE, "商品已下架或不存在", "skuId");
  const [{ n }] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(cartItems)
    .where(and(eq(cartItems.userId, userId), eq(cartItems.storeId, offer.storeId)));
  if (Number(n) >= MAX_CART_LINES) throw new DomainError(CartErrorCode.CART_FULL, "购物车已满", null);
  await ctx.db
    .insert(cartItems)
    .values({ userId, storeId: offer.storeId, listingId: offer.listingId, skuId: input.skuId, quantity: input.quantity, createdAt: ctx.now })
    .onConflictDoUpdate({
      target: [cartItems.userId, cartItems.storeId, cartItems.skuId],
      set: { quantity: sql`least(${cartItems.quantity} + ${input.quantity}, ${MAX_QUANTITY_PER_ITEM})` },
    });
  return offer.storeId;
}

/** Sets the quantity of a cart line; 0 removes it. */
export async function setCartQuantity(ctx: Ctx, userId: string, input: { itemId: string; quantity: number }) {
  if (input.quantity === 0) {
    await ctx.db.delete(cartItems).where(and(eq(cartItems.id, input.itemId), eq(cartItems.userId, userId)));
    return;
  }
  checkQuantity(input.quantity);
  await ctx.db.update(cartItems).set({ quantity: input.quantity }).where(and(eq(cartItems.id, input.itemId), eq(cartItems.userId, userId)));
}

export async function cartLines(db: Db, userId: string, storeId: string) {
  return db
    .select({
      id: cartItems.id,
      quantity: cartItems.quantity,
      skuId: cartItems.skuId,
      listingId: cartItems.listingId,
      label: skus.label,
      stock: skus.stock,
      title: products.title,
      imageKeys: products.imageKeys,
      price: listingPrices.retailPrice,
      available: sql<boolean>`${listings.status} = 'ON_SHELF' and ${products.status} = 'ACTIVE'`,
    })
    .from(cartItems)
    .innerJoin(skus, eq(skus.id, cartItems.skuId))
    .innerJoin(products, eq(products.id, skus.productId))
    .innerJoin(listings, eq(listings.id, cartItems.listingId))
    .leftJoin(listingPrices, and(eq(listingPrices.listingId, listings.id), eq(listingPrices.skuId, skus.id)))
    .where(and(eq(cartItems.userId, userId), eq(cartItems.storeId, storeId)))
    .orderBy(asc(cartItems.createdAt));
}
