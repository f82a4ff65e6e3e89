import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { bpFloor } from "../platform/money";
import { rewardReversal } from "../referral/reward-reversal.rules";
import { MARKETING_SUBSIDY_ACCOUNT } from "./order.rules";
import {
  MAX_PHOTOS,
  afterSaleAllowed,
  afterSaleRequestViolation,
  keptProRata,
  refundNoFor,
  refundPostings,
  refundsFreight,
  givesEveryLineBack,
  zeroCashRefusal,
  type AfterSaleRequest,
  type RefundableLine,
} from "./aftersale.rules";

const L1: RefundableLine = { id: "l1", paidAmount: 12_800, refundedAmount: 0, openRequested: 0 };
const L2: RefundableLine = { id: "l2", paidAmount: 3_990, refundedAmount: 1_000, openRequested: 2_000 };
const ask = (over: Partial<AfterSaleRequest> = {}): AfterSaleRequest => ({
  lines: [{ orderLineId: "l1", amount: 100 }],
  reason: "质量问题",
  photoKeys: [],
  ...over,
});

describe("afterSaleAllowed: which orders can be asked back", () => {
  const settled = new Date("2026-01-10T00:00:00Z");
  it.each([
    ["a paid order", "PAID", null, {}, true],
    ["a shipped order", "SHIPPED", null, {}, true],
    ["a received order inside the return window", "COMPLETED", null, {}, true],
    ["a settled order (return window passed)", "COMPLETED", settled, {}, false],
    ["an unpaid order", "PENDING_PAYMENT", null, {}, false],
    ["a cancelled order", "CANCELLED", null, {}, false],
    ["a settled order, platform-arbitrated", "COMPLETED", settled, { overrideWindow: true }, true],
    ["a cancelled order, even platform-arbitrated", "CANCELLED", null, { overrideWindow: true }, false],
  ])("given %s, then allowed is %s", (_label, status, settledAt, opts, allowed) => {
    expect(afterSaleAllowed({ status, settledAt }, opts)).toBe(allowed);
  });
});

describe("afterSaleRequestViolation", () => {
  it.each([
    ["one line, part of it", ask()],
    ["the whole line", ask({ lines: [{ orderLineId: "l1", amount: 12_800 }] })],
    ["exactly what is left after refunds and open requests (3990 − 1000 − 2000)", ask({ lines: [{ orderLineId: "l2", amount: 990 }] })],
    ["two lines", ask({ lines: [{ orderLineId: "l1", amount: 1 }, { orderLineId: "l2", amount: 1 }] })],
    ["a 200-character reason", ask({ reason: "坏".repeat(200) })],
    ["a reason with surrounding blanks", ask({ reason: "  破损  " })],
    [`${MAX_PHOTOS} photos`, ask({ photoKeys: Array.from({ length: MAX_PHOTOS }, (_, i) => `p${i}`) })],
  ])("given %s, then it is accepted", (_label, req) => {
    expect(afterSaleRequestViolation(req, [L1, L2])).toBeNull();
  });

  it.each([
    ["a one-character reason", ask({ reason: "坏" }), "INVALID_REASON", "reason"],
    ["a blank reason", ask({ reason: "    " }), "INVALID_REASON", "reason"],
    ["a 201-character reason", ask({ reason: "坏".repeat(201) }), "INVALID_REASON", "reason"],
    [`${MAX_PHOTOS + 1} photos`, ask({ photoKeys: Array.from({ length: MAX_PHOTOS + 1 }, (_, i) => `p${i}`) }), "TOO_MANY_PHOTOS", "photoKeys"],
    ["the same photo twice", ask({ photoKeys: ["p", "p"] }), "INVALID_PHOTO", "photoKeys"],
    ["no lines", ask({ lines: [] }), "INVALID_LINES", "lines"],
    ["a line of another order", ask({ lines: [{ orderLineId: "elsewhere", amount: 1 }] }), "INVALID_LINES", "lines.0.orderLineId"],
    ["the same line twice", ask({ lines: [{ orderLineId: "l1", amount: 1 }, { orderLineId: "l1", amount: 1 }] }), "INVALID_LINES", "lines.1.orderLineId"],
    ["a zero amount", ask({ lines: [{ orderLineId: "l1", amount: 0 }] }), "INVALID_AMOUNT", "lines.0.amount"],
    ["a negative amount", ask({ lines: [{ orderLineId: "l1", amount: -5 }] }), "INVALID_AMOUNT", "lines.0.amount"],
    ["a fractional amount", ask({ lines: [{ orderLineId: "l1", amount: 1.5 }] }), "INVALID_AMOUNT", "lines.0.amount"],
    ["more than was paid", ask({ lines: [{ orderLineId: "l1", amount: 12_801 }] }), "AMOUNT_EXCEEDS_REFUNDABLE", "lines.0.amount"],
    ["one fen more than refunds and open requests leave", ask({ lines: [{ orderLineId: "l2", amount: 991 }] }), "AMOUNT_EXCEEDS_REFUNDABLE", "lines.0.amount"],
  ])("given %s, then %s on %s", (_label, req, code, field) => {
    expect(afterSaleRequestViolation(req, [L1, L2])).toMatchObject({ code, field });
  });
});

