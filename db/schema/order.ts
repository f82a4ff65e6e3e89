import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgEnum, pgTable, smallint, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { id, money, timestamps, tstz } from "./columns";
import { users, suppliers } from "./identity";
import { skus } from "./catalog";
import { listings, stores } from "./store";
import { flashSales } from "./marketing";

export const orderStatusEnum = pgEnum("order_status", [
  "PENDING_PAYMENT",
  "PAID",
  "SHIPPED",
  "COMPLETED",
  "CANCELLED",
]);
export const shipmentStatusEnum = pgEnum("shipment_status", ["AWAITING_SHIPMENT", "SHIPPED", "RECEIVED"]);

/** Consumer addresses; recipient, phone and street detail are encrypted. */
export const addresses = pgTable(
  "addresses",
  {
    id: id(),
    userId: uuid("user_id").notNull().references(() => users.id),
    recipientEnc: text("recipient_enc").notNull(),
    phoneEnc: text("phone_enc").notNull(),
    province: text("province").notNull(),
    city: text("city").notNull(),
    district: text("district").notNull(),
    detailEnc: text("detail_enc").notNull(),
    /** Keyed hashes of the phone and the normalised full address: risk pairs are found without decrypting. */
    phoneIndex: text("phone_index"),
    placeIndex: text("place_index"),
    isDefault: boolean("is_default").notNull().default(false),
    deletedAt: tstz("deleted_at"),
    ...timestamps,
  },
  (t) => [index("addresses_user_idx").on(t.userId), index("addresses_phone_index_idx").on(t.phoneIndex), index("addresses_place_index_idx").on(t.placeIndex)],
);

