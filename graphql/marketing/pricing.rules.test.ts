/**
 * The pure pricing rules against ./PRICING.md: one table per precedence step (special price, coupons,
 * preselection, points, freight, allocation, refusals), then properties that hold for any cart and any
 * coupon set.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bpFloor } from "../platform/money";
import {
  allocateLargestRemainder,
  bestCouponSelection,
  priceOrder,
  PricingInputError,
  type CandidateCoupon,
  type CouponIssuer,
  type CouponScope,
  type FreightPolicy,
  type OrderPrice,
  type PriceChannel,
  type PricingError,
  type PricingInput,
  type PricingLineInput,
  type PointsInput,
} from "./pricing.rules";

const NO_FREIGHT: FreightPolicy = { flatFen: 0, freeFromFen: null };
const FREIGHT: FreightPolicy = { flatFen: 1_000, freeFromFen: 9_900 };
const ALL: CouponScope = { kind: "ALL" };
const only = (...productIds: string[]): CouponScope => ({ kind: "PRODUCTS", productIds });

const line = (key: string, listUnitPrice: number, quantity = 1, extra: Partial<PricingLineInput> = {}): PricingLineInput => ({
  key,
  productId: `p-${key}`,
  listUnitPrice,
  quantity,
  ...extra,
});
const manjian = (id: string, issuer: CouponIssuer, thresholdFen: number, amountFen: number, scope: CouponScope = ALL): CandidateCoupon => ({
  id,
  issuer,
  kind: "THRESHOLD",
  thresholdFen,
  amountFen,
  scope,
});
const flat = (id: string, issuer: CouponIssuer, amountFen: number, scope: CouponScope = ALL): CandidateCoupon => ({ id, issuer, kind: "NO_THRESHOLD", amountFen, scope });
const percent = (id: string, issuer: CouponIssuer, percentBp: number, capFen: number | null, thresholdFen: number | null = null, scope: CouponScope = ALL): CandidateCoupon => ({
  id,
  issuer,
  kind: "PERCENT",
  percentBp,
  capFen,
  thresholdFen,
  scope,
});
const points = (available: number, over: Partial<PointsInput> = {}): PointsInput => ({ available, rate: { points: 1, fen: 1 }, maxDeductBp: 5_000, ...over });

type Given = Partial<PricingInput> & Pick<PricingInput, "lines">;
const input = (given: Given): PricingInput => ({ channel: "NORMAL", freight: NO_FREIGHT, selectedCouponIds: [], ...given });
function price(given: Given): OrderPrice {
  const r = priceOrder(input(given));
  if (!r.ok) throw new Error(`expected a price, got ${r.error.code}`);
  return r.price;
}
function refusal(given: Given): PricingError {
  const r = priceOrder(input(given));
  if (r.ok) throw new Error("expected a refusal");
  return r.error;
}
const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

describe("unit price — one special price per line, chosen by the channel", () => {
  const all = { livePrice: 8_000, flashPrice: 6_000, groupPrice: 7_000 };
  it.each<{ label: string; channel: PriceChannel; extra: Partial<PricingLineInput>; kind: string; unit: number; eligible: boolean }>([
    { label: "NORMAL ignores every special price", channel: "NORMAL", extra: all, kind: "LIST", unit: 10_000, eligible: true },
    { label: "LIVE takes the live price, never the lower flash price", channel: "LIVE", extra: all, kind: "LIVE", unit: 8_000, eligible: true },
    { label: "FLASH takes the flash price alone, no live price stacked on it", channel: "FLASH", extra: all, kind: "FLASH", unit: 6_000, eligible: false },
    { label: "GROUP takes the group price, never the lower flash price", channel: "GROUP", extra: all, kind: "GROUP", unit: 7_000, eligible: false },
    { label: "LIVE without a live price falls back to list (flash not used)", channel: "LIVE", extra: { flashPrice: 6_000 }, kind: "LIST", unit: 10_000, eligible: true },
    { label: "FLASH without a flash price falls back to list (live not used)", channel: "FLASH", extra: { livePrice: 8_000 }, kind: "LIST", unit: 10_000, eligible: true },
    { label: "GROUP with a null group price is list", channel: "GROUP", extra: { groupPrice: null }, kind: "LIST", unit: 10_000, eligible: true },
    { label: "a flash price above list is ignored", channel: "FLASH", extra: { flashPrice: 12_000 }, kind: "LIST", unit: 10_000, eligible: true },
    { label: "a live price equal to list is ignored", channel: "LIVE", extra: { livePrice: 10_000 }, kind: "LIST", unit: 10_000, eligible: true },
    { label: "a group price of 0 makes the line free", channel: "GROUP", extra: { groupPrice: 0 }, kind: "GROUP", unit: 0, eligible: false },
  ])("given $label, then $kind at $unit", ({ channel, extra, kind, unit, eligible }) => {
    const [l] = price({ channel, lines: [line("a", 10_000, 3, extra)] }).lines;
    expect(l).toMatchObject({ priceKind: kind, listUnitPrice: 10_000, unitPrice: unit, originalAmount: 30_000, amount: unit * 3, couponEligible: eligible });
    expect(l.paid).toBe(unit * 3);
  });
});

describe("coupons — an explicit selection that applies", () => {
  it.each<{ label: string; channel?: PriceChannel; lines: PricingLineInput[]; coupons: CandidateCoupon[]; store: number; platform: number; perLine: number[] }>([
    { label: "满100减20 on exactly ¥100", lines: [line("a", 10_000)], coupons: [manjian("s", "STORE", 10_000, 2_000)], store: 2_000, platform: 0, perLine: [2_000] },
    { label: "a 无门槛 coupon larger than the goods stops at the goods", lines: [line("a", 3_000)], coupons: [flat("s", "STORE", 5_000)], store: 3_000, platform: 0, perLine: [3_000] },
    { label: "10% off ¥123.45 floors to the fen", lines: [line("a", 12_345)], coupons: [percent("p", "PLATFORM", 1_000, null)], store: 0, platform: 1_234, perLine: [1_234] },
    { label: "20% off ¥500 capped at ¥50", lines: [line("a", 50_000)], coupons: [percent("p", "PLATFORM", 2_000, 5_000)], store: 0, platform: 5_000, perLine: [5_000] },
    { label: "a percentage with its threshold met", lines: [line("a", 20_000)], coupons: [percent("s", "STORE", 500, null, 20_000)], store: 1_000, platform: 0, perLine: [1_000] },
    {
      label: "a product-scoped coupon discounts only its products, threshold on them alone",
      lines: [line("a", 6_000), line("b", 4_000)],
      coupons: [manjian("s", "STORE", 4_000, 1_000, only("p-b"))],
      store: 1_000,
      platform: 0,
      perLine: [0, 1_000],
    },
    {
      label: "FLASH channel: the flash line is excluded, the list line takes the whole discount",
      channel: "FLASH",
      lines: [line("a", 10_000, 1, { flashPrice: 5_000 }), line("b", 10_000)],
      coupons: [manjian("s", "STORE", 10_000, 2_000)],
      store: 2_000,
      platform: 0,
      perLine: [0, 2_000],
    },
    {
      label: "GROUP channel: the group line is excluded",
      channel: "GROUP",
      lines: [line("a", 10_000, 1, { groupPrice: 5_000 }), line("b", 1_000)],
      coupons: [flat("p", "PLATFORM", 3_000)],
      store: 0,
      platform: 1_000,
      perLine: [0, 1_000],
    },
    { label: "LIVE channel: a live-price line takes coupons", channel: "LIVE", lines: [line("a", 10_000, 1, { livePrice: 9_000 })], coupons: [manjian("s", "STORE", 9_000, 900)], store: 900, platform: 0, perLine: [900] },
    {
      label: "store first, then the platform percentage on what remains (¥100 − 20 → 10% of 80)",
      lines: [line("a", 10_000)],
      coupons: [percent("p", "PLATFORM", 1_000, null), manjian("s", "STORE", 10_000, 2_000)],
      store: 2_000,
      platform: 800,
      perLine: [2_800],
    },
    {
      label: "a platform threshold met after the store coupon",
      lines: [line("a", 12_000)],
      coupons: [manjian("s", "STORE", 10_000, 2_000), manjian("p", "PLATFORM", 10_000, 1_500)],
      store: 2_000,
      platform: 1_500,
      perLine: [3_500],
    },
    {
      label: "1000 fen over 3333 / 3333 / 3334 by largest remainder",
      lines: [line("a", 3_333), line("b", 3_333), line("c", 3_334)],
      coupons: [flat("s", "STORE", 1_000)],
      store: 1_000,
      platform: 0,
      perLine: [333, 333, 334],
    },
    {
      label: "a free gift line takes no share of a discount",
      lines: [line("gift", 0), line("a", 5_000)],
      coupons: [flat("s", "STORE", 500)],
      store: 500,
      platform: 0,
      perLine: [0, 500],
    },
  ])("given $label, then store $store + platform $platform", ({ channel, lines, coupons, store, platform, perLine }) => {
    const p = price({ channel, lines, coupons, selectedCouponIds: coupons.map((c) => c.id) });
    expect(p.totals.storeCouponDiscount).toBe(store);
    expect(p.totals.platformCouponDiscount).toBe(platform);
    expect(p.totals.couponDiscount).toBe(store + platform);
    expect(p.lines.map((l) => l.couponDiscount)).toEqual(perLine);
    expect(p.appliedCoupons.map((c) => c.issuer)).toEqual([...(store ? ["STORE"] : []), ...(platform ? ["PLATFORM"] : [])]);
    expect(p.totals.total).toBe(p.totals.goods - store - platform);
  });
});

describe("coupons — an explicit selection that is refused", () => {
  const one = [line("a", 10_000)];
  it.each<{ label: string; channel?: PriceChannel; lines?: PricingLineInput[]; coupons: CandidateCoupon[]; selected: string[]; code: string; reason?: string; field: string }>([
    { label: "an unknown coupon id", coupons: [], selected: ["nope"], code: "COUPON_NOT_FOUND", field: "selectedCouponIds.0" },
    {
      label: "two store coupons",
      coupons: [flat("s1", "STORE", 100), flat("s2", "STORE", 200)],
      selected: ["s1", "s2"],
      code: "COUPON_CONFLICT",
      reason: "ONE_PER_ISSUER",
      field: "selectedCouponIds.1",
    },
    {
      label: "two platform coupons",
      coupons: [flat("p1", "PLATFORM", 100), flat("s", "STORE", 100), flat("p2", "PLATFORM", 200)],
      selected: ["p1", "s", "p2"],
      code: "COUPON_CONFLICT",
      reason: "ONE_PER_ISSUER",
      field: "selectedCouponIds.2",
    },
    { label: "the same coupon twice", coupons: [flat("s", "STORE", 100)], selected: ["s", "s"], code: "COUPON_CONFLICT", reason: "ONE_PER_ISSUER", field: "selectedCouponIds.1" },
    { label: "¥99.99 against 满100减20", lines: [line("a", 9_999)], coupons: [manjian("s", "STORE", 10_000, 2_000)], selected: ["s"], code: "COUPON_NOT_APPLICABLE", reason: "BELOW_THRESHOLD", field: "coupons.0" },
    {
      label: "a percentage whose threshold is not met",
      coupons: [percent("p", "PLATFORM", 1_000, null, 10_001)],
      selected: ["p"],
      code: "COUPON_NOT_APPLICABLE",
      reason: "BELOW_THRESHOLD",
      field: "coupons.0",
    },
    {
      label: "a platform threshold no longer met after the store coupon",
      coupons: [manjian("s", "STORE", 10_000, 2_000), manjian("p", "PLATFORM", 9_000, 1_000)],
      selected: ["s", "p"],
      code: "COUPON_NOT_APPLICABLE",
      reason: "BELOW_THRESHOLD",
      field: "coupons.1",
    },
    { label: "a coupon for products not in the order", coupons: [flat("s", "STORE", 100, only("p-x"))], selected: ["s"], code: "COUPON_NOT_APPLICABLE", reason: "NOT_APPLICABLE", field: "coupons.0" },
    {
      label: "a coupon whose products are all at a flash price",
      channel: "FLASH",
      lines: [line("a", 10_000, 1, { flashPrice: 5_000 })],
      coupons: [flat("p", "PLATFORM", 100)],
      selected: ["p"],
      code: "COUPON_NOT_APPLICABLE",
      reason: "NOT_ELIGIBLE_CHANNEL",
      field: "coupons.0",
    },
    {
      label: "a coupon whose products are all at a group price",
      channel: "GROUP",
      lines: [line("a", 10_000, 1, { groupPrice: 5_000 })],
      coupons: [flat("s", "STORE", 100)],
      selected: ["s"],
      code: "COUPON_NOT_APPLICABLE",
      reason: "NOT_ELIGIBLE_CHANNEL",
      field: "coupons.0",
    },
    { label: "1% of 50 fen rounds to nothing", lines: [line("a", 50)], coupons: [percent("s", "STORE", 100, null)], selected: ["s"], code: "COUPON_NOT_APPLICABLE", reason: "NO_DISCOUNT", field: "coupons.0" },
    {
      label: "a platform coupon after a store coupon took everything",
      lines: [line("a", 1_000)],
      coupons: [flat("s", "STORE", 1_000), flat("p", "PLATFORM", 100)],
      selected: ["s", "p"],
      code: "COUPON_NOT_APPLICABLE",
      reason: "NO_DISCOUNT",
      field: "coupons.1",
    },
  ])("given $label, then $code ($reason) at $field", ({ channel, lines, coupons, selected, code, reason, field }) => {
    const error = refusal({ channel, lines: lines ?? one, coupons, selectedCouponIds: selected });
    expect(error).toMatchObject({ code, field, ...(reason ? { reason } : {}) });
    expect(error.message).toMatch(/[\u4e00-\u9fa5]/);
  });
});

describe("coupons — the best combination is preselected and can be changed", () => {
  const goods = [line("a", 10_000)];
  it.each<{ label: string; lines?: PricingLineInput[]; coupons: CandidateCoupon[]; best: string[]; discount: number }>([
    { label: "no coupons", coupons: [], best: [], discount: 0 },
    { label: "only inapplicable coupons", coupons: [manjian("s", "STORE", 20_000, 5_000), flat("p", "PLATFORM", 100, only("p-x"))], best: [], discount: 0 },
    { label: "the larger of two store coupons", coupons: [flat("s1", "STORE", 500), manjian("s2", "STORE", 10_000, 1_500)], best: ["s2"], discount: 1_500 },
    { label: "one of each issuer together", coupons: [flat("p", "PLATFORM", 300), flat("s", "STORE", 500)], best: ["s", "p"], discount: 800 },
    {
      label: "a small store coupon that keeps the platform threshold beats the big one that breaks it",
      coupons: [manjian("s1", "STORE", 10_000, 3_000), flat("s2", "STORE", 300), manjian("p", "PLATFORM", 9_500, 3_000)],
      best: ["s2", "p"],
      discount: 3_300,
    },
    { label: "a tie between store coupons goes to the earlier", coupons: [flat("s1", "STORE", 500), flat("s2", "STORE", 500)], best: ["s1"], discount: 500 },
    { label: "a tie between a store and a platform coupon keeps the store coupon unused", lines: [line("a", 500)], coupons: [flat("s", "STORE", 500), flat("p", "PLATFORM", 500)], best: ["p"], discount: 500 },
  ])("given $label, then $best is preselected", ({ lines, coupons, best, discount }) => {
    const given = { lines: lines ?? goods, coupons, selectedCouponIds: null };
    expect(bestCouponSelection(input(given))).toEqual(best);
    const p = price(given);
    expect(p.appliedCoupons.map((c) => c.id)).toEqual(best);
    expect(p.totals.couponDiscount).toBe(discount);
  });

  it("given the preselection, when the consumer picks another coupon or none, then that choice is priced", () => {
    const coupons = [flat("s1", "STORE", 500), manjian("s2", "STORE", 10_000, 1_500)];
    expect(price({ lines: goods, coupons }).totals.couponDiscount).toBe(0);
    expect(price({ lines: goods, coupons, selectedCouponIds: ["s1"] }).totals.couponDiscount).toBe(500);
    expect(price({ lines: goods, coupons, selectedCouponIds: undefined }).totals.couponDiscount).toBe(1_500);
  });

  it("given a selection, then every unselected coupon that would not apply if swapped in is listed with its reason", () => {
    const p = price({
      channel: "FLASH",
      lines: [line("a", 10_000), line("f", 10_000, 1, { flashPrice: 5_000 })],
      coupons: [
        manjian("s", "STORE", 10_000, 2_000),
        flat("s-ok", "STORE", 100),
        manjian("s-high", "STORE", 20_000, 100),
        manjian("p-after", "PLATFORM", 9_000, 100),
        flat("p-flash", "PLATFORM", 100, only("p-f")),
        flat("p-none", "PLATFORM", 100, only("p-x")),
        flat("p-ok", "PLATFORM", 100),
      ],
      selectedCouponIds: ["s"],
    });
    expect(p.rejectedCoupons).toEqual([
      { id: "s-high", issuer: "STORE", reason: "BELOW_THRESHOLD" },
      { id: "p-after", issuer: "PLATFORM", reason: "BELOW_THRESHOLD" },
      { id: "p-flash", issuer: "PLATFORM", reason: "NOT_ELIGIBLE_CHANNEL" },
      { id: "p-none", issuer: "PLATFORM", reason: "NOT_APPLICABLE" },
    ]);
  });
});

describe("points — last, in whole steps, capped", () => {
  it.each<{ label: string; lines?: PricingLineInput[]; coupons?: CandidateCoupon[]; pts: PointsInput; used: number; discount: number; max: number }>([
    { label: "1 point = 1 fen, capped at 50% of ¥100", pts: points(100_000), used: 5_000, discount: 5_000, max: 5_000 },
    { label: "capped by the balance", pts: points(1_234), used: 1_234, discount: 1_234, max: 1_234 },
    { label: "100 points = ¥1, spent in whole yuan", pts: points(1_299, { rate: { points: 100, fen: 100 } }), used: 1_200, discount: 1_200, max: 1_200 },
    { label: "10 points = 1 fen, whole steps only", pts: points(12_345, { rate: { points: 10, fen: 1 } }), used: 12_340, discount: 1_234, max: 12_340 },
    { label: "the cap floors to the fen (50% of 999)", lines: [line("a", 999)], pts: points(10_000), used: 499, discount: 499, max: 499 },
    { label: "the cap is on goods after coupons", coupons: [flat("s", "STORE", 2_000)], pts: points(100_000), used: 4_000, discount: 4_000, max: 4_000 },
    { label: "a request below the maximum", pts: points(100_000, { requested: 300 }), used: 300, discount: 300, max: 5_000 },
    { label: "a request of 0 uses none", pts: points(100_000, { requested: 0 }), used: 0, discount: 0, max: 5_000 },
    { label: "a request above the maximum is clamped", pts: points(100_000, { requested: 9_000 }), used: 5_000, discount: 5_000, max: 5_000 },
    { label: "a request rounds down to whole steps", pts: points(100_000, { requested: 250, rate: { points: 100, fen: 100 } }), used: 200, discount: 200, max: 5_000 },
    { label: "a zero balance", pts: points(0), used: 0, discount: 0, max: 0 },
    { label: "a 0% cap", pts: points(100_000, { maxDeductBp: 0 }), used: 0, discount: 0, max: 0 },
    { label: "a 100% cap pays all goods", pts: points(100_000, { maxDeductBp: 10_000 }), used: 10_000, discount: 10_000, max: 10_000 },
  ])("given $label, then $used points take off $discount fen", ({ lines, coupons, pts, used, discount, max }) => {
    const p = price({ lines: lines ?? [line("a", 10_000)], coupons, selectedCouponIds: coupons?.map((c) => c.id), points: pts });
    expect(p.totals).toMatchObject({ pointsUsed: used, pointsDiscount: discount });
    expect(p.pointsMaxUsable).toBe(max);
  });

  it("given a flash-sale line, then points still apply to it (they are the consumer's own balance)", () => {
    const p = price({ channel: "FLASH", lines: [line("a", 10_000, 1, { flashPrice: 6_000 })], points: points(100_000) });
    expect(p.lines[0]).toMatchObject({ couponDiscount: 0, pointsDiscount: 3_000, paid: 3_000 });
  });

  it("given points over lines after a scoped coupon, then they spread over what remains of each line", () => {
    const p = price({
      lines: [line("a", 6_000), line("b", 4_000)],
      coupons: [flat("s", "STORE", 2_000, only("p-b"))],
      selectedCouponIds: ["s"],
      points: points(100_000, { maxDeductBp: 10_000, requested: 1_000 }),
    });
    expect(p.lines.map((l) => [l.couponDiscount, l.pointsDiscount, l.paid])).toEqual([
      [0, 750, 5_250],
      [2_000, 250, 1_750],
    ]);
  });

  it.each([
    ["a negative request", -1],
    ["a fractional request", 1.5],
  ])("given %s, then INVALID_POINTS", (_label, requested) => {
    expect(refusal({ lines: [line("a", 10_000)], points: points(100, { requested }) })).toMatchObject({ code: "INVALID_POINTS", field: "points.requested" });
  });
});

describe("freight — per shipment, judged before coupons, never discounted", () => {
  it.each<{ label: string; channel?: PriceChannel; lines: PricingLineInput[]; coupons?: CandidateCoupon[]; pts?: PointsInput; policy?: FreightPolicy; freight: number[]; total: number }>([
    { label: "¥98.99 of goods pays the flat rate", lines: [line("a", 9_899)], freight: [1_000], total: 10_899 },
    { label: "exactly ¥99 ships free", lines: [line("a", 3_300, 3)], freight: [0], total: 9_900 },
    { label: "a coupon taking goods under ¥99 keeps free shipping", lines: [line("a", 10_000)], coupons: [flat("s", "STORE", 2_000)], freight: [0], total: 8_000 },
    {
      label: "coupons and points never touch freight",
      lines: [line("a", 5_000)],
      coupons: [flat("s", "STORE", 5_000)],
      pts: points(100_000, { maxDeductBp: 10_000 }),
      freight: [1_000],
      total: 1_000,
    },
    { label: "a flash price under ¥99 pays freight", channel: "FLASH", lines: [line("a", 12_000, 1, { flashPrice: 9_000 })], freight: [1_000], total: 10_000 },
    {
      label: "two shipments, each judged on its own goods",
      lines: [line("a", 5_000, 1, { shipmentKey: "s1" }), line("b", 9_900, 1, { shipmentKey: "s2" }), line("c", 5_000, 1, { shipmentKey: "s1" })],
      freight: [0, 0],
      total: 19_900,
    },
    { label: "two shipments both under the line pay freight twice", lines: [line("a", 5_000, 1, { shipmentKey: "s1" }), line("b", 100, 1, { shipmentKey: "s2" })], freight: [1_000, 1_000], total: 7_100 },
    { label: "a policy that never ships free", lines: [line("a", 100_000)], policy: { flatFen: 800, freeFromFen: null }, freight: [800], total: 100_800 },
  ])("given $label, then freight $freight and total $total", ({ channel, lines, coupons, pts, policy, freight, total }) => {
    const p = price({ channel, lines, coupons, selectedCouponIds: coupons?.map((c) => c.id), points: pts, freight: policy ?? FREIGHT });
    expect(p.shipments.map((s) => s.freight)).toEqual(freight);
    expect(p.totals.freight).toBe(sum(freight));
    expect(p.totals.total).toBe(total);
  });

  it("given no lines, then nothing ships and the total is 0", () => {
    expect(price({ lines: [], freight: FREIGHT }).totals).toMatchObject({ goods: 0, freight: 0, total: 0 });
  });
});

describe("allocateLargestRemainder", () => {
  it.each([
    { label: "1000 over 3333 / 3333 / 3334", total: 1_000, weights: [3_333, 3_333, 3_334], parts: [333, 333, 334] },
    { label: "100 over three equal lines, the tie to the first", total: 100, weights: [100, 100, 100], parts: [34, 33, 33] },
    { label: "1 fen over two equal lines", total: 1, weights: [1, 1], parts: [1, 0] },
    { label: "exact shares", total: 7, weights: [10, 20, 40], parts: [1, 2, 4] },
    { label: "nothing", total: 0, weights: [5, 5], parts: [0, 0] },
    { label: "everything", total: 10, weights: [3, 7], parts: [3, 7] },
    { label: "a zero weight takes nothing", total: 5, weights: [0, 5, 5], parts: [0, 3, 2] },
    { label: "no weights", total: 0, weights: [], parts: [] },
  ])("given $label, then $parts", ({ total, weights, parts }) => {
    expect(allocateLargestRemainder(total, weights)).toEqual(parts);
  });

  it("given more than the weights hold, then it throws", () => {
    expect(() => allocateLargestRemainder(11, [5, 5])).toThrow(PricingInputError);
  });
});

describe("malformed input is a bug and throws PricingInputError", () => {
  it.each<{ label: string; given: Given; field: string }>([
    { label: "a negative list price", given: { lines: [line("a", -1)] }, field: "lines.0.listUnitPrice" },
    { label: "a fractional flash price", given: { lines: [line("a", 100, 1, { flashPrice: 9.5 })] }, field: "lines.0.flashPrice" },
    { label: "a quantity of 0", given: { lines: [line("a", 100, 0)] }, field: "lines.0.quantity" },
    { label: "a duplicate line key", given: { lines: [line("a", 100), line("a", 200)] }, field: "lines.1.key" },
    { label: "a duplicate coupon id", given: { lines: [line("a", 100)], coupons: [flat("c", "STORE", 1), flat("c", "PLATFORM", 1)] }, field: "coupons.1.id" },
    { label: "a percentage above 100%", given: { lines: [line("a", 100)], coupons: [percent("c", "STORE", 10_001, null)] }, field: "coupons.0.percentBp" },
    { label: "a negative coupon amount", given: { lines: [line("a", 100)], coupons: [flat("c", "STORE", -5)] }, field: "coupons.0.amountFen" },
    { label: "a zero-point rate", given: { lines: [line("a", 100)], points: points(10, { rate: { points: 0, fen: 1 } }) }, field: "points.rate.points" },
    { label: "a negative freight", given: { lines: [line("a", 100)], freight: { flatFen: -1, freeFromFen: null } }, field: "freight.flatFen" },
  ])("given $label, then it throws at $field", ({ given, field }) => {
    expect(() => priceOrder(input(given))).toThrow(expect.objectContaining({ name: "PricingInputError", field }));
  });
});

describe("properties — for any cart and any coupon set", () => {
  const PRODUCTS = ["p1", "p2", "p3", "p4"];
  const special = fc.option(fc.integer({ min: 0, max: 250_000 }), { nil: null });
  const anyLines = fc
    .array(
      fc.record({
        productId: fc.constantFrom(...PRODUCTS),
        shipmentKey: fc.constantFrom("s1", "s2"),
        listUnitPrice: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 200_000 })),
        quantity: fc.integer({ min: 1, max: 99 }),
        livePrice: special,
        flashPrice: special,
        groupPrice: special,
      }),
      { maxLength: 6 },
    )
    .map((ls) => ls.map((l, i): PricingLineInput => ({ ...l, key: `k${i}` })));
  const scope: fc.Arbitrary<CouponScope> = fc.oneof(
    fc.constant(ALL),
    fc.uniqueArray(fc.constantFrom(...PRODUCTS, "p-x"), { minLength: 1, maxLength: 3 }).map((ids) => only(...ids)),
  );
  const issuer = fc.constantFrom<CouponIssuer>("STORE", "PLATFORM");
  const fen = fc.integer({ min: 0, max: 500_000 });
  const anyCoupon = fc.oneof(
    fc.record({ issuer, scope, thresholdFen: fen, amountFen: fen }).map((c) => ({ ...c, kind: "THRESHOLD" as const })),
    fc.record({ issuer, scope, amountFen: fen }).map((c) => ({ ...c, kind: "NO_THRESHOLD" as const })),
    fc
      .record({ issuer, scope, percentBp: fc.integer({ min: 0, max: 10_000 }), capFen: fc.option(fen, { nil: null }), thresholdFen: fc.option(fen, { nil: null }) })
      .map((c) => ({ ...c, kind: "PERCENT" as const })),
  );
  const anyCoupons = fc.array(anyCoupon, { maxLength: 5 }).map((cs) => cs.map((c, i): CandidateCoupon => ({ ...c, id: `c${i}` })));
  const anyPoints = fc.option(
    fc.record({
      available: fc.integer({ min: 0, max: 10_000_000 }),
      rate: fc.record({ points: fc.constantFrom(1, 10, 100), fen: fc.constantFrom(1, 10, 100) }),
      maxDeductBp: fc.integer({ min: 0, max: 10_000 }),
      requested: fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: null }),
    }),
    { nil: null },
  );
  const anyInput = fc
    .record({
      channel: fc.constantFrom<PriceChannel>("NORMAL", "LIVE", "FLASH", "GROUP"),
      lines: anyLines,
      coupons: anyCoupons,
      points: anyPoints,
      freight: fc.record({ flatFen: fc.constantFrom(0, 1_000), freeFromFen: fc.option(fc.constantFrom(0, 9_900, 50_000), { nil: null }) }),
    })
    .chain((i) => fc.record({ selectedCouponIds: fc.option(fc.subarray(i.coupons.map((c) => c.id)), { nil: null }) }).map((s) => ({ ...i, ...s })));

  function expectInvariants(p: OrderPrice, given: PricingInput) {
    const t = p.totals;
    expect(t.total).toBeGreaterThanOrEqual(0);
    expect(t.total).toBe(sum(p.lines.map((l) => l.paid)) + t.freight);
    expect(t.total).toBe(t.goods - t.couponDiscount - t.pointsDiscount + t.freight);
    expect(t.couponDiscount).toBe(sum(p.appliedCoupons.map((c) => c.discount)));
    expect(t.freight).toBe(sum(p.shipments.map((s) => s.freight)));
    for (const l of p.lines) {
      expect(l.paid).toBeGreaterThanOrEqual(0);
      expect(l.paid).toBeLessThanOrEqual(l.amount);
      expect(l.amount).toBeLessThanOrEqual(l.originalAmount);
      expect(l.paid).toBe(l.amount - l.storeCouponDiscount - l.platformCouponDiscount - l.pointsDiscount);
      if (!l.couponEligible) expect(l.couponDiscount).toBe(0);
    }
    for (const iss of ["STORE", "PLATFORM"] as const) {
      const applied = p.appliedCoupons.filter((c) => c.issuer === iss);
      expect(applied.length).toBeLessThanOrEqual(1);
      expect(iss === "STORE" ? t.storeCouponDiscount : t.platformCouponDiscount).toBe(applied[0]?.discount ?? 0);
    }
    if (given.points) {
      expect(t.pointsUsed).toBeLessThanOrEqual(given.points.available);
      expect(t.pointsDiscount).toBeLessThanOrEqual(bpFloor(t.goods - t.couponDiscount, given.points.maxDeductBp));
      expect(t.pointsUsed % given.points.rate.points).toBe(0);
    } else {
      expect(t.pointsUsed).toBe(0);
    }
  }

  it("given any selection, then it is priced with the totals adding up and never negative, or refused with a known code", () => {
    fc.assert(
      fc.property(anyInput, (given) => {
        const r = priceOrder(given);
        if (r.ok) return expectInvariants(r.price, given);
        expect(["COUPON_CONFLICT", "COUPON_NOT_APPLICABLE"]).toContain(r.error.code);
        const issuers = (given.selectedCouponIds ?? []).map((id) => given.coupons.find((c) => c.id === id)?.issuer);
        expect(r.error.code === "COUPON_CONFLICT").toBe(new Set(issuers).size < issuers.length);
      }),
      { numRuns: 500 },
    );
  });

  it("given any coupon set, then the preselection is valid and no valid selection discounts more (brute force)", () => {
    fc.assert(
      fc.property(anyInput, (given) => {
        const auto = priceOrder({ ...given, selectedCouponIds: null });
        expect(auto.ok).toBe(true);
        if (!auto.ok) return;
        expect(auto.price.appliedCoupons.map((c) => c.id)).toEqual(bestCouponSelection(given));
        const ids = given.coupons.map((c) => c.id);
        const subsets = ids.reduce<string[][]>((acc, id) => [...acc, ...acc.map((s) => [...s, id])], [[]]);
        for (const selectedCouponIds of subsets) {
          const r = priceOrder({ ...given, selectedCouponIds });
          if (r.ok) expect(auto.price.totals.couponDiscount).toBeGreaterThanOrEqual(r.price.totals.couponDiscount);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("given the same input twice, then the same price, and the input is not changed", () => {
    fc.assert(
      fc.property(anyInput, (given) => {
        const copy = structuredClone(given);
        expect(priceOrder(given)).toEqual(priceOrder(copy));
        expect(given).toEqual(copy);
      }),
      { numRuns: 200 },
    );
  });

  it("given any weights and a total they can hold, then the parts sum exactly and each is within a fen of its share", () => {
    const weightsAndTotal = fc
      .array(fc.integer({ min: 0, max: 100_000_000 }), { maxLength: 8 })
      .chain((ws) => fc.tuple(fc.constant(ws), fc.integer({ min: 0, max: sum(ws) })));
    fc.assert(
      fc.property(weightsAndTotal, ([weights, total]) => {
        const parts = allocateLargestRemainder(total, weights);
        expect(sum(parts)).toBe(total);
        const whole = sum(weights);
        parts.forEach((x, i) => {
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThanOrEqual(weights[i]);
          if (whole > 0) expect(Math.abs(x - (total * weights[i]) / whole)).toBeLessThan(1);
        });
      }),
      { numRuns: 500 },
    );
  });
});
