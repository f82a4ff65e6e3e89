import { createHash } from "node:crypto";

/**
 * Wallet hash chains, pure (no database): each wallet entry stores its position (seq) and the hash
 * of the previous entry, so altering, removing or reordering any entry breaks every later link.
 */

export const GENESIS = "0".repeat(64);

export function linkHash(prevHash: string, code: string, seq: number, amount: number, transactionId: string, at: Date): string {
  return createHash("sha256").update(`${prevHash}|${code}|${seq}|${amount}|${transactionId}|${at.toISOString()}`).digest("hex");
}

/** One stored link, as read from ledger_entries (seq, prev_hash, hash may be null on unchained rows). */
export type ChainRow = { seq: number | null; prevHash: string | null; hash: string | null; amount: number; transactionId: string; createdAt: Date };

/**
 * Recomputes a wallet's chain from its rows in seq order: ok when every link matches. `balance` is
 * the sum of the links verified before the first broken one; `brokenAt` is that link's 1-based seq.
 */
export function verifyChain(code: string, rows: ChainRow[]): { ok: boolean; entries: number; balance: number; brokenAt: number | null } {
  let prev = GENESIS;
  let balance = 0;
  for (const [i, r] of rows.entries()) {
    const seq = i + 1;
    if (r.seq !== seq || r.prevHash !== prev || r.hash !== linkHash(prev, code, seq, r.amount, r.transactionId, r.createdAt)) {
      return { ok: false, entries: rows.length, balance, brokenAt: seq };
    }
    prev = r.hash!;
    balance += r.amount;
  }
  return { ok: true, entries: rows.length, balance, brokenAt: null };
}
