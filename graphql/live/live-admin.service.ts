import { and, count, desc, eq, inArray, isNotNull, sql, sum } from "drizzle-orm";
import type { Db } from "@/db/client";
import { anchors, liveComments, lives, moderationWords, orders, realNames, users } from "@/db/schema";
import { decryptPii } from "../platform/crypto";
import { maskName } from "../platform/mask";

export type AnchorApplicationRow = {
  userId: string;
  nickname: string;
  realName: string;
  status: string;
  tier: number;
  appliedAt: Date;
  sessions: number;
  gmv: number;
  violations: number;
};

/**
 * The operator's anchor queue: each applicant with their masked real name, lives hosted, the GMV of
 * paid orders placed from those lives, and violations (their own comments the filter held, and
 * their lives an operator ended). A bounded number of queries whatever the list's length.
 */
export async function anchorApplications(db: Db, filter: { status?: string | null; userId?: string }, limit = 100): Promise<AnchorApplicationRow[]> {
  const rows = await db
    .select({ anchor: anchors, nickname: users.nickname, nameEnc: realNames.nameEnc })
    .from(anchors)
    .innerJoin(users, eq(users.id, anchors.userId))
    .leftJoin(realNames, eq(realNames.userId, anchors.userId))
    .where(and(filter.status ? eq(anchors.status, filter.status as typeof anchors.$inferSelect.status) : undefined, filter.userId ? eq(anchors.userId, filter.userId) : undefined))
    .orderBy(desc(anchors.createdAt))
    .limit(limit);
  if (!rows.length) return [];
  const ids = rows.map((r) => r.anchor.userId);
  const [sessions, gmv, held, ended] = await Promise.all([
    db.select({ userId: lives.hostUserId, n: count() }).from(lives).where(and(inArray(lives.hostUserId, ids), isNotNull(lives.startedAt))).groupBy(lives.hostUserId),
    db
      .select({ userId: lives.hostUserId, total: sum(orders.totalAmount) })
      .from(orders)
      .innerJoin(lives, eq(lives.id, orders.liveId))
      .where(and(inArray(lives.hostUserId, ids), isNotNull(orders.paidAt), sql`${orders.status} <> 'CANCELLED'`))
      .groupBy(lives.hostUserId),
    db.select({ userId: liveComments.userId, n: count() }).from(liveComments).where(and(inArray(liveComments.userId, ids), eq(liveComments.verdict, "HOLD"))).groupBy(liveComments.userId),
    db.select({ userId: lives.hostUserId, n: count() }).from(lives).where(and(inArray(lives.hostUserId, ids), isNotNull(lives.endedBy))).groupBy(lives.hostUserId),
  ]);
  const by = <T extends { userId: string }>(list: T[], pick: (t: T) => unknown) => new Map(list.map((x) => [x.userId, Number(pick(x) ?? 0)]));
  const [s, g, h, e] = [by(sessions, (x) => x.n), by(gmv, (x) => x.total), by(held, (x) => x.n), by(ended, (x) => x.n)];
  return rows.map((r) => ({
    userId: r.anchor.userId,
    nickname: r.nickname,
    realName: r.nameEnc ? maskName(decryptPii(r.nameEnc)) : "未实名",
    status: r.anchor.status,
    tier: r.anchor.tier,
    appliedAt: r.anchor.createdAt,
    sessions: s.get(r.anchor.userId) ?? 0,
    gmv: g.get(r.anchor.userId) ?? 0,
    violations: (h.get(r.anchor.userId) ?? 0) + (e.get(r.anchor.userId) ?? 0),
  }));
}

/** Comments the filter held, oldest first (the queue an operator works through). */
export async function heldComments(db: Db, limit = 100) {
  return db
    .select({ comment: liveComments, nickname: users.nickname, liveTitle: lives.title })
    .from(liveComments)
    .innerJoin(users, eq(users.id, liveComments.userId))
    .innerJoin(lives, eq(lives.id, liveComments.liveId))
    .where(eq(liveComments.status, "HELD"))
    .orderBy(liveComments.createdAt)
    .limit(limit);
}

/** Lives on air now and the latest replays, for the operator's live console. */
export async function livesForOperator(db: Db, limit = 50) {
  const [onAir, replays] = await Promise.all([
    db.select({ live: lives, host: users.nickname }).from(lives).innerJoin(users, eq(users.id, lives.hostUserId)).where(eq(lives.status, "LIVE")).orderBy(desc(lives.startedAt)).limit(limit),
    db.select({ live: lives, host: users.nickname }).from(lives).innerJoin(users, eq(users.id, lives.hostUserId)).where(eq(lives.status, "ENDED")).orderBy(desc(lives.endedAt)).limit(limit),
  ]);
  return [...onAir, ...replays];
}

/** The words operators added to the shipped lists, newest first. */
export async function addedWords(db: Db, limit = 500) {
  return db.select().from(moderationWords).orderBy(desc(moderationWords.createdAt), sql`${moderationWords.term}`).limit(limit);
}
