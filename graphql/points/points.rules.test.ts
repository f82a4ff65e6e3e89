import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  checkPointsSettings,
  DEFAULT_POINTS_SETTINGS,
  earnFor,
  earnReversalFor,
  expiringAt,
  expiryReference,
  nextShanghaiMidnight,
  normalizeSettings,
  pointsValueFen,
  reversalWithinBalance,
  signAllowed,
  spendReturnFor,
  checkMallItemDraft,
} from "./points.rules";

describe("points settings", () => {
  const ok = DEFAULT_POINTS_SETTINGS;
  it.each([
    ["the defaults", ok, null],
    ["earning off (0 per yuan)", { ...ok, earnPerYuan: 0 }, null],
    ["a fractional earn rate", { ...ok, earnPerYuan: 1.5 }, "INVALID_EARN_RATE"],
    ["more than 100 per yuan", { ...ok, earnPerYuan: 101 }, "INVALID_EARN_RATE"],
    ["a zero spend step", { ...ok, spendRate: { points: 0, fen: 100 } }, "INVALID_SPEND_RATE"],
    ["a point worth more than ¥1", { ...ok, spendRate: { points: 1, fen: 101 } }, "INVALID_SPEND_RATE"],
    ["1 point = 1 fen", { ...ok, spendRate: { points: 1, fen: 1 } }, null],
    ["a cap above 100%", { ...ok, maxDeductBp: 10_001 }, "INVALID_CAP"],
    ["a negative cap", { ...ok, maxDeductBp: -1 }, "INVALID_CAP"],
    ["a 100% cap", { ...ok, maxDeductBp: 10_000 }, null],
    ["expiry under 30 days", { ...ok, expiryDays: 29 }, "INVALID_EXPIRY"],
    ["expiry over 3 years", { ...ok, expiryDays: 1_096 }, "INVALID_EXPIRY"],
  ])("given %s, then %s", (_label, settings, code) => {
    expect(checkPointsSettings(settings)?.code ?? null).toBe(code);
  });

  // What ¥1 of cash earns may never be worth more than ¥1: earnPerYuan × fen ≤ 100 × points.
  it.each([
    ["100 per yuan at 1 point = ¥1 (¥100 back per ¥1)", { ...ok, earnPerYuan: 100, spendRate: { points: 1, fen: 100 } }, "INVALID_EARN_RATE"],
    ["2 per yuan at 1 point = ¥1 (¥2 back per ¥1)", { ...ok, earnPerYuan: 2, spendRate: { points: 1, fen: 100 } }, "INVALID_EARN_RATE"],
    ["1 per yuan at 1 point = ¥1 (exactly ¥1 back)", { ...ok, earnPerYuan: 1, spendRate: { points: 1, fen: 100 } }, null],
    ["100 per yuan at 100 points = ¥1 (exactly ¥1 back)", { ...ok, earnPerYuan: 100, spendRate: { points: 100, fen: 100 } }, null],
    ["100 per yuan at 100 points = ¥1.01", { ...ok, earnPerYuan: 100, spendRate: { points: 100, fen: 101 } }, "INVALID_EARN_RATE"],
    ["10 per yuan at 1 point = 10 fen (exactly ¥1 back)", { ...ok, earnPerYuan: 10, spendRate: { points: 1, fen: 10 } }, null],
    ["11 per yuan at 1 point = 10 fen", { ...ok, earnPerYuan: 11, spendRate: { points: 1, fen: 10 } }, "INVALID_EARN_RATE"],
    ["earning off at 1 point = ¥1", { ...ok, earnPerYuan: 0, spendRate: { points: 1, fen: 100 } }, null],
  ])("given %s, then %s", (_label, settings, code) => {
    const problem = checkPointsSettings(settings);
    expect(problem?.code ?? null).toBe(code);
    if (problem) expect(problem.field).toBe("earnPerYuan");
  });

  it("never accepts settings under which the points earned on ¥1 are worth more than ¥1", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 10_000 }), (earnPerYuan, points, fen) => {
        const s = { ...ok, earnPerYuan, spendRate: { points, fen } };
        if (checkPointsSettings(s) === null) expect(earnPerYuan * fen).toBeLessThanOrEqual(100 * points);
      }),
    );
  });

  it("given stored settings missing fields, then the defaults fill them in", () => {
    expect(normalizeSettings({ earnPerYuan: 2 })).toEqual({ ...ok, earnPerYuan: 2 });
    expect(normalizeSettings(null)).toEqual(ok);
  });

  it("values points in whole steps of the rate", () => {
    expect(pointsValueFen(250, { points: 100, fen: 100 })).toBe(200);
    expect(pointsValueFen(99, { points: 100, fen: 100 })).toBe(0);
  });
});

