import { and, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { auditLog, behaviourEvents, liveBans, liveComments, lives, moderationWords, users } from "@/db/schema";
import { DomainError } from "../core/errors";
import { isUuid } from "../core/ids";
import { hitRateLimits } from "../platform/rate-limit";
import { publishLiveEvent } from "./live-bus";
import { CommentErrorCode, LiveErrorCode, MAX_COMMENT_CHARS } from "./live.rules";
import { compileLists, moderate, type CompiledLists, type WordCategory } from "./moderation.rules";
import { shippedWordLists } from "./moderation-words";
import type { LiveOwner } from "./live.service";

type Ctx = { db: Db; now: Date };
export type CommentRow = typeof liveComments.$inferSelect;

/** Per person: a comment every 2 seconds at most (20 per 40 s), so one viewer cannot flood a room. */
export const COMMENT_RATE_LIMIT = { limit: 20, windowMs: 40_000 };
const MATCHER_TTL_MS = 30_000;

let matcher: { compiled: CompiledLists; until: number } | null = null;

/**
 * The shipped lists plus the words operators added, compiled; rebuilt at most every 30 s (and at
 * once on this instance when an operator adds a word), so every instance follows within 30 s.
 */
export async function currentMatcher(db: Db, now: Date): Promise<CompiledLists> {
  if (matcher && now.getTime() < matcher.until) return matcher.compiled;
  const shipped = shippedWordLists();
  const added = await db.select({ category: moderationWords.category, term: moderationWords.term }).from(moderationWords);
  const extra = (c: string) => added.filter((a) => a.category === c).map((a) => a.term);
  const compiled = compileLists({
    HOLD: [...shipped.HOLD, ...extra("HOLD")],
    MASK: [...shipped.MASK, ...extra("MASK")],
    AD_LAW: [...shipped.AD_LAW, ...extra("AD_LAW")],
    ALLOW: [...shipped.ALLOW, ...extra("ALLOW")],
  });
  matcher = { compiled, until: now.getTime() + MATCHER_TTL_MS };
  return compiled;
}

/** An operator extends a list; audited. Takes effect on this instance at once, on others within 30 s. */
export async function addModerationWord(ctx: Ctx, operatorId: string, category: WordCategory | "ALLOW", term: string) {
  const clean = term.trim();
  if (clean.length < 1 || clean.length > 30) throw new DomainError("INVALID_TERM", "词语需 1–30 个字", "term");
  await ctx.db.transaction(async (tx) => {
    await tx.insert(moderationWords).values({ category, term: clean, createdBy: operatorId, createdAt: ctx.now }).onConflictDoNothing();
    await tx.insert(auditLog).values({ actorUserId: operatorId, action: "moderation.add_word", subjectType: "moderation_word", subjectId: category, detail: clean, createdAt: ctx.now });
  });
  matcher = null;
}

const commentError = (code: keyof typeof CommentErrorCode, message: string, field: string | null = null) => new DomainError(code, message, field);

/**
 * A viewer comments. The text passes the filter before anyone sees it: delivered as is, delivered
 * masked, or held for an operator (the writer is told it is under review; nobody else sees it).
 * Muted and blocked viewers, everyone but the host while 全员禁言 is on, empty or over-long text,
 * and floods are refused with nothing written.
 */
export async function postComment(ctx: Ctx, userId: string, liveId: string, text: string): Promise<CommentRow> {
  if (!isUuid(liveId)) throw commentError("LIVE_NOT_FOUND", "直播不存在", "liveId");
  const body = text.trim();
  if (!body) throw commentError("EMPTY_COMMENT", "请输入评论内容", "text");
  if ([...body].length > MAX_COMMENT_CHARS) throw commentError("TOO_LONG", `评论最多 ${MAX_COMMENT_CHARS} 个字`, "text");
  const [live] = await ctx.db.select({ status: lives.status, hostUserId: lives.hostUserId, commentsMutedAt: lives.commentsMutedAt }).from(lives).where(eq(lives.id, liveId));
  if (!live) throw commentError("LIVE_NOT_FOUND", "直播不存在", "liveId");
  if (live.status !== "LIVE") throw commentError("NOT_LIVE", "直播未在进行中", "liveId");
  const bans = await ctx.db.select({ kind: liveBans.kind }).from(liveBans).where(and(eq(liveBans.liveId, liveId), eq(liveBans.userId, userId)));
  if (bans.some((b) => b.kind === "BLOCK")) throw commentError("BLOCKED", "你已被移出该直播间", "liveId");
  if (bans.some((b) => b.kind === "MUTE")) throw commentError("MUTED", "你已被禁言", "text");
  // 全员禁言 silences the audience, not the host (who still answers in the chat).
  if (live.commentsMutedAt && live.hostUserId !== userId) throw commentError("COMMENTS_MUTED", "主播已开启全员禁言", "text");
  if (!(await hitRateLimits(ctx.db, [{ key: `comment:${userId}`, ...COMMENT_RATE_LIMIT }], ctx.now))) throw commentError("RATE_LIMITED", "发言太频繁，请稍后再试", "text");
  const verdict = moderate(body, await currentMatcher(ctx.db, ctx.now), "COMMENT");
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(liveComments)
      .values({
        liveId,
        userId,
        body: verdict.masked,
        original: body,
        verdict: verdict.action,
        hits: verdict.hits.map((h) => ({ term: h.term, category: h.category })),
        status: verdict.action === "HOLD" ? "HELD" : "VISIBLE",
        createdAt: ctx.now,
      })
      .returning();
    if (row.status === "VISIBLE") await broadcastComment(tx, row, ctx.now);
    await recordBehaviour(tx, userId, { kind: "COMMENT", liveId }, ctx.now);
    return row;
  });
}

