/**
 * The pure 链动2+1 rules against the rule book (../shared/docs/liandong-2plus1.md): §7 worked
 * examples as fixtures, §7 edge cases, the §3 ceilings, the §4 refund arithmetic, and properties
 * that hold for every rule set within the ceilings.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CEILINGS,
  DEFAULT_RULES,
  leaderOnBind,
  lineRewards,
  remainingAfterRefund,
  ruleSetViolation,
  shouldPromote,
  spreadRefund,
  type ReferralRole,
  type RewardGrant,
  type RewardParties,
  type RuleSet,
} from "./referral.rules";

// §7 parameters: K = 2, rDirect 10%, rTeam 5%, rPeer 20% of TEAM, maxDepth 3, capTotal 20%.
const RULES: RuleSet = { ...DEFAULT_RULES };
const rules = (over: Partial<RuleSet> = {}): RuleSet => ({ ...RULES, ...over });
const { version: _version, ...RULE_FIELDS } = DEFAULT_RULES;

const parties = (
  buyerId: string,
  inviter: [id: string, role: ReferralRole] | null,
  leader: [id: string, depth: number] | null,
  peer: [id: string, depth: number] | null = null,
  blocked = false,
): RewardParties => ({
  buyerId,
  inviter: inviter && { id: inviter[0], role: inviter[1] },
  leader: leader && { id: leader[0], depth: leader[1] },
  peer: peer && { id: peer[0], depth: peer[1] },
  blocked,
});

const direct = (receiverId: string, amount: number): RewardGrant => ({ type: "DIRECT", receiverId, depth: 1, amount });
const team = (receiverId: string, depth: number, amount: number): RewardGrant => ({ type: "TEAM", receiverId, depth, amount });
const peer = (receiverId: string, depth: number, amount: number): RewardGrant => ({ type: "PEER", receiverId, depth, amount });
const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

/*
 * §7 invite tree: A (LEADER, seeded, no detachedFrom) ← B, C; B ← D, E, G; D ← F.
 * Every registered user has accepted the agreement, so each non-leader is a SHARER.
 * Before B's promotion: leader(B) = leader(C) = A, leader(D) = leader(E) = A (bound while B was a SHARER).
 * After O3 and O4 settle, B is promoted: detachedFrom(B) = A, leader(B) = B; D and E keep leader A.
 * F binds through D (a SHARER whose leader is A) → leader(F) = A at depth 3 (F→D→B→A).
 * G binds through B after promotion → leader(G) = B at depth 1, peer = detachedFrom(B) = A at depth 2.
 */
const WORKED_EXAMPLE = [
  {
    order: "O1",
    story: "B buys through A (B→A), A is B's inviter and leader",
    parties: parties("B", ["A", "LEADER"], ["A", 1]),
    base: 19_900,
    grants: [direct("A", 1_990), team("A", 1, 995)],
    total: 2_985,
  },
  {
    order: "O2",
    story: "C buys through A (C→A)",
    parties: parties("C", ["A", "LEADER"], ["A", 1]),
    base: 8_990,
    grants: [direct("A", 899), team("A", 1, 449)], // 5% × 89.90 = 4.495 → floored to 4.49
    total: 1_348,
  },
  {
    order: "O3",
    story: "D buys through B (D→B→A), B still a SHARER, leader A at depth 2",
    parties: parties("D", ["B", "SHARER"], ["A", 2]),
    base: 39_900,
    grants: [direct("B", 3_990), team("A", 2, 1_995)],
    total: 5_985,
  },
  {
    order: "O4",
    story: "E buys 120.00 + 10.00 freight through B (E→B→A), freight excluded from the base",
    parties: parties("E", ["B", "SHARER"], ["A", 2]),
    base: 12_000,
    grants: [direct("B", 1_200), team("A", 2, 600)],
    total: 1_800,
  },
  {
    order: "O5",
    story: "F buys through D (F→D→B→A) after B's promotion, leader(F) = leader(D) = A at depth 3",
    parties: parties("F", ["D", "SHARER"], ["A", 3]),
    base: 29_900,
    grants: [direct("D", 2_990), team("A", 3, 1_495)],
    total: 4_485,
  },
  {
    order: "O6",
    story: "G buys through B (G→B→A) after B's promotion, leader B at depth 1, peer A at depth 2",
    parties: parties("G", ["B", "LEADER"], ["B", 1], ["A", 2]),
    base: 20_000,
    grants: [direct("B", 2_000), team("B", 1, 1_000), peer("A", 2, 200)],
    total: 3_200,
  },
] as const;

