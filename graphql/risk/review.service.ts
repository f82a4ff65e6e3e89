import { and, eq, isNotNull, ne } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditLog, orders, rewards, riskReviews, teamMembers, users } from "@/db/schema";
import { DomainError } from "../core/errors";
import { normalizePhone } from "../identity/identity.rules";
import { blindIndex } from "../platform/crypto";
import { notify } from "../notification/notification.service";
import { settleReward } from "../referral/settlement.service";
import { freezeForReview } from "./risk.service";

type Ctx = { db: Db; now: Date };

export const ReviewErrorCode = {
  REVIEW_NOT_FOUND: "REVIEW_NOT_FOUND",
  REVIEW_CLOSED: "REVIEW_CLOSED",
  INVALID_NOTE: "INVALID_NOTE",
  MEMBER_NOT_FOUND: "MEMBER_NOT_FOUND",
  ALREADY_FROZEN: "ALREADY_FROZEN",
} as const;

function cleanNote(note: string): string {
  const n = note.trim();
  if (n.length < 2 || n.length > 200) throw new DomainError(ReviewErrorCode.INVALID_NOTE, "请填写 2–200 字的处理说明", "note");
  return n;
}

/** Finds a person by phone through the blind index (operators search by phone; nothing is decrypted). */
export async function memberByPhone(db: Db, phone: string) {
  const normalized = normalizePhone(phone);
  if (!normalized) return null;
  const [user] = await db.select({ id: users.id, nickname: users.nickname }).from(users).where(eq(users.phoneIndex, blindIndex("phone", normalized)));
  return user ?? null;
}

/**
 * The operator closes a review. CLEAR lifts what risk control did — the invite code works again,
 * or the person is unfrozen and the rewards that waited on the freeze (orders already settled)
 * move to the wallet now. CONFIRM keeps the measure in place. Audited; the person is notified.
 */
export async function resolveReview(ctx: Ctx, operatorId: string, input: { reviewId: string; decision: "CLEAR" | "CONFIRM"; note: string }) {
  const note = cleanNote(input.note);
  return ctx.db.transaction(async (tx) => {
    const [review] = await tx.select().from(riskReviews).where(eq(riskReviews.id, input.reviewId)).for("update");
    if (!review) throw new DomainError(ReviewErrorCode.REVIEW_NOT_FOUND, "审核单不存在", "reviewId");
    if (review.status !== "OPEN") throw new DomainError(ReviewErrorCode.REVIEW_CLOSED, "该审核单已处理", "reviewId");
    const status = input.decision === "CLEAR" ? "CLEARED" : "CONFIRMED";
    const [closed] = await tx
      .update(riskReviews)
      .set({ status, resolvedBy: operatorId, resolvedAt: ctx.now, resolution: note })
      .where(eq(riskReviews.id, review.id))
      .returning();
    if (input.decision === "CLEAR") {
      if (review.reason === "BULK_REGISTRATION") {
        await tx.update(teamMembers).set({ inviteDisabledAt: null }).where(eq(teamMembers.userId, review.userId));
        await notify(tx, { userId: review.userId, kind: "RISK_REVIEW", title: "邀请码已恢复", body: "平台审核完成，你的邀请码已恢复使用。", link: "/me/invite" }, ctx.now);
      } else {
        await unfreeze(tx, review.userId, ctx.now);
      }
    }
    await tx.insert(auditLog).values({
      actorUserId: operatorId,
      action: `risk_review.${input.decision.toLowerCase()}`,
      subjectType: "user",
      subjectId: review.userId,
      detail: JSON.stringify({ reviewId: review.id, reason: review.reason, note }),
      createdAt: ctx.now,
    });
    return closed;
  });
}

/** Unfreezes a person whose every freeze review is closed, settling what waited on the freeze. */
async function unfreeze(tx: Db, userId: string, now: Date) {
  const [stillOpen] = await tx
    .select({ id: riskReviews.id })
    .from(riskReviews)
    .where(and(eq(riskReviews.userId, userId), eq(riskReviews.status, "OPEN"), ne(riskReviews.reason, "BULK_REGISTRATION")))
    .limit(1);
  if (stillOpen) return;
  const [member] = await tx.update(teamMembers).set({ frozen: false }).where(and(eq(teamMembers.userId, userId), eq(teamMembers.frozen, true))).returning();
  if (!member) return;
  const waiting = await tx
    .select({ reward: rewards })
    .from(rewards)
    .innerJoin(orders, eq(orders.id, rewards.orderId))
    .where(and(eq(rewards.receiverId, userId), eq(rewards.status, "PENDING"), isNotNull(orders.settledAt)))
    .orderBy(rewards.createdAt, rewards.id)
    .for("update", { of: rewards });
  for (const { reward } of waiting) await settleReward(tx, reward, now);
  await notify(tx, { userId, kind: "RISK_REVIEW", title: "账户审核已通过", body: "审核完成，账户已恢复，待结算收益将按规则正常结算。", link: "/me/earnings" }, now);
}

/** The operator freezes a person by phone, with a note; it opens a MANUAL review. */
export async function freezeMember(ctx: Ctx, operatorId: string, input: { phone: string; note: string }) {
  const note = cleanNote(input.note);
  const member = await memberByPhone(ctx.db, input.phone);
  if (!member) throw new DomainError(ReviewErrorCode.MEMBER_NOT_FOUND, "没有该手机号的用户", "phone");
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.select({ frozen: teamMembers.frozen }).from(teamMembers).where(eq(teamMembers.userId, member.id)).for("update");
    if (row?.frozen) throw new DomainError(ReviewErrorCode.ALREADY_FROZEN, "该用户已在冻结审核中", "phone");
    if (!row) throw new DomainError(ReviewErrorCode.MEMBER_NOT_FOUND, "该用户尚未加入推广体系", "phone");
    await freezeForReview(tx, member.id, "MANUAL", { note }, ctx.now);
    await tx.insert(auditLog).values({ actorUserId: operatorId, action: "member.freeze", subjectType: "user", subjectId: member.id, detail: JSON.stringify({ note }), createdAt: ctx.now });
    const [review] = await tx.select().from(riskReviews).where(and(eq(riskReviews.userId, member.id), eq(riskReviews.status, "OPEN"), eq(riskReviews.reason, "MANUAL")));
    return review;
  });
}
