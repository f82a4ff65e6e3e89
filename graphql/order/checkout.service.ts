import { createHash } from "node:crypto";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { addresses, cartItems, listingPrices, listings, orderLines, orders, products, skus, stores } from "@/db/schema";
import { DomainError } from "../core/errors";
import { isUuid } from "../core/ids";
import { enqueueJob } from "../platform/jobs";
import { readEconomics } from "../platform/settings";
import { withTxRetry } from "../platform/retry";
import { detectAddressPairs } from "../risk/risk.service";
import { releaseFlashUnits } from "../marketing/flash-stock.service";
import { releaseGroupSeat } from "../marketing/group-seat.service";
import { candidatesOf, returnCoupons, usableCoupons, useCoupons, type HeldCoupon } from "../marketing/coupon.service";
import type { PointsInput } from "../marketing/pricing.rules";
import { returnMallRedemption } from "../points/mall-return.service";
import { pointsInputFor, returnSpentPoints, spendOnOrder } from "../points/points.service";
import { payWithoutCash } from "../payment/payment.service";
import { minimumRetailPrice } from "../store/store.rules";
import {
  CheckoutErrorCode,
  PAYMENT_WINDOW_MS,
  checkItems,
  isValidIdempotencyKey,
  newOrderNo,
  quoteOrder,
  type CheckoutItem,
  type OrderQuote,
  type PricedLineInput,
  quoteOrderWithCoupons,
} from "./order.rules";

import { liveBans, livePrices, liveProducts, lives, userCoupons } from "@/db/schema";
import { announceSoldOut } from "../live/live.service";
type Ctx = { db: Db; now: Date };
export type OrderRow = typeof orders.$inferSelect;

export type PlaceOrderInput = {
  storeSlug: string;
  items: CheckoutItem[];
  addressId: string;
  idempotencyKey: string;
  /** The total the consumer saw; if prices changed since, the order is refused with PRICE_CHANGED. */
  expectedTotal?: number | null;
  /** Remove the bought items from the cart. */
  fromCart?: boolean;
  /** The person's coupons to use (null or absent: the best combination; []: none). */
  couponIds?: string[] | null;
  /** Points to spend (null or absent: as many as allowed; 0: none; more than allowed is clamped). */
  pointsToUse?: number | null;
  /** Ordered from this live room: its live-only prices apply while it is live. */
  liveId?: string | null;
};

const err = (code: keyof typeof CheckoutErrorCode, message: string, field: string | null = null) =>
  new DomainError(code, message, field);

function requestHash(input: PlaceOrderInput): string {
  const canonical = {
    store: input.storeSlug,
    address: input.addressId,
    items: [...input.items].sort((a, b) => a.skuId.localeCompare(b.skuId)).map((i) => [i.skuId, i.quantity]),
    expectedTotal: input.expectedTotal ?? null,
    coupons: input.couponIds ? [...input.couponIds].sort() : null,
    // Only when given, so the hash of a request without points is what it always was.
    ...(input.pointsToUse != null ? { points: input.pointsToUse } : {}),
    ...(input.liveId ? { live: input.liveId } : {}),
  };
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}

export async function existingByKey(db: Db, userId: string, key: string, hash: string) {
  const [existing] = await db
    .select()
    .from(orders)
    .where(and(eq(orders.userId, userId), eq(orders.idempotencyKey, key)));
  if (!existing) return null;
  if (existing.requestHash !== hash) throw err("IDEMPOTENCY_KEY_REUSED", "该请求编号已用于另一笔订单", "idempotencyKey");
  return existing;
}

/**
 * Prices checkout items from the store's current listing prices: the one path used by the
 * checkout preview and by placing the order, so the two can never disagree.
 */
