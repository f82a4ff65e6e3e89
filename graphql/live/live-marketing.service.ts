import { and, count, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { coupons, lives, liveTaskRewards, liveTasks, liveViewers } from "@/db/schema";
import { inviterOfCode } from "../referral/binding.service";
import { DomainError } from "../core/errors";
import { isUuid } from "../core/ids";
import { claimCouponIn, createStoreCoupon, type CouponInput, type CouponRow } from "../marketing/coupon.service";
import { notify } from "../notification/notification.service";

type Ctx = { db: Db; now: Date };

export const LiveMarketingErrorCode = {
  LIVE_NOT_FOUND: "LIVE_NOT_FOUND",
  INVALID_STATE: "INVALID_STATE",
  COUPON_NOT_FOUND: "COUPON_NOT_FOUND",
  INVALID_TARGET: "INVALID_TARGET",
} as const;

const fail = (code: keyof typeof LiveMarketingErrorCode, message: string, field: string | null = null) => new DomainError(code, message, field);

async function ownOpenLive(db: Db, storeId: string, liveId: string) {
  if (!isUuid(liveId)) throw fail("LIVE_NOT_FOUND", "直播不存在", "liveId");
  const [live] = await db.select().from(lives).where(and(eq(lives.id, liveId), eq(lives.storeId, storeId)));
  if (!live) throw fail("LIVE_NOT_FOUND", "直播不存在", "liveId");
  if (live.status === "ENDED" || live.status === "CANCELLED") throw fail("INVALID_STATE", "直播已结束", "liveId");
  return live;
}

/**
 * A live-only coupon (直播专享券): a store coupon (funded from the merchant's margin, same rules and
 * floor) that can be claimed only in this live's room while it is live — or, when a task names it,
 * only as that task's reward. Never listed in the coupon centre.
 */
export async function createLiveCoupon(ctx: Ctx, storeId: string, userId: string, liveId: string, input: CouponInput): Promise<CouponRow> {
  const live = await ownOpenLive(ctx.db, storeId, liveId);
  return createStoreCoupon(ctx, storeId, userId, { ...input, welcome: false, liveId: live.id });
}

/** The live-only coupons of a room (claimable ones first), for the room's coupon strip. */
export async function liveCoupons(db: Db, liveId: string) {
  return db
    .select()
    .from(coupons)
    .where(and(eq(coupons.liveId, liveId), sql`not exists (select 1 from live_tasks t where t.coupon_id = "coupons"."id")`, sql`${coupons.disabledAt} is null`))
    .orderBy(coupons.createdAt);
}

/**
 * 邀请好友看直播: "bring N friends into the room → unlock a coupon". The coupon must be a live-only
 * coupon of this live (so it cannot also be claimed in the room or the centre).
 */
export async function createLiveTask(ctx: Ctx, storeId: string, liveId: string, input: { couponId: string; inviteTarget: number }) {
  const live = await ownOpenLive(ctx.db, storeId, liveId);
  if (!Number.isInteger(input.inviteTarget) || input.inviteTarget < 1 || input.inviteTarget > 50) throw fail("INVALID_TARGET", "邀请人数需为 1–50", "inviteTarget");
  if (!isUuid(input.couponId)) throw fail("COUPON_NOT_FOUND", "奖励券不存在", "couponId");
  const [coupon] = await ctx.db.select().from(coupons).where(and(eq(coupons.id, input.couponId), eq(coupons.liveId, live.id)));
  if (!coupon) throw fail("COUPON_NOT_FOUND", "奖励券需为本场直播的专享券", "couponId");
  const [task] = await ctx.db.insert(liveTasks).values({ liveId: live.id, couponId: coupon.id, inviteTarget: input.inviteTarget, createdAt: ctx.now }).returning();
  return task;
}

/** The share link's invite code → the sharer (null for a missing, malformed or unknown code). */
export async function sharerOf(db: Db, inviteCode: string | null | undefined): Promise<string | null> {
  return inviteCode && /^[0-9A-Za-z]{4,16}$/.test(inviteCode) ? inviterOfCode(db, inviteCode) : null;
}

/**
 * Who counts for a task: distinct signed-in people (never the sharer) who first entered the room
 * through the sharer's link. Anonymous devices do not count — a script opening connections without
 * a cookie would otherwise be a new "viewer" each time.
 */
const countedInvites = (liveId: string, sharerId: string) =>
  and(eq(liveViewers.liveId, liveId), eq(liveViewers.sharerId, sharerId), sql`${liveViewers.userId} is not null and ${liveViewers.userId} <> ${sharerId}`);

/**
 * A signed-in viewer arrived in the room through `sharerId`'s link for the first time: each of the
 * live's tasks the sharer has now completed (counted invites ≥ target) is rewarded once — the reward row's key makes a second completion a no-op — with the
 * task's coupon (source TASK) and a notification. A coupon that ran out is recorded without one.
 */
export async function creditInvites(tx: Db, liveId: string, sharerId: string, now: Date): Promise<number> {
  const tasks = await tx.select().from(liveTasks).where(eq(liveTasks.liveId, liveId));
  if (!tasks.length) return 0;
  const [{ n }] = await tx.select({ n: count() }).from(liveViewers).where(countedInvites(liveId, sharerId));
  let rewarded = 0;
  for (const task of tasks.filter((t) => Number(n) >= t.inviteTarget)) {
    const [row] = await tx.insert(liveTaskRewards).values({ taskId: task.id, userId: sharerId, createdAt: now }).onConflictDoNothing().returning();
    if (!row) continue;
    try {
      const held = await tx.transaction((sp) => claimCouponIn(sp, sharerId, task.couponId, "TASK", now));
      await tx.update(liveTaskRewards).set({ userCouponId: held.id }).where(and(eq(liveTaskRewards.taskId, task.id), eq(liveTaskRewards.userId, sharerId)));
      await notify(tx, { userId: sharerId, kind: "LIVE_TASK", title: "邀请任务完成", body: `已邀请 ${task.inviteTarget} 位好友进入直播间，奖励券已放入你的卡包`, link: "/me/coupons" }, now);
      rewarded++;
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
    }
  }
  return rewarded;
}

/** The live's tasks with the viewer's progress (distinct new viewers through their link) and whether they were rewarded. */
export async function tasksFor(db: Db, liveId: string, userId: string | null) {
  const tasks = await db.select({ task: liveTasks, coupon: coupons }).from(liveTasks).innerJoin(coupons, eq(coupons.id, liveTasks.couponId)).where(eq(liveTasks.liveId, liveId));
  if (!userId) return tasks.map((t) => ({ ...t, invited: 0, rewarded: false }));
  const [{ n }] = await db.select({ n: count() }).from(liveViewers).where(countedInvites(liveId, userId));
  const rewards = await db.select({ taskId: liveTaskRewards.taskId }).from(liveTaskRewards).where(eq(liveTaskRewards.userId, userId));
  const done = new Set(rewards.map((r) => r.taskId));
  return tasks.map((t) => ({ ...t, invited: Number(n), rewarded: done.has(t.task.id) }));
}
