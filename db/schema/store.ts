import { sql } from "drizzle-orm";
import { check, index, pgEnum, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { id, money, timestamps } from "./columns";
import { users } from "./identity";
import { products, skus } from "./catalog";

export const listingStatusEnum = pgEnum("listing_status", ["ON_SHELF", "OFF_SHELF"]);

/** A merchant's store (小B). The slug is its public address: /s/<slug>. */
export const stores = pgTable(
  "stores",
  {
    id: id(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    ownerUserId: uuid("owner_user_id").notNull().references(() => users.id),
    tagline: text("tagline").notNull().default(""),
    ...timestamps,
  },
  (t) => [uniqueIndex("stores_slug_uq").on(t.slug), uniqueIndex("stores_owner_uq").on(t.ownerUserId)],
);

/** A supplier product resold in a store; the supplier ships. */
export const listings = pgTable(
  "listings",
  {
    id: id(),
    storeId: uuid("store_id").notNull().references(() => stores.id),
    productId: uuid("product_id").notNull().references(() => products.id),
    status: listingStatusEnum("status").notNull().default("ON_SHELF"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("listings_store_product_uq").on(t.storeId, t.productId),
    index("listings_store_idx").on(t.storeId, t.status, t.createdAt),
  ],
);

/** The merchant's own retail price per SKU. */
export const listingPrices = pgTable(
  "listing_prices",
  {
    listingId: uuid("listing_id").notNull().references(() => listings.id),
    skuId: uuid("sku_id").notNull().references(() => skus.id),
    retailPrice: money("retail_price").notNull(),
  },
  (t) => [primaryKey({ columns: [t.listingId, t.skuId] }), check("listing_prices_positive", sql`${t.retailPrice} > 0`)],
);