describe("lineRewards — §7 worked example", () => {
  it.each(WORKED_EXAMPLE)(
    "given order $order ($story), when the line is paid with base $base fen, then it grants exactly the §7 row",
    ({ parties: p, base, grants, total }) => {
      const got = lineRewards(RULES, p, base);
      expect(got).toEqual(grants);
      expect(sum(got.map((g) => g.amount))).toBe(total);
    },
  );

  it("given all six orders settled, when rewards are totalled per receiver, then A 86.23, B 81.90, D 29.90 and 198.03 overall", () => {
    const perReceiver = new Map<string, number>();
    for (const { parties: p, base } of WORKED_EXAMPLE) {
      for (const g of lineRewards(RULES, p, base)) perReceiver.set(g.receiverId, (perReceiver.get(g.receiverId) ?? 0) + g.amount);
    }
    expect(Object.fromEntries(perReceiver)).toEqual({ A: 8_623, B: 8_190, D: 2_990 });
    for (const nobody of ["C", "E", "F", "G"]) expect(perReceiver.has(nobody)).toBe(false);
    const paid = sum([...perReceiver.values()]);
    const base = sum(WORKED_EXAMPLE.map((o) => o.base));
    expect(paid).toBe(19_803);
    expect(base).toBe(130_690);
    expect(Math.floor((paid * 10_000) / base)).toBe(1_515); // 15.15% of the base
  });

  it("given the §7 tree, when team assignment and promotion are derived, then they match the parties used above", () => {
    // B binds through A (LEADER) → leader A; D binds through B (SHARER, leader A) → leader A.
    expect(leaderOnBind({ id: "A", role: "LEADER", leaderId: "A" })).toBe("A");
    expect(leaderOnBind({ id: "B", role: "SHARER", leaderId: "A" })).toBe("A");
    // F binds through D (SHARER, leader A) → leader A; G binds through B after promotion → leader B.
    expect(leaderOnBind({ id: "D", role: "SHARER", leaderId: "A" })).toBe("A");
    expect(leaderOnBind({ id: "B", role: "LEADER", leaderId: "B" })).toBe("B");
    // B with one qualified direct is not promoted, with K = 2 it is; a REGISTERED user never is.
    expect(shouldPromote("SHARER", 1, RULES.k)).toBe(false);
    expect(shouldPromote("SHARER", 2, RULES.k)).toBe(true);
    expect(shouldPromote("REGISTERED", 5, RULES.k)).toBe(false);
    expect(shouldPromote("LEADER", 5, RULES.k)).toBe(false);
  });
});

