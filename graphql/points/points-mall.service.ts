import { createHash } from "node:crypto";
import { and, desc, eq, gt, inArray, isNull, lte, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { addresses, auditLog, coupons, listingPrices, listings, pointsMallItems, pointsRedemptions, products, skus, stores } from "@/db/schema";
import { DomainError } from "../core/errors";
import { isUuid } from "../core/ids";
import { withTxRetry } from "../platform/retry";
import { readEconomics } from "../platform/settings";
import { claimCouponIn } from "../marketing/coupon.service";
import { DuplicateKey, priceItems, reserveStock, writeOrder } from "../order/checkout.service";
import { isValidIdempotencyKey, PAYMENT_WINDOW_MS } from "../order/order.rules";
import { payWithoutCash } from "../payment/payment.service";
import { postPoints } from "./points.service";
import { checkMallItemDraft, MallItemErrorCode, pointsMallQuote, RedeemErrorCode, type MallItemDraft } from "./points.rules";

type Ctx = { db: Db; now: Date };
export type MallItemRow = typeof pointsMallItems.$inferSelect;
export type RedemptionRow = typeof pointsRedemptions.$inferSelect;

export type MallItemInput = Omit<MallItemDraft, "now"> & { couponId?: string | null; storeSlug?: string | null; skuId?: string | null };

const itemError = (code: keyof typeof MallItemErrorCode, message: string, field: string) => new DomainError(code, message, field);

/**
 * The operator puts something in the points mall: a PLATFORM coupon (claimable for the whole window)
 * or one SKU of a store's listing (shipped by its supplier as a free order). Audit-logged.
 */
export async function createMallItem(ctx: Ctx, actorUserId: string, input: MallItemInput): Promise<MallItemRow> {
  const problem = checkMallItemDraft({ ...input, now: ctx.now });
  if (problem) throw itemError(problem.code, problem.message, problem.field);
  const target = input.kind === "COUPON" ? await couponTarget(ctx.db, input) : await productTarget(ctx.db, input);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(pointsMallItems)
      .values({
        kind: input.kind,
        title: input.title.trim(),
        pointsCost: input.pointsCost,
        ...target,
        totalQuantity: input.totalQuantity,
        perUserLimit: input.perUserLimit,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        createdBy: actorUserId,
        createdAt: ctx.now,
      })
      .returning();
    await tx.insert(auditLog).values({ actorUserId, action: "points_mall.create", subjectType: "points_mall_item", subjectId: row.id, detail: `${row.title} ${row.pointsCost}积分 ×${row.totalQuantity}`, createdAt: ctx.now });
    return row;
  });
}

async function couponTarget(db: Db, input: MallItemInput) {
  const couponId = input.couponId?.toLowerCase() ?? "";
  const [coupon] = isUuid(couponId) ? await db.select().from(coupons).where(eq(coupons.id, couponId)) : [];
  const fits = coupon && coupon.issuer === "PLATFORM" && !coupon.welcome && !coupon.disabledAt && coupon.claimStartsAt <= input.startsAt && coupon.claimEndsAt >= input.endsAt;
  if (!fits) throw itemError("INVALID_COUPON", "需选择未停用的平台券，且其领取时间覆盖兑换时间", "couponId");
  return { couponId: coupon.id };
}

async function productTarget(db: Db, input: MallItemInput) {
  const skuId = input.skuId?.toLowerCase() ?? "";
  if (!isUuid(skuId) || !input.storeSlug) throw itemError("INVALID_PRODUCT", "请选择店铺在售的商品规格", "skuId");
  const [row] = await db
    .select({ storeId: stores.id, listingId: listings.id })
    .from(skus)
    .innerJoin(products, eq(products.id, skus.productId))
    .innerJoin(listings, eq(listings.productId, products.id))
    .innerJoin(stores, eq(stores.id, listings.storeId))
    .innerJoin(listingPrices, and(eq(listingPrices.listingId, listings.id), eq(listingPrices.skuId, skus.id)))
    .where(and(eq(skus.id, skuId), eq(stores.slug, input.storeSlug), eq(listings.status, "ON_SHELF"), eq(products.status, "ACTIVE")));
  if (!row) throw itemError("INVALID_PRODUCT", "该店铺没有在售的这个商品规格", "skuId");
  return { storeId: row.storeId, listingId: row.listingId, skuId };
}