describe("entry signs", () => {
  it.each([
    ["EARN", 10, true],
    ["EARN", -10, false],
    ["SPEND", -10, true],
    ["SPEND", 10, false],
    ["SPEND_RETURN", 5, true],
    ["EXPIRE", -1, true],
    ["REDEEM", -100, true],
    ["EARN_REVERSAL", -3, true],
    ["ADJUST", -3, true],
    ["ADJUST", 3, true],
    ["ADJUST", 0, false],
    ["EARN", 1.5, false],
  ] as const)("%s of %d allowed: %s", (kind, amount, allowed) => {
    expect(signAllowed(kind, amount)).toBe(allowed);
  });
});

describe("earning and its reversal", () => {
  it.each([
    ["¥128 at 1/¥1", 12_800, 1, 128],
    ["¥0.99 at 1/¥1 (floored)", 99, 1, 0],
    ["¥10.50 at 3/¥1", 1_050, 3, 31],
    ["nothing paid in cash", 0, 1, 0],
  ])("%s earns %#", (_l, cash, perYuan, expected) => {
    expect(earnFor(cash, { enabled: true, earnPerYuan: perYuan })).toBe(expected);
  });
  it("earns nothing while points are switched off", () => {
    expect(earnFor(12_800, { enabled: false, earnPerYuan: 1 })).toBe(0);
  });

  it.each([
    ["half refunded", 128, 12_800, 12_800, 6_400, 64],
    ["the rest refunded", 128, 12_800, 6_400, 0, 64],
    ["1 fen of 3 refunded", 10, 3, 3, 2, 4],
    ["nothing earned", 0, 12_800, 12_800, 0, 0],
  ])("%s takes back %#", (_l, earned, atSettlement, before, after, expected) => {
    expect(earnReversalFor(earned, atSettlement, before, after)).toBe(expected);
  });

  it("property: however a settled order is refunded in steps, exactly what was earned goes back, never more", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 1, max: 1_000_000 }), fc.array(fc.integer({ min: 1, max: 1_000 }), { maxLength: 8 }), (earned, cash, steps) => {
        let left = cash;
        let back = 0;
        for (const s of [...steps, cash]) {
          const after = Math.max(0, left - s);
          const r = earnReversalFor(earned, cash, left, after);
          expect(r).toBeGreaterThanOrEqual(0);
          back += r;
          left = after;
          if (left === 0) break;
        }
        expect(back).toBe(earned);
      }),
    );
  });

  it.each([
    ["half the cash refunded", 1_000, 0, 10_000, 5_000, 500],
    ["the rest refunded", 1_000, 500, 10_000, 0, 500],
    ["a full refund returns everything", 999, 0, 10_000, 0, 999],
    ["a third refunded (the kept part floors, so the return rounds up)", 100, 0, 3, 2, 34],
    ["nothing spent", 0, 0, 10_000, 0, 0],
  ])("spend return: %s", (_l, spent, soFar, paid, left, expected) => {
    expect(spendReturnFor(spent, soFar, paid, left)).toBe(expected);
  });

  it("property: returns never exceed what was spent, and a full refund returns all", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 1, max: 100_000 }), fc.array(fc.integer({ min: 1, max: 50_000 }), { maxLength: 6 }), (spent, paid, steps) => {
        let left = paid;
        let back = 0;
        for (const s of steps) {
          left = Math.max(0, left - s);
          back += spendReturnFor(spent, back, paid, left);
          expect(back).toBeLessThanOrEqual(spent);
        }
        back += spendReturnFor(spent, back, paid, 0);
        expect(back).toBe(spent);
      }),
    );
  });

  it.each([
    ["enough balance", 50, 100, { taken: 50, shortfall: 0 }],
    ["part already spent", 50, 20, { taken: 20, shortfall: 30 }],
    ["all spent", 50, 0, { taken: 0, shortfall: 50 }],
  ])("a reversal with %s never makes the balance negative", (_l, wanted, balance, expected) => {
    expect(reversalWithinBalance(wanted, balance)).toEqual(expected);
  });
});

