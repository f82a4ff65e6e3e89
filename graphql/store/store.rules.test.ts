import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DEFAULT_ECONOMICS, type Economics } from "../platform/settings";
import { checkListingPrices, minimumRetailPrice, priceLeavesRequiredMargin } from "./store.rules";

const E = DEFAULT_ECONOMICS; // fee 5%, commission cap 20%

describe("priceLeavesRequiredMargin (fee 5%, cap 20%)", () => {
  it.each([
    ["¥13.34 on a ¥10 supply leaves exactly ⌈266.8⌉ + ⌈66.7⌉ = 334 fen", 1_334, 1_000, true],
    ["¥13.33 on a ¥10 supply is one fen short", 1_333, 1_000, false],
    ["selling at the supply price leaves nothing", 1_000, 1_000, false],
    ["selling below supply", 900, 1_000, false],
    ["a generous ¥39.90 on a ¥20 supply", 3_990, 2_000, true],
    ["exactly 4/3 of a round supply: ¥40 on ¥30", 4_000, 3_000, true],
    ["one fen more, ¥40.01 on ¥30: both roundings go up at once", 4_001, 3_000, false],
  ])("given %s, then %s", (_label, retail, supply, ok) => {
    expect(priceLeavesRequiredMargin(retail, supply, E)).toBe(ok);
  });

  it("given zero fee and zero cap, then any price at or above supply is enough", () => {
    const free: Economics = { platformFeeBp: 0, commissionCapBp: 0 };
    expect(priceLeavesRequiredMargin(1_000, 1_000, free)).toBe(true);
    expect(priceLeavesRequiredMargin(999, 1_000, free)).toBe(false);
  });
});

describe("minimumRetailPrice", () => {
  it.each([
    ["fee 5%, cap 20%, supply ¥10", E, 1_000, 1_334],
    ["fee 5%, cap 20%, supply ¥30 (¥40.00 passes but ¥40.01 does not)", E, 3_000, 4_002],
    ["fee 5%, cap 20%, supply 1 fen", E, 1, 3],
    ["no fee, no cap", { platformFeeBp: 0, commissionCapBp: 0 }, 2_590, 2_590],
    ["fee 20%, cap 30%, supply ¥10 (¥20.00 passes but ¥20.01 does not)", { platformFeeBp: 2_000, commissionCapBp: 3_000 }, 1_000, 2_002],
  ])("given %s, then the minimum is %i fen", (_label, e, supply, min) => {
    expect(minimumRetailPrice(supply, e)).toBe(min);
  });

  it("given economics that leave nothing for the supplier, then it refuses to answer", () => {
    expect(() => minimumRetailPrice(1_000, { platformFeeBp: 5_000, commissionCapBp: 5_000 })).toThrow();
  });

  const economics = fc.record({ platformFeeBp: fc.integer({ min: 0, max: 2_000 }), commissionCapBp: fc.integer({ min: 0, max: 3_000 }) });
  // Small supplies too: that is where a price just above a passing one is most often refused.
  const supply = fc.oneof(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 1, max: 100_000_000 }));

  it("given any supply price and economics, then the minimum satisfies the rule and one fen less does not", () => {
    fc.assert(
      fc.property(supply, economics, (s, e) => {
        const min = minimumRetailPrice(s, e);
        expect(priceLeavesRequiredMargin(min, s, e)).toBe(true);
        expect(priceLeavesRequiredMargin(min - 1, s, e)).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });

  it("given any price at or above the minimum, then the listing is accepted (the minimum really is one)", () => {
    fc.assert(
      fc.property(supply, economics, fc.nat(500), (s, e, above) => {
        const retail = minimumRetailPrice(s, e) + above;
        expect(priceLeavesRequiredMargin(retail, s, e)).toBe(true);
        expect(checkListingPrices([{ skuId: "x", retailPrice: retail, supplyPrice: s }], e)).toBeNull();
      }),
      { numRuns: 2_000 },
    );
  });
});

describe("checkListingPrices", () => {
  it.each([
    { label: "a zero price", retailPrice: 0, code: "INVALID_PRICE" },
    { label: "a negative price", retailPrice: -100, code: "INVALID_PRICE" },
    { label: "a fractional price", retailPrice: 1_500.5, code: "INVALID_PRICE" },
    { label: "a price above ¥10,000,000", retailPrice: 1_000_000_001, code: "INVALID_PRICE" },
    { label: "a price one fen under the minimum", retailPrice: 1_333, code: "PRICE_BELOW_MINIMUM" },
  ])("given $label on a ¥10 supply, then $code", ({ retailPrice, code }) => {
    const v = checkListingPrices([{ skuId: "a", retailPrice, supplyPrice: 1_000 }], E);
    expect(v).toMatchObject({ code, field: "prices.0.retailPrice" });
  });

  it.each([
    { label: "¥40.00, below the minimum although the margin formula passes", retailPrice: 4_000, code: "PRICE_BELOW_MINIMUM" },
    { label: "¥40.01, which the margin formula refuses", retailPrice: 4_001, code: "PRICE_BELOW_MINIMUM" },
  ])("given $label on a ¥30 supply, then $code", ({ retailPrice, code }) => {
    const v = checkListingPrices([{ skuId: "a", retailPrice, supplyPrice: 3_000 }], E);
    expect(v).toMatchObject({ code, field: "prices.0.retailPrice" });
  });

  it("given a too-low price on the second SKU, then the error names that SKU and the minimum", () => {
    const v = checkListingPrices(
      [
        { skuId: "a", retailPrice: 1_990, supplyPrice: 1_000 },
        { skuId: "b", retailPrice: 1_000, supplyPrice: 1_000 },
      ],
      E,
    );
    expect(v).toMatchObject({ code: "PRICE_BELOW_MINIMUM", field: "prices.1.retailPrice" });
    expect(v!.message).toContain("¥13.34");
  });

  it("given prices at the minimum on every SKU, then there is no violation", () => {
    const prices = [
      { skuId: "a", retailPrice: 1_334, supplyPrice: 1_000 },
      { skuId: "b", retailPrice: 4_002, supplyPrice: 3_000 },
    ];
    expect(checkListingPrices(prices, E)).toBeNull();
  });
});
