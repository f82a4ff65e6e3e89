/** Withdrawal rules (rule book §5, §6): fee, minimum, daily limit, balance, frozen, real-name match. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_WITHDRAWAL_RULES,
  maskAccount,
  payoutNoFor,
  shanghaiDay,
  shanghaiMonth,
  withdrawalFee,
  withdrawalInputViolation,
  withdrawalRulesViolation,
  withdrawalViolation,
  type WithdrawalRules,
  type WithdrawalState,
} from "./withdrawal.rules";

const RULES: WithdrawalRules = { minFen: 1000, feeBp: 150, dailyLimitFen: 500_000 };
const STATE: WithdrawalState = { available: 100_000, frozen: false, realName: "陈晓雨", requestedToday: 0 };
const REQ = { amount: 10_000, payeeName: "陈晓雨" };

describe("withdrawalFee = ⌊amount × feeBp ÷ 10 000⌋", () => {
  it.each([
    ["no fee", 10_000, 0, 0],
    ["1.5% of ¥100", 10_000, 150, 150],
    ["floored: 1.5% of ¥0.99 is 1.485 fen → 1", 99, 150, 1],
    ["floored to zero on tiny amounts", 66, 150, 0],
    ["the largest fee rate allowed (99.99%)", 10_000, 9_999, 9_999],
  ])("%s", (_label, amount, bp, fee) => expect(withdrawalFee(amount, bp)).toBe(fee));

  it("given any amount and any allowed rate, then 0 ≤ fee < amount (the withdrawals_amounts check never fires)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e12 }), fc.integer({ min: 0, max: 9_999 }), (amount, bp) => {
        const fee = withdrawalFee(amount, bp);
        expect(fee).toBeGreaterThanOrEqual(0);
        expect(fee).toBeLessThan(amount);
      }),
    );
  });
});

describe("withdrawalViolation", () => {
  it.each<[string, Partial<typeof REQ>, Partial<WithdrawalState>, string | null]>([
    ["an ordinary request", {}, {}, null],
    ["exactly the minimum", { amount: 1000 }, {}, null],
    ["exactly the whole balance", { amount: 100_000 }, {}, null],
    ["up to exactly the daily limit", { amount: 100_000 }, { available: 600_000, requestedToday: 400_000 }, null],
    ["payee spelled with another dot", { payeeName: "艾力•买买提" }, { realName: "艾力·买买提" }, null],
    ["below the minimum", { amount: 999 }, {}, "BELOW_MINIMUM"],
    ["more than the balance", { amount: 100_001 }, {}, "INSUFFICIENT_BALANCE"],
    ["one fen over the daily limit", { amount: 100_001 }, { available: 600_000, requestedToday: 400_000 }, "DAILY_LIMIT_EXCEEDED"],
    ["negative balance, even for a small amount", { amount: 1000 }, { available: -1 }, "NEGATIVE_BALANCE"],
    ["frozen", {}, { frozen: true }, "FROZEN"],
    ["no real name", {}, { realName: null }, "REAL_NAME_REQUIRED"],
    ["payee is someone else", { payeeName: "陈晓宇" }, {}, "PAYEE_NAME_MISMATCH"],
    ["frozen wins over everything else", { amount: 1, payeeName: "某人" }, { frozen: true, available: -5 }, "FROZEN"],
    ["a negative balance is reported before the amount checks", { amount: 1 }, { available: -5 }, "NEGATIVE_BALANCE"],
  ])("given %s, then %s", (_label, req, state, code) => {
    expect(withdrawalViolation({ ...REQ, ...req }, { ...STATE, ...state }, RULES)?.code ?? null).toBe(code);
  });

  it("given the simulator (no real names), then only the real-name checks are skipped", () => {
    const anon = { ...STATE, realName: null };
    expect(withdrawalViolation(REQ, anon, RULES, { skipRealName: true })).toBeNull();
    expect(withdrawalViolation({ ...REQ, amount: 999 }, anon, RULES, { skipRealName: true })?.code).toBe("BELOW_MINIMUM");
    expect(withdrawalViolation(REQ, { ...anon, frozen: true }, RULES, { skipRealName: true })?.code).toBe("FROZEN");
  });

  it("given any state, then an accepted request never exceeds the balance nor the daily limit", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e6, max: 1e7 }), fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 1e7 }), (available, today, amount) => {
        const ok = withdrawalViolation({ ...REQ, amount }, { ...STATE, available, requestedToday: today }, RULES) === null;
        if (ok) {
          expect(amount).toBeLessThanOrEqual(available);
          expect(today + amount).toBeLessThanOrEqual(RULES.dailyLimitFen);
          expect(amount).toBeGreaterThanOrEqual(RULES.minFen);
        }
      }),
    );
  });
});

describe("withdrawalInputViolation", () => {
  it.each([
    ["a bank card", 1000, "6222021234567890", null],
    ["an Alipay login", 1000, "chen.xiaoyu@example.com", null],
    ["zero", 0, "6222021234567890", "INVALID_AMOUNT"],
    ["negative", -100, "6222021234567890", "INVALID_AMOUNT"],
    ["a fraction of a fen", 10.5, "6222021234567890", "INVALID_AMOUNT"],
    ["beyond a safe integer", 2 ** 53, "6222021234567890", "INVALID_AMOUNT"],
    ["an empty account", 1000, "", "INVALID_PAYEE_ACCOUNT"],
    ["an account with spaces inside", 1000, "6222 0212 3456", "INVALID_PAYEE_ACCOUNT"],
    ["an absurdly long account", 1000, "1".repeat(65), "INVALID_PAYEE_ACCOUNT"],
  ])("given %s, then %s", (_label, amount, payeeAccount, code) => {
    expect(withdrawalInputViolation({ amount, payeeAccount })?.code ?? null).toBe(code);
  });
});

describe("withdrawal rule-set parameters", () => {
  it.each<[string, Partial<WithdrawalRules>, string | null]>([
    ["the defaults", {}, null],
    ["a fee of 99.99%", { feeBp: 9_999 }, null],
    ["a fee of 100%", { feeBp: 10_000 }, "withdrawFeeBp"],
    ["a negative fee", { feeBp: -1 }, "withdrawFeeBp"],
    ["a zero minimum", { minFen: 0 }, "withdrawMinFen"],
    ["a daily limit below the minimum", { minFen: 2000, dailyLimitFen: 1999 }, "withdrawDailyLimitFen"],
  ])("given %s, then %s", (_label, over, field) => {
    expect(withdrawalRulesViolation({ ...DEFAULT_WITHDRAWAL_RULES, ...over })?.field ?? null).toBe(field);
  });
});

describe("calendar, payout number, masking", () => {
  it("given 23:59 and 00:01 Asia/Shanghai, then they fall in different days; 15:59Z and 16:01Z likewise", () => {
    const late = shanghaiDay(new Date("2026-03-15T15:59:00Z")); // 23:59 in Shanghai
    const early = shanghaiDay(new Date("2026-03-15T16:01:00Z")); // 00:01 next day
    expect(late.start.toISOString()).toBe("2026-03-14T16:00:00.000Z");
    expect(late.end.toISOString()).toBe("2026-03-15T16:00:00.000Z");
    expect(early.start.toISOString()).toBe("2026-03-15T16:00:00.000Z");
  });

  it("given months, then Shanghai month bounds (December rolls over, malformed is null)", () => {
    expect(shanghaiMonth("2026-01")).toEqual({ start: new Date("2025-12-31T16:00:00Z"), end: new Date("2026-01-31T16:00:00Z") });
    expect(shanghaiMonth("2025-12")?.end).toEqual(new Date("2025-12-31T16:00:00Z"));
    for (const bad of ["2026-13", "2026-1", "202601", "", "2026-00"]) expect(shanghaiMonth(bad)).toBeNull();
  });

  it("given a withdrawal id, then the payout number is derived once and deterministically", () => {
    const id = "0f8e2a3c-1111-4222-8333-944455556666";
    expect(payoutNoFor(id)).toBe("PO0F8E2A3C111142228333944455556666");
    expect(payoutNoFor(id)).toBe(payoutNoFor(id));
  });

  it("given an account, then only its last four characters show", () => {
    expect(maskAccount("6222021234567890")).toBe("****7890");
  });
});