/** The operator stops an item (what was redeemed stays redeemed). Audit-logged. */
export async function disableMallItem(ctx: Ctx, actorUserId: string, itemId: string): Promise<MallItemRow> {
  if (!isUuid(itemId)) throw itemError("ITEM_NOT_FOUND", "兑换商品不存在", "itemId");
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(pointsMallItems)
      .set({ disabledAt: sql`coalesce(${pointsMallItems.disabledAt}, ${ctx.now.toISOString()}::timestamptz)` })
      .where(eq(pointsMallItems.id, itemId.toLowerCase()))
      .returning();
    if (!row) throw itemError("ITEM_NOT_FOUND", "兑换商品不存在", "itemId");
    await tx.insert(auditLog).values({ actorUserId, action: "points_mall.disable", subjectType: "points_mall_item", subjectId: row.id, detail: row.title, createdAt: ctx.now });
    return row;
  });
}

const fail = (code: keyof typeof RedeemErrorCode, message: string, field: string | null = null) => new DomainError(code, message, field);

/** Codes of the coupon and checkout steps, as the redeeming person should read them. */
const TRANSLATED: Record<string, keyof typeof RedeemErrorCode> = {
  OUT_OF_COUPONS: "OUT_OF_STOCK",
  SOLD_OUT: "OUT_OF_STOCK",
  NOT_CLAIMABLE: "NOT_REDEEMABLE",
  COUPON_NOT_FOUND: "NOT_REDEEMABLE",
  PRODUCT_UNAVAILABLE: "NOT_REDEEMABLE",
  LIMIT_REACHED: "LIMIT_REACHED",
};

export type RedeemInput = { itemId: string; idempotencyKey: string; addressId?: string | null };

/**
 * Redeems an item for points, in ONE transaction: the redemption row (one per person and key: a
 * retry returns the first), the item's counter (one conditional UPDATE: never past the total, and
 * the item row serialises redemptions of it, so the per-person count read next is exact), then the
 * coupon (given exactly as claiming would) or the free order (stock reserved, paid at once), and
 * last the REDEEM entry (INSUFFICIENT_POINTS rolls everything back). Locks: item → SKU → account,
 * the same order checkout takes SKU → account, and a call-off takes order → item → SKU → account.
 * A redemption whose order was called off (returned_at) no longer counts against the limit.
 */
