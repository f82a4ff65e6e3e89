import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { anchors, auditLog, realNames } from "@/db/schema";
import { DomainError } from "../core/errors";
import { isUuid } from "../core/ids";
import { recordRealName, verifyIdentity } from "../referral/sharer.service";
import type { RealNameVerifier } from "../referral/real-name-verifier";

type Ctx = { db: Db; now: Date };
export type AnchorRow = typeof anchors.$inferSelect;

export const AnchorErrorCode = {
  REAL_NAME_REQUIRED: "REAL_NAME_REQUIRED",
  ANCHOR_NOT_FOUND: "ANCHOR_NOT_FOUND",
  INVALID_TIER: "INVALID_TIER",
  INVALID_NOTE: "INVALID_NOTE",
} as const;

/**
 * Applies to be an anchor. The real name must be verified — already (the same verification as
 * withdrawals), or now, with the name and ID number given here — and the application waits for an
 * operator. Re-applying after a rejection reopens it; applying again while pending changes nothing.
 */
export async function applyForAnchor(ctx: Ctx, userId: string, identity?: { name: string; idNumber: string } | null, verifier?: RealNameVerifier): Promise<AnchorRow> {
  const [verified] = await ctx.db.select({ at: realNames.verifiedAt }).from(realNames).where(eq(realNames.userId, userId));
  if (!verified && !identity) throw new DomainError(AnchorErrorCode.REAL_NAME_REQUIRED, "请先完成实名认证", "name");
  const checked = !verified && identity ? await verifyIdentity(ctx, identity, verifier) : null;
  return ctx.db.transaction(async (tx) => {
    if (checked) await recordRealName(tx, userId, checked, ctx.now);
    const [row] = await tx
      .insert(anchors)
      .values({ userId, status: "PENDING", createdAt: ctx.now })
      .onConflictDoUpdate({ target: anchors.userId, set: { status: "PENDING", note: null }, setWhere: eq(anchors.status, "REJECTED") })
      .returning();
    return row ?? (await tx.select().from(anchors).where(eq(anchors.userId, userId)))[0];
  });
}

/**
 * The operator approves (with a tier 1–5), rejects or suspends an anchor, with a note; audited.
 * Only an APPROVED anchor can start a live.
 */
export async function reviewAnchor(ctx: Ctx, operatorId: string, userId: string, decision: { status: "APPROVED" | "REJECTED" | "SUSPENDED"; tier?: number; note?: string | null }): Promise<AnchorRow> {
  if (!isUuid(userId)) throw new DomainError(AnchorErrorCode.ANCHOR_NOT_FOUND, "主播不存在", "userId");
  const tier = decision.tier ?? 1;
  if (!Number.isInteger(tier) || tier < 1 || tier > 5) throw new DomainError(AnchorErrorCode.INVALID_TIER, "等级需为 1–5", "tier");
  const note = decision.note?.trim() || null;
  if (decision.status !== "APPROVED" && (!note || note.length < 4)) throw new DomainError(AnchorErrorCode.INVALID_NOTE, "请填写原因（至少 4 个字）", "note");
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.update(anchors).set({ status: decision.status, tier, note, reviewedBy: operatorId, reviewedAt: ctx.now }).where(eq(anchors.userId, userId)).returning();
    if (!row) throw new DomainError(AnchorErrorCode.ANCHOR_NOT_FOUND, "主播不存在", "userId");
    await tx.insert(auditLog).values({ actorUserId: operatorId, action: `anchor.${decision.status.toLowerCase()}`, subjectType: "anchor", subjectId: userId, detail: note ?? `tier ${tier}`, createdAt: ctx.now });
    return row;
  });
}
