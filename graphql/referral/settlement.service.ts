import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { invites, orderLines, orders, rewards, teamMembers } from "@/db/schema";
import { enqueueJob, type JobHandler } from "../platform/jobs";
import { DAY } from "../platform/clock";
import { postLedgerTransaction } from "../ledger/ledger.service";
import { shouldPromote } from "./referral.rules";
import { ruleSetAt } from "./rule-set.service";
import { recordTeamDelta } from "./team-stats.service";
import { notify } from "../notification/notification.service";
import { earnOnSettlement } from "../points/points.service";
import { hasOpenAfterSale } from "../order/aftersale-queries.service";

/** When an order is received, its rewards become due `settleDays` whole days later. */
export async function scheduleSettlement(tx: Db, orderId: string, receivedAt: Date) {
  const rules = await ruleSetAt(tx, receivedAt);
  await enqueueJob(tx, {
    kind: "order.settle",
    payload: { orderId },
    runAt: new Date(receivedAt.getTime() + rules.settleDays * DAY),
    dedupeKey: `order.settle:${orderId}`,
    now: receivedAt,
  });
}

/**
 * Promotes a SHARER with K qualified direct referrals (rule book §2): the old leader becomes
 * detachedFrom, and the person leads their own future team. Pays nothing.
 */
export async function maybePromote(tx: Db, userId: string, now: Date): Promise<boolean> {
  const rules = await ruleSetAt(tx, now);
  const [m] = await tx.select().from(teamMembers).where(eq(teamMembers.userId, userId)).for("update");
  if (!m || !shouldPromote(m.role, m.qualifiedDirects, rules.k)) return false;
  await tx
    .update(teamMembers)
    .set({ role: "LEADER", detachedFromId: m.leaderId, leaderId: userId, promotedAt: now })
    .where(eq(teamMembers.userId, userId));
  // The new leader leaves the old leader's team (their earlier recruits stay there).
  await recordTeamDelta(tx, m.leaderId, { members: -1 }, now);
  // An event, not a prize: the copy promises no income (rule book §6 forbids income promises).
  await notify(
    tx,
    { userId, kind: "PROMOTED", title: "你已成为团长", body: `你邀请的 ${m.qualifiedDirects} 位好友已完成首单结算，你已成为团长。此后新加入的成员进入你的团队。`, link: "/me/team" },
    now,
  );
  return true;
}

/** Moves one pending reward into its receiver's wallet. */
export async function settleReward(tx: Db, reward: typeof rewards.$inferSelect, now: Date) {
  await tx.update(rewards).set({ status: "SETTLED", settledAt: now }).where(eq(rewards.id, reward.id));
  await postLedgerTransaction(tx, {
    kind: "reward_settle",
    reference: reward.id,
    memo: `${reward.type} reward settled`,
    orderId: reward.orderId,
    now,
    postings: [
      { account: "platform:commissions_payable", amount: reward.amount - reward.reversedAmount },
      { account: `wallet:${reward.receiverId}`, amount: -(reward.amount - reward.reversedAmount) },
    ],
  });
}

/**
 * Job: the return window of a received order has passed. The order counts as SETTLED (for
 * promotion), its pending rewards move to wallets (a FROZEN receiver's stay pending), and the buyer
 * qualifies their inviter once — unless they are a risk pair. Idempotent. An order refunded in
 * full never settles and qualifies nobody (rule book §1); a partly refunded one settles what is left.
 * The order lock is the one refunds take, so a refund and this job never interleave.
 */
export const settleOrderJob: JobHandler = async (tx, payload, { now }) => {
  const [order] = await tx.select().from(orders).where(eq(orders.id, String(payload.orderId))).for("update");
  if (!order || order.settledAt || order.status !== "COMPLETED") return;
  if (await refundedInFull(tx, order.id)) return;
  await tx.update(orders).set({ settledAt: now }).where(eq(orders.id, order.id));
  // Points (积分) are earned on the cash the order kept, in this same transaction — unless a refund
  // request is still open: then they are earned when it is decided (earnOnceDecided), so they can
  // never be spent before the refund that would take them back.
  if (!(await hasOpenAfterSale(tx, order.id))) await earnOnSettlement(tx, order, now);
  const pending = await tx
    .select({ reward: rewards, frozen: teamMembers.frozen })
    .from(rewards)
    .leftJoin(teamMembers, eq(teamMembers.userId, rewards.receiverId))
    .where(and(eq(rewards.orderId, order.id), eq(rewards.status, "PENDING")))
    .orderBy(rewards.createdAt, rewards.id);
  for (const { reward, frozen } of pending) if (!frozen) await settleReward(tx, reward, now);
  await qualifyInviter(tx, order.userId, now);
};

/**
 * True when every line of the order has been refunded in full. A line nobody paid cash for (points
 * or a platform coupon covered it, or a points-mall product) was never refunded: the buyer kept it.
 */
async function refundedInFull(tx: Db, orderId: string): Promise<boolean> {
  const [left] = await tx
    .select({ id: orderLines.id })
    .from(orderLines)
    .where(and(eq(orderLines.orderId, orderId), sql`(${orderLines.paidAmount} = 0 or ${orderLines.refundedAmount} < ${orderLines.paidAmount})`))
    .limit(1);
  return !left;
}

/** The buyer's first settled order qualifies their inviter (once), which may promote the inviter. */
async function qualifyInviter(tx: Db, buyerId: string, now: Date) {
  const [invite] = await tx.select().from(invites).where(eq(invites.userId, buyerId));
  if (!invite || invite.riskFlagged) return;
  const [first] = await tx
    .update(teamMembers)
    .set({ qualifiedAt: now })
    .where(and(eq(teamMembers.userId, buyerId), sql`${teamMembers.qualifiedAt} is null`))
    .returning({ userId: teamMembers.userId });
  if (!first) return;
  await tx
    .update(teamMembers)
    .set({ qualifiedDirects: sql`${teamMembers.qualifiedDirects} + 1` })
    .where(eq(teamMembers.userId, invite.inviterId));
  await maybePromote(tx, invite.inviterId, now);
}