describe("lineRewards — §7 edge cases", () => {
  describe("depth ceiling (after D is promoted too, detachedFrom(D) = A)", () => {
    it("given K buys 100.00 through F (K→F→D→B→A), when the line is paid, then F gets 10.00 DIRECT and the TEAM for A at depth 4 is nothing", () => {
      expect(lineRewards(RULES, parties("K", ["F", "SHARER"], ["A", 4]), 10_000)).toEqual([direct("F", 1_000)]);
    });

    it("given L buys 100.00 through D (L→D→B→A), when the line is paid, then D gets 10.00 DIRECT + 5.00 TEAM and A 1.00 PEER at depth 3", () => {
      expect(lineRewards(RULES, parties("L", ["D", "LEADER"], ["D", 1], ["A", 3]), 10_000)).toEqual([
        direct("D", 1_000),
        team("D", 1, 500),
        peer("A", 3, 100),
      ]);
    });

    it("given M buys 100.00 through L (M→L→D→B→A), when the line is paid, then L 10.00 DIRECT, D 5.00 TEAM at depth 2 and the PEER for A at depth 4 is nothing", () => {
      expect(lineRewards(RULES, parties("M", ["L", "SHARER"], ["D", 2], ["A", 4]), 10_000)).toEqual([
        direct("L", 1_000),
        team("D", 2, 500),
      ]);
    });
  });

  it("given capTotal 15%, when O6 is paid, then B gets 20.00 + 10.00 = 15% and the PEER is trimmed to 0 (not granted)", () => {
    const got = lineRewards(rules({ capTotalBp: 1_500 }), WORKED_EXAMPLE[5].parties, 20_000);
    expect(got).toEqual([direct("B", 2_000), team("B", 1, 1_000)]);
    expect(sum(got.map((g) => g.amount))).toBe(3_000);
  });

  it("given a cap below DIRECT + TEAM, when the line is paid, then DIRECT comes first and TEAM is trimmed to what is left", () => {
    expect(lineRewards(rules({ capTotalBp: 1_200 }), WORKED_EXAMPLE[2].parties, 39_900)).toEqual([
      direct("B", 3_990),
      team("A", 2, 798), // ⌊12% × 399.00⌋ = 47.88, minus 39.90
    ]);
    expect(lineRewards(rules({ capTotalBp: 500 }), WORKED_EXAMPLE[2].parties, 39_900)).toEqual([direct("B", 1_995)]);
    expect(lineRewards(rules({ capTotalBp: 0 }), WORKED_EXAMPLE[2].parties, 39_900)).toEqual([]);
  });

  it("given the buyer's inviter is only REGISTERED, when the line is paid, then there is no DIRECT but TEAM still goes to the leader", () => {
    expect(lineRewards(RULES, parties("D", ["B", "REGISTERED"], ["A", 2]), 39_900)).toEqual([team("A", 2, 1_995)]);
  });

  it("given B′ is B's second account on B's device (a risk pair, blocked), when B′'s order is paid, then it creates nothing", () => {
    expect(lineRewards(RULES, parties("B′", ["B", "LEADER"], ["B", 1], ["A", 2], true), 20_000)).toEqual([]);
  });

  it("given an order flagged by risk control with an otherwise ordinary tree, when it is paid, then it creates nothing", () => {
    expect(lineRewards(RULES, { ...WORKED_EXAMPLE[4].parties, blocked: true }, 29_900)).toEqual([]);
  });

  it("given the buyer is a LEADER (leader = buyer at depth 0), when they buy 100.00, then only their inviter's DIRECT is granted — no TEAM and so no PEER", () => {
    // B after promotion buys: inviter A, leader B itself, detachedFrom(B) = A at depth 1.
    expect(lineRewards(RULES, parties("B", ["A", "LEADER"], ["B", 0], ["A", 1]), 10_000)).toEqual([direct("A", 1_000)]);
  });

  it("given a leader record that names the buyer at depth ≥ 1, when the line is paid, then the buyer still gets nothing and no PEER follows", () => {
    expect(lineRewards(RULES, parties("B", ["A", "LEADER"], ["B", 1], ["A", 1]), 10_000)).toEqual([direct("A", 1_000)]);
  });

  it("given E refunds O4 in full before settlement, when O4's rewards are recomputed, then B 12.00 and A 6.00 are fully reversed", () => {
    expect(remainingAfterRefund(1_200, 12_000, 0)).toBe(0);
    expect(remainingAfterRefund(600, 12_000, 0)).toBe(0);
  });

  it("given O4 was refunded and B is still a SHARER, when H buys 150.00 through B, then B 15.00 DIRECT and A 7.50 TEAM, and H keeps leader A", () => {
    expect(lineRewards(RULES, parties("H", ["B", "SHARER"], ["A", 2]), 15_000)).toEqual([direct("B", 1_500), team("A", 2, 750)]);
    expect(leaderOnBind({ id: "B", role: "SHARER", leaderId: "A" })).toBe("A");
  });

  it("given a zero base (a fully discounted line), when it is paid, then nothing is granted", () => {
    expect(lineRewards(RULES, WORKED_EXAMPLE[5].parties, 0)).toEqual([]);
  });

  describe("maxDepth lowered", () => {
    it.each([
      { label: "O3 (TEAM A at depth 2)", maxDepth: 1, p: WORKED_EXAMPLE[2].parties, base: 39_900, grants: [direct("B", 3_990)] },
      { label: "O6 (PEER A at depth 2)", maxDepth: 1, p: WORKED_EXAMPLE[5].parties, base: 20_000, grants: [direct("B", 2_000), team("B", 1, 1_000)] },
      { label: "O5 (TEAM A at depth 3)", maxDepth: 1, p: WORKED_EXAMPLE[4].parties, base: 29_900, grants: [direct("D", 2_990)] },
      { label: "O1 (TEAM A at depth 1)", maxDepth: 1, p: WORKED_EXAMPLE[0].parties, base: 19_900, grants: [direct("A", 1_990), team("A", 1, 995)] },
      { label: "O3 (TEAM A at depth 2)", maxDepth: 2, p: WORKED_EXAMPLE[2].parties, base: 39_900, grants: [direct("B", 3_990), team("A", 2, 1_995)] },
      { label: "O5 (TEAM A at depth 3)", maxDepth: 2, p: WORKED_EXAMPLE[4].parties, base: 29_900, grants: [direct("D", 2_990)] },
      {
        label: "O6 (PEER A at depth 2)",
        maxDepth: 2,
        p: WORKED_EXAMPLE[5].parties,
        base: 20_000,
        grants: [direct("B", 2_000), team("B", 1, 1_000), peer("A", 2, 200)],
      },
      {
        label: "L through D (PEER A at depth 3)",
        maxDepth: 2,
        p: parties("L", ["D", "LEADER"], ["D", 1], ["A", 3]),
        base: 10_000,
        grants: [direct("D", 1_000), team("D", 1, 500)],
      },
    ])("given maxDepth $maxDepth, when $label is paid, then receivers deeper than $maxDepth get nothing", ({ maxDepth, p, base, grants }) => {
      expect(lineRewards(rules({ maxDepth }), p, base)).toEqual(grants);
    });
  });
});