export async function redeemMallItem(ctx: Ctx, userId: string, input: RedeemInput): Promise<RedemptionRow> {
  if (!isValidIdempotencyKey(input.idempotencyKey)) throw fail("INVALID_IDEMPOTENCY_KEY", "请求编号需为 8–64 位字母数字", "idempotencyKey");
  const itemId = input.itemId.toLowerCase();
  const replay = await existingRedemption(ctx.db, userId, input.idempotencyKey, itemId);
  if (replay) return replay;
  const [item] = isUuid(itemId) ? await ctx.db.select().from(pointsMallItems).where(eq(pointsMallItems.id, itemId)) : [];
  if (!item) throw fail("ITEM_NOT_FOUND", "兑换商品不存在", "itemId");
  if (item.disabledAt || ctx.now < item.startsAt || ctx.now >= item.endsAt) throw fail("NOT_REDEEMABLE", "不在兑换时间内", "itemId");
  const product = item.kind === "PRODUCT" ? await productOrderParts(ctx, userId, item, input.addressId) : null;
  try {
    return await withTxRetry(() =>
      ctx.db.transaction(async (tx) => {
        const [redemption] = await tx
          .insert(pointsRedemptions)
          .values({ itemId: item.id, userId, points: item.pointsCost, idempotencyKey: input.idempotencyKey, createdAt: ctx.now })
          .onConflictDoNothing({ target: [pointsRedemptions.userId, pointsRedemptions.idempotencyKey] })
          .returning();
        if (!redemption) throw new DuplicateKey();
        const [counted] = await tx
          .update(pointsMallItems)
          .set({ redeemedCount: sql`${pointsMallItems.redeemedCount} + 1` })
          .where(and(eq(pointsMallItems.id, item.id), sql`${pointsMallItems.redeemedCount} < ${pointsMallItems.totalQuantity}`, isNull(pointsMallItems.disabledAt)))
          .returning({ id: pointsMallItems.id });
        if (!counted) throw fail("OUT_OF_STOCK", "已兑完", "itemId");
        const [{ mine }] = await tx
          .select({ mine: sql<number>`count(*)::int` })
          .from(pointsRedemptions)
          .where(and(eq(pointsRedemptions.itemId, item.id), eq(pointsRedemptions.userId, userId), isNull(pointsRedemptions.returnedAt)));
        if (Number(mine) > item.perUserLimit) throw fail("LIMIT_REACHED", `每人限兑 ${item.perUserLimit} 次`, "itemId");
        const produced = product ? { orderId: await writeMallOrder(tx, ctx.now, userId, item, redemption.id, product) } : { userCouponId: (await claimCouponIn(tx, userId, item.couponId!, "POINTS_MALL", ctx.now)).id };
        await postPoints(tx, { userId, kind: "REDEEM", amount: -item.pointsCost, reference: redemption.id, orderId: produced.orderId ?? null, memo: `兑换 ${item.title}`, now: ctx.now });
        const [done] = await tx.update(pointsRedemptions).set(produced).where(eq(pointsRedemptions.id, redemption.id)).returning();
        return done;
      }),
    );
  } catch (e) {
    if (e instanceof DuplicateKey) {
      const winner = await existingRedemption(ctx.db, userId, input.idempotencyKey, itemId);
      if (winner) return winner;
    }
    if (e instanceof DomainError && !(e.code in RedeemErrorCode) && TRANSLATED[e.code]) throw fail(TRANSLATED[e.code], e.message, "itemId");
    throw e;
  }
}

async function existingRedemption(db: Db, userId: string, key: string, itemId: string) {
  const [row] = await db.select().from(pointsRedemptions).where(and(eq(pointsRedemptions.userId, userId), eq(pointsRedemptions.idempotencyKey, key)));
  if (row && row.itemId !== itemId) throw fail("IDEMPOTENCY_KEY_REUSED", "该请求编号已用于另一次兑换", "idempotencyKey");
  return row ?? null;
}

type ProductParts = Awaited<ReturnType<typeof productOrderParts>>;

/** Everything the free order needs that can be read before the transaction: address, price, fee. */
async function productOrderParts(ctx: Ctx, userId: string, item: MallItemRow, addressId: string | null | undefined) {
  const id = addressId?.toLowerCase() ?? "";
  const [address] = isUuid(id) ? await ctx.db.select().from(addresses).where(and(eq(addresses.id, id), eq(addresses.userId, userId), isNull(addresses.deletedAt))) : [];
  if (!address) throw fail("ADDRESS_NOT_FOUND", "请选择收货地址", "addressId");
  const [store] = await ctx.db.select({ slug: stores.slug }).from(stores).where(eq(stores.id, item.storeId!));
  try {
    const priced = await priceItems(ctx.db, store.slug, [{ skuId: item.skuId!, quantity: 1 }]);
    return { ...priced, address, platformFeeBp: (await readEconomics(ctx.db, ctx.now)).platformFeeBp };
  } catch (e) {
    if (e instanceof DomainError) throw fail("NOT_REDEEMABLE", "该商品已下架", "itemId");
    throw e;
  }
}

