import { randomUUID } from "node:crypto";
import { and, eq, gte, lt, notInArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { ledgerAccounts, teamMembers, withdrawals } from "@/db/schema";
import { DomainError } from "../core/errors";
import { isUuid } from "../core/ids";
import { decryptPii, encryptPii } from "../platform/crypto";
import { withTxRetry } from "../platform/retry";
import { accountBalance, postLedgerTransaction } from "../ledger/ledger.service";
import type { PayoutProvider } from "../payment/payout-provider";
import { SandboxPayoutProvider } from "../payment/sandbox-payout";
import { withdrawalRulesAt } from "./rule-set.service";
import { realNameOf } from "./sharer.service";
import {
  WithdrawalErrorCode,
  payoutNoFor,
  shanghaiDay,
  withdrawalFee,
  withdrawalInputViolation,
  withdrawalViolation,
  yuan,
  type WithdrawalViolation,
} from "./withdrawal.rules";

import { notify } from "../notification/notification.service";
type Ctx = { db: Db; now: Date };
export type WithdrawalRow = typeof withdrawals.$inferSelect;
export { WithdrawalErrorCode };

export const ReviewErrorCode = {
  WITHDRAWAL_NOT_FOUND: "WITHDRAWAL_NOT_FOUND",
  NOT_REVIEWABLE: "NOT_REVIEWABLE",
  NOTE_REQUIRED: "NOTE_REQUIRED",
  NOT_RETRYABLE: "NOT_RETRYABLE",
} as const;

/** Ledger accounts of §5: money requested but not yet paid out sits here, off every wallet. */
export const IN_FLIGHT = "platform:withdrawals_in_flight";
export const WITHDRAWAL_FEE = "platform:withdrawal_fee";
export const walletCode = (userId: string) => `wallet:${userId}`;
/** Ledger kinds that move money between a wallet and withdrawals (the income report leaves them out). */
export const WITHDRAWAL_KINDS = ["withdrawal_request", "withdrawal_return"] as const;

const fail = (v: WithdrawalViolation): never => {
  throw new DomainError(v.code, v.message, v.field);
};

/**
 * Requests a withdrawal (§5): checks the rules and debits the wallet at once, in ONE transaction.
 * The wallet's ledger account row is locked first (SELECT … FOR UPDATE), so a second concurrent
 * request of the same person waits, then reads the balance and today's total after the first
 * committed: two requests can never together exceed the balance or the daily limit.
 */
export async function requestWithdrawal(ctx: Ctx, userId: string, input: { amount: number; payeeName: string; payeeAccount: string }) {
  return requestWithdrawalAs(ctx, userId, input, {});
}

async function requestWithdrawalAs(
  ctx: Ctx,
  userId: string,
  input: { amount: number; payeeName: string; payeeAccount: string },
  opts: { skipRealName?: boolean },
): Promise<WithdrawalRow> {
  const shape = withdrawalInputViolation(input);
  if (shape) fail(shape);
  return withTxRetry(() =>
    ctx.db.transaction(async (tx) => {
      const code = walletCode(userId);
      // No account row means no money: nothing to lock, and the balance check below refuses.
      await tx.select({ id: ledgerAccounts.id }).from(ledgerAccounts).where(eq(ledgerAccounts.code, code)).for("update");
      const rules = await withdrawalRulesAt(tx, ctx.now);
      const [member] = await tx.select({ frozen: teamMembers.frozen }).from(teamMembers).where(eq(teamMembers.userId, userId));
      const realName = await realNameOf(tx, userId);
      const day = shanghaiDay(ctx.now);
      const [today] = await tx
        .select({ total: sql<string>`coalesce(sum(${withdrawals.amount}), 0)` })
        .from(withdrawals)
        .where(and(eq(withdrawals.userId, userId), gte(withdrawals.createdAt, day.start), lt(withdrawals.createdAt, day.end), notInArray(withdrawals.status, ["REJECTED", "FAILED"])));
      const state = {
        available: -(await accountBalance(tx, code)),
        frozen: member?.frozen ?? false,
        realName,
        requestedToday: Number(today.total),
      };
      const violation = withdrawalViolation(input, state, rules, opts);
      if (violation) fail(violation);

      const id = randomUUID();
      const [row] = await tx
        .insert(withdrawals)
        .values({
          id,
          userId,
          amount: input.amount,
          fee: withdrawalFee(input.amount, rules.feeBp),
          status: "REQUESTED",
          payoutNo: payoutNoFor(id),
          // The verified name is what gets paid to, whatever spelling of it was typed.
          payeeNameEnc: encryptPii(realName ?? input.payeeName.trim()),
          payeeAccountEnc: encryptPii(input.payeeAccount.trim()),
          createdAt: ctx.now,
        })
        .returning();
      await postLedgerTransaction(tx, {
        kind: "withdrawal_request",
        reference: id,
        memo: `提现申请 ${row.payoutNo}`,
        now: ctx.now,
        postings: [
          { account: code, amount: input.amount },
          { account: IN_FLIGHT, amount: -input.amount },
        ],
      });
      return row;
    }),
  );
}

/** Locks one withdrawal for a state change; a malformed or unknown id is "not found". */
async function lockWithdrawal(tx: Db, id: string): Promise<WithdrawalRow> {
  const [row] = isUuid(id) ? await tx.select().from(withdrawals).where(eq(withdrawals.id, id)).for("update") : [];
  if (!row) throw new DomainError(ReviewErrorCode.WITHDRAWAL_NOT_FOUND, "提现申请不存在", "id");
  return row;
}

function notifyOutcome(tx: Db, userId: string, title: string, body: string, now: Date) {
  return notify(tx, { userId, kind: "WITHDRAWAL", title, body, link: "/me/wallet" }, now);
}

/**
 * The operator decides a REQUESTED withdrawal. Rejecting returns the amount to the wallet by a new
 * ledger entry (never by undoing the debit) and needs a reason the person will read. Approving
 * commits APPROVED first, then pays out through the provider outside any transaction (no row lock
 * is held across a network call), then records PAID or FAILED.
 */
export async function reviewWithdrawal(
  ctx: Ctx,
  operatorId: string | null,
  input: { id: string; approve: boolean; note?: string | null },
  payouts: PayoutProvider,
): Promise<WithdrawalRow> {
  const note = input.note?.trim() || null;
  if (!input.approve && !note) throw new DomainError(ReviewErrorCode.NOTE_REQUIRED, "驳回时请填写原因", "note");
  const reviewed = await ctx.db.transaction(async (tx) => {
    const row = await lockWithdrawal(tx, input.id);
    if (row.status !== "REQUESTED") throw new DomainError(ReviewErrorCode.NOT_REVIEWABLE, "该申请已处理", "id");
    const decided = { reviewedBy: operatorId, reviewedAt: ctx.now, note };
    if (input.approve) {
      const [approved] = await tx.update(withdrawals).set({ ...decided, status: "APPROVED" }).where(eq(withdrawals.id, row.id)).returning();
      return approved;
    }
    const [rejected] = await tx.update(withdrawals).set({ ...decided, status: "REJECTED" }).where(eq(withdrawals.id, row.id)).returning();
    await postLedgerTransaction(tx, {
      kind: "withdrawal_return",
      reference: row.id,
      memo: `提现驳回退回 ${row.payoutNo}`,
      now: ctx.now,
      postings: [
        { account: IN_FLIGHT, amount: row.amount },
        { account: walletCode(row.userId), amount: -row.amount },
      ],
    });
    await notifyOutcome(tx, row.userId, "提现未通过", `¥${yuan(row.amount)} 已退回余额。原因：${note}`, ctx.now);
    return rejected;
  });
  return reviewed.status === "APPROVED" ? payApprovedWithdrawal(ctx, reviewed.id, payouts) : reviewed;
}

/**
 * Pays an APPROVED withdrawal with its one payout number and records the outcome. Safe to call
 * again (after a crash between approval and payout, or concurrently): the provider pays a payoutNo
 * once, and only the caller that still finds the row APPROVED writes PAID or FAILED.
 * PAID posts: in-flight +amount, provider clearing −(amount − fee), platform fee revenue −fee.
 * FAILED keeps the money in flight: it is either retried (same payoutNo) or rejected on re-review.
 */
export async function payApprovedWithdrawal(ctx: Ctx, id: string, payouts: PayoutProvider): Promise<WithdrawalRow> {
  const [row] = isUuid(id) ? await ctx.db.select().from(withdrawals).where(eq(withdrawals.id, id)) : [];
  if (!row) throw new DomainError(ReviewErrorCode.WITHDRAWAL_NOT_FOUND, "提现申请不存在", "id");
  if (row.status !== "APPROVED") return row;
  const net = row.amount - row.fee;
  const result = await payouts
    .payout(row.payoutNo, net, { name: decryptPii(row.payeeNameEnc), account: decryptPii(row.payeeAccountEnc) })
    .catch((e: unknown) => ({ ok: false as const, reason: e instanceof Error ? e.message : "payout error" }));
  return ctx.db.transaction(async (tx) => {
    const current = await lockWithdrawal(tx, id);
    if (current.status !== "APPROVED") return current;
    if (!result.ok) {
      const note = [current.note, `代付失败：${result.reason}`].filter(Boolean).join("；");
      const [failed] = await tx.update(withdrawals).set({ status: "FAILED", note }).where(eq(withdrawals.id, id)).returning();
      return failed;
    }
    const [paid] = await tx.update(withdrawals).set({ status: "PAID", paidAt: ctx.now }).where(eq(withdrawals.id, id)).returning();
    await postLedgerTransaction(tx, {
      kind: "withdrawal_paid",
      reference: id,
      memo: `提现到账 ${current.payoutNo} ${result.providerRef}`,
      now: ctx.now,
      postings: [
        { account: IN_FLIGHT, amount: current.amount },
        { account: `provider:${payouts.name}:clearing`, amount: -net },
        ...(current.fee > 0 ? [{ account: WITHDRAWAL_FEE, amount: -current.fee }] : []),
      ],
    });
    await notifyOutcome(tx, current.userId, "提现已到账", `¥${yuan(net)} 已转入尾号 ${decryptPii(current.payeeAccountEnc).slice(-4)} 的账户`, ctx.now);
    return paid;
  });
}

/**
 * Sends a FAILED withdrawal back to REQUESTED for re-review (§5). The payout number stays: if the
 * failed attempt actually reached the bank, the next attempt is answered without paying twice.
 */
export async function retryFailedWithdrawal(ctx: Ctx, operatorId: string, id: string): Promise<WithdrawalRow> {
  return ctx.db.transaction(async (tx) => {
    const row = await lockWithdrawal(tx, id);
    if (row.status !== "FAILED") throw new DomainError(ReviewErrorCode.NOT_RETRYABLE, "只有代付失败的申请可以重新审核", "id");
    const [again] = await tx
      .update(withdrawals)
      .set({ status: "REQUESTED", reviewedBy: operatorId, reviewedAt: ctx.now })
      .where(eq(withdrawals.id, id))
      .returning();
    return again;
  });
}

/** Placeholder payee of simulated people, who never pass real-name verification. */
export const SIMULATED_PAYEE = { name: "模拟用户", account: "SIMULATED" } as const;

/**
 * For the scenario simulator only: request, approve (reviewer null = the simulator) and pay at once,
 * with the rule set in force (minimum, fee, daily limit, balance, frozen). The payee is the person's
 * verified name when they have one; simulated people have none, so the real-name requirement is
 * skipped and SIMULATED_PAYEE is paid instead. Pays through a private always-succeeding sandbox.
 * Throws the same DomainErrors as requestWithdrawal (e.g. INSUFFICIENT_BALANCE).
 */
export async function simulateWithdrawal(ctx: Ctx, userId: string, amount: number): Promise<WithdrawalRow> {
  const realName = await realNameOf(ctx.db, userId);
  const requested = await requestWithdrawalAs(
    ctx,
    userId,
    { amount, payeeName: realName ?? SIMULATED_PAYEE.name, payeeAccount: SIMULATED_PAYEE.account },
    { skipRealName: !realName },
  );
  return reviewWithdrawal(ctx, null, { id: requested.id, approve: true, note: "simulation" }, new SandboxPayoutProvider());
}

/** Σ amounts of a person's PAID withdrawals (the simulator's and the wallet's `withdrawn`). */
export async function withdrawnTotal(db: Db, userId: string): Promise<number> {
  const [row] = await db
    .select({ total: sql<string>`coalesce(sum(${withdrawals.amount}), 0)` })
    .from(withdrawals)
    .where(and(eq(withdrawals.userId, userId), eq(withdrawals.status, "PAID")));
  return Number(row.total);
}
