import { and, desc, eq, ne, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { invites, orderLines, rewards, teamMembers, users } from "@/db/schema";
import { ensureMember } from "./binding.service";
import { ruleSetAt } from "./rule-set.service";
import { teamStatsOf } from "./team-stats.service";

type Window = { offset: number; limit: number };

/** The viewer's place in 链动2+1 and progress toward 团长. */
export async function referralSummary(db: Db, userId: string, now: Date) {
  const member = await db.transaction((tx) => ensureMember(tx, userId, now));
  const rules = await ruleSetAt(db, now);
  const [{ directs }] = await db.select({ directs: sql<number>`count(*)::int` }).from(invites).where(eq(invites.inviterId, userId));
  const stats = await teamStatsOf(db, userId);
  let leaderName: string | null = null;
  if (member.leaderId && member.leaderId !== userId) {
    const [leader] = await db.select({ nickname: users.nickname }).from(users).where(eq(users.id, member.leaderId));
    leaderName = leader?.nickname ?? null;
  }
  return { member, rules, directs: Number(directs), teamSize: stats.members, teamSales: stats.sales, leaderName };
}

/** People the viewer invited (DIRECT) or leads (TEAM), newest first, with whether each one counts. */
export async function teamList(db: Db, userId: string, relation: "DIRECT" | "TEAM", window: Window) {
  const base = db
    .select({
      userId: users.id,
      nickname: users.nickname,
      role: teamMembers.role,
      qualifiedAt: teamMembers.qualifiedAt,
      riskFlagged: invites.riskFlagged,
      inviterId: invites.inviterId,
      joinedAt: teamMembers.createdAt,
    })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .leftJoin(invites, eq(invites.userId, teamMembers.userId));
  const where =
    relation === "DIRECT"
      ? eq(invites.inviterId, userId)
      : and(eq(teamMembers.leaderId, userId), ne(teamMembers.userId, userId));
  // Newest first along an index: invites(inviter_id, bound_at) for DIRECT, team_members(leader_id, created_at) for TEAM.
  const order = relation === "DIRECT" ? [desc(invites.boundAt), desc(invites.userId)] : [desc(teamMembers.createdAt), desc(teamMembers.userId)];
  return base.where(where).orderBy(...order).offset(window.offset).limit(window.limit + 1);
}

/** The viewer's rewards, newest first, each traceable to its order line. */
export async function rewardList(db: Db, userId: string, status: "PENDING" | "SETTLED" | "REVERSED" | null, window: Window) {
  return db
    .select({
      reward: rewards,
      productTitle: orderLines.productTitle,
      skuLabel: orderLines.skuLabel,
      lineNo: orderLines.lineNo,
      buyerNickname: users.nickname,
    })
    .from(rewards)
    .innerJoin(orderLines, eq(orderLines.id, rewards.orderLineId))
    .innerJoin(users, eq(users.id, rewards.buyerId))
    .where(and(eq(rewards.receiverId, userId), status ? eq(rewards.status, status) : undefined))
    .orderBy(desc(rewards.createdAt), rewards.id)
    .offset(window.offset)
    .limit(window.limit + 1);
}

/** Pending / settled / reversed totals of the viewer's rewards. */
export async function rewardTotals(db: Db, userId: string) {
  const [row] = await db
    .select({
      pending: sql<string>`coalesce(sum(${rewards.amount} - ${rewards.reversedAmount}) filter (where ${rewards.status} = 'PENDING'), 0)`,
      settled: sql<string>`coalesce(sum(${rewards.amount} - ${rewards.reversedAmount}) filter (where ${rewards.status} = 'SETTLED'), 0)`,
      reversed: sql<string>`coalesce(sum(${rewards.reversedAmount}), 0)`,
    })
    .from(rewards)
    .where(eq(rewards.receiverId, userId));
  return { pending: Number(row.pending), settled: Number(row.settled), reversed: Number(row.reversed) };
}