async function broadcastComment(tx: Db, row: CommentRow, now: Date) {
  const [author] = await tx.select({ nickname: users.nickname }).from(users).where(eq(users.id, row.userId));
  await publishLiveEvent(tx, row.liveId, "COMMENT", { id: row.id, nickname: author?.nickname ?? "用户", body: row.body }, now);
}

/** Behaviour events feed profiles and recommendations; none for people who switched personalisation off (PIPL Art. 24). */
export async function recordBehaviour(tx: Db, userId: string, e: { kind: string; liveId?: string; productId?: string; value?: number }, now: Date) {
  const [u] = await tx.select({ on: users.personalizationEnabled }).from(users).where(eq(users.id, userId));
  if (!u?.on) return;
  await tx.insert(behaviourEvents).values({ userId, viewerKey: `u:${userId}`, kind: e.kind, liveId: e.liveId ?? null, productId: e.productId ?? null, value: e.value ?? 1, createdAt: now });
}

/** The host deletes a comment (viewers drop it) or pins it above the chat. */
export async function moderateComment(ctx: Ctx, owner: LiveOwner, commentId: string, action: "DELETE" | "PIN", byUserId: string): Promise<CommentRow> {
  if (!isUuid(commentId)) throw new DomainError(LiveErrorCode.LIVE_NOT_FOUND, "评论不存在", "commentId");
  return ctx.db.transaction(async (tx) => {
    const [found] = await tx.select({ comment: liveComments, live: lives }).from(liveComments).innerJoin(lives, eq(lives.id, liveComments.liveId)).where(eq(liveComments.id, commentId)).for("update", { of: liveComments });
    const mine = found && ("operator" in owner || ("storeId" in owner ? found.live.storeId === owner.storeId : found.live.supplierId === owner.supplierId));
    if (!mine) throw new DomainError(LiveErrorCode.LIVE_NOT_FOUND, "评论不存在", "commentId");
    // Only what the room may see can be pinned: a held or rejected comment stays with the operators.
    if (action === "PIN" && found.comment.status !== "VISIBLE") throw new DomainError(LiveErrorCode.INVALID_STATE, "只能置顶已展示的评论", "commentId");
    const [row] = await tx
      .update(liveComments)
      .set(action === "DELETE" ? { status: "DELETED", moderatedBy: byUserId } : { pinnedAt: ctx.now, moderatedBy: byUserId })
      .where(eq(liveComments.id, commentId))
      .returning();
    await publishLiveEvent(tx, row.liveId, action === "DELETE" ? "COMMENT_DELETED" : "COMMENT_PINNED", action === "DELETE" ? { id: row.id } : { id: row.id, body: row.body }, ctx.now);
    return row;
  });
}

