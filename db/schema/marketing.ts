import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgEnum, pgTable, primaryKey, smallint, text, uuid } from "drizzle-orm/pg-core";
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

export const couponIssuerEnum = pgEnum("coupon_issuer", ["STORE", "PLATFORM"]);
export const couponKindEnum = pgEnum("coupon_kind", ["THRESHOLD", "PERCENT", "NO_THRESHOLD"]);
export const userCouponStatusEnum = pgEnum("user_coupon_status", ["AVAILABLE", "USED"]);

/**
 * A coupon (优惠券) as issued: who funds it, its kind and scope, when it can be claimed and used,
 * how many exist and how many one person may hold. `claimedCount` never passes `totalQuantity`
 * (a conditional UPDATE, backed by the CHECK).
 */
export const coupons = pgTable(
  "coupons",
  {
    id: id(),
    issuer: couponIssuerEnum("issuer").notNull(),
    storeId: uuid("store_id").references(() => stores.id),
    title: text("title").notNull(),
    kind: couponKindEnum("kind").notNull(),
    thresholdFen: money("threshold_fen").notNull().default(0),
    amountFen: money("amount_fen").notNull().default(0),
    percentBp: integer("percent_bp").notNull().default(0),
    capFen: money("cap_fen"),
    /** null: every product of the store; otherwise only these products. */
    productIds: jsonb("product_ids").$type<string[] | null>(),
    claimStartsAt: tstz("claim_starts_at").notNull(),
    claimEndsAt: tstz("claim_ends_at").notNull(),
    usableUntil: tstz("usable_until").notNull(),
    totalQuantity: integer("total_quantity").notNull(),
    claimedCount: integer("claimed_count").notNull().default(0),
    perUserLimit: integer("per_user_limit").notNull(),
    /** Given to each new person who registers through an invite into this store (邀请有礼). */
    welcome: boolean("welcome").notNull().default(false),
    /**
     * A live-only coupon: claimable only in this live's room while it is live (source LIVE), or —
     * when a live task names it — only as that task's reward (source TASK). Never in the coupon centre.
     */
    liveId: uuid("live_id"),
    disabledAt: tstz("disabled_at"),
    createdBy: uuid("created_by").references(() => users.id),
    ...timestamps,
  },
  (t) => [
    index("coupons_store_idx").on(t.storeId, t.claimEndsAt),
    check("coupons_quantity", sql`${t.claimedCount} between 0 and ${t.totalQuantity} and ${t.perUserLimit} between 1 and 10`),
    check("coupons_store_issuer", sql`(${t.issuer} = 'STORE') = (${t.storeId} is not null)`),
    check(
      "coupons_values",
      sql`${t.thresholdFen} >= 0 and ${t.amountFen} >= 0 and ${t.percentBp} between 0 and 9900 and (${t.capFen} is null or ${t.capFen} > 0) and ${t.claimEndsAt} > ${t.claimStartsAt} and ${t.usableUntil} >= ${t.claimEndsAt}`,
    ),
  ],
);

/** How many of a coupon each person has claimed: the per-person limit, on a row of its own. */
export const couponClaims = pgTable(
  "coupon_claims",
  {
    couponId: uuid("coupon_id").notNull().references(() => coupons.id),
    userId: uuid("user_id").notNull().references(() => users.id),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.couponId, t.userId] })],
);

/** A coupon a person holds; USED while an order (unpaid or paid) carries it, AVAILABLE again if that order is called off. */
export const userCoupons = pgTable(
  "user_coupons",
  {
    id: id(),
    couponId: uuid("coupon_id").notNull().references(() => coupons.id),
    userId: uuid("user_id").notNull().references(() => users.id),
    status: userCouponStatusEnum("status").notNull().default("AVAILABLE"),
    orderId: uuid("order_id"),
    /** Where it was claimed: CENTRE, PRODUCT, LIVE, TASK, WELCOME. */
    source: text("source").notNull(),
    usedAt: tstz("used_at"),
    ...timestamps,
  },
  (t) => [index("user_coupons_user_idx").on(t.userId, t.status), index("user_coupons_order_idx").on(t.orderId)],
);
