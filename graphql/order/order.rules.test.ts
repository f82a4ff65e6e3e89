import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { bpFloor } from "../platform/money";
import { minimumRetailPrice } from "../store/store.rules";
import {
  FLAT_FREIGHT,
  MAX_ITEMS_PER_ORDER,
  checkItems,
  freightFor,
  isValidIdempotencyKey,
  newOrderNo,
  quoteOrder,
  splitPayment,
  MARKETING_SUBSIDY_ACCOUNT,
  type PricedLineInput,
  type SplitLine,
} from "./order.rules";

const line = (supplierId: string, unitPrice: number, quantity: number, unitSupplyPrice = 100): PricedLineInput => ({
  skuId: `${supplierId}-${unitPrice}-${quantity}`,
  supplierId,
  unitPrice,
  unitSupplyPrice,
  quantity,
});

describe("freightFor", () => {
  it.each([
    ["no goods pays the flat rate", 0, FLAT_FREIGHT],
    ["¥98.99 pays the flat rate", 9_899, FLAT_FREIGHT],
    ["exactly ¥99 ships free", 9_900, 0],
    ["¥1000 ships free", 100_000, 0],
  ])("given %s (%i fen), then freight is %i", (_label, goods, freight) => {
    expect(freightFor(goods)).toBe(freight);
  });
});

describe("quoteOrder", () => {
  it.each([
    {
      label: "one supplier under the free-shipping line",
      lines: [line("s1", 2_990, 2)],
      shipments: [{ supplierId: "s1", goods: 5_980, freight: 1_000 }],
      goods: 5_980,
      freight: 1_000,
    },
    {
      label: "one supplier whose lines together reach ¥99",
      lines: [line("s1", 5_000, 1), line("s1", 4_900, 1)],
      shipments: [{ supplierId: "s1", goods: 9_900, freight: 0 }],
      goods: 9_900,
      freight: 0,
    },
    {
      label: "two suppliers, freight judged per shipment, in first-seen order",
      lines: [line("s2", 12_000, 1), line("s1", 3_000, 1), line("s2", 100, 3)],
      shipments: [
        { supplierId: "s2", goods: 12_300, freight: 0 },
        { supplierId: "s1", goods: 3_000, freight: 1_000 },
      ],
      goods: 15_300,
      freight: 1_000,
    },
  ])("given $label, then shipments, goods and freight add up", ({ lines, shipments, goods, freight }) => {
    const q = quoteOrder(lines);
    expect(q.shipments).toEqual(shipments);
    expect(q.goods).toBe(goods);
    expect(q.freight).toBe(freight);
    expect(q.total).toBe(goods + freight);
    for (const [i, l] of q.lines.entries()) {
      expect(l.amount).toBe(lines[i].unitPrice * lines[i].quantity);
      expect(l.paidAmount).toBe(l.amount);
    }
  });
});

describe("checkItems", () => {
  const sku = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
  it.each([
    { label: "no items", items: [], code: "INVALID_ITEMS", field: "items" },
    {
      label: "more than the maximum number of items",
      items: Array.from({ length: MAX_ITEMS_PER_ORDER + 1 }, (_, i) => ({ skuId: sku(i), quantity: 1 })),
      code: "INVALID_ITEMS",
      field: "items",
    },
    { label: "the same SKU twice", items: [{ skuId: sku(1), quantity: 1 }, { skuId: sku(1), quantity: 2 }], code: "INVALID_ITEMS", field: "items.1.skuId" },
    { label: "a zero quantity", items: [{ skuId: sku(1), quantity: 0 }], code: "INVALID_QUANTITY", field: "items.0.quantity" },
    { label: "a quantity of 100", items: [{ skuId: sku(1), quantity: 100 }], code: "INVALID_QUANTITY", field: "items.0.quantity" },
    { label: "a fractional quantity", items: [{ skuId: sku(1), quantity: 1.5 }], code: "INVALID_QUANTITY", field: "items.0.quantity" },
    { label: "a negative quantity on the second item", items: [{ skuId: sku(1), quantity: 1 }, { skuId: sku(2), quantity: -1 }], code: "INVALID_QUANTITY", field: "items.1.quantity" },
  ])("given $label, then $code at $field", ({ items, code, field }) => {
    expect(checkItems(items)).toMatchObject({ code, field });
  });

  it.each([
    { label: "one item of quantity 1", items: [{ skuId: sku(1), quantity: 1 }] },
    { label: "one item of quantity 99", items: [{ skuId: sku(1), quantity: 99 }] },
    { label: "the maximum number of items", items: Array.from({ length: MAX_ITEMS_PER_ORDER }, (_, i) => ({ skuId: sku(i), quantity: 1 })) },
  ])("given $label, then the items are accepted", ({ items }) => {
    expect(checkItems(items)).toBeNull();
  });
});

