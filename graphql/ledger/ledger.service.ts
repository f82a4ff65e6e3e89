import { desc, eq, inArray, sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { ledgerAccounts, ledgerEntries, ledgerTransactions } from "@/db/schema";
import type { Posting } from "../order/order.rules";
import { GENESIS, linkHash, verifyChain } from "./ledger.rules";

export { GENESIS, linkHash } from "./ledger.rules";

function accountKind(code: string): string {
  return code.split(":")[0];
}

function accountOwner(code: string): string | null {
  const parts = code.split(":");
  return parts.length === 3 && /^[0-9a-f-]{36}$/.test(parts[1]) ? parts[1] : null;
}

/**
 * Posts one balanced ledger transaction inside the caller's transaction. Idempotent per
 * (kind, reference): a second post of the same event writes nothing and returns false.
 */
export async function postLedgerTransaction(
  tx: Db,
  t: { kind: string; reference: string; memo?: string; postings: Posting[]; orderId?: string; now: Date },
): Promise<boolean> {
  const sum = t.postings.reduce((s, p) => s + p.amount, 0);
  if (sum !== 0) throw new Error(`unbalanced ledger transaction ${t.kind}:${t.reference} (${sum})`);
  const [created] = await tx
    .insert(ledgerTransactions)
    .values({ kind: t.kind, reference: t.reference, memo: t.memo ?? "", createdAt: t.now })
    .onConflictDoNothing({ target: [ledgerTransactions.kind, ledgerTransactions.reference] })
    .returning();
  if (!created) return false;
  const codes = [...new Set(t.postings.map((p) => p.account))].sort();
  await tx
    .insert(ledgerAccounts)
    .values(codes.map((code) => ({ code, kind: accountKind(code), ownerId: accountOwner(code), createdAt: t.now })))
    .onConflictDoNothing({ target: ledgerAccounts.code });
  const accounts = await tx.select().from(ledgerAccounts).where(inArray(ledgerAccounts.code, codes));
  const idOf = new Map(accounts.map((a) => [a.code, a.id]));
  const rows = [];
  for (const p of t.postings) {
    const accountId = idOf.get(p.account)!;
    const base = { transactionId: created.id, accountId, amount: p.amount, orderId: t.orderId ?? null, createdAt: t.now };
    rows.push(isChained(p.account) ? { ...base, ...(await nextLink(tx, accountId, p.account, created.id, p.amount, t.now)) } : base);
  }
  await tx.insert(ledgerEntries).values(rows);
  return true;
}

/** Wallets (one person's money) are hash-chained; shared platform accounts are not (no hot rows). */
const isChained = (code: string) => code.startsWith("wallet:");

/** The next link of a wallet's chain; the account row is locked so two writers never fork it. */
async function nextLink(tx: Db, accountId: string, code: string, transactionId: string, amount: number, at: Date) {
  await tx.select({ id: ledgerAccounts.id }).from(ledgerAccounts).where(eq(ledgerAccounts.id, accountId)).for("update");
  const [last] = await tx
    .select({ seq: ledgerEntries.seq, hash: ledgerEntries.hash })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.accountId, accountId))
    .orderBy(desc(ledgerEntries.seq))
    .limit(1);
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS;
  return { seq, prevHash, hash: linkHash(prevHash, code, seq, amount, transactionId, at) };
}

/** Recomputes a wallet's chain from its entries: true when every link matches. */
export async function verifyWalletChain(db: Db, code: string): Promise<{ ok: boolean; entries: number; balance: number }> {
  const rows = await db
    .select({ seq: ledgerEntries.seq, prevHash: ledgerEntries.prevHash, hash: ledgerEntries.hash, amount: ledgerEntries.amount, transactionId: ledgerEntries.transactionId, createdAt: ledgerEntries.createdAt })
    .from(ledgerEntries)
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerEntries.accountId))
    .where(eq(ledgerAccounts.code, code))
    .orderBy(ledgerEntries.seq);
  // The link arithmetic is the pure verifyChain (ledger.rules.ts), tested without a database.
  const { ok, entries, balance } = verifyChain(code, rows.map((r) => ({ ...r, amount: Number(r.amount) })));
  return { ok, entries, balance };
}

/** Balance of one account: the sum of its entries. */
export async function accountBalance(db: Db, code: string): Promise<number> {
  const [row] = await db
    .select({ total: sql<string>`coalesce(sum(${ledgerEntries.amount}), 0)` })
    .from(ledgerEntries)
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerEntries.accountId))
    .where(eq(ledgerAccounts.code, code));
  return Number(row?.total ?? 0);
}

/** Checks the whole ledger: every transaction sums to zero. Returns the unbalanced ones. */
export async function unbalancedTransactions(db: Db): Promise<string[]> {
  const result = await db.execute(sql`
    select transaction_id from ledger_entries group by transaction_id having sum(amount) <> 0`);
  return rowsOf<{ transaction_id: string }>(result).map((r) => r.transaction_id);
}

/** The ledger entries of an order, account code and amount (for the order views and tests). */
export async function orderPostings(db: Db, orderId: string): Promise<Posting[]> {
  const rows = await db
    .select({ account: ledgerAccounts.code, amount: ledgerEntries.amount })
    .from(ledgerEntries)
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerEntries.accountId))
    .where(eq(ledgerEntries.orderId, orderId));
  return rows.map((r) => ({ account: r.account, amount: Number(r.amount) }));
}