export async function priceItems(db: Db, storeSlug: string, items: CheckoutItem[], couponChoice?: CouponChoice) {
  const problem = checkItems(items);
  if (problem) throw err(problem.code, problem.message, problem.field);
  const [store] = await db.select().from(stores).where(eq(stores.slug, storeSlug));
  if (!store) throw err("PRODUCT_UNAVAILABLE", "店铺不存在", "storeSlug");
  const badId = items.findIndex((i) => !isUuid(i.skuId));
  if (badId >= 0) throw err("PRODUCT_UNAVAILABLE", "商品已下架或不存在", `items.${badId}.skuId`);
  const skuIds = items.map((i) => i.skuId);
  const offered = await db
    .select({ sku: skus, listingId: listings.id, price: listingPrices.retailPrice, product: products })
    .from(skus)
    .innerJoin(products, eq(products.id, skus.productId))
    .innerJoin(listings, and(eq(listings.productId, products.id), eq(listings.storeId, store.id)))
    .innerJoin(listingPrices, and(eq(listingPrices.listingId, listings.id), eq(listingPrices.skuId, skus.id)))
    .where(and(inArray(skus.id, skuIds), eq(listings.status, "ON_SHELF"), eq(products.status, "ACTIVE")));
  const bySku = new Map(offered.map((o) => [o.sku.id, o]));
  for (const [i, item] of items.entries()) {
    if (!bySku.has(item.skuId)) throw err("PRODUCT_UNAVAILABLE", "商品已下架或不存在", `items.${i}.skuId`);
  }
  const live = couponChoice?.liveId ? await livePricesFor(db, couponChoice.liveId, store.id, couponChoice.now, couponChoice.userId) : null;
  const marked = items.findIndex((i) => live?.markedSoldOut.has(bySku.get(i.skuId)!.product.id));
  if (marked >= 0) throw err("SOLD_OUT", "主播已将该商品标记为售罄", `items.${marked}.skuId`);
  const lines = items.map((i) => {
    const o = bySku.get(i.skuId)!;
    const livePrice = live?.onShelf.has(o.product.id) ? (live.prices.get(i.skuId)?.livePrice ?? null) : null;
    return { skuId: i.skuId, productId: o.product.id, supplierId: o.product.supplierId, unitPrice: o.price, unitSupplyPrice: o.sku.supplyPrice, quantity: i.quantity, livePrice };
  });
  if (!couponChoice) return { store, bySku, quote: quoteOrder(lines), held: [] as HeldCoupon[] };
  const held = await usableCoupons(db, couponChoice.userId, store.id, couponChoice.now);
  await refuseTakenCoupons(db, couponChoice.userId, couponChoice.selected, held);
  const economics = await readEconomics(db, couponChoice.now);
  const floors = new Map(lines.map((l) => [l.skuId, minimumRetailPrice(l.unitSupplyPrice, economics) * l.quantity]));
  const points = await pointsInputFor(db, couponChoice.userId, couponChoice.pointsToUse);
  const channel = live ? "LIVE" : "NORMAL";
  return { store, bySku, quote: quoteWithStoreCoupons(lines, held, couponChoice.selected, floors, points, channel), held, economics, pointsAvailable: points?.available ?? 0, live };
}

/**
 * The live-only prices an order from a live room gets: only while the live is LIVE, in this store,
 * for products on its shelf. A live that has ended (or never started) refuses with LIVE_NOT_LIVE, so
 * the consumer learns before paying that the live price no longer applies.
 */
async function livePricesFor(db: Db, liveId: string, storeId: string, now: Date, userId: string) {
  if (!isUuid(liveId)) throw err("LIVE_NOT_LIVE", "直播不存在", "liveId");
  const [live] = await db.select().from(lives).where(and(eq(lives.id, liveId), eq(lives.storeId, storeId)));
  if (!live || live.status !== "LIVE" || live.startedAt === null || live.startedAt > now) {
    throw err("LIVE_NOT_LIVE", "直播已结束，直播价不再适用，请返回商品页按店铺价购买", "liveId");
  }
  const [blocked] = await db.select({ userId: liveBans.userId }).from(liveBans).where(and(eq(liveBans.liveId, liveId), eq(liveBans.userId, userId), eq(liveBans.kind, "BLOCK")));
  if (blocked) throw err("LIVE_NOT_LIVE", "你已被移出该直播间，直播价不适用", "liveId");
  const shelf = await db.select({ productId: liveProducts.productId, soldOutAt: liveProducts.soldOutAt }).from(liveProducts).where(and(eq(liveProducts.liveId, liveId), eq(liveProducts.onShelf, true)));
  const prices = await db.select().from(livePrices).where(eq(livePrices.liveId, liveId));
  return {
    liveId,
    onShelf: new Set(shelf.map((x) => x.productId)),
    /** Marked 已售罄 by the host: the room sells none of it until unmarked (stock itself is the supplier's). */
    markedSoldOut: new Set(shelf.filter((x) => x.soldOutAt).map((x) => x.productId)),
    prices: new Map(prices.map((p) => [p.skuId, p])),
  };
}