/** An operator releases a held comment (broadcast then) or rejects it (never shown). */
export async function reviewHeldComment(ctx: Ctx, operatorId: string, commentId: string, release: boolean): Promise<CommentRow> {
  if (!isUuid(commentId)) throw new DomainError("COMMENT_NOT_FOUND", "评论不存在", "commentId");
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(liveComments)
      .set({ status: release ? "VISIBLE" : "REJECTED", moderatedBy: operatorId })
      .where(and(eq(liveComments.id, commentId), eq(liveComments.status, "HELD")))
      .returning();
    if (!row) throw new DomainError("COMMENT_NOT_FOUND", "评论不存在或已处理", "commentId");
    if (release) await broadcastComment(tx, row, ctx.now);
    await tx.insert(auditLog).values({ actorUserId: operatorId, action: release ? "comment.release" : "comment.reject", subjectType: "live_comment", subjectId: row.id, detail: row.original, createdAt: ctx.now });
    return row;
  });
}

/** The host mutes (no comments) or blocks (out of the room) a viewer for this live. */
export async function banViewer(ctx: Ctx, owner: LiveOwner, liveId: string, userId: string, kind: "MUTE" | "BLOCK", byUserId: string): Promise<void> {
  if (!isUuid(liveId) || !isUuid(userId)) throw new DomainError(LiveErrorCode.LIVE_NOT_FOUND, "直播不存在", "liveId");
  await ctx.db.transaction(async (tx) => {
    const [live] = await tx.select().from(lives).where(eq(lives.id, liveId));
    const mine = live && ("operator" in owner || ("storeId" in owner ? live.storeId === owner.storeId : live.supplierId === owner.supplierId));
    if (!mine) throw new DomainError(LiveErrorCode.LIVE_NOT_FOUND, "直播不存在", "liveId");
    await tx.insert(liveBans).values({ liveId, userId, kind, byUserId, createdAt: ctx.now }).onConflictDoNothing();
    await publishLiveEvent(tx, liveId, kind === "MUTE" ? "VIEWER_MUTED" : "VIEWER_BLOCKED", { userId }, ctx.now);
  });
}

/** The latest visible comments of a room (pinned ones first), for a viewer joining. */
export async function recentComments(db: Db, liveId: string, limit = 30) {
  const rows = await db
    .select({ comment: liveComments, nickname: users.nickname })
    .from(liveComments)
    .innerJoin(users, eq(users.id, liveComments.userId))
    .where(and(eq(liveComments.liveId, liveId), inArray(liveComments.status, ["VISIBLE"])))
    .orderBy(desc(liveComments.createdAt))
    .limit(limit);
  return rows.reverse();
}

/** What a viewer joining sees of the chat: the latest visible comments plus their own held ones (marked 审核中 for them), oldest first. */
export async function commentsFor(db: Db, liveId: string, forUserId: string | null) {
  const visible = await recentComments(db, liveId);
  const mineHeld = forUserId
    ? await db
        .select({ comment: liveComments, nickname: users.nickname })
        .from(liveComments)
        .innerJoin(users, eq(users.id, liveComments.userId))
        .where(and(eq(liveComments.liveId, liveId), eq(liveComments.userId, forUserId), eq(liveComments.status, "HELD")))
    : [];
  return [...visible, ...mineHeld].sort((a, b) => a.comment.createdAt.getTime() - b.comment.createdAt.getTime());
}

/** The writer of a comment in this live (a host bans by comment), or null. */
export async function writerOf(db: Db, liveId: string, commentId: string): Promise<string | null> {
  if (!isUuid(liveId) || !isUuid(commentId)) return null;
  const [c] = await db.select({ userId: liveComments.userId }).from(liveComments).where(and(eq(liveComments.id, commentId), eq(liveComments.liveId, liveId)));
  return c?.userId ?? null;
}
