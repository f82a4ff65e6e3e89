import { eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { inviteAncestors, invites, rewards, teamMembers, users } from "@/db/schema";
import { lineRewards, type RewardParties } from "./referral.rules";
import { ruleSetAt } from "./rule-set.service";
import { recordTeamDelta } from "./team-stats.service";

/** Deeper than the capped closure holds: beyond every allowed maxDepth. */
const TOO_DEEP = 99;

/**
 * Who stands where relative to the buyer: a constant number of indexed lookups (the buyer's invite,
 * member row, capped ancestors, and the leader's row), whatever the size of the tree.
 */
export async function rewardParties(tx: Db, buyerId: string): Promise<RewardParties> {
  const [member] = await tx.select().from(teamMembers).where(eq(teamMembers.userId, buyerId));
  const [invite] = await tx.select().from(invites).where(eq(invites.userId, buyerId));
  const ancestors = await tx.select().from(inviteAncestors).where(eq(inviteAncestors.userId, buyerId));
  const depthOf = (id: string | null) => (id === buyerId ? 0 : (ancestors.find((a) => a.ancestorId === id)?.depth ?? TOO_DEEP));
  const leaderId = member?.leaderId ?? null;
  const [inviterMember, leaderMember] = await Promise.all([
    invite ? tx.select().from(teamMembers).where(eq(teamMembers.userId, invite.inviterId)).then((r) => r[0]) : undefined,
    leaderId ? tx.select().from(teamMembers).where(eq(teamMembers.userId, leaderId)).then((r) => r[0]) : undefined,
  ]);
  const peerId = leaderId && leaderId !== buyerId ? (leaderMember?.detachedFromId ?? null) : null;
  return {
    buyerId,
    inviter: invite && inviterMember ? { id: invite.inviterId, role: inviterMember.role } : null,
    leader: leaderId ? { id: leaderId, depth: depthOf(leaderId) } : null,
    peer: peerId ? { id: peerId, depth: depthOf(peerId) } : null,
    blocked: invite?.riskFlagged ?? false,
  };
}

/**
 * Computes and records the rewards of a paid order, inside the payment's transaction, with the rule
 * set in force at payment time. Idempotent per (order line, type, receiver). Returns the reward
 * total per order line: the ledger split moves that much from the merchant's margin to the
 * commissions payable.
 */
export async function recordRewardsForPaidOrder(
  tx: Db,
  order: { id: string; userId: string },
  lines: { id: string; paidAmount: number }[],
  now: Date,
): Promise<Map<string, number>> {
  const rules = await ruleSetAt(tx, now);
  const parties = await rewardParties(tx, order.userId);
  const perLine = new Map<string, number>();
  const rows = lines.flatMap((line) => {
    const grants = lineRewards(rules, parties, line.paidAmount);
    perLine.set(line.id, grants.reduce((s, g) => s + g.amount, 0));
    return grants.map((g) => ({
      orderId: order.id,
      orderLineId: line.id,
      buyerId: order.userId,
      receiverId: g.receiverId,
      type: g.type,
      depth: g.depth,
      base: line.paidAmount,
      amount: g.amount,
      ruleSetVersion: rules.version,
      idempotencyKey: `${line.id}:${g.type}:${g.receiverId}`,
      createdAt: now,
    }));
  });
  if (rows.length) await tx.insert(rewards).values(rows).onConflictDoNothing({ target: rewards.idempotencyKey });
  const [member] = await tx.select({ leaderId: teamMembers.leaderId }).from(teamMembers).where(eq(teamMembers.userId, order.userId));
  await recordTeamDelta(tx, member?.leaderId ?? null, { sales: lines.reduce((s, l) => s + l.paidAmount, 0) }, now);
  return perLine;
}

/** Loader batch: the rewards of each order with the receiver's nickname (masked by the caller). */
export async function rewardsByOrderIds(db: Db, orderIds: readonly string[]) {
  const rows = await db
    .select({ reward: rewards, receiverNickname: users.nickname })
    .from(rewards)
    .innerJoin(users, eq(users.id, rewards.receiverId))
    .where(inArray(rewards.orderId, [...orderIds]))
    .orderBy(rewards.createdAt);
  return orderIds.map((id) => rows.filter((r) => r.reward.orderId === id).map((r) => ({ ...r.reward, receiverNickname: r.receiverNickname })));
}
