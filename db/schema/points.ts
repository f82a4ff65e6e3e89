import { sql } from "drizzle-orm";
import { check, index, integer, pgEnum, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { id, timestamps, tstz } from "./columns";
import { users } from "./identity";
import { coupons } from "./marketing";
import { skus } from "./catalog";
import { listings, stores } from "./store";

/**
 * A person's points (积分) balance: a cache of Σ points_entries for the person, kept in the same
 * transaction as every entry and locked FOR UPDATE while one is written (so two spends cannot both
 * pass the balance check). Never negative. `expiredThrough` is the sum of earnings whose expiry has
 * been processed (FIFO expiry: see graphql/points/points.rules.ts).
 */
export const pointsAccounts = pgTable(
  "points_accounts",
  {
    userId: uuid("user_id").primaryKey().references(() => users.id),
    balance: integer("balance").notNull().default(0),
    /** Σ earnings (EARN) whose expiry date has been processed by the expiry job. */
    expiredThrough: integer("expired_through").notNull().default(0),
    ...timestamps,
  },
  (t) => [check("points_accounts_balance", sql`${t.balance} >= 0 and ${t.expiredThrough} >= 0`)],
);

/**
 * The append-only points ledger: every change of a balance is one signed entry (the database refuses
 * UPDATE and DELETE). Kinds: EARN (a settled order), EARN_REVERSAL (a refund after settlement),
 * SPEND (part payment at checkout), SPEND_RETURN (that order called off or refunded), EXPIRE,
 * REDEEM (points mall), ADJUST (operator). `(kind, reference)` is unique: each business event is
 * written once, so jobs and callbacks can be retried.
 */
export const pointsEntries = pgTable(
  "points_entries",
  {
    id: id(),
    userId: uuid("user_id").notNull().references(() => users.id),
    kind: text("kind").notNull(),
    amount: integer("amount").notNull(),
    reference: text("reference").notNull(),
    orderId: uuid("order_id"),
    /** For EARN entries: when these points expire. */
    expiresAt: tstz("expires_at"),
    memo: text("memo").notNull().default(""),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("points_entries_ref_uq").on(t.kind, t.reference),
    index("points_entries_user_idx").on(t.userId, t.createdAt),
    index("points_entries_expiry_idx").on(t.expiresAt),
    check("points_entries_amount", sql`${t.amount} <> 0`),
  ],
);

export const pointsMallKindEnum = pgEnum("points_mall_kind", ["COUPON", "PRODUCT"]);

/** Something the points mall offers: a platform coupon, or a product (a SKU of a store's listing) shipped like an order. */
export const pointsMallItems = pgTable(
  "points_mall_items",
  {
    id: id(),
    kind: pointsMallKindEnum("kind").notNull(),
    title: text("title").notNull(),
    pointsCost: integer("points_cost").notNull(),
    couponId: uuid("coupon_id").references(() => coupons.id),
    storeId: uuid("store_id").references(() => stores.id),
    listingId: uuid("listing_id").references(() => listings.id),
    skuId: uuid("sku_id").references(() => skus.id),
    totalQuantity: integer("total_quantity").notNull(),
    redeemedCount: integer("redeemed_count").notNull().default(0),
    perUserLimit: integer("per_user_limit").notNull(),
    startsAt: tstz("starts_at").notNull(),
    endsAt: tstz("ends_at").notNull(),
    disabledAt: tstz("disabled_at"),
    createdBy: uuid("created_by").references(() => users.id),
    ...timestamps,
  },
  (t) => [
    check("points_mall_items_numbers", sql`${t.pointsCost} > 0 and ${t.redeemedCount} between 0 and ${t.totalQuantity} and ${t.perUserLimit} between 1 and 99 and ${t.endsAt} > ${t.startsAt}`),
    check("points_mall_items_target", sql`(${t.kind} = 'COUPON') = (${t.couponId} is not null) and (${t.kind} = 'PRODUCT') = (${t.skuId} is not null and ${t.listingId} is not null and ${t.storeId} is not null)`),
  ],
);

/** One redemption in the points mall: what it cost and what it produced (a coupon held or an order). */
export const pointsRedemptions = pgTable(
  "points_redemptions",
  {
    id: id(),
    itemId: uuid("item_id").notNull().references(() => pointsMallItems.id),
    userId: uuid("user_id").notNull().references(() => users.id),
    points: integer("points").notNull(),
    userCouponId: uuid("user_coupon_id"),
    orderId: uuid("order_id"),
    idempotencyKey: text("idempotency_key").notNull(),
    /** Set when the redemption's free order was called off: the item's counter and the person's count got it back. */
    returnedAt: tstz("returned_at"),
    ...timestamps,
  },
  (t) => [uniqueIndex("points_redemptions_key_uq").on(t.userId, t.idempotencyKey), index("points_redemptions_item_user_idx").on(t.itemId, t.userId)],
);
