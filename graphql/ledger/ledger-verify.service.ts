import { count, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { ledgerAccounts, ledgerTransactions, withdrawals } from "@/db/schema";
import { accountBalance, unbalancedTransactions, verifyWalletChain } from "./ledger.service";
import { verifyPoints, type PointsVerification } from "../points/points.service";

export type LedgerReport = {
  transactionsChecked: number;
  unbalanced: string[];
  walletsChecked: number;
  brokenWallets: string[];
  /** Money in `platform:withdrawals_in_flight` equals the withdrawals not yet paid or returned. */
  inFlight: { ledger: number; withdrawals: number; ok: boolean };
  /** Every points balance equals the sum of its append-only entries. */
  points: PointsVerification;
  ok: boolean;
};

/**
 * The whole-ledger audit behind `npm run ledger:verify`: every transaction sums to zero, every
 * wallet's hash chain recomputes, and the withdrawals in flight match their ledger account.
 * Reads only. One query per wallet: meant for an operator's shell, not a request path.
 */
export async function verifyLedger(db: Db, onWallet?: (code: string, ok: boolean) => void): Promise<LedgerReport> {
  const unbalanced = await unbalancedTransactions(db);
  const [{ n }] = await db.select({ n: count() }).from(ledgerTransactions);
  const wallets = await db.select({ code: ledgerAccounts.code }).from(ledgerAccounts).where(eq(ledgerAccounts.kind, "wallet")).orderBy(ledgerAccounts.code);
  const brokenWallets: string[] = [];
  for (const { code } of wallets) {
    const { ok } = await verifyWalletChain(db, code);
    if (!ok) brokenWallets.push(code);
    onWallet?.(code, ok);
  }
  // The in-flight account is credited at request and debited at payment or return, so its
  // balance is minus the amounts of withdrawals still REQUESTED, APPROVED or FAILED.
  const ledger = -(await accountBalance(db, "platform:withdrawals_in_flight")) || 0;
  const [open] = await db
    .select({ total: sql<string>`coalesce(sum(${withdrawals.amount}), 0)` })
    .from(withdrawals)
    .where(inArray(withdrawals.status, ["REQUESTED", "APPROVED", "FAILED"]));
  const inFlight = { ledger, withdrawals: Number(open.total), ok: ledger === Number(open.total) };
  const points = await verifyPoints(db);
  return {
    transactionsChecked: Number(n),
    unbalanced,
    walletsChecked: wallets.length,
    brokenWallets,
    inFlight,
    points,
    ok: unbalanced.length === 0 && brokenWallets.length === 0 && inFlight.ok && points.ok,
  };
}