export const cartItems = pgTable(
  "cart_items",
  {
    id: id(),
    userId: uuid("user_id").notNull().references(() => users.id),
    storeId: uuid("store_id").notNull().references(() => stores.id),
    listingId: uuid("listing_id").notNull().references(() => listings.id),
    skuId: uuid("sku_id").notNull().references(() => skus.id),
    quantity: integer("quantity").notNull(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("cart_items_user_sku_uq").on(t.userId, t.storeId, t.skuId),
    check("cart_items_quantity_range", sql`${t.quantity} between 1 and 99`),
  ],
);

export const orders = pgTable(
  "orders",
  {
    id: id(),
    /** Human order number shown to people and printed on labels. */
    orderNo: text("order_no").notNull(),
    userId: uuid("user_id").notNull().references(() => users.id),
    storeId: uuid("store_id").notNull().references(() => stores.id),
    status: orderStatusEnum("status").notNull(),
    goodsAmount: money("goods_amount").notNull(),
    freightAmount: money("freight_amount").notNull(),
    totalAmount: money("total_amount").notNull(),
    /** Coupon and points discount on the goods (funded by the merchant for store coupons). */
    discountAmount: money("discount_amount").notNull().default(0),
    /** The part of discountAmount the platform funds (platform coupon + points): the merchant is paid as if it were cash. */
    platformDiscountAmount: money("platform_discount_amount").notNull().default(0),
    /** Points spent as part payment on this order (returned if it is called off or refunded). */
    pointsUsed: integer("points_used").notNull().default(0),
    /** The group (拼团) this order holds a seat in; it ships only once the group succeeded. */
    groupBuyId: uuid("group_buy_id"),
    /** The live room the order was placed from (channel LIVE: live-only prices applied). */
    liveId: uuid("live_id"),
    /** Shipping snapshot, encrypted like the address book. */
    shipRecipientEnc: text("ship_recipient_enc").notNull(),
    shipPhoneEnc: text("ship_phone_enc").notNull(),
    shipRegion: text("ship_region").notNull(),
    shipDetailEnc: text("ship_detail_enc").notNull(),
    /** The platform fee rate in force when the order was placed (the payment split uses it). */
    platformFeeBp: integer("platform_fee_bp").notNull(),
    /** Where the price came from: NORMAL (cart/product page), FLASH, GROUP, LIVE or POINTS (points mall); the pricing function's channel. */
    channel: text("channel").notNull().default("NORMAL"),
    idempotencyKey: text("idempotency_key").notNull(),
    /** SHA-256 of the request body that created the order: the same key with another body is refused. */
    requestHash: text("request_hash").notNull(),
    expiresAt: tstz("expires_at").notNull(),
    paidAt: tstz("paid_at"),
    completedAt: tstz("completed_at"),
    /** Received and past the return window without a full refund: counts for 链动2+1 (rule book §1). */
    settledAt: tstz("settled_at"),
    cancelledAt: tstz("cancelled_at"),
    cancelReason: text("cancel_reason"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("orders_order_no_uq").on(t.orderNo),
    uniqueIndex("orders_user_idempotency_uq").on(t.userId, t.idempotencyKey),
    index("orders_user_idx").on(t.userId, t.createdAt),
    index("orders_store_idx").on(t.storeId, t.createdAt),
    index("orders_group_idx").on(t.groupBuyId),
    index("orders_live_idx").on(t.liveId),
    check(
      "orders_amounts",
      sql`${t.totalAmount} = ${t.goodsAmount} + ${t.freightAmount} - ${t.discountAmount} and ${t.goodsAmount} >= 0 and ${t.freightAmount} >= 0 and ${t.discountAmount} between 0 and ${t.goodsAmount} and ${t.platformDiscountAmount} between 0 and ${t.discountAmount} and ${t.pointsUsed} >= 0`,
    ),
  ],
);

export const shipments = pgTable(
  "shipments",
  {
    id: id(),
    orderId: uuid("order_id").notNull().references(() => orders.id),
    supplierId: uuid("supplier_id").notNull().references(() => suppliers.id),
    status: shipmentStatusEnum("status").notNull(),
    freightAmount: money("freight_amount").notNull(),
    carrier: text("carrier"),
    trackingNo: text("tracking_no"),
    shippedAt: tstz("shipped_at"),
    receivedAt: tstz("received_at"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("shipments_order_supplier_uq").on(t.orderId, t.supplierId),
    index("shipments_supplier_idx").on(t.supplierId, t.status, t.createdAt),
  ],
);

/** Snapshot of what was bought, at which prices; supply price is kept for the payable split. */
export const orderLines = pgTable(
  "order_lines",
  {
    id: id(),
    orderId: uuid("order_id").notNull().references(() => orders.id),
    shipmentId: uuid("shipment_id").references(() => shipments.id),
    supplierId: uuid("supplier_id").notNull().references(() => suppliers.id),
    listingId: uuid("listing_id").notNull().references(() => listings.id),
    skuId: uuid("sku_id").notNull().references(() => skus.id),
    productTitle: text("product_title").notNull(),
    skuLabel: text("sku_label").notNull(),
    imageKey: text("image_key"),
    quantity: integer("quantity").notNull(),
    unitPrice: money("unit_price").notNull(),
    unitSupplyPrice: money("unit_supply_price").notNull(),
    /** What the consumer actually paid for this line (after discounts): the reward base. */
    paidAmount: money("paid_amount").notNull(),
    /** The coupon discount allocated to this line (largest remainder): paid = unit price × quantity − discount. */
    discountAmount: money("discount_amount").notNull().default(0),
    /** The part of discountAmount the platform funds (platform coupon + points). */
    platformDiscountAmount: money("platform_discount_amount").notNull().default(0),
    /** Refunded so far; rewards keep ⌊original × (paid − refunded) ÷ paid⌋. */
    refundedAmount: money("refunded_amount").notNull().default(0),
    lineNo: integer("line_no").notNull(),
    /** The flash sale this line was bought in, and the stock segment its units came from (released back there). */
    flashSaleId: uuid("flash_sale_id").references(() => flashSales.id),
    flashSegment: smallint("flash_segment"),
  },
  (t) => [
    index("order_lines_order_idx").on(t.orderId),
    index("order_lines_shipment_idx").on(t.shipmentId),
    check("order_lines_quantity_positive", sql`${t.quantity} > 0`),
    check("order_lines_refund_within_paid", sql`${t.refundedAmount} between 0 and ${t.paidAmount}`),
    check("order_lines_platform_discount", sql`${t.platformDiscountAmount} between 0 and ${t.discountAmount}`),
  ],
);
