import { and, desc, eq, gt, inArray, isNull, lte, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { couponClaims, coupons, listings, stores, userCoupons } from "@/db/schema";
import { DomainError } from "../core/errors";
import { isUuid } from "../core/ids";
import { checkCouponDraft, ClaimErrorCode, CouponErrorCode, toCandidate, type CouponDraft } from "./coupon.rules";
import type { CandidateCoupon } from "./pricing.rules";

type Ctx = { db: Db; now: Date };
export type CouponRow = typeof coupons.$inferSelect;
export type UserCouponRow = typeof userCoupons.$inferSelect;

/** What a merchant fills in: the draft the rules check, plus scope and the welcome flag. */
export type CouponInput = Omit<CouponDraft, "now"> & { productIds: string[] | null; welcome: boolean };

/** A merchant issues a store coupon (funded from their own margin). Product scope must be their own listings. */
export async function createStoreCoupon(ctx: Ctx, storeId: string, userId: string, input: CouponInput): Promise<CouponRow> {
  const problem = checkCouponDraft({ ...input, now: ctx.now });
  if (problem) throw new DomainError(problem.code, problem.message, problem.field);
  const productIds = input.productIds?.length ? [...new Set(input.productIds)] : null;
  if (productIds) {
    if (productIds.length > 50 || !productIds.every(isUuid)) throw new DomainError(CouponErrorCode.PRODUCT_NOT_LISTED, "适用商品无效", "productIds");
    const listed = await ctx.db
      .select({ productId: listings.productId })
      .from(listings)
      .where(and(eq(listings.storeId, storeId), inArray(listings.productId, productIds)));
    if (listed.length !== productIds.length) throw new DomainError(CouponErrorCode.PRODUCT_NOT_LISTED, "只能指定本店在售的商品", "productIds");
  }
  const [row] = await ctx.db
    .insert(coupons)
    .values({
      issuer: "STORE",
      storeId,
      title: input.title.trim(),
      kind: input.kind,
      thresholdFen: input.thresholdFen,
      amountFen: input.kind === "PERCENT" ? 0 : input.amountFen,
      percentBp: input.kind === "PERCENT" ? input.percentBp : 0,
      capFen: input.kind === "PERCENT" ? input.capFen : null,
      productIds,
      claimStartsAt: input.claimStartsAt,
      claimEndsAt: input.claimEndsAt,
      usableUntil: input.usableUntil,
      totalQuantity: input.totalQuantity,
      perUserLimit: input.perUserLimit,
      welcome: input.welcome,
      createdBy: userId,
      createdAt: ctx.now,
    })
    .returning();
  return row;
}

/**
 * Claims one coupon, in one transaction: the person's own counter first (a row per person, so
 * people never queue behind each other), then the batch counter (one conditional UPDATE: never
 * past the total), then the coupon itself. Two people racing for the last coupon, or one person
 * racing past their limit, get exactly the allowed number; the loser's counter rolls back.
 */
export async function claimCoupon(ctx: Ctx, userId: string, couponId: string, source = "CENTRE"): Promise<UserCouponRow> {
  if (!isUuid(couponId)) throw new DomainError(ClaimErrorCode.COUPON_NOT_FOUND, "优惠券不存在", "couponId");
  return ctx.db.transaction((tx) => claimIn(tx, userId, couponId, source, ctx.now));
}

async function claimIn(tx: Db, userId: string, couponId: string, source: string, now: Date): Promise<UserCouponRow> {
  const [coupon] = await tx.select().from(coupons).where(eq(coupons.id, couponId));
  if (!coupon) throw new DomainError(ClaimErrorCode.COUPON_NOT_FOUND, "优惠券不存在", "couponId");
  // Welcome coupons (邀请有礼) are only given at an invited registration, never claimed.
  if (coupon.disabledAt || now < coupon.claimStartsAt || now >= coupon.claimEndsAt || (coupon.welcome && source !== "WELCOME")) {
    throw new DomainError(ClaimErrorCode.NOT_CLAIMABLE, "不在领取时间内", "couponId");
  }
  const [mine] = await tx
    .insert(couponClaims)
    .values({ couponId, userId, count: 1 })
    .onConflictDoUpdate({
      target: [couponClaims.couponId, couponClaims.userId],
      set: { count: sql`${couponClaims.count} + 1` },
      setWhere: sql`${couponClaims.count} < ${coupon.perUserLimit}`,
    })
    .returning({ count: couponClaims.count });
  if (!mine) throw new DomainError(ClaimErrorCode.LIMIT_REACHED, `每人限领 ${coupon.perUserLimit} 张`, "couponId");
  const [counted] = await tx
    .update(coupons)
    .set({ claimedCount: sql`${coupons.claimedCount} + 1` })
    .where(and(eq(coupons.id, couponId), sql`${coupons.claimedCount} < ${coupons.totalQuantity}`))
    .returning({ id: coupons.id });
  if (!counted) throw new DomainError(ClaimErrorCode.OUT_OF_COUPONS, "已领完", "couponId");
  const [held] = await tx.insert(userCoupons).values({ couponId, userId, source, createdAt: now }).returning();
  return held;
}

/**
 * 邀请有礼: a person who registered through an invite into a store gets each of that store's
 * welcome coupons that can be claimed now. Runs in the registration's transaction; a coupon that
 * ran out (or was already given) is skipped without failing the registration.
 */
export async function issueWelcomeCoupons(tx: Db, userId: string, storeId: string, now: Date) {
  const welcome = await tx
    .select({ id: coupons.id })
    .from(coupons)
    .where(and(eq(coupons.storeId, storeId), eq(coupons.welcome, true), isNull(coupons.disabledAt), lte(coupons.claimStartsAt, now), gt(coupons.claimEndsAt, now)));
  for (const c of welcome) {
    try {
      await tx.transaction((sp) => claimIn(sp, userId, c.id, "WELCOME", now));
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
    }
  }
}

export type HeldCoupon = { held: UserCouponRow; coupon: CouponRow };

/** Coupons the person may use in this store now (store coupons only: platform ones need platform funding, not built yet). */
export async function usableCoupons(db: Db, userId: string, storeId: string, now: Date): Promise<HeldCoupon[]> {
  return db
    .select({ held: userCoupons, coupon: coupons })
    .from(userCoupons)
    .innerJoin(coupons, eq(coupons.id, userCoupons.couponId))
    .where(and(eq(userCoupons.userId, userId), eq(userCoupons.status, "AVAILABLE"), eq(coupons.storeId, storeId), eq(coupons.issuer, "STORE"), gt(coupons.usableUntil, now)))
    .orderBy(coupons.usableUntil, userCoupons.id)
    .limit(50);
}

export const candidatesOf = (held: HeldCoupon[]): CandidateCoupon[] =>
  held.map((h) => toCandidate(h.held.id, { ...h.coupon, amountFen: Number(h.coupon.amountFen), thresholdFen: Number(h.coupon.thresholdFen), capFen: h.coupon.capFen === null ? null : Number(h.coupon.capFen) }));

/** Marks the applied coupons USED by the order, inside its transaction; false if one was taken meanwhile. */
export async function useCoupons(tx: Db, userId: string, ids: string[], orderId: string, now: Date): Promise<boolean> {
  if (!ids.length) return true;
  const used = await tx
    .update(userCoupons)
    .set({ status: "USED", orderId, usedAt: now })
    .where(and(inArray(userCoupons.id, ids), eq(userCoupons.userId, userId), eq(userCoupons.status, "AVAILABLE")))
    .returning({ id: userCoupons.id });
  return used.length === ids.length;
}

/** An order that was called off (unpaid and expired or cancelled, or refunded in full) gives its coupons back. */
export async function returnCoupons(tx: Db, orderId: string) {
  await tx.update(userCoupons).set({ status: "AVAILABLE", orderId: null, usedAt: null }).where(eq(userCoupons.orderId, orderId));
}

/** A store's coupon centre: coupons claimable now, with how many the viewer holds. */
export async function claimableCoupons(db: Db, storeSlug: string, now: Date) {
  const [store] = await db.select({ id: stores.id }).from(stores).where(eq(stores.slug, storeSlug));
  if (!store) return null;
  return db
    .select()
    .from(coupons)
    .where(and(eq(coupons.storeId, store.id), eq(coupons.welcome, false), isNull(coupons.disabledAt), lte(coupons.claimStartsAt, now), gt(coupons.claimEndsAt, now)))
    .orderBy(desc(coupons.createdAt))
    .limit(50);
}

export async function claimedCounts(db: Db, userId: string, couponIds: string[]): Promise<Map<string, number>> {
  if (!couponIds.length) return new Map();
  const rows = await db.select().from(couponClaims).where(and(eq(couponClaims.userId, userId), inArray(couponClaims.couponId, couponIds)));
  return new Map(rows.map((r) => [r.couponId, r.count]));
}

const heldWithCoupon = (db: Db) =>
  db
    .select({ held: userCoupons, coupon: coupons, storeSlug: stores.slug, storeName: stores.name })
    .from(userCoupons)
    .innerJoin(coupons, eq(coupons.id, userCoupons.couponId))
    .leftJoin(stores, eq(stores.id, coupons.storeId));

export async function myCoupon(db: Db, userId: string, userCouponId: string) {
  const [row] = await heldWithCoupon(db).where(and(eq(userCoupons.id, userCouponId), eq(userCoupons.userId, userId)));
  return row;
}

export function myCoupons(db: Db, userId: string, window: { offset: number; limit: number }) {
  return heldWithCoupon(db)
    .where(eq(userCoupons.userId, userId))
    .orderBy(desc(userCoupons.createdAt), desc(userCoupons.id))
    .offset(window.offset)
    .limit(window.limit + 1);
}

export function storeCoupons(db: Db, storeId: string, window: { offset: number; limit: number }) {
  return db
    .select({
      coupon: coupons,
      // Qualified by hand: drizzle renders ${coupons.id} unqualified ("id") in a one-table select, which is ambiguous here.
      used: sql<number>`(select count(*)::int from user_coupons u join orders o on o.id = u.order_id where u.coupon_id = "coupons"."id" and u.status = 'USED' and o.paid_at is not null)`,
    })
    .from(coupons)
    .where(eq(coupons.storeId, storeId))
    .orderBy(desc(coupons.createdAt), desc(coupons.id))
    .offset(window.offset)
    .limit(window.limit + 1);
}
