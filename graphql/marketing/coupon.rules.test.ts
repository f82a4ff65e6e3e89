/**
 * The pure coupon rules: which new coupon a merchant may issue (and the code when not), how a
 * coupon reads on its card, and how a held coupon is handed to the pricing function.
 */
import { describe, expect, it } from "vitest";
import { checkCouponDraft, couponFaceText, toCandidate, type CouponDraft } from "./coupon.rules";
import { priceOrder } from "./pricing.rules";

const NOW = new Date("2030-03-01T08:00:00Z");
const MIN = 60_000;
const DAY = 86_400_000;
const at = (ms: number) => new Date(NOW.getTime() + ms);

/** A valid 满100减20 draft, claimable from now for a week, usable for a month. */
const draft = (over: Partial<CouponDraft> = {}): CouponDraft => ({
  title: "店铺满减券",
  kind: "THRESHOLD",
  thresholdFen: 10_000,
  amountFen: 2_000,
  percentBp: 0,
  capFen: null,
  totalQuantity: 100,
  perUserLimit: 1,
  claimStartsAt: NOW,
  claimEndsAt: at(7 * DAY),
  usableUntil: at(30 * DAY),
  now: NOW,
  ...over,
});

describe("checkCouponDraft", () => {
  it.each<[string, Partial<CouponDraft>]>([
    ["a 满减 coupon", {}],
    ["a 无门槛 coupon of ¥0.01", { kind: "NO_THRESHOLD", thresholdFen: 0, amountFen: 1 }],
    ["a 无门槛 coupon of exactly ¥100", { kind: "NO_THRESHOLD", thresholdFen: 0, amountFen: 10_000 }],
    ["a 1% 折扣 coupon without a cap", { kind: "PERCENT", thresholdFen: 0, amountFen: 0, percentBp: 100, capFen: null }],
    ["a 90% 折扣 coupon with a cap and a threshold", { kind: "PERCENT", thresholdFen: 9_900, amountFen: 0, percentBp: 9_000, capFen: 2_000 }],
    ["a 2-character title", { title: "满减" }],
    ["a 30-character title", { title: "券".repeat(30) }],
    ["1,000,000 coupons, 10 per person", { totalQuantity: 1_000_000, perUserLimit: 10 }],
    ["a window that began 59 s ago (the form took a moment)", { claimStartsAt: at(-59_000) }],
    ["usable exactly until the claim window ends", { usableUntil: at(7 * DAY) }],
    ["a window of exactly 366 days", { claimEndsAt: at(366 * DAY), usableUntil: at(366 * DAY) }],
  ])("given %s, then it is accepted", (_, over) => {
    expect(checkCouponDraft(draft(over))).toBeNull();
  });

  it.each<[string, string, string, Partial<CouponDraft>]>([
    ["a 1-character title", "INVALID_TITLE", "title", { title: "券" }],
    ["a title that is only spaces around one character", "INVALID_TITLE", "title", { title: "  券  " }],
    ["a 31-character title", "INVALID_TITLE", "title", { title: "券".repeat(31) }],
    ["a negative threshold", "INVALID_VALUE", "amountFen", { thresholdFen: -1 }],
    ["a fractional amount", "INVALID_VALUE", "amountFen", { amountFen: 1_999.5 }],
    ["an unsafe integer", "INVALID_VALUE", "amountFen", { thresholdFen: Number.MAX_SAFE_INTEGER + 1 }],
    ["a 满减 of ¥0", "INVALID_VALUE", "amountFen", { amountFen: 0 }],
    ["a 满减 whose threshold equals its amount", "INVALID_VALUE", "amountFen", { thresholdFen: 2_000, amountFen: 2_000 }],
    ["a 满减 whose amount exceeds its threshold", "INVALID_VALUE", "amountFen", { thresholdFen: 1_000, amountFen: 2_000 }],
    ["a 无门槛 of ¥0", "INVALID_VALUE", "amountFen", { kind: "NO_THRESHOLD", thresholdFen: 0, amountFen: 0 }],
    ["a 无门槛 above ¥100", "INVALID_VALUE", "amountFen", { kind: "NO_THRESHOLD", thresholdFen: 0, amountFen: 10_001 }],
    ["a 折扣 below 1%", "INVALID_VALUE", "percentBp", { kind: "PERCENT", amountFen: 0, percentBp: 99 }],
    ["a 折扣 above 90%", "INVALID_VALUE", "percentBp", { kind: "PERCENT", amountFen: 0, percentBp: 9_001 }],
    ["a fractional 折扣", "INVALID_VALUE", "percentBp", { kind: "PERCENT", amountFen: 0, percentBp: 1_000.5 }],
    ["a 折扣 capped at ¥0", "INVALID_VALUE", "percentBp", { kind: "PERCENT", amountFen: 0, percentBp: 1_000, capFen: 0 }],
    ["a 折扣 with a fractional cap", "INVALID_VALUE", "percentBp", { kind: "PERCENT", amountFen: 0, percentBp: 1_000, capFen: 10.5 }],
    ["0 coupons", "INVALID_QUANTITY", "totalQuantity", { totalQuantity: 0 }],
    ["1,000,001 coupons", "INVALID_QUANTITY", "totalQuantity", { totalQuantity: 1_000_001 }],
    ["1.5 coupons", "INVALID_QUANTITY", "totalQuantity", { totalQuantity: 1.5 }],
    ["0 per person", "INVALID_LIMIT", "perUserLimit", { perUserLimit: 0 }],
    ["11 per person", "INVALID_LIMIT", "perUserLimit", { perUserLimit: 11 }],
    ["1.5 per person", "INVALID_LIMIT", "perUserLimit", { perUserLimit: 1.5 }],
    ["a claim window that ends when it starts", "INVALID_WINDOW", "claimEndsAt", { claimEndsAt: NOW }],
    ["a claim window that ends before it starts", "INVALID_WINDOW", "claimEndsAt", { claimStartsAt: at(DAY), claimEndsAt: at(MIN) }],
    ["usable only until before the claim window ends", "INVALID_WINDOW", "claimEndsAt", { usableUntil: at(7 * DAY - 1) }],
    ["a claim window that began more than a minute ago", "INVALID_WINDOW", "claimEndsAt", { claimStartsAt: at(-61_000) }],
    ["usable for more than 366 days from the start", "INVALID_WINDOW", "claimEndsAt", { claimEndsAt: at(DAY), usableUntil: at(366 * DAY + 1) }],
  ])("given %s, then %s on %s", (_, code, field, over) => {
    expect(checkCouponDraft(draft(over))).toEqual({ code, field, message: expect.any(String) });
  });

  it("given several problems, then the first in form order is reported (title before value before quantity before window)", () => {
    const bad = draft({ title: "", amountFen: 0, totalQuantity: 0, perUserLimit: 0, claimEndsAt: NOW });
    expect(checkCouponDraft(bad)?.code).toBe("INVALID_TITLE");
    expect(checkCouponDraft({ ...bad, title: "好券" })?.code).toBe("INVALID_VALUE");
    expect(checkCouponDraft({ ...bad, title: "好券", amountFen: 2_000 })?.code).toBe("INVALID_QUANTITY");
    expect(checkCouponDraft({ ...bad, title: "好券", amountFen: 2_000, totalQuantity: 1 })?.code).toBe("INVALID_LIMIT");
    expect(checkCouponDraft({ ...bad, title: "好券", amountFen: 2_000, totalQuantity: 1, perUserLimit: 1 })?.code).toBe("INVALID_WINDOW");
  });

  it("given every problem message, then it is Chinese copy for the form", () => {
    const messages = [draft({ title: "" }), draft({ amountFen: 0 }), draft({ totalQuantity: 0 }), draft({ perUserLimit: 0 }), draft({ claimEndsAt: NOW })].map(
      (d) => checkCouponDraft(d)!.message,
    );
    for (const m of messages) expect(m).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe("couponFaceText", () => {
  const shape = { thresholdFen: 0, amountFen: 0, percentBp: 0, capFen: null };
  it.each([
    ["满99减10", { ...shape, kind: "THRESHOLD" as const, thresholdFen: 9_900, amountFen: 1_000 }],
    ["满100减20", { ...shape, kind: "THRESHOLD" as const, thresholdFen: 10_000, amountFen: 2_000 }],
    ["满99.50减9.95", { ...shape, kind: "THRESHOLD" as const, thresholdFen: 9_950, amountFen: 995 }],
    ["9折 最高减20", { ...shape, kind: "PERCENT" as const, percentBp: 1_000, capFen: 2_000 }],
    ["9折", { ...shape, kind: "PERCENT" as const, percentBp: 1_000 }],
    ["满99享8.5折", { ...shape, kind: "PERCENT" as const, thresholdFen: 9_900, percentBp: 1_500 }],
    ["满99享8.5折 最高减10.50", { ...shape, kind: "PERCENT" as const, thresholdFen: 9_900, percentBp: 1_500, capFen: 1_050 }],
    ["1折", { ...shape, kind: "PERCENT" as const, percentBp: 9_000 }],
    ["9.9折", { ...shape, kind: "PERCENT" as const, percentBp: 100 }],
    ["无门槛减5", { ...shape, kind: "NO_THRESHOLD" as const, amountFen: 500 }],
    ["无门槛减9.90", { ...shape, kind: "NO_THRESHOLD" as const, amountFen: 990 }],
    ["无门槛减0.05", { ...shape, kind: "NO_THRESHOLD" as const, amountFen: 5 }],
  ])("given the coupon, then its card reads %s", (expected, coupon) => {
    expect(couponFaceText(coupon)).toBe(expected);
  });
});

describe("toCandidate", () => {
  const A = "11111111-1111-4111-8111-111111111111";
  const B = "22222222-2222-4222-8222-222222222222";
  const held = "99999999-9999-4999-8999-999999999999";

  it.each<[string, string[] | null, unknown]>([
    ["no product list", null, { kind: "ALL" }],
    ["an empty product list", [], { kind: "ALL" }],
    ["two products", [A, B], { kind: "PRODUCTS", productIds: [A, B] }],
  ])("given %s, then the scope is %j", (_, productIds, scope) => {
    const c = toCandidate(held, { issuer: "STORE", kind: "NO_THRESHOLD", thresholdFen: 0, amountFen: 500, percentBp: 0, capFen: null, productIds });
    expect(c.scope).toEqual(scope);
  });

  it("given a 满减 coupon, then the candidate carries the held coupon's id, the issuer, threshold and amount", () => {
    expect(toCandidate(held, { issuer: "STORE", kind: "THRESHOLD", thresholdFen: 10_000, amountFen: 2_000, percentBp: 0, capFen: null, productIds: null })).toEqual({
      id: held,
      issuer: "STORE",
      scope: { kind: "ALL" },
      kind: "THRESHOLD",
      thresholdFen: 10_000,
      amountFen: 2_000,
    });
  });

  it("given a 无门槛 coupon, then the candidate has the amount and no threshold", () => {
    expect(toCandidate(held, { issuer: "PLATFORM", kind: "NO_THRESHOLD", thresholdFen: 0, amountFen: 500, percentBp: 0, capFen: null, productIds: [A] })).toEqual({
      id: held,
      issuer: "PLATFORM",
      scope: { kind: "PRODUCTS", productIds: [A] },
      kind: "NO_THRESHOLD",
      amountFen: 500,
    });
  });

  it.each<[number, number | null, number | null]>([
    [0, 2_000, null],
    [9_900, null, 9_900],
  ])("given a 折扣 coupon with threshold %i and cap %s, then the candidate's threshold is %s", (thresholdFen, capFen, expected) => {
    expect(toCandidate(held, { issuer: "STORE", kind: "PERCENT", thresholdFen, amountFen: 0, percentBp: 1_500, capFen, productIds: null })).toEqual({
      id: held,
      issuer: "STORE",
      scope: { kind: "ALL" },
      kind: "PERCENT",
      percentBp: 1_500,
      capFen,
      thresholdFen: expected,
    });
  });

  it("given a product-scoped 9折 最高减20 coupon priced with two lines, then only the product's line is discounted, and at most ¥20", () => {
    const c = toCandidate(held, { issuer: "STORE", kind: "PERCENT", thresholdFen: 0, amountFen: 0, percentBp: 1_000, capFen: 2_000, productIds: [A] });
    const r = priceOrder({
      channel: "NORMAL",
      lines: [
        { key: "a", productId: A, listUnitPrice: 30_000, quantity: 1 },
        { key: "b", productId: B, listUnitPrice: 5_000, quantity: 1 },
      ],
      coupons: [c],
      freight: { flatFen: 1_000, freeFromFen: 9_900 },
    });
    expect(r.ok && r.price.lines.map((l) => [l.key, l.couponDiscount, l.paid])).toEqual([
      ["a", 2_000, 28_000],
      ["b", 0, 5_000],
    ]);
    expect(r.ok && r.price.appliedCoupons).toEqual([{ id: held, issuer: "STORE", discount: 2_000 }]);
  });
});