describe("refundsFreight: freight goes back only with a full refund before anything shipped", () => {
  const line = (paidAmount: number, committed: number, thisRefund: number) => ({ paidAmount, committed, thisRefund });
  it.each([
    ["everything in one refund, nothing shipped", [line(100, 0, 100), line(50, 0, 50)], false, true],
    ["the refund that completes earlier partial ones, nothing shipped", [line(100, 60, 40), line(50, 50, 0)], false, true],
    ["everything, but a parcel left", [line(100, 0, 100)], true, false],
    ["all but one fen", [line(100, 0, 99)], false, false],
    ["one line of two", [line(100, 0, 100), line(50, 0, 0)], false, false],
    ["every cash line, but a line a platform coupon paid in full stays with the buyer", [line(100, 0, 100), line(0, 0, 0)], false, false],
  ])("given %s, then %s", (_label, lines, anyShipped, expected) => {
    expect(refundsFreight(lines, anyShipped)).toBe(expected);
  });
});

describe("givesEveryLineBack: a cash refund gives the whole order back only when every line was paid in cash and is refunded in full", () => {
  const line = (paidAmount: number, refundedAfter: number) => ({ paidAmount, refundedAfter });
  it.each([
    ["every line refunded in full", [line(100, 100), line(50, 50)], true],
    ["one line short by a fen", [line(100, 99), line(50, 50)], false],
    ["a line a platform coupon paid in full (¥0 cash), the cash line refunded in full", [line(0, 0), line(12_800, 12_800)], false],
    ["only lines nobody paid cash for", [line(0, 0)], false],
    ["no lines", [], false],
  ])("given %s, then %s", (_label, lines, expected) => {
    expect(givesEveryLineBack(lines)).toBe(expected);
  });
});

describe("zeroCashRefusal: an order nobody paid cash for is cancelled before shipping, final after", () => {
  it.each([
    ["a cash order, nothing shipped", 12_800, false, null],
    ["a cash order, shipped", 12_800, true, null],
    ["a zero-cash order, nothing shipped", 0, false, "积分兑换/全额抵扣订单无需退款，发货前可直接取消订单"],
    ["a zero-cash order, shipped", 0, true, "积分兑换/全额抵扣订单发货后不支持退款"],
  ])("given %s, then %s", (_label, totalAmount, anyShipped, message) => {
    const refusal = zeroCashRefusal({ totalAmount }, anyShipped);
    expect(refusal).toEqual(message === null ? null : { code: "NOT_REFUNDABLE", message, field: "orderId" });
  });
});