describe("ruleSetViolation — ceilings", () => {
  it.each([
    { label: "maxDepth 4", over: { maxDepth: 4 }, code: "MAX_DEPTH_CEILING", field: "maxDepth" },
    { label: "maxDepth 0", over: { maxDepth: 0 }, code: "MAX_DEPTH_CEILING", field: "maxDepth" },
    { label: "maxDepth 2.5", over: { maxDepth: 2.5 }, code: "MAX_DEPTH_CEILING", field: "maxDepth" },
    { label: "capTotalBp 3001", over: { capTotalBp: 3_001 }, code: "CAP_CEILING", field: "capTotalBp" },
    { label: "capTotalBp -1", over: { capTotalBp: -1 }, code: "CAP_CEILING", field: "capTotalBp" },
    { label: "settleDays 6", over: { settleDays: 6 }, code: "SETTLE_DAYS_FLOOR", field: "settleDays" },
    { label: "settleDays 0", over: { settleDays: 0 }, code: "SETTLE_DAYS_FLOOR", field: "settleDays" },
    { label: "a negative rDirectBp", over: { rDirectBp: -1 }, code: "INVALID_RATE", field: "rDirectBp" },
    { label: "a negative rTeamBp", over: { rTeamBp: -500 }, code: "INVALID_RATE", field: "rTeamBp" },
    { label: "a negative rPeerBp", over: { rPeerBp: -1 }, code: "INVALID_RATE", field: "rPeerBp" },
    { label: "a rate above 100%", over: { rPeerBp: 10_001 }, code: "INVALID_RATE", field: "rPeerBp" },
    { label: "a fractional rate", over: { rDirectBp: 10.5 }, code: "INVALID_RATE", field: "rDirectBp" },
    { label: "k 0", over: { k: 0 }, code: "INVALID_K", field: "k" },
  ])("given $label, when the rule set is checked, then it is refused with $code on $field", ({ over, code, field }) => {
    expect(ruleSetViolation({ ...RULE_FIELDS, ...over })).toMatchObject({ code, field });
  });

  it.each([
    { label: "the defaults", over: {} },
    { label: "the ceilings exactly (maxDepth 3, capTotalBp 3000, settleDays 7)", over: { maxDepth: 3, capTotalBp: 3_000, settleDays: 7 } },
    { label: "maxDepth lowered to 1", over: { maxDepth: 1 } },
    { label: "maxDepth lowered to 2", over: { maxDepth: 2 } },
    { label: "a zero cap and zero rates", over: { capTotalBp: 0, rDirectBp: 0, rTeamBp: 0, rPeerBp: 0 } },
    { label: "rates of exactly 100%", over: { rDirectBp: 10_000, rTeamBp: 10_000, rPeerBp: 10_000 } },
  ])("given $label, when the rule set is checked, then it is accepted", ({ over }) => {
    expect(ruleSetViolation({ ...RULE_FIELDS, ...over })).toBeNull();
  });

  it("given the hard-coded ceilings, when they are read, then they are maxDepth 3, cap 30% and settle at least 7 days", () => {
    expect(CEILINGS).toEqual({ maxDepth: 3, capTotalBp: 3_000, minSettleDays: 7 });
  });
});

