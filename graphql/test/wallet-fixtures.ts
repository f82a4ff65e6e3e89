import { randomInt, randomUUID } from "node:crypto";
import { count, eq, sql } from "drizzle-orm";
import { ledgerAccounts, ledgerEntries, ledgerTransactions, teamMembers, withdrawals } from "@/db/schema";
import { accountBalance, postLedgerTransaction } from "../ledger/ledger.service";
import { idNumberCheckCode } from "../referral/real-name.rules";
import { becomeSharerWithRealName } from "../referral/sharer.service";
import { ensureMember } from "../referral/binding.service";
import { createConsumer, ctxOf, type ConsumerFixture } from "./fixtures";
import type { TestRuntime } from "./harness";

import { agreementInForce } from "@/graphql/referral/agreement";
/** Builders for wallet and withdrawal tests: money is put in a wallet through the real ledger. */

/** A fresh, well-formed resident ID number (random region sequence, a real 1990s birth date). */
export function newIdNumber(): string {
  const birth = `199${randomInt(0, 10)}${String(randomInt(1, 13)).padStart(2, "0")}${String(randomInt(1, 29)).padStart(2, "0")}`;
  const first17 = `${randomInt(110000, 660000)}${birth}${String(randomInt(0, 1000)).padStart(3, "0")}`;
  return first17 + idNumberCheckCode(first17);
}

export type SharerFixture = ConsumerFixture & { realName: string; idNumber: string };

/** A consumer who passed real-name verification and became a SHARER. */
export async function createVerifiedSharer(rt: TestRuntime, realName = "陈晓雨"): Promise<SharerFixture> {
  const consumer = await createConsumer(rt);
  const idNumber = newIdNumber();
  await becomeSharerWithRealName(ctxOf(rt), consumer.userId, { agreementVersion: agreementInForce(new Date()).version, name: realName, idNumber });
  return { ...consumer, realName, idNumber };
}

/**
 * Credits a wallet as a settled reward would: `wallet:<id>` credited (negative), the commissions
 * payable debited. `kind` lets a test post a settlement (`reward_settle`) or anything else.
 */
export async function creditWallet(rt: TestRuntime, userId: string, amount: number, kind = "reward_settle") {
  await rt.services.db.transaction((tx) =>
    postLedgerTransaction(tx, {
      kind,
      reference: randomUUID(),
      now: rt.services.clock.now(),
      postings: [
        { account: "platform:commissions_payable", amount },
        { account: `wallet:${userId}`, amount: -amount },
      ],
    }),
  );
}

/** Takes back a settled reward after a refund: the wallet is debited (and may go negative). */
export function clawBack(rt: TestRuntime, userId: string, amount: number) {
  return creditWallet(rt, userId, -amount, "reward_reversal");
}

export async function available(rt: TestRuntime, userId: string): Promise<number> {
  return -(await accountBalance(rt.services.db, `wallet:${userId}`)) || 0;
}

export async function setFrozen(rt: TestRuntime, userId: string, frozen: boolean) {
  await ensureMember(rt.services.db, userId, rt.services.clock.now());
  await rt.services.db.update(teamMembers).set({ frozen }).where(eq(teamMembers.userId, userId));
}

/** What a rejected request must not have changed: the person's withdrawals, wallet entries, all ledger transactions. */
export async function footprint(rt: TestRuntime, userId: string) {
  const db = rt.services.db;
  const [[w], [e], [t]] = await Promise.all([
    db.select({ n: count() }).from(withdrawals).where(eq(withdrawals.userId, userId)),
    db
      .select({ n: count() })
      .from(ledgerEntries)
      .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerEntries.accountId))
      .where(eq(ledgerAccounts.code, `wallet:${userId}`)),
    db.select({ n: count() }).from(ledgerTransactions),
  ]);
  return { withdrawals: Number(w.n), walletEntries: Number(e.n), transactions: Number(t.n), available: await available(rt, userId) };
}

/** Σ of an account's entries from one transaction kind and reference. */
export async function postingsOf(rt: TestRuntime, kind: string, reference: string) {
  const rows = await rt.services.db
    .select({ account: ledgerAccounts.code, amount: ledgerEntries.amount })
    .from(ledgerEntries)
    .innerJoin(ledgerTransactions, eq(ledgerTransactions.id, ledgerEntries.transactionId))
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerEntries.accountId))
    .where(sql`${ledgerTransactions.kind} = ${kind} and ${ledgerTransactions.reference} = ${reference}`);
  return Object.fromEntries(rows.map((r) => [r.account, Number(r.amount)]));
}