describe("refundPostings", () => {
  const base = { provider: "sandbox", storeId: "s1", feeBp: 500, freight: 0, supplierReversals: [] };

  it("given a partial refund of one line, then clearing pays it out, the fee comes back pro rata and the merchant carries the rest", () => {
    const postings = refundPostings({ ...base, lines: [{ paidAmount: 12_800, refundedBefore: 0, refundNow: 3_333 }] });
    // fee 640; kept ⌊640 × 9467 / 12800⌋ = 473 → 167 back
    expect(postings).toEqual([
      { account: "provider:sandbox:clearing", amount: -3_333 },
      { account: "platform:fee", amount: 167 },
      { account: "merchant:s1:payable", amount: 3_166 },
    ]);
  });

  it("given a full refund before shipping, then freight and the supplier's payable are reversed too", () => {
    const postings = refundPostings({
      ...base,
      freight: 1_000,
      lines: [{ paidAmount: 3_990, refundedBefore: 0, refundNow: 3_990 }],
      supplierReversals: [{ supplierId: "p1", amount: 2_000 }],
    });
    expect(postings).toEqual([
      { account: "provider:sandbox:clearing", amount: -4_990 },
      { account: "supplier:p1:payable", amount: 2_000 },
      { account: "platform:fee", amount: bpFloor(3_990, 500) },
      { account: "merchant:s1:payable", amount: 4_990 - 2_000 - bpFloor(3_990, 500) },
    ]);
  });

  it("given any refund steps of any lines, then every step sums to zero and the fee given back in total is exactly the fee charged on what was refunded in full", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 2_000_000 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 3_000 }),
        fc.array(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
        (paid, feeBp, steps) => {
          const refunded = paid.map(() => 0);
          let feeBack = 0;
          for (const [i, shares] of [...steps, paid.map(() => 1)].entries()) {
            const now = paid.map((p, j) => (i === steps.length ? p - refunded[j] : Math.floor((p - refunded[j]) * shares[j])));
            const postings = refundPostings({ ...base, feeBp, lines: paid.map((p, j) => ({ paidAmount: p, refundedBefore: refunded[j], refundNow: now[j] })) });
            expect(postings.reduce((s, p) => s + p.amount, 0)).toBe(0);
            feeBack += postings.find((p) => p.account === "platform:fee")?.amount ?? 0;
            now.forEach((x, j) => (refunded[j] += x));
          }
          expect(feeBack).toBe(paid.reduce((s, p) => s + bpFloor(p, feeBp), 0));
        },
      ),
    );
  });
});

describe("refundPostings with a platform-funded discount (platform coupon, points)", () => {
  const base = { provider: "sandbox", storeId: "s1", feeBp: 500, freight: 0, supplierReversals: [] };
  const subsidyOf = (postings: { account: string; amount: number }[]) => postings.find((p) => p.account === MARKETING_SUBSIDY_ACCOUNT)?.amount ?? 0;

  it("given a line paid 8,000 with a 2,000 platform discount, when half the cash is refunded, then half the subsidy comes back from the merchant", () => {
    const postings = refundPostings({ ...base, lines: [{ paidAmount: 8_000, platformDiscountAmount: 2_000, refundedBefore: 0, refundNow: 4_000 }] });
    // fee on gross 10,000 = 500; kept ⌊500 × 4000 / 8000⌋ = 250 → 250 back; subsidy kept 1,000 → 1,000 back
    expect(postings).toEqual([
      { account: "provider:sandbox:clearing", amount: -4_000 },
      { account: MARKETING_SUBSIDY_ACCOUNT, amount: -1_000 },
      { account: "platform:fee", amount: 250 },
      { account: "merchant:s1:payable", amount: 4_000 + 1_000 - 250 },
    ]);
  });

  it("given a line no cash was paid for, when the order is called off, then its whole subsidy and fee go back; a refund that does not call it off keeps them", () => {
    const line = { paidAmount: 0, platformDiscountAmount: 5_000, refundedBefore: 0, refundNow: 0 };
    const other = { paidAmount: 1_000, refundedBefore: 0, refundNow: 1_000 };
    expect(subsidyOf(refundPostings({ ...base, lines: [line, other] }))).toBe(0);
    const off = refundPostings({ ...base, lines: [line, other], calledOff: true, supplierReversals: [{ supplierId: "p1", amount: 3_000 }] });
    expect(subsidyOf(off)).toBe(-5_000);
    expect(off.find((p) => p.account === "platform:fee")?.amount).toBe(bpFloor(5_000, 500) + bpFloor(1_000, 500));
    expect(off.reduce((s, p) => s + p.amount, 0)).toBe(0);
  });

  it("given any refund steps, then every step sums to zero and the subsidy given back in total is exactly the subsidy granted", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 2_000_000 }), fc.integer({ min: 0, max: 500_000 })), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 3_000 }),
        fc.array(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
        (lines, feeBp, steps) => {
          const refunded = lines.map(() => 0);
          let subsidyBack = 0;
          let feeBack = 0;
          for (const [i, shares] of [...steps, lines.map(() => 1)].entries()) {
            const last = i === steps.length;
            const now = lines.map(([p], j) => (last ? p - refunded[j] : Math.floor((p - refunded[j]) * shares[j])));
            const postings = refundPostings({
              ...base,
              feeBp,
              calledOff: last,
              lines: lines.map(([p, d], j) => ({ paidAmount: p, platformDiscountAmount: d, refundedBefore: refunded[j], refundNow: now[j] })),
            });
            expect(postings.reduce((s, p) => s + p.amount, 0)).toBe(0);
            subsidyBack -= subsidyOf(postings);
            feeBack += postings.find((p) => p.account === "platform:fee")?.amount ?? 0;
            now.forEach((x, j) => (refunded[j] += x));
          }
          expect(subsidyBack).toBe(lines.reduce((s, [, d]) => s + d, 0));
          expect(feeBack).toBe(lines.reduce((s, [p, d]) => s + bpFloor(p + d, feeBp), 0));
        },
      ),
    );
  });
});