/** The redemption's order: channel POINTS, goods paid by the marketing subsidy, free shipping, paid at once. */
async function writeMallOrder(tx: Db, now: Date, userId: string, item: MallItemRow, redemptionId: string, p: ProductParts): Promise<string> {
  const order = await writeOrder(tx, {
    userId,
    store: p.store,
    address: p.address,
    quote: pointsMallQuote(p.quote, item.pointsCost),
    bySku: p.bySku,
    channel: "POINTS",
    platformFeeBp: p.platformFeeBp,
    idempotencyKey: `points-mall-${redemptionId}`,
    requestHash: createHash("sha256").update(`points-mall:${item.id}`).digest("hex"),
    expiresAt: new Date(now.getTime() + PAYMENT_WINDOW_MS),
    now,
    reserve: async () => {
      await reserveStock(tx, [{ skuId: item.skuId!, quantity: 1 }]);
      return new Map();
    },
  });
  await payWithoutCash(tx, order, now);
  return order.id;
}

export type MallItemView = MallItemRow & {
  coupon: typeof coupons.$inferSelect | null;
  productTitle: string | null;
  skuLabel: string | null;
  imageKey: string | null;
  priceFen: number | null;
};

/** Items: on sale now (consumer) or all (operator, newest first); with what each gives. */
export async function mallItems(db: Db, opts: { activeAt?: Date; limit?: number }): Promise<MallItemView[]> {
  const at = opts.activeAt;
  const rows = await db
    .select({ item: pointsMallItems, coupon: coupons, productTitle: products.title, skuLabel: skus.label, imageKeys: products.imageKeys, price: listingPrices.retailPrice })
    .from(pointsMallItems)
    .leftJoin(coupons, eq(coupons.id, pointsMallItems.couponId))
    .leftJoin(skus, eq(skus.id, pointsMallItems.skuId))
    .leftJoin(products, eq(products.id, skus.productId))
    .leftJoin(listingPrices, and(eq(listingPrices.listingId, pointsMallItems.listingId), eq(listingPrices.skuId, pointsMallItems.skuId)))
    .where(at ? and(isNull(pointsMallItems.disabledAt), lte(pointsMallItems.startsAt, at), gt(pointsMallItems.endsAt, at)) : undefined)
    .orderBy(at ? pointsMallItems.pointsCost : desc(pointsMallItems.createdAt), pointsMallItems.id)
    .limit(opts.limit ?? 100);
  return rows.map((r) => ({
    ...r.item,
    coupon: r.coupon,
    productTitle: r.productTitle,
    skuLabel: r.skuLabel,
    imageKey: r.imageKeys?.[0] ?? null,
    priceFen: r.price === null ? null : Number(r.price),
  }));
}

/** How many of each item the person has redeemed (a redemption whose order was called off no longer counts). */
export async function redeemedCounts(db: Db, userId: string, itemIds: string[]): Promise<Map<string, number>> {
  if (!itemIds.length) return new Map();
  const rows = await db
    .select({ itemId: pointsRedemptions.itemId, n: sql<number>`count(*)::int` })
    .from(pointsRedemptions)
    .where(and(eq(pointsRedemptions.userId, userId), inArray(pointsRedemptions.itemId, itemIds), isNull(pointsRedemptions.returnedAt)))
    .groupBy(pointsRedemptions.itemId);
  return new Map(rows.map((r) => [r.itemId, Number(r.n)]));
}

/** Platform coupons an operator may sell in the mall (claimable, not welcome coupons), newest first. */
export function mallCouponOptions(db: Db, now: Date) {
  return db
    .select()
    .from(coupons)
    .where(and(eq(coupons.issuer, "PLATFORM"), eq(coupons.welcome, false), isNull(coupons.disabledAt), gt(coupons.claimEndsAt, now)))
    .orderBy(desc(coupons.createdAt))
    .limit(50);
}
