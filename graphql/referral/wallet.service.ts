import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { ledgerAccounts, ledgerEntries, ledgerTransactions, rewards, users, withdrawals } from "@/db/schema";
import { accountBalance, verifyWalletChain } from "../ledger/ledger.service";
import { walletCode, withdrawnTotal, type WithdrawalRow } from "./withdrawal.service";

type Window = { offset: number; limit: number };
export type WithdrawalStatus = WithdrawalRow["status"];

/** Withdrawals whose money has left the wallet but not yet reached the person (or come back). */
const IN_FLIGHT_STATUSES: WithdrawalStatus[] = ["REQUESTED", "APPROVED", "FAILED"];

/**
 * A person's money at a glance: available (the wallet's ledger balance; negative after a refund
 * of a settled reward), pending rewards, everything ever reversed, paid out, and in flight.
 * Five indexed aggregates, independent of how many entries the wallet has.
 */
export async function walletSummary(db: Db, userId: string) {
  const [balance, [rewardTotals], withdrawn, [inFlight]] = await Promise.all([
    accountBalance(db, walletCode(userId)),
    db
      .select({
        pending: sql<string>`coalesce(sum(case when ${rewards.status} = 'PENDING' then ${rewards.amount} - ${rewards.reversedAmount} else 0 end), 0)`,
        reversed: sql<string>`coalesce(sum(${rewards.reversedAmount}), 0)`,
      })
      .from(rewards)
      .where(eq(rewards.receiverId, userId)),
    withdrawnTotal(db, userId),
    db
      .select({ total: sql<string>`coalesce(sum(${withdrawals.amount}), 0)` })
      .from(withdrawals)
      .where(and(eq(withdrawals.userId, userId), inArray(withdrawals.status, IN_FLIGHT_STATUSES))),
  ]);
  return {
    // Wallets are credit-negative liabilities; `|| 0` avoids reporting -0.
    available: -balance || 0,
    pending: Number(rewardTotals.pending),
    reversed: Number(rewardTotals.reversed),
    withdrawn,
    inFlight: Number(inFlight.total),
  };
}

/** Recomputes the person's own hash chain (the "verified" badge of 我的收益). */
export async function walletChainVerified(db: Db, userId: string): Promise<boolean> {
  return (await verifyWalletChain(db, walletCode(userId))).ok;
}

/** One page of a wallet's entries, newest first, with the chain links (limit + 1 rows for toPage). */
export async function walletEntries(db: Db, userId: string, window: Window) {
  const rows = await db
    .select({
      id: ledgerEntries.id,
      seq: ledgerEntries.seq,
      amount: ledgerEntries.amount,
      hash: ledgerEntries.hash,
      prevHash: ledgerEntries.prevHash,
      createdAt: ledgerEntries.createdAt,
      orderId: ledgerEntries.orderId,
      kind: ledgerTransactions.kind,
    })
    .from(ledgerEntries)
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerEntries.accountId))
    .innerJoin(ledgerTransactions, eq(ledgerTransactions.id, ledgerEntries.transactionId))
    .where(eq(ledgerAccounts.code, walletCode(userId)))
    .orderBy(desc(ledgerEntries.seq))
    .offset(window.offset)
    .limit(window.limit + 1);
  return rows.map((r) => ({ ...r, amount: Number(r.amount) }));
}

/** One page of the person's own withdrawals, newest first. */
export async function withdrawalsOf(db: Db, userId: string, window: Window): Promise<WithdrawalRow[]> {
  return db
    .select()
    .from(withdrawals)
    .where(eq(withdrawals.userId, userId))
    .orderBy(desc(withdrawals.createdAt), desc(withdrawals.id))
    .offset(window.offset)
    .limit(window.limit + 1);
}

/** The operator's review queue: oldest first (first come, first served), with the requester's nickname. */
export async function withdrawalQueue(db: Db, status: WithdrawalStatus | null, window: Window) {
  return db
    .select({ withdrawal: withdrawals, nickname: users.nickname })
    .from(withdrawals)
    .innerJoin(users, eq(users.id, withdrawals.userId))
    .where(status ? eq(withdrawals.status, status) : undefined)
    .orderBy(asc(withdrawals.createdAt), asc(withdrawals.id))
    .offset(window.offset)
    .limit(window.limit + 1);
}

/** The requester's nickname for an operator's payload. */
export async function nicknameOf(db: Db, userId: string): Promise<string> {
  const [u] = await db.select({ nickname: users.nickname }).from(users).where(eq(users.id, userId));
  return u?.nickname ?? "";
}
