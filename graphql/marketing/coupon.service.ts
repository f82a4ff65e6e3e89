import { and, desc, eq, gt, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditLog, couponClaims, coupons, listings, pointsMallItems, products, stores, userCoupons } from "@/db/schema";
import { DomainError } from "../core/errors";
import { isUuid } from "../core/ids";
import { checkCouponDraft, ClaimErrorCode, CouponErrorCode, toCandidate, type CouponDraft } from "./coupon.rules";
import type { CandidateCoupon } from "./pricing.rules";

import { liveBans, liveTasks, lives } from "@/db/schema";
type Ctx = { db: Db; now: Date };
export type CouponRow = typeof coupons.$inferSelect;
export type UserCouponRow = typeof userCoupons.$inferSelect;

/** What a merchant fills in: the draft the rules check, plus scope and the welcome flag. */
export type CouponInput = Omit<CouponDraft, "now"> & { productIds: string[] | null; welcome: boolean; /** Set only by the live service: a live-only coupon. */ liveId?: string | null };

/** A merchant issues a store coupon (funded from their own margin). Product scope must be their own listings. */
export async function createStoreCoupon(ctx: Ctx, storeId: string, userId: string, input: CouponInput): Promise<CouponRow> {
  checkDraft(ctx, input);
  const productIds = scopeOf(input);
  if (productIds) {
    const listed = await ctx.db
      .select({ productId: listings.productId })
      .from(listings)
      .where(and(eq(listings.storeId, storeId), inArray(listings.productId, productIds)));
    if (listed.length !== productIds.length) throw new DomainError(CouponErrorCode.PRODUCT_NOT_LISTED, "只能指定本店在售的商品", "productIds");
  }
  const [row] = await ctx.db.insert(coupons).values(couponValues(ctx, "STORE", storeId, userId, input, productIds)).returning();
  return row;
}

/**
 * The operator issues a platform coupon (funded by the platform as marketing expense: the merchant
 * is paid as if the consumer had paid in cash). Usable in every store, or only on the named
 * products wherever they are sold. Audit-logged in the same transaction.
 */
export async function createPlatformCoupon(ctx: Ctx, userId: string, input: CouponInput): Promise<CouponRow> {
  checkDraft(ctx, input);
  const productIds = scopeOf(input);
  if (productIds) {
    const known = await ctx.db.select({ id: products.id }).from(products).where(inArray(products.id, productIds));
    if (known.length !== productIds.length) throw new DomainError(CouponErrorCode.PRODUCT_NOT_LISTED, "指定的商品不存在", "productIds");
  }
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.insert(coupons).values(couponValues(ctx, "PLATFORM", null, userId, input, productIds)).returning();
    await tx.insert(auditLog).values({ actorUserId: userId, action: "coupon.create", subjectType: "coupon", subjectId: row.id, detail: `${row.title} ×${row.totalQuantity}`, createdAt: ctx.now });
    return row;
  });
}

/**
 * Stops a coupon from being claimed (what people already hold stays usable until its date: they
 * were promised it). A merchant may stop only their store's coupons, the operator only platform ones.
 */
export async function disableCoupon(ctx: Ctx, owner: { storeId: string } | { platform: true; userId: string }, couponId: string): Promise<CouponRow> {
  if (!isUuid(couponId)) throw new DomainError(CouponErrorCode.COUPON_NOT_FOUND, "优惠券不存在", "couponId");
  return ctx.db.transaction(async (tx) => {
    const mine = "storeId" in owner ? eq(coupons.storeId, owner.storeId) : eq(coupons.issuer, "PLATFORM");
    const [row] = await tx
      .update(coupons)
      .set({ disabledAt: sql`coalesce(${coupons.disabledAt}, ${ctx.now.toISOString()}::timestamptz)` })
      .where(and(eq(coupons.id, couponId), mine))
      .returning();
    if (!row) throw new DomainError(CouponErrorCode.COUPON_NOT_FOUND, "优惠券不存在", "couponId");
    if ("platform" in owner) {
      await tx.insert(auditLog).values({ actorUserId: owner.userId, action: "coupon.disable", subjectType: "coupon", subjectId: row.id, detail: row.title, createdAt: ctx.now });
    }
    return row;
  });
}

