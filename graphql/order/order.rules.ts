import { randomInt } from "node:crypto";
import { bpFloor } from "../platform/money";
import { priceOrder, type AppliedCoupon, type CandidateCoupon, type PointsInput, type PriceChannel, type PricingError, type RejectedCoupon } from "../marketing/pricing.rules";

export const CheckoutErrorCode = {
  INVALID_ITEMS: "INVALID_ITEMS",
  INVALID_QUANTITY: "INVALID_QUANTITY",
  PRODUCT_UNAVAILABLE: "PRODUCT_UNAVAILABLE",
  SOLD_OUT: "SOLD_OUT",
  ADDRESS_NOT_FOUND: "ADDRESS_NOT_FOUND",
  INVALID_IDEMPOTENCY_KEY: "INVALID_IDEMPOTENCY_KEY",
  IDEMPOTENCY_KEY_REUSED: "IDEMPOTENCY_KEY_REUSED",
  PRICE_CHANGED: "PRICE_CHANGED",
  COUPON_NOT_FOUND: "COUPON_NOT_FOUND",
  COUPON_CONFLICT: "COUPON_CONFLICT",
  COUPON_NOT_APPLICABLE: "COUPON_NOT_APPLICABLE",
  /** A coupon was used by another order of the same person at the same moment. */
  COUPON_NOT_AVAILABLE: "COUPON_NOT_AVAILABLE",
  INVALID_POINTS: "INVALID_POINTS",
  /** The points balance changed between pricing and placing the order (e.g. two orders at once). */
  INSUFFICIENT_POINTS: "INSUFFICIENT_POINTS",
  /** Ordered from a live room that is not live (ended, or not started): its live prices no longer apply. */
  LIVE_NOT_LIVE: "LIVE_NOT_LIVE",
  /** A live price's per-person limit. */
  LIMIT_EXCEEDED: "LIMIT_EXCEEDED",
} as const;

export const OrderErrorCode = {
  ORDER_NOT_FOUND: "ORDER_NOT_FOUND",
  INVALID_STATE: "INVALID_STATE",
  INVALID_TRACKING: "INVALID_TRACKING",
} as const;

export const MAX_ITEMS_PER_ORDER = 50;
export const MAX_QUANTITY_PER_ITEM = 99;
export const PAYMENT_WINDOW_MS = 15 * 60_000;
export const AUTO_RECEIVE_MS = 10 * 86_400_000;
/** Free shipping per shipment from ¥99 of goods; otherwise ¥10. */
export const FREE_FREIGHT_FROM = 9_900;
export const FLAT_FREIGHT = 1_000;

export type PricedLineInput = {
  skuId: string;
  /** What a coupon's product scope matches (defaults to the SKU id). */
  productId?: string;
  supplierId: string;
  /** The store's list price. */
  unitPrice: number;
  unitSupplyPrice: number;
  quantity: number;
  /** The flash-sale price, when the order is placed in a running flash sale (channel FLASH). */
  flashPrice?: number | null;
  /** The group-buy price, when the order opens or joins a group (channel GROUP). */
  groupPrice?: number | null;
  /** The live-only price, when the order is placed from a live room while it is live (channel LIVE). */
  livePrice?: number | null;
};
export type PricedLine = Omit<PricedLineInput, "flashPrice" | "groupPrice" | "livePrice" | "productId"> & {
  listUnitPrice: number;
  amount: number;
  /** Coupons + points taken off this line. */
  discountAmount: number;
  /** The part of discountAmount the platform funds (platform coupon + points). */
  platformDiscountAmount: number;
  paidAmount: number;
};
export type ShipmentQuote = { supplierId: string; goods: number; freight: number };
export type OrderQuote = {
  lines: PricedLine[];
  shipments: ShipmentQuote[];
  goods: number;
  freight: number;
  discount: number;
  /** The platform-funded part of the discount (platform coupon + points). */
  platformDiscount: number;
  /** Points spent on this order, and the most it could use with this coupon selection. */
  pointsUsed: number;
  pointsMaxUsable: number;
  total: number;
  /** The coupons applied (user-coupon ids) with their discount, and why the others would not apply. */
  appliedCoupons: AppliedCoupon[];
  rejectedCoupons: RejectedCoupon[];
};

