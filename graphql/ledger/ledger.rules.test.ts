/**
 * The wallet hash chain, pure. The database refuses UPDATE and DELETE on entries (a trigger), so
 * tampering is tested here on crafted rows — the same verifyChain that verifyWalletChain runs.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GENESIS, linkHash, verifyChain, type ChainRow } from "./ledger.rules";

const CODE = "wallet:7d1f0f43-6a0a-4f2e-9b61-0d3c1c1f9a10";
const T0 = new Date("2026-01-05T02:00:00Z");

/** Builds a correct chain from signed amounts, the way postLedgerTransaction links entries. */
function chain(amounts: number[], code = CODE): ChainRow[] {
  const rows: ChainRow[] = [];
  let prev = GENESIS;
  amounts.forEach((amount, i) => {
    const seq = i + 1;
    const transactionId = `00000000-0000-4000-8000-${String(seq).padStart(12, "0")}`;
    const createdAt = new Date(T0.getTime() + i * 60_000);
    const hash = linkHash(prev, code, seq, amount, transactionId, createdAt);
    rows.push({ seq, prevHash: prev, hash, amount, transactionId, createdAt });
    prev = hash;
  });
  return rows;
}

const AMOUNTS = [-1990, -899, 1000, -500, 300];

describe("verifyChain", () => {
  it("given an intact chain, then it verifies and the balance is the sum of the entries", () => {
    expect(verifyChain(CODE, chain(AMOUNTS))).toEqual({ ok: true, entries: 5, balance: -2089, brokenAt: null });
  });

  it("given an empty wallet, then it verifies with balance 0", () => {
    expect(verifyChain(CODE, [])).toEqual({ ok: true, entries: 0, balance: 0, brokenAt: null });
  });

  const tamperings: [string, (rows: ChainRow[]) => ChainRow[], number][] = [
    ["an amount changed", (r) => r.map((x, i) => (i === 2 ? { ...x, amount: 10 } : x)), 3],
    ["an amount changed and its own hash recomputed (the next link still breaks)", (r) => {
      const x = r[2];
      const forged = { ...x, amount: 10, hash: linkHash(x.prevHash!, CODE, 3, 10, x.transactionId, x.createdAt) };
      return r.map((y, i) => (i === 2 ? forged : y));
    }, 4],
    ["an entry removed", (r) => r.filter((_, i) => i !== 1), 2],
    ["two entries swapped", (r) => [r[0], r[2], r[1], r[3], r[4]], 2],
    ["a timestamp moved", (r) => r.map((x, i) => (i === 0 ? { ...x, createdAt: new Date(x.createdAt.getTime() + 1) } : x)), 1],
    ["re-pointed to another transaction", (r) => r.map((x, i) => (i === 4 ? { ...x, transactionId: r[0].transactionId } : x)), 5],
    ["a link without a hash (an unchained row)", (r) => r.map((x, i) => (i === 3 ? { ...x, hash: null } : x)), 4],
    ["the first link not starting from genesis", (r) => r.map((x, i) => (i === 0 ? { ...x, prevHash: "f".repeat(64) } : x)), 1],
  ];
  it.each(tamperings)("given %s, then verification fails at that link", (_label, tamper, brokenAt) => {
    const result = verifyChain(CODE, tamper(chain(AMOUNTS)));
    expect(result.ok).toBe(false);
    expect(result.brokenAt).toBe(brokenAt);
  });

  it("given another wallet's valid chain, then it does not verify under this wallet's code", () => {
    const other = chain(AMOUNTS, "wallet:00000000-0000-4000-8000-000000000000");
    expect(verifyChain(CODE, other).ok).toBe(false);
  });

  it("given any chain and any single-amount change, then verification fails", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e9, max: 1e9 }), { minLength: 1, maxLength: 30 }), fc.nat(), fc.integer({ min: 1, max: 1e6 }), (amounts, at, delta) => {
        const rows = chain(amounts);
        const i = at % rows.length;
        rows[i] = { ...rows[i], amount: rows[i].amount + delta };
        expect(verifyChain(CODE, rows).ok).toBe(false);
      }),
    );
  });
});