function checkDraft(ctx: Ctx, input: CouponInput) {
  const problem = checkCouponDraft({ ...input, now: ctx.now });
  if (problem) throw new DomainError(problem.code, problem.message, problem.field);
}

function scopeOf(input: CouponInput): string[] | null {
  const productIds = input.productIds?.length ? [...new Set(input.productIds)] : null;
  if (productIds && (productIds.length > 50 || !productIds.every(isUuid))) throw new DomainError(CouponErrorCode.PRODUCT_NOT_LISTED, "适用商品无效", "productIds");
  return productIds;
}

function couponValues(ctx: Ctx, issuer: "STORE" | "PLATFORM", storeId: string | null, userId: string, input: CouponInput, productIds: string[] | null) {
  return {
    issuer,
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
    liveId: input.liveId ?? null,
    createdBy: userId,
    createdAt: ctx.now,
  };
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

/**
 * Gives one coupon inside the caller's transaction exactly as claiming does (window, 每人限领, 总量):
 * the points mall's path (source POINTS_MALL), after it took the points.
 */
export function claimCouponIn(tx: Db, userId: string, couponId: string, source: string, now: Date): Promise<UserCouponRow> {
  return claimIn(tx, userId, couponId, source, now);
}

/** TASK: the coupon is a task's reward of that live. LIVE: the live is on now and the coupon is not a task reward. */
async function liveClaimAllowed(tx: Db, liveId: string, couponId: string, source: string, userId: string): Promise<boolean> {
  const [task] = await tx.select({ id: liveTasks.id }).from(liveTasks).where(eq(liveTasks.couponId, couponId)).limit(1);
  if (source === "TASK") return Boolean(task);
  if (source !== "LIVE" || task) return false;
  // Someone the host blocked from the room does not claim its coupons either.
  const [blocked] = await tx.select({ userId: liveBans.userId }).from(liveBans).where(and(eq(liveBans.liveId, liveId), eq(liveBans.userId, userId), eq(liveBans.kind, "BLOCK")));
  if (blocked) return false;
  const [live] = await tx.select({ status: lives.status }).from(lives).where(eq(lives.id, liveId));
  return live?.status === "LIVE";
}

async function soldForPoints(tx: Db, couponId: string): Promise<boolean> {
  const [item] = await tx.select({ id: pointsMallItems.id }).from(pointsMallItems).where(eq(pointsMallItems.couponId, couponId)).limit(1);
  return Boolean(item);
}

async function claimIn(tx: Db, userId: string, couponId: string, source: string, now: Date): Promise<UserCouponRow> {
  const [coupon] = await tx.select().from(coupons).where(eq(coupons.id, couponId));
  if (!coupon) throw new DomainError(ClaimErrorCode.COUPON_NOT_FOUND, "优惠券不存在", "couponId");
  // Welcome coupons (邀请有礼) are only given at an invited registration, never claimed.
  if (coupon.disabledAt || now < coupon.claimStartsAt || now >= coupon.claimEndsAt || (coupon.welcome && source !== "WELCOME")) {
    throw new DomainError(ClaimErrorCode.NOT_CLAIMABLE, "不在领取时间内", "couponId");
  }
  // A live-only coupon is claimed in its room while it is live, or given as a live task's reward.
  if (coupon.liveId && !(await liveClaimAllowed(tx, coupon.liveId, couponId, source, userId))) {
    throw new DomainError(ClaimErrorCode.NOT_CLAIMABLE, source === "TASK" ? "该券不是任务奖励" : "该券仅限直播中在直播间领取", "couponId");
  }
  // A coupon sold for points in the points mall is only given there, never claimed for free.
  if (source !== "POINTS_MALL" && (await soldForPoints(tx, couponId))) throw new DomainError(ClaimErrorCode.NOT_CLAIMABLE, "该券仅可在积分商城兑换", "couponId");
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
 * 邀请有礼: a person who registered through an invite gets each welcome coupon of the platform, and
 * of the store the invite came through, that can be claimed now. Runs in the registration's
 * transaction; a coupon that ran out (or was already given) is skipped without failing the
 * registration.
 */
export async function issueWelcomeCoupons(tx: Db, userId: string, storeId: string | null, now: Date) {
  const whose = storeId ? or(eq(coupons.issuer, "PLATFORM"), eq(coupons.storeId, storeId)) : eq(coupons.issuer, "PLATFORM");
  const welcome = await tx
    .select({ id: coupons.id })
    .from(coupons)
    .where(and(whose, eq(coupons.welcome, true), isNull(coupons.liveId), isNull(coupons.disabledAt), lte(coupons.claimStartsAt, now), gt(coupons.claimEndsAt, now)))
    .orderBy(coupons.createdAt, coupons.id);
  for (const c of welcome) {
    try {
      await tx.transaction((sp) => claimIn(sp, userId, c.id, "WELCOME", now));
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
    }
  }
}

export type HeldCoupon = { held: UserCouponRow; coupon: CouponRow };

/** Coupons the person may use in this store now: the store's own and the platform's. */
export async function usableCoupons(db: Db, userId: string, storeId: string, now: Date): Promise<HeldCoupon[]> {
  return db
    .select({ held: userCoupons, coupon: coupons })
    .from(userCoupons)
    .innerJoin(coupons, eq(coupons.id, userCoupons.couponId))
    .where(
      and(
        eq(userCoupons.userId, userId),
        eq(userCoupons.status, "AVAILABLE"),
        or(and(eq(coupons.issuer, "STORE"), eq(coupons.storeId, storeId)), eq(coupons.issuer, "PLATFORM")),
        gt(coupons.usableUntil, now),
      ),
    )
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

/** A store's coupon centre: the store's coupons claimable now, then the platform's (usable in every store). */
export async function claimableCoupons(db: Db, storeSlug: string, now: Date) {
  const [store] = await db.select({ id: stores.id }).from(stores).where(eq(stores.slug, storeSlug));
  if (!store) return null;
  return db
    .select()
    .from(coupons)
    .where(
      and(
        or(eq(coupons.storeId, store.id), eq(coupons.issuer, "PLATFORM")),
        eq(coupons.welcome, false),
        // Coupons of the points mall are not free to claim (qualified by hand, as in issuedCoupons).
        sql`not exists (select 1 from points_mall_items m where m.coupon_id = "coupons"."id")`,
        // Live-only coupons are claimed in their room, never in the coupon centre.
        isNull(coupons.liveId),
        isNull(coupons.disabledAt),
        lte(coupons.claimStartsAt, now),
        gt(coupons.claimEndsAt, now),
      ),
    )
    .orderBy(desc(sql`${coupons.issuer} = 'STORE'`), desc(coupons.createdAt))
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

/** A store's coupons (merchant console) or the platform's (operator console), newest first, with the number used in paid orders. */
export function issuedCoupons(db: Db, issuer: { storeId: string } | "PLATFORM", window: { offset: number; limit: number }) {
  return db
    .select({
      coupon: coupons,
      // Qualified by hand: drizzle renders ${coupons.id} unqualified ("id") in a one-table select, which is ambiguous here.
      used: sql<number>`(select count(*)::int from user_coupons u join orders o on o.id = u.order_id where u.coupon_id = "coupons"."id" and u.status = 'USED' and o.paid_at is not null)`,
    })
    .from(coupons)
    .where(issuer === "PLATFORM" ? eq(coupons.issuer, "PLATFORM") : eq(coupons.storeId, issuer.storeId))
    .orderBy(desc(coupons.createdAt), desc(coupons.id))
    .offset(window.offset)
    .limit(window.limit + 1);
}