export function freightFor(goods: number): number {
  return goods >= FREE_FREIGHT_FROM ? 0 : FLAT_FREIGHT;
}

/**
 * Prices an order through the one pricing function (graphql/marketing/pricing.rules.ts): the
 * channel's special price, coupons (the given selection, or the best one when `selected` is null),
 * line amounts with their share of the discount, one shipment per supplier (in first-seen order)
 * with its freight, and totals. A selection the rules refuse is returned as the pricing error.
 */
export function quoteOrderWithCoupons(
  lines: PricedLineInput[],
  channel: PriceChannel = "NORMAL",
  coupons: { candidates: CandidateCoupon[]; selected: string[] | null } = { candidates: [], selected: [] },
  points: PointsInput | null = null,
): { ok: true; quote: OrderQuote } | { ok: false; error: PricingError } {
  const result = priceOrder({
    channel,
    lines: lines.map((l) => ({
      key: l.skuId,
      productId: l.productId ?? l.skuId,
      shipmentKey: l.supplierId,
      listUnitPrice: l.unitPrice,
      quantity: l.quantity,
      flashPrice: l.flashPrice ?? null,
      groupPrice: l.groupPrice ?? null,
      livePrice: l.livePrice ?? null,
    })),
    coupons: coupons.candidates,
    selectedCouponIds: coupons.selected,
    points,
    freight: { flatFen: FLAT_FREIGHT, freeFromFen: FREE_FREIGHT_FROM },
  });
  if (!result.ok) return result;
  const { price } = result;
  const priced = lines.map((l, i) => {
    const p = price.lines[i];
    return {
      skuId: l.skuId,
      supplierId: l.supplierId,
      unitSupplyPrice: l.unitSupplyPrice,
      quantity: l.quantity,
      listUnitPrice: l.unitPrice,
      unitPrice: p.unitPrice,
      amount: p.amount,
      discountAmount: p.couponDiscount + p.pointsDiscount,
      platformDiscountAmount: p.platformCouponDiscount + p.pointsDiscount,
      paidAmount: p.paid,
    };
  });
  const shipments = price.shipments.map((s) => ({ supplierId: s.shipmentKey, goods: s.goods, freight: s.freight }));
  const t = price.totals;
  return {
    ok: true,
    quote: {
      lines: priced,
      shipments,
      goods: t.goods,
      freight: t.freight,
      discount: t.couponDiscount + t.pointsDiscount,
      platformDiscount: t.platformCouponDiscount + t.pointsDiscount,
      pointsUsed: t.pointsUsed,
      pointsMaxUsable: price.pointsMaxUsable,
      total: t.total,
      appliedCoupons: price.appliedCoupons,
      rejectedCoupons: price.rejectedCoupons,
    },
  };
}

/** An order priced without coupons (which the rules cannot refuse). */
export function quoteOrder(lines: PricedLineInput[], channel: PriceChannel = "NORMAL"): OrderQuote {
  const r = quoteOrderWithCoupons(lines, channel);
  if (!r.ok) throw new Error(`pricing refused an order without coupons: ${r.error.code}`);
  return r.quote;
}

export type CheckoutItem = { skuId: string; quantity: number };

/** Structural checks on checkout items; returns an error code and message, or null. */
export function checkItems(items: CheckoutItem[]): { code: keyof typeof CheckoutErrorCode; message: string; field: string } | null {
  if (items.length < 1 || items.length > MAX_ITEMS_PER_ORDER) {
    return { code: "INVALID_ITEMS", message: `一次最多购买 ${MAX_ITEMS_PER_ORDER} 种商品`, field: "items" };
  }
  const seen = new Set<string>();
  for (const [i, item] of items.entries()) {
    if (seen.has(item.skuId)) return { code: "INVALID_ITEMS", message: "同一规格请合并数量", field: `items.${i}.skuId` };
    seen.add(item.skuId);
    if (!Number.isInteger(item.quantity) || item.quantity < 1 || item.quantity > MAX_QUANTITY_PER_ITEM) {
      return { code: "INVALID_QUANTITY", message: `数量需在 1 到 ${MAX_QUANTITY_PER_ITEM} 之间`, field: `items.${i}.quantity` };
    }
  }
  return null;
}