describe("idempotency keys and order numbers", () => {
  it.each([
    ["a uuid", "3f1c2b9a-7d4e-4a1b-9c3d-1e2f3a4b5c6d", true],
    ["8 characters", "abcd_123", true],
    ["7 characters", "abcd123", false],
    ["65 characters", "a".repeat(65), false],
    ["a space", "abcd 1234", false],
    ["punctuation", "abcd;1234", false],
  ])("given a key with %s, then valid is %s", (_label, key, valid) => {
    expect(isValidIdempotencyKey(key)).toBe(valid);
  });

  it("given a moment, then the order number is LB + Beijing time + 10 digits", () => {
    expect(newOrderNo(new Date("2025-01-31T16:05:09Z"))).toMatch(/^LB250201000509\d{10}$/);
  });
});

describe("splitPayment", () => {
  const SUPPLIER = "11111111-1111-4111-8111-111111111111";
  const OTHER = "22222222-2222-4222-8222-222222222222";
  const STORE = "33333333-3333-4333-8333-333333333333";

  it("given one line and freight, then clearing = supplier (cost + freight) + fee + merchant", () => {
    const postings = splitPayment({
      provider: "sandbox",
      storeId: STORE,
      feeBp: 500,
      lines: [{ supplierId: SUPPLIER, paidAmount: 3_990 * 2, unitSupplyPrice: 2_000, quantity: 2 }],
      shipments: [{ supplierId: SUPPLIER, freight: 1_000 }],
    });
    expect(postings).toEqual([
      { account: "provider:sandbox:clearing", amount: 8_980 },
      { account: `supplier:${SUPPLIER}:payable`, amount: -5_000 },
      { account: "platform:fee", amount: -399 },
      { account: `merchant:${STORE}:payable`, amount: -3_581 },
    ]);
  });

  it("given two suppliers and commissions, then each supplier is owed its own cost and freight", () => {
    const postings = splitPayment({
      provider: "sandbox",
      storeId: STORE,
      feeBp: 500,
      lines: [
        { supplierId: SUPPLIER, paidAmount: 10_000, unitSupplyPrice: 5_000, quantity: 1, commissions: 1_000 },
        { supplierId: OTHER, paidAmount: 3_333, unitSupplyPrice: 1_111, quantity: 3 },
      ],
      shipments: [
        { supplierId: SUPPLIER, freight: 0 },
        { supplierId: OTHER, freight: 1_000 },
      ],
    });
    const byAccount = Object.fromEntries(postings.map((p) => [p.account, p.amount]));
    expect(byAccount).toEqual({
      "provider:sandbox:clearing": 14_333,
      [`supplier:${SUPPLIER}:payable`]: -5_000,
      [`supplier:${OTHER}:payable`]: -(3_333 + 1_000),
      "platform:fee": -(500 + 166),
      "platform:commissions_payable": -1_000,
      [`merchant:${STORE}:payable`]: -(14_333 - 5_000 - 4_333 - 666 - 1_000),
    });
  });

  it("given a platform-funded discount, then the platform pays it as marketing expense and the merchant is settled as if it were cash", () => {
    const postings = splitPayment({
      provider: "sandbox",
      storeId: STORE,
      feeBp: 500,
      lines: [{ supplierId: SUPPLIER, paidAmount: 8_000, platformDiscountAmount: 2_000, unitSupplyPrice: 5_000, quantity: 1, commissions: 800 }],
      shipments: [{ supplierId: SUPPLIER, freight: 0 }],
    });
    expect(postings).toEqual([
      { account: "provider:sandbox:clearing", amount: 8_000 },
      { account: MARKETING_SUBSIDY_ACCOUNT, amount: 2_000 },
      { account: `supplier:${SUPPLIER}:payable`, amount: -5_000 },
      { account: "platform:fee", amount: -500 },
      { account: "platform:commissions_payable", amount: -800 },
      { account: `merchant:${STORE}:payable`, amount: -(10_000 - 5_000 - 500 - 800) },
    ]);
  });

  it("given a zero fee rate, then no zero-amount posting is written", () => {
    const postings = splitPayment({
      provider: "sandbox",
      storeId: STORE,
      feeBp: 0,
      lines: [{ supplierId: SUPPLIER, paidAmount: 2_000, unitSupplyPrice: 1_000, quantity: 1 }],
      shipments: [{ supplierId: SUPPLIER, freight: 0 }],
    });
    expect(postings.map((p) => p.account)).not.toContain("platform:fee");
    expect(postings.every((p) => p.amount !== 0)).toBe(true);
  });

  const economics = fc.record({ platformFeeBp: fc.integer({ min: 0, max: 2_000 }), commissionCapBp: fc.integer({ min: 0, max: 3_000 }) });
  const supplierId = fc.constantFrom(SUPPLIER, OTHER);
  const anyLine: fc.Arbitrary<SplitLine> = fc.record({
    supplierId,
    paidAmount: fc.integer({ min: 0, max: 10_000_000 }),
    unitSupplyPrice: fc.integer({ min: 1, max: 1_000_000 }),
    quantity: fc.integer({ min: 1, max: 99 }),
    commissions: fc.integer({ min: 0, max: 100_000 }),
  });
  const freights: fc.Arbitrary<Record<string, number>> = fc.record({ [SUPPLIER]: fc.constantFrom(0, 1_000), [OTHER]: fc.constantFrom(0, 1_000) });

  it("given any lines, then the postings sum to zero and supplier + fee + commissions + merchant = paid total", () => {
    fc.assert(
      fc.property(fc.array(anyLine, { minLength: 1, maxLength: 8 }), freights, economics, (lines, freight, e) => {
        const shipments = [...new Set(lines.map((l) => l.supplierId))].map((s) => ({ supplierId: s, freight: freight[s] }));
        const postings = splitPayment({ provider: "sandbox", storeId: STORE, feeBp: e.platformFeeBp, lines, shipments });
        const paidTotal = lines.reduce((s, l) => s + l.paidAmount, 0) + shipments.reduce((s, x) => s + x.freight, 0);
        expect(postings.reduce((s, p) => s + p.amount, 0)).toBe(0);
        const owed = (prefix: string) => postings.filter((p) => p.account.startsWith(prefix)).reduce((s, p) => s - p.amount, 0);
        expect(owed("supplier:") + owed("platform:") + owed("merchant:")).toBe(paidTotal);
        expect(postings.find((p) => p.account === "provider:sandbox:clearing")?.amount ?? 0).toBe(paidTotal);
        const expectedSupplier = lines.reduce((s, l) => s + l.unitSupplyPrice * l.quantity, 0) + shipments.reduce((s, x) => s + x.freight, 0);
        expect(owed("supplier:")).toBe(expectedSupplier);
        expect(owed("platform:fee")).toBe(lines.reduce((s, l) => s + bpFloor(l.paidAmount, e.platformFeeBp), 0));
      }),
      { numRuns: 300 },
    );
  });

  it("given prices at or above the listing minimum and commissions within the cap, then the merchant is never owed a negative amount", () => {
    const pricedLine = fc.record({
      supplierId,
      supply: fc.integer({ min: 1, max: 1_000_000 }),
      quantity: fc.integer({ min: 1, max: 99 }),
      extra: fc.nat(5_000),
      share: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(pricedLine, { minLength: 1, maxLength: 6 }), economics, (raw, e) => {
        const lines: SplitLine[] = raw.map((l) => {
          const retail = minimumRetailPrice(l.supply, e) + l.extra;
          const paidAmount = retail * l.quantity;
          return {
            supplierId: l.supplierId,
            paidAmount,
            unitSupplyPrice: l.supply,
            quantity: l.quantity,
            commissions: Math.floor(bpFloor(paidAmount, e.commissionCapBp) * l.share),
          };
        });
        const shipments = [...new Set(lines.map((l) => l.supplierId))].map((s) => ({ supplierId: s, freight: 1_000 }));
        const postings = splitPayment({ provider: "sandbox", storeId: STORE, feeBp: e.platformFeeBp, lines, shipments });
        const merchant = postings.find((p) => p.account === `merchant:${STORE}:payable`)?.amount ?? 0;
        expect(merchant).toBeLessThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });
});