describe("remainingAfterRefund — §4 pro-rata reversal", () => {
  it.each([
    { label: "no refund", original: 1_990, base: 19_900, remaining: 19_900, expected: 1_990 },
    { label: "half refunded", original: 1_990, base: 19_900, remaining: 9_950, expected: 995 },
    { label: "a refund that leaves a fraction", original: 449, base: 8_990, remaining: 4_495, expected: 224 }, // 224.5
    { label: "one fen short of half", original: 995, base: 19_900, remaining: 9_999, expected: 499 }, // 499.95
    { label: "a one-fen remainder", original: 1_200, base: 12_000, remaining: 1, expected: 0 },
    { label: "a full refund", original: 1_200, base: 12_000, remaining: 0, expected: 0 },
    { label: "a full refund of a PEER", original: 200, base: 20_000, remaining: 0, expected: 0 },
  ])("given $label, when the remaining amount is computed, then it is $expected", ({ original, base, remaining, expected }) => {
    expect(remainingAfterRefund(original, base, remaining)).toBe(expected);
  });

  it("given O6 refunded in three steps (50.00, 120.00, 30.00), when each step is applied, then every reward ends fully reversed", () => {
    const o6 = lineRewards(RULES, WORKED_EXAMPLE[5].parties, 20_000);
    let remainingBase = 20_000;
    const reversed = o6.map(() => 0);
    const current = o6.map((g) => g.amount);
    for (const refund of [5_000, 12_000, 3_000]) {
      remainingBase -= refund;
      o6.forEach((g, i) => {
        const next = remainingAfterRefund(g.amount, 20_000, remainingBase);
        reversed[i] += current[i] - next;
        current[i] = next;
      });
    }
    expect(current).toEqual([0, 0, 0]);
    expect(reversed).toEqual(o6.map((g) => g.amount));
  });

  it("given any reward and any sequence of partial refunds covering the whole base, when applied step by step, then the amount only shrinks and everything is reversed once", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 3_000_000 }),
        fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 8 }),
        (base, originalRaw, weights) => {
          const original = Math.min(originalRaw, Math.floor((base * CEILINGS.capTotalBp) / 10_000));
          // Split the base into positive-or-zero steps that sum to it exactly.
          const w = sum(weights);
          const steps = weights.map((x) => Math.floor((x * base) / w));
          steps[steps.length - 1] += base - sum(steps);
          let remainingBase = base;
          let current = original;
          let reversed = 0;
          for (const step of steps) {
            remainingBase -= step;
            const next = remainingAfterRefund(original, base, remainingBase);
            expect(next).toBeLessThanOrEqual(current);
            expect(next).toBeGreaterThanOrEqual(0);
            reversed += current - next;
            current = next;
          }
          expect(remainingBase).toBe(0);
          expect(current).toBe(0);
          expect(reversed).toBe(original);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("spreadRefund — largest remainder over lines", () => {
  it.each([
    { label: "an exactly proportional refund", remaining: [100, 200, 300], amount: 60, expected: [10, 20, 30] },
    { label: "a refund of everything", remaining: [7, 3], amount: 10, expected: [7, 3] },
    { label: "a refund of nothing", remaining: [7, 3], amount: 0, expected: [0, 0] },
    { label: "the larger remainder winning the leftover fen", remaining: [1, 2], amount: 2, expected: [1, 1] }, // 0.67 vs 1.33
    { label: "the larger remainder on a later line", remaining: [2, 1], amount: 2, expected: [1, 1] }, // 1.33 vs 0.67
    { label: "two equal lines with one fen (tie → earlier line)", remaining: [1, 1], amount: 1, expected: [1, 0] },
    { label: "three equal lines with two fen (ties → earlier lines)", remaining: [1, 1, 1], amount: 2, expected: [1, 1, 0] },
    { label: "equal halves on different lines (tie → earlier line)", remaining: [3, 7], amount: 5, expected: [2, 3] }, // 1.5 vs 3.5
    { label: "a drained line between two halves", remaining: [5, 0, 5], amount: 3, expected: [2, 0, 1] },
    { label: "a single line", remaining: [1_234], amount: 1_000, expected: [1_000] },
    { label: "all lines already empty", remaining: [0, 0], amount: 0, expected: [0, 0] },
  ])("given $label, when $amount is spread over $remaining, then each line gets $expected", ({ remaining, amount, expected }) => {
    const got = spreadRefund(remaining, amount);
    expect(got).toEqual(expected);
    expect(sum(got)).toBe(amount);
  });

  it.each([
    { remaining: [1, 2], amount: 4 },
    { remaining: [0, 0], amount: 1 },
    { remaining: [], amount: 1 },
  ])("given a refund of $amount over $remaining, when it is spread, then it throws because it exceeds what remains", ({ remaining, amount }) => {
    expect(() => spreadRefund(remaining, amount)).toThrow("refund exceeds what remains");
  });

  // Regression: equal remainders at different magnitudes (1/3 from 4/3 and from 1/3) once compared
  // unequal as floats and the tie went to the later line.
  it.each([
    { remaining: [4, 1, 1], amount: 2, expected: [2, 0, 0] }, // exact 4/3, 1/3, 1/3 → all remainders 1/3; actual [1, 1, 0]
    { remaining: [1, 1, 7], amount: 3, expected: [1, 0, 2] }, // exact 1/3, 1/3, 7/3 → all remainders 1/3; actual [0, 0, 3]
  ])("given equal remainders at different magnitudes $remaining, when $amount is spread, then the tie goes to the earlier line", ({ remaining, amount, expected }) => {
    expect(spreadRefund(remaining, amount)).toEqual(expected);
  });

  it("given any remaining amounts and any refund within their total, when it is spread, then it sums to the refund, stays within each line, and is off the exact share by less than one fen", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 8 }).chain((remaining) =>
          fc.tuple(fc.constant(remaining), fc.integer({ min: 0, max: sum(remaining) })),
        ),
        ([remaining, amount]) => {
          const got = spreadRefund(remaining, amount);
          const total = sum(remaining);
          expect(got).toHaveLength(remaining.length);
          expect(sum(got)).toBe(amount);
          got.forEach((x, i) => {
            expect(Number.isInteger(x)).toBe(true);
            expect(x).toBeGreaterThanOrEqual(0);
            expect(x).toBeLessThanOrEqual(remaining[i]);
            if (total > 0) {
              // floor(exact) ≤ x ≤ floor(exact) + 1, computed in exact integer arithmetic.
              const floorExact = Number((BigInt(remaining[i]) * BigInt(amount)) / BigInt(total));
              expect(x - floorExact).toBeGreaterThanOrEqual(0);
              expect(x - floorExact).toBeLessThanOrEqual(1);
            }
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("lineRewards — properties for every rule set within the ceilings", () => {
  const BUYER = "X";
  const POOL = [BUYER, "A", "B", "C", "D"];
  const ruleSetArb: fc.Arbitrary<RuleSet> = fc.record({
    version: fc.integer({ min: 1, max: 100 }),
    k: fc.integer({ min: 1, max: 5 }),
    rDirectBp: fc.integer({ min: 0, max: 10_000 }),
    rTeamBp: fc.integer({ min: 0, max: 10_000 }),
    rPeerBp: fc.integer({ min: 0, max: 10_000 }),
    maxDepth: fc.integer({ min: 1, max: 3 }),
    capTotalBp: fc.integer({ min: 0, max: 3_000 }),
    settleDays: fc.integer({ min: 7, max: 30 }),
  });
  const idArb = fc.constantFrom(...POOL);
  const placed = fc.option(fc.record({ id: idArb, depth: fc.integer({ min: 0, max: 6 }) }), { nil: null });
  const partiesArb: fc.Arbitrary<RewardParties> = fc.record({
    buyerId: fc.constant(BUYER),
    inviter: fc.option(fc.record({ id: idArb, role: fc.constantFrom<ReferralRole>("REGISTERED", "SHARER", "LEADER") }), { nil: null }),
    leader: placed,
    peer: placed,
    blocked: fc.boolean(),
  });
  const baseArb = fc.integer({ min: 0, max: 10_000_000 });
  const RUNS = { numRuns: 300 };

  it("given a generated rule set, when it is checked, then it is within the ceilings", () => {
    fc.assert(
      fc.property(ruleSetArb, ({ version: _v, ...fields }) => {
        expect(ruleSetViolation(fields)).toBeNull();
      }),
      RUNS,
    );
  });

  it("given any rule set, parties and base, when the line is paid, then the rewards never exceed ⌊capTotal × base⌋", () => {
    fc.assert(
      fc.property(ruleSetArb, partiesArb, baseArb, (r, p, base) => {
        const total = sum(lineRewards(r, p, base).map((g) => g.amount));
        expect(total).toBeLessThanOrEqual(Math.floor((r.capTotalBp * base) / 10_000));
        expect(total).toBeLessThanOrEqual(Math.floor((CEILINGS.capTotalBp * base) / 10_000));
      }),
      RUNS,
    );
  });

  it("given any rule set, parties and base, when the line is paid, then every grant is at depth 1..maxDepth, never to the buyer, a positive integer, and at most one per type", () => {
    fc.assert(
      fc.property(ruleSetArb, partiesArb, baseArb, (r, p, base) => {
        const grants = lineRewards(r, p, base);
        for (const g of grants) {
          expect(g.depth).toBeGreaterThanOrEqual(1);
          expect(g.depth).toBeLessThanOrEqual(r.maxDepth);
          expect(g.receiverId).not.toBe(p.buyerId);
          expect(Number.isInteger(g.amount)).toBe(true);
          expect(g.amount).toBeGreaterThan(0);
        }
        const types = grants.map((g) => g.type);
        expect(new Set(types).size).toBe(types.length);
        // Priority order is kept: DIRECT before TEAM before PEER.
        const rank = { DIRECT: 0, TEAM: 1, PEER: 2 } as const;
        expect(types.map((t) => rank[t])).toEqual([...types.map((t) => rank[t])].sort());
      }),
      RUNS,
    );
  });

  it("given any rule set, parties and base, when the line is paid, then a PEER exists only with a TEAM grant and is at most ⌊rPeer × TEAM⌋", () => {
    fc.assert(
      fc.property(ruleSetArb, partiesArb, baseArb, (r, p, base) => {
        const grants = lineRewards(r, p, base);
        const peerGrant = grants.find((g) => g.type === "PEER");
        if (!peerGrant) return;
        const teamGrant = grants.find((g) => g.type === "TEAM");
        expect(teamGrant).toBeDefined();
        expect(peerGrant.amount).toBeLessThanOrEqual(Math.floor((r.rPeerBp * teamGrant!.amount) / 10_000));
        expect(peerGrant.receiverId).toBe(p.peer?.id);
      }),
      RUNS,
    );
  });

  it("given any rule set and base, when the parties are blocked (risk pair or flagged order), then no grant is created", () => {
    fc.assert(
      fc.property(ruleSetArb, partiesArb, baseArb, (r, p, base) => {
        expect(lineRewards(r, { ...p, blocked: true }, base)).toEqual([]);
      }),
      RUNS,
    );
  });

  it("given any rule set, parties and base, when the line is paid, then DIRECT goes only to a SHARER or LEADER inviter at depth 1 and TEAM only to the leader", () => {
    fc.assert(
      fc.property(ruleSetArb, partiesArb, baseArb, (r, p, base) => {
        for (const g of lineRewards(r, p, base)) {
          if (g.type === "DIRECT") {
            expect(g.receiverId).toBe(p.inviter?.id);
            expect(["SHARER", "LEADER"]).toContain(p.inviter?.role);
            expect(g.depth).toBe(1);
          }
          if (g.type === "TEAM") {
            expect(g.receiverId).toBe(p.leader?.id);
            expect(g.depth).toBe(p.leader?.depth);
          }
        }
      }),
      RUNS,
    );
  });

  it("given any rule set, parties and base, when the line is paid, then the grants equal a straightforward model of §3 rules 1–3, 7 and 8", () => {
    const model = (r: RuleSet, p: RewardParties, base: number): RewardGrant[] => {
      if (p.blocked || base <= 0) return [];
      const pct = (x: number, bp: number) => Math.floor((x * bp) / 10_000);
      let left = pct(base, r.capTotalBp);
      const out: RewardGrant[] = [];
      const eligible = (id: string, depth: number) => id !== p.buyerId && depth >= 1 && depth <= r.maxDepth;
      const take = (type: RewardGrant["type"], id: string, depth: number, wanted: number) => {
        const amount = Math.min(wanted, left);
        if (amount > 0) {
          left -= amount;
          out.push({ type, receiverId: id, depth, amount });
        }
        return Math.max(amount, 0);
      };
      if (p.inviter && p.inviter.role !== "REGISTERED" && eligible(p.inviter.id, 1)) take("DIRECT", p.inviter.id, 1, pct(base, r.rDirectBp));
      const teamAmount = p.leader && eligible(p.leader.id, p.leader.depth) ? take("TEAM", p.leader.id, p.leader.depth, pct(base, r.rTeamBp)) : 0;
      if (teamAmount > 0 && p.peer && eligible(p.peer.id, p.peer.depth)) take("PEER", p.peer.id, p.peer.depth, pct(teamAmount, r.rPeerBp));
      return out;
    };
    fc.assert(
      fc.property(ruleSetArb, partiesArb, baseArb, (r, p, base) => {
        expect(lineRewards(r, p, base)).toEqual(model(r, p, base));
      }),
      RUNS,
    );
  });
});