/**
 * A live price's per-person limit, counted over the person's live orders that are not cancelled —
 * under a per-person lock, so two orders at once cannot both slip under it.
 */
async function checkLiveLimits(tx: Db, userId: string, live: { liveId: string; prices: Map<string, { perUserLimit: number | null }> }, items: CheckoutItem[]) {
  const limited = items.filter((i) => live.prices.get(i.skuId)?.perUserLimit);
  if (!limited.length) return;
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`live-limit:${live.liveId}:${userId}`}))`);
  for (const item of limited) {
    const limit = live.prices.get(item.skuId)!.perUserLimit!;
    const [row] = await tx
      .select({ n: sql<number>`coalesce(sum(${orderLines.quantity}), 0)` })
      .from(orderLines)
      .innerJoin(orders, eq(orders.id, orderLines.orderId))
      .where(and(eq(orders.userId, userId), eq(orders.liveId, live.liveId), eq(orderLines.skuId, item.skuId), sql`${orders.status} <> 'CANCELLED'`));
    if (Number(row.n) + item.quantity > limit) {
      throw err("LIMIT_EXCEEDED", `直播价每人限购 ${limit} 件`, `items.${items.indexOf(item)}.quantity`);
    }
  }
}

/**
 * A chosen coupon of the person's that another of their orders has just taken answers the same
 * COUPON_NOT_AVAILABLE whether that order committed before this request priced (it is no longer
 * usable) or while it was being written (useCoupons finds it taken).
 */
async function refuseTakenCoupons(db: Db, userId: string, selected: string[] | null, held: HeldCoupon[]) {
  const missing = (selected ?? []).filter((id) => isUuid(id) && !held.some((h) => h.held.id === id));
  if (!missing.length) return;
  const taken = await db.select({ id: userCoupons.id }).from(userCoupons).where(and(inArray(userCoupons.id, missing), eq(userCoupons.userId, userId), eq(userCoupons.status, "USED")));
  if (taken.length) throw err("COUPON_NOT_AVAILABLE", "优惠券已被其他订单使用，请重新选择", "couponIds");
}

/** The person placing the order and the coupons they chose (null: the best is preselected; []: none). */
export type CouponChoice = { userId: string; selected: string[] | null; now: Date; pointsToUse?: number | null; liveId?: string | null };

/**
 * Prices with the person's coupons (store and platform). A store coupon is funded from the
 * merchant's margin, so it may never push a line below the listing floor (supply + commission cap + fee): a chosen coupon
 * that would is refused (COUPON_NOT_APPLICABLE); a preselected one is left out and the next best
 * taken.
 */
function quoteWithStoreCoupons(
  lines: PricedLineInput[],
  held: HeldCoupon[],
  selected: string[] | null,
  floors: Map<string, number>,
  points: PointsInput | null = null,
  channel: "NORMAL" | "LIVE" = "NORMAL",
): OrderQuote {
  let candidates = candidatesOf(held);
  const skipped: string[] = [];
  for (;;) {
    const r = quoteOrderWithCoupons(lines, channel, { candidates, selected }, points);
    if (!r.ok) {
      // The pricing function names its own inputs (selectedCouponIds.N, coupons.N); the consumer sent couponIds.
      const picked = /^selectedCouponIds\.(\d+)$/.exec(r.error.field);
      const at = picked ? Number(picked[1]) : r.error.couponId && selected ? selected.indexOf(r.error.couponId) : -1;
      throw err(r.error.code, r.error.message, at >= 0 ? `couponIds.${at}` : "couponIds");
    }
    const q = r.quote;
    // Only the merchant-funded part counts: platform coupons and points are paid to the merchant as cash.
    const belowFloor = q.lines.some((l) => l.discountAmount > l.platformDiscountAmount && l.paidAmount + l.platformDiscountAmount < floors.get(l.skuId)!);
    if (!belowFloor) {
      // Say why a store coupon the buyer holds was left out, so the picker can show it.
      const reasons = q.rejectedCoupons.filter((c) => !skipped.includes(c.id));
      return { ...q, rejectedCoupons: [...reasons, ...skipped.map((id) => ({ id, issuer: "STORE" as const, reason: "BELOW_FLOOR" as const }))] };
    }
    // Only a store coupon can be the cause: drop (or refuse) that one and keep the platform's.
    const storeApplied = new Set(q.appliedCoupons.filter((c) => c.issuer === "STORE").map((c) => c.id));
    if (selected !== null) {
      const at = selected.findIndex((id) => storeApplied.has(id));
      throw err("COUPON_NOT_APPLICABLE", "该券会使商品低于最低售价，不能用于本单", at >= 0 ? `couponIds.${at}` : "couponIds");
    }
    const applied = storeApplied;
    skipped.push(...applied);
    candidates = candidates.filter((c) => !applied.has(c.id));
  }
}

/** Thrown inside the transaction when a concurrent request with the same key won the insert. */
export class DuplicateKey extends Error {}

export type Offered = Awaited<ReturnType<typeof priceItems>>["bySku"] extends Map<string, infer V> ? V : never;
export type LineExtras = { flashSaleId?: string | null; flashSegment?: number | null };

export type WriteOrderInput = {
  userId: string;
  store: { id: string };
  address: typeof addresses.$inferSelect;
  quote: OrderQuote;
  bySku: Map<string, Offered>;
  channel: "NORMAL" | "FLASH" | "GROUP" | "LIVE" | "POINTS";
  /** The group (拼团) this order holds a seat in. */
  groupBuyId?: string | null;
  /** The live room it was ordered from (channel LIVE). */
  liveId?: string | null;
  platformFeeBp: number;
  idempotencyKey: string;
  requestHash: string;
  expiresAt: Date;
  now: Date;
};

/** The order row of a new order (PENDING_PAYMENT, the shipping address copied encrypted). */
export function orderRowOf(o: WriteOrderInput) {
  return {
    orderNo: newOrderNo(o.now),
    userId: o.userId,
    storeId: o.store.id,
    status: "PENDING_PAYMENT" as const,
    goodsAmount: o.quote.goods,
    freightAmount: o.quote.freight,
    totalAmount: o.quote.total,
    discountAmount: o.quote.discount,
    platformDiscountAmount: o.quote.platformDiscount,
    pointsUsed: o.quote.pointsUsed,
    shipRecipientEnc: o.address.recipientEnc,
    shipPhoneEnc: o.address.phoneEnc,
    shipRegion: `${o.address.province} ${o.address.city} ${o.address.district}`,
    shipDetailEnc: o.address.detailEnc,
    platformFeeBp: o.platformFeeBp,
    channel: o.channel,
    groupBuyId: o.groupBuyId ?? null,
    liveId: o.liveId ?? null,
    idempotencyKey: o.idempotencyKey,
    requestHash: o.requestHash,
    expiresAt: o.expiresAt,
    createdAt: o.now,
  };
}

/** The order's lines with their paid amounts (and the channel's per-SKU extras). */
export function lineRowsOf(orderId: string, o: Pick<WriteOrderInput, "quote" | "bySku">, extras: Map<string, LineExtras>) {
  return o.quote.lines.map((l, i) => {
    const offered = o.bySku.get(l.skuId)!;
    return {
      orderId,
      supplierId: l.supplierId,
      listingId: offered.listingId,
      skuId: l.skuId,
      productTitle: offered.product.title,
      skuLabel: offered.sku.label,
      imageKey: offered.product.imageKeys[0] ?? null,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      unitSupplyPrice: l.unitSupplyPrice,
      paidAmount: l.paidAmount,
      discountAmount: l.discountAmount,
      platformDiscountAmount: l.platformDiscountAmount,
      lineNo: i + 1,
      flashSaleId: extras.get(l.skuId)?.flashSaleId ?? null,
      flashSegment: extras.get(l.skuId)?.flashSegment ?? null,
    };
  });
}

/** The job that cancels the order if it is still unpaid when its payment window closes. */
export const expiryJobOf = (order: Pick<OrderRow, "id" | "expiresAt">, now: Date) => ({ kind: "order.expire", payload: { orderId: order.id }, runAt: order.expiresAt, dedupeKey: `order.expire:${order.id}`, now });

/**
 * Writes an order inside the caller's transaction — the one path for every channel (cart,
 * flash sale…): the order row (a concurrent twin with the same idempotency key throws
 * DuplicateKey), the channel's own stock reservation, the risk-pair check on the address, the lines
 * with their paid amounts, and the expiry job. `reserve` returns per-SKU extras for the lines.
 * (A flash sale's admission batch writes the same rows for many buyers at once: flash-admission.ts.)
 */
export async function writeOrder(tx: Db, o: WriteOrderInput & { reserve: (orderId: string) => Promise<Map<string, LineExtras>> }): Promise<OrderRow> {
  const [order] = await tx
    .insert(orders)
    .values(orderRowOf(o))
    .onConflictDoNothing({ target: [orders.userId, orders.idempotencyKey] })
    .returning();
  if (!order) throw new DuplicateKey();
  const extras = await o.reserve(order.id);
  await detectAddressPairs(tx, o.userId, o.address, order.id, o.now);
  await tx.insert(orderLines).values(lineRowsOf(order.id, o, extras));
  await enqueueJob(tx, expiryJobOf(order, o.now));
  return order;
}

/**
 * Places an order: checks items, prices them from the store's listing, reserves stock with one
 * conditional UPDATE per SKU (in SKU id order, so concurrent multi-SKU orders cannot deadlock),
 * writes the order and its lines, and schedules its expiry — all in one transaction. The same
 * idempotency key with the same request returns the same order; with another request, an error.
 */
export async function placeOrder(ctx: Ctx, userId: string, input: PlaceOrderInput): Promise<OrderRow> {
  if (!isValidIdempotencyKey(input.idempotencyKey)) {
    throw err("INVALID_IDEMPOTENCY_KEY", "请求编号需为 8–64 位字母数字", "idempotencyKey");
  }
  const hash = requestHash(input);
  const replay = await existingByKey(ctx.db, userId, input.idempotencyKey, hash);
  if (replay) return replay;

  const { store, bySku, quote, economics, live } = await priceItems(ctx.db, input.storeSlug, input.items, {
    userId,
    selected: input.couponIds ?? null,
    now: ctx.now,
    pointsToUse: input.pointsToUse ?? null,
    liveId: input.liveId ?? null,
  });
  if (!isUuid(input.addressId)) throw err("ADDRESS_NOT_FOUND", "收货地址不存在", "addressId");
  const [address] = await ctx.db
    .select()
    .from(addresses)
    .where(and(eq(addresses.id, input.addressId), eq(addresses.userId, userId), sql`${addresses.deletedAt} is null`));
  if (!address) throw err("ADDRESS_NOT_FOUND", "收货地址不存在", "addressId");
  if (input.expectedTotal != null && input.expectedTotal !== quote.total) {
    throw err("PRICE_CHANGED", `价格已变化，应付金额为 ¥${(quote.total / 100).toFixed(2)}，请确认后再提交`, "expectedTotal");
  }
  // Read once with the coupon floors above: the fee recorded on the order is the one they were checked with.
  const { platformFeeBp } = economics ?? (await readEconomics(ctx.db, ctx.now));

  try {
    return await withTxRetry(() =>
      ctx.db.transaction(async (tx) => {
        const order = await writeOrder(tx, {
          userId,
          store,
          address,
          quote,
          bySku,
          channel: live ? "LIVE" : "NORMAL",
          liveId: live?.liveId ?? null,
          platformFeeBp,
          idempotencyKey: input.idempotencyKey,
          requestHash: hash,
          expiresAt: new Date(ctx.now.getTime() + PAYMENT_WINDOW_MS),
          now: ctx.now,
          reserve: async (orderId) => {
            if (live) await checkLiveLimits(tx, userId, live, input.items);
            await reserveStock(tx, input.items);
            if (live) await announceSoldOut(tx, live.liveId, input.items.map((i) => i.skuId), ctx.now);
            const used = await useCoupons(tx, userId, quote.appliedCoupons.map((c) => c.id), orderId, ctx.now);
            if (!used) throw err("COUPON_NOT_AVAILABLE", "优惠券已被其他订单使用，请重新选择", "couponIds");
            return new Map();
          },
        });
        if (input.fromCart) {
          const skuIds = input.items.map((i) => i.skuId);
          await tx.delete(cartItems).where(and(eq(cartItems.userId, userId), eq(cartItems.storeId, store.id), inArray(cartItems.skuId, skuIds)));
        }
        // The balance may have moved since pricing: INSUFFICIENT_POINTS rolls the whole order back.
        await spendOnOrder(tx, order, quote.pointsUsed, ctx.now);
        if (order.totalAmount !== 0) return order;
        // Nothing left to pay in cash: paid now, through the payment path, without a provider.
        await payWithoutCash(tx, order, ctx.now);
        return (await tx.select().from(orders).where(eq(orders.id, order.id)))[0];
      }),
    );
  } catch (e) {
    if (e instanceof DuplicateKey) {
      const winner = await existingByKey(ctx.db, userId, input.idempotencyKey, hash);
      if (winner) return winner;
    }
    throw e;
  }
}

/**
 * Reserves stock for every item or none: a conditional decrement per SKU in a fixed order. A SKU
 * without enough stock answers SOLD_OUT and the transaction rolls back every earlier decrement.
 */
export async function reserveStock(tx: Db, items: CheckoutItem[]) {
  for (const item of [...items].sort((a, b) => a.skuId.localeCompare(b.skuId))) {
    const updated = await tx
      .update(skus)
      .set({ stock: sql`${skus.stock} - ${item.quantity}`, sold: sql`${skus.sold} + ${item.quantity}` })
      .where(and(eq(skus.id, item.skuId), sql`${skus.stock} >= ${item.quantity}`))
      .returning({ id: skus.id });
    if (!updated.length) {
      const field = `items.${items.findIndex((i) => i.skuId === item.skuId)}.quantity`;
      throw err("SOLD_OUT", "库存不足，商品已售罄", field);
    }
  }
}

/**
 * Gives reserved stock back (cancel, expiry, a full refund before shipping): flash units to their
 * sale, then the coupons and points spent on the order. Locks in the order every writer takes them:
 * the group seat first (joining a group locks the group, then the SKU), then the SKUs in id order,
 * then coupons, then the points account (checkout and redemptions: SKUs → coupons → points).
 */
export async function releaseStock(tx: Db, orderId: string) {
  const lines = await tx.select().from(orderLines).where(eq(orderLines.orderId, orderId)).orderBy(asc(orderLines.skuId));
  // A group (拼团) order leaving gives its seat back (unpaid) or marks it refunded (paid).
  await releaseGroupSeat(tx, orderId);
  // A points-mall order gives its redemption back — the item before any SKU (see returnMallRedemption).
  await returnMallRedemption(tx, orderId);
  for (const l of lines) {
    if (l.flashSaleId) {
      const [order] = await tx.select({ userId: orders.userId }).from(orders).where(eq(orders.id, orderId));
      await releaseFlashUnits(tx, order.userId, { flashSaleId: l.flashSaleId, flashSegment: l.flashSegment, skuId: l.skuId, quantity: l.quantity });
      continue;
    }
    await tx
      .update(skus)
      .set({ stock: sql`${skus.stock} + ${l.quantity}`, sold: sql`greatest(${skus.sold} - ${l.quantity}, 0)` })
      .where(eq(skus.id, l.skuId));
  }
  await returnCoupons(tx, orderId);
  await returnSpentPoints(tx, orderId);
}