describe("FIFO expiry", () => {
  it.each([
    ["nothing due", { dueCredits: 0, consumed: 0, alreadyExpired: 0 }, 0],
    ["a lot due, part spent", { dueCredits: 100, consumed: 30, alreadyExpired: 0 }, 70],
    ["spends cover the due lots", { dueCredits: 100, consumed: 150, alreadyExpired: 0 }, 0],
    ["second run, the rest of lot 2", { dueCredits: 150, consumed: 70, alreadyExpired: 70 }, 10],
    ["re-run on the same day", { dueCredits: 100, consumed: 30, alreadyExpired: 70 }, 0],
  ])("%s", (_l, input, expected) => {
    expect(expiringAt(input)).toBe(expected);
  });

  /**
   * A lot-by-lot simulation: credits are lots with an expiry (credited in expiry order, as with one
   * expiry period and a monotonic clock), debits consume the soonest-expiring live lots first, and
   * expiry runs at increasing times remove the rest of every lot due. The closed form must expire
   * exactly what the simulation expires, at every run.
   */
  type Event = { kind: "credit"; amount: number; life: number } | { kind: "debit"; amount: number } | { kind: "expire" } | { kind: "tick"; by: number };
  const event: fc.Arbitrary<Event> = fc.oneof(
    fc.record({ kind: fc.constant("credit" as const), amount: fc.integer({ min: 1, max: 500 }), life: fc.integer({ min: 0, max: 30 }) }),
    fc.record({ kind: fc.constant("debit" as const), amount: fc.integer({ min: 1, max: 400 }) }),
    fc.record({ kind: fc.constant("expire" as const) }),
    fc.record({ kind: fc.constant("tick" as const), by: fc.integer({ min: 1, max: 10 }) }),
  );

  it("property: the closed form equals a lot-by-lot FIFO simulation", () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 60 }), fc.integer({ min: 1, max: 60 }), (events, period) => {
        let now = 0;
        const lots: { expiresAt: number; left: number; amount: number }[] = [];
        let consumed = 0;
        let expired = 0;
        const balance = () => lots.reduce((s, l) => s + l.left, 0);
        for (const e of events) {
          if (e.kind === "tick") now += e.by;
          if (e.kind === "credit") lots.push({ expiresAt: now + period, left: e.amount, amount: e.amount });
          if (e.kind === "debit") {
            let want = Math.min(e.amount, balance());
            consumed += want;
            for (const lot of [...lots].sort((a, b) => a.expiresAt - b.expiresAt)) {
              const take = Math.min(lot.left, want);
              lot.left -= take;
              want -= take;
            }
          }
          if (e.kind === "expire") {
            const simulated = lots.filter((l) => l.expiresAt <= now).reduce((s, l) => s + l.left, 0);
            for (const l of lots) if (l.expiresAt <= now) l.left = 0;
            const due = lots.filter((l) => l.expiresAt <= now).reduce((s, l) => s + l.amount, 0);
            const closed = expiringAt({ dueCredits: due, consumed, alreadyExpired: expired });
            expect(closed).toBe(simulated);
            expired += closed;
            expect(closed).toBeLessThanOrEqual(balance() + closed);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it("names one expiry per person and Shanghai day, and runs daily at Shanghai midnight", () => {
    expect(expiryReference("u1", new Date("2025-03-01T16:30:00Z"))).toBe("u1:2025-03-02");
    expect(nextShanghaiMidnight(new Date("2025-03-01T15:59:00Z")).toISOString()).toBe("2025-03-01T16:00:00.000Z");
    expect(nextShanghaiMidnight(new Date("2025-03-01T16:00:00Z")).toISOString()).toBe("2025-03-02T16:00:00.000Z");
  });
});

describe("points mall items", () => {
  const now = new Date("2025-03-01T00:00:00Z");
  const base = { kind: "COUPON" as const, title: "¥5 无门槛券", pointsCost: 500, totalQuantity: 100, perUserLimit: 1, startsAt: now, endsAt: new Date(now.getTime() + 7 * 86_400_000), now };
  it.each([
    ["a good item", {}, null],
    ["a one-letter title", { title: "券" }, "INVALID_TITLE"],
    ["a zero price", { pointsCost: 0 }, "INVALID_COST"],
    ["no quantity", { totalQuantity: 0 }, "INVALID_QUANTITY"],
    ["a limit of 100", { perUserLimit: 100 }, "INVALID_LIMIT"],
    ["an end before the start", { endsAt: now, startsAt: new Date(now.getTime() + 1) }, "INVALID_WINDOW"],
  ])("given %s, then %s", (_l, over, code) => {
    expect(checkMallItemDraft({ ...base, ...over })?.code ?? null).toBe(code);
  });
});