export function isValidIdempotencyKey(key: string): boolean {
  return /^[A-Za-z0-9_-]{8,64}$/.test(key);
}

/**
 * LB + yyMMddHHmmss (Asia/Shanghai) + 10 random digits. Six digits were not enough: at 100 orders
 * a second two orders drew the same number every few minutes (the unique index refused the second
 * buyer); with ten, a collision needs ~10^5 orders within one second.
 */
export function newOrderNo(now: Date): string {
  const cst = new Date(now.getTime() + 8 * 3_600_000).toISOString().replace(/\D/g, "").slice(2, 14);
  return `LB${cst}${String(randomInt(0, 10_000_000_000)).padStart(10, "0")}`;
}

/**
 * The ledger split of a paid order: the payment lands in the provider clearing account and is owed
 * to the supplier (supply cost + its shipment's freight), the platform (fee on the goods), the
 * referrers (commissions) and the merchant (the rest). A platform-funded discount (platform coupon,
 * points) is a platform marketing expense: the merchant, supplier and fee are settled on the line's
 * gross = paid + platform discount, as if the consumer had paid it in cash. Signed fen: debit
 * positive, credit negative; the postings always sum to zero.
 */
export type SplitLine = { supplierId: string; paidAmount: number; platformDiscountAmount?: number; unitSupplyPrice: number; quantity: number; commissions?: number };
export type Posting = { account: string; amount: number };
/** The platform's marketing expense account: platform coupons and points spent as part payment. */
export const MARKETING_SUBSIDY_ACCOUNT = "platform:marketing_subsidy";

export function splitPayment(input: {
  provider: string;
  storeId: string;
  feeBp: number;
  lines: SplitLine[];
  shipments: { supplierId: string; freight: number }[];
}): Posting[] {
  const supplier = new Map<string, number>();
  let fee = 0;
  let commissions = 0;
  let merchant = 0;
  let subsidy = 0;
  for (const l of input.lines) {
    const lineSubsidy = l.platformDiscountAmount ?? 0;
    const gross = l.paidAmount + lineSubsidy;
    const cost = l.unitSupplyPrice * l.quantity;
    const lineFee = bpFloor(gross, input.feeBp);
    const lineCommissions = l.commissions ?? 0;
    supplier.set(l.supplierId, (supplier.get(l.supplierId) ?? 0) + cost);
    fee += lineFee;
    commissions += lineCommissions;
    subsidy += lineSubsidy;
    merchant += gross - cost - lineFee - lineCommissions;
  }
  for (const s of input.shipments) supplier.set(s.supplierId, (supplier.get(s.supplierId) ?? 0) + s.freight);
  const total = input.lines.reduce((s, l) => s + l.paidAmount, 0) + input.shipments.reduce((s, x) => s + x.freight, 0);
  const postings: Posting[] = [{ account: `provider:${input.provider}:clearing`, amount: total }];
  if (subsidy) postings.push({ account: MARKETING_SUBSIDY_ACCOUNT, amount: subsidy });
  for (const [id, amount] of supplier) postings.push({ account: `supplier:${id}:payable`, amount: -amount });
  postings.push({ account: "platform:fee", amount: -fee });
  if (commissions) postings.push({ account: "platform:commissions_payable", amount: -commissions });
  postings.push({ account: `merchant:${input.storeId}:payable`, amount: -merchant });
  return postings.filter((p) => p.amount !== 0);
}

/** What the consumer sees for each status. */
export const ORDER_STATUS_TEXT: Record<string, string> = {
  PENDING_PAYMENT: "待付款",
  PAID: "待发货",
  SHIPPED: "待收货",
  COMPLETED: "已完成",
  CANCELLED: "已取消",
};