describe("rewardReversal (rule book §4)", () => {
  const reward = { amount: 1_280, base: 12_800, reversedAmount: 0 };
  it.each([
    ["nothing refunded", 12_800, 0, false],
    ["a quarter refunded", 9_600, 320, false],
    ["3333 of 12800 refunded: keeps ⌊1280 × 9467 / 12800⌋ = 946", 9_467, 334, false],
    ["one fen left: keeps ⌊1280 / 12800⌋ = 0, so all is reversed", 1, 1_280, true],
    ["everything refunded", 0, 1_280, true],
  ])("given %s, then %i is reversed", (_label, remainingBase, reversed, fully) => {
    expect(rewardReversal(reward, remainingBase)).toEqual({ reversedAmount: reversed, delta: reversed, fully });
  });

  it("given an earlier reversal, then only the difference is reversed now", () => {
    expect(rewardReversal({ ...reward, reversedAmount: 320 }, 6_400)).toEqual({ reversedAmount: 640, delta: 320, fully: false });
  });

  it("given any sequence of refunds, then Σ reversed never exceeds the original, equals what one refund of the same total would reverse, and a full refund reverses everything", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 1, max: 3_000 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
        (base, bp, shares) => {
          const r = { amount: Math.max(1, bpFloor(base, bp)), base, reversedAmount: 0 };
          let remaining = base;
          for (const share of shares) {
            remaining -= Math.floor(remaining * share);
            const step = rewardReversal(r, remaining);
            expect(step.delta).toBeGreaterThanOrEqual(0);
            r.reversedAmount = step.reversedAmount;
            expect(r.reversedAmount).toBeLessThanOrEqual(r.amount);
            expect(r.reversedAmount).toBe(r.amount - keptProRata(r.amount, base, remaining));
          }
          expect(rewardReversal(r, 0)).toMatchObject({ reversedAmount: r.amount, fully: true });
        },
      ),
    );
  });
});

describe("refundNoFor", () => {
  it("given an after-sale id, then the refund number is RF + its hex, the same every time", () => {
    const id = "0f8fad5b-d9cb-469f-a165-70867728950e";
    expect(refundNoFor(id)).toBe("RF0F8FAD5BD9CB469FA16570867728950E");
    expect(refundNoFor(id)).toBe(refundNoFor(id));
  });
});
