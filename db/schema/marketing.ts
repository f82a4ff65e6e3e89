import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, primaryKey, smallint, text, uuid } from "drizzle-orm/pg-core";
import { id, money, timestamps, tstz } from "./columns";
import { users } from "./identity";
import { skus } from "./catalog";
import { listings, stores } from "./store";

/**
 * A flash sale (秒杀): one SKU of a store's listing at a special price, for a window, with its own
 * stock carved out of the SKU's at creation — so the flash checkout never touches the SKU's row,
 * and regular sales can never sell the units reserved for it.
 */
export const flashSales = pgTable(
  "flash_sales",
  {
    id: id(),
    storeId: uuid("store_id").notNull().references(() => stores.id),
    listingId: uuid("listing_id").notNull().references(() => listings.id),
    skuId: uuid("sku_id").notNull().references(() => skus.id),
    flashPrice: money("flash_price").notNull(),
    totalStock: integer("total_stock").notNull(),
    perUserLimit: integer("per_user_limit").notNull(),
    startsAt: tstz("starts_at").notNull(),
    endsAt: tstz("ends_at").notNull(),
    /** Set when every segment is empty: later buyers get SOLD_OUT without touching a segment. Cleared when stock comes back. */
    soldOutAt: tstz("sold_out_at"),
    /** Set when the window closed (or the merchant cancelled): what is left went back to the SKU. */
    closedAt: tstz("closed_at"),
    closeReason: text("close_reason"),
    createdBy: uuid("created_by").references(() => users.id),
    ...timestamps,
  },
  (t) => [
    index("flash_sales_store_idx").on(t.storeId, t.startsAt),
    index("flash_sales_sku_idx").on(t.skuId, t.endsAt),
    check("flash_sales_numbers", sql`${t.flashPrice} > 0 and ${t.totalStock} > 0 and ${t.perUserLimit} between 1 and 99 and ${t.endsAt} > ${t.startsAt}`),
  ],
);

/**
 * The flash stock, split into segments: concurrent buyers decrement different rows instead of
 * queueing on one (a single hot row collapses under 64 clients). Σ segments = stock not yet
 * reserved; a row never goes below zero.
 */
export const flashStockSegments = pgTable(
  "flash_stock_segments",
  {
    flashSaleId: uuid("flash_sale_id").notNull().references(() => flashSales.id),
    segmentNo: smallint("segment_no").notNull(),
    stock: integer("stock").notNull(),
  },
  (t) => [primaryKey({ columns: [t.flashSaleId, t.segmentNo] }), check("flash_stock_segments_stock", sql`${t.stock} >= 0`)],
);

/** Units each person holds in a flash sale (unpaid and paid orders): the per-user limit, per row of its own. */
export const flashPurchases = pgTable(
  "flash_purchases",
  {
    flashSaleId: uuid("flash_sale_id").notNull().references(() => flashSales.id),
    userId: uuid("user_id").notNull().references(() => users.id),
    quantity: integer("quantity").notNull(),
  },
  (t) => [primaryKey({ columns: [t.flashSaleId, t.userId] }), check("flash_purchases_quantity", sql`${t.quantity} >= 0`)],
);
