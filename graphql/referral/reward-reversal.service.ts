import { and, asc, inArray, ne, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rewards, teamMembers } from "@/db/schema";
import { postLedgerTransaction } from "../ledger/ledger.service";
import { rewardReversal } from "./reward-reversal.rules";
import { recordTeamDelta } from "./team-stats.service";

export type RewardRow = typeof rewards.$inferSelect;

/**
 * Claws back the rewards of refunded order lines, pro rata (rule book §4), inside the refund's
 * transaction — the caller holds the order lock, so settlement cannot run between the read and the
 * write. Per reward that changes, one `reward_reversal` ledger transaction with reference
 * `<rewardId>:<refundId>` (so re-applying the same refund writes nothing):
 * - PENDING: the commission was never paid out; it goes back from the commissions payable to the
 *   merchant, whose margin funded it;
 * - SETTLED: it was paid into the receiver's wallet; the wallet is debited (a negative entry — the
 *   balance may go below zero and is offset by later rewards) and the merchant credited.
 * A reward reversed in full becomes REVERSED. Returns the rewards that changed.
 */
export async function reverseRewardsForRefund(
  tx: Db,
  input: { storeId: string; refundId: string; lines: { id: string; remainingBase: number }[] },
  now: Date,
): Promise<{ rewardId: string; delta: number }[]> {
  if (!input.lines.length) return [];
  const remainingOf = new Map(input.lines.map((l) => [l.id, l.remainingBase]));
  const rows = await tx
    .select()
    .from(rewards)
    .where(and(inArray(rewards.orderLineId, [...remainingOf.keys()]), ne(rewards.status, "REVERSED")))
    .orderBy(asc(rewards.createdAt), asc(rewards.id))
    .for("update");
  const changed: { rewardId: string; delta: number }[] = [];
  for (const r of rows) {
    const { reversedAmount, delta, fully } = rewardReversal(r, remainingOf.get(r.orderLineId)!);
    if (delta === 0) continue;
    await tx
      .update(rewards)
      .set({ reversedAmount, status: fully ? "REVERSED" : r.status })
      .where(eq(rewards.id, r.id));
    const from = r.status === "SETTLED" ? `wallet:${r.receiverId}` : "platform:commissions_payable";
    await postLedgerTransaction(tx, {
      kind: "reward_reversal",
      reference: `${r.id}:${input.refundId}`,
      memo: `${r.type} reward reversed by refund`,
      orderId: r.orderId,
      now,
      postings: [
        { account: from, amount: delta },
        { account: `merchant:${input.storeId}:payable`, amount: -delta },
      ],
    });
    changed.push({ rewardId: r.id, delta });
  }
  return changed;
}

/**
 * Refunded goods are no longer team sales: the buyer's leader's team sales go down by the refunded
 * goods (an insert-only delta, like the one written at payment). The leader is read now; it is the
 * one credited at payment unless the buyer has since been promoted to lead their own team.
 */
export async function recordRefundedTeamSales(tx: Db, buyerId: string, goods: number, now: Date) {
  const [member] = await tx.select({ leaderId: teamMembers.leaderId }).from(teamMembers).where(eq(teamMembers.userId, buyerId));
  await recordTeamDelta(tx, member?.leaderId ?? null, { sales: -goods }, now);
}
