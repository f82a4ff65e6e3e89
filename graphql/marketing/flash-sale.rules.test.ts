/**
 * The pure flash-sale (秒杀) rules: how a sale's stock is split into segments, which new sale is
 * refused and with which code, where a sale stands at a given moment, and how a batch's taken units
 * are handed out.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assignUnits, checkFlashSale, flashSaleState, MAX_SEGMENTS, MAX_WINDOW_MS, splitStock, type FlashSaleDraft } from "./flash-sale.rules";

describe("splitStock", () => {
  it.each([
    [1, [1]],
    [2, [1, 1]],
    [15, Array(15).fill(1)],
    [16, Array(16).fill(1)],
    [17, [2, ...Array(15).fill(1)]],
    [31, [...Array(15).fill(2), 1]],
    [32, Array(16).fill(2)],
    [100, [7, 7, 7, 7, ...Array(12).fill(6)]],
    [10_000, Array(16).fill(625)],
    [100_000, Array(16).fill(6_250)],
  ])("given %i units, then the segments are %j", (total, expected) => {
    const segments = splitStock(total);
    expect(segments).toEqual(expected);
    expect(segments.reduce((a, b) => a + b, 0)).toBe(total);
  });

  it.each([0, -1, -16, 1.5, 16.000001, Number.NaN, Number.POSITIVE_INFINITY])("given %s units (not a positive integer), then no segment at all", (total) => {
    expect(splitStock(total)).toEqual([]);
  });

  it.each([
    [10, 3, [4, 3, 3]],
    [10, 1, [10]],
    [3, 5, [1, 1, 1]],
    [64, 64, Array(64).fill(1)],
  ])("given %i units and at most %i segments, then %j", (total, max, expected) => {
    expect(splitStock(total, max)).toEqual(expected);
  });

  it("given any stock from 1 to 100,000, then Σ = stock, at most 16 rows, none empty, sizes differ by at most one, larger rows first", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), (total) => {
        const s = splitStock(total);
        expect(s.reduce((a, b) => a + b, 0)).toBe(total);
        expect(s.length).toBe(Math.min(MAX_SEGMENTS, total));
        expect(Math.min(...s)).toBeGreaterThanOrEqual(1);
        expect(Math.max(...s) - Math.min(...s)).toBeLessThanOrEqual(1);
        expect([...s].sort((a, b) => b - a)).toEqual(s);
        expect(s.every(Number.isInteger)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("given any stock and any segment cap, then the same invariants hold under that cap", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 64 }), (total, max) => {
        const s = splitStock(total, max);
        expect(s.reduce((a, b) => a + b, 0)).toBe(total);
        expect(s.length).toBe(Math.min(max, total));
        expect(Math.max(...s) - Math.min(...s)).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe("checkFlashSale", () => {
  const NOW = new Date("2030-03-01T10:00:00.000Z");
  const at = (ms: number) => new Date(NOW.getTime() + ms);
  /** A draft that passes: list ¥39.90, minimum ¥29.50, 100 of 500 units, 1 per person, 10:00–12:00. */
  const ok: FlashSaleDraft = {
    flashPrice: 2_990,
    listPrice: 3_990,
    minimumPrice: 2_950,
    totalStock: 100,
    skuStock: 500,
    perUserLimit: 1,
    startsAt: at(0),
    endsAt: at(2 * 3_600_000),
    now: NOW,
  };
  const check = (patch: Partial<FlashSaleDraft>) => checkFlashSale({ ...ok, ...patch });

  it("given a valid draft, then no problem", () => {
    expect(checkFlashSale(ok)).toBeNull();
  });

  describe("price", () => {
    it.each<[string, Partial<FlashSaleDraft>]>([
      ["exactly the minimum", { flashPrice: 2_950 }],
      ["one fen below the list price", { flashPrice: 3_989 }],
    ])("given a flash price at %s, then accepted", (_, patch) => {
      expect(check(patch)).toBeNull();
    });

    it.each<[string, Partial<FlashSaleDraft>]>([
      ["one fen below the minimum", { flashPrice: 2_949 }],
      ["zero", { flashPrice: 0 }],
      ["negative", { flashPrice: -100 }],
      ["a fraction of a fen", { flashPrice: 2_990.5 }],
      ["not a number", { flashPrice: Number.NaN }],
      ["beyond a safe integer", { flashPrice: Number.MAX_SAFE_INTEGER + 1 }],
    ])("given a flash price %s, then PRICE_BELOW_MINIMUM on flashPrice", (_, patch) => {
      expect(check(patch)).toMatchObject({ code: "PRICE_BELOW_MINIMUM", field: "flashPrice" });
    });

    it("given a price below the minimum, then the message names the minimum in yuan", () => {
      expect(check({ flashPrice: 100 })?.message).toContain("¥29.50");
    });

    it.each<[string, Partial<FlashSaleDraft>]>([
      ["equal to the list price", { flashPrice: 3_990 }],
      ["above the list price", { flashPrice: 4_500 }],
      ["at the minimum when the minimum is the list price", { flashPrice: 3_990, minimumPrice: 3_990 }],
    ])("given a flash price %s, then PRICE_NOT_BELOW_LIST on flashPrice", (_, patch) => {
      expect(check(patch)).toMatchObject({ code: "PRICE_NOT_BELOW_LIST", field: "flashPrice" });
    });
  });

  describe("stock", () => {
    it.each<[string, Partial<FlashSaleDraft>]>([
      ["one unit", { totalStock: 1 }],
      ["every unit the SKU has", { totalStock: 500 }],
      ["100,000 units", { totalStock: 100_000, skuStock: 100_000 }],
    ])("given %s, then accepted", (_, patch) => {
      expect(check(patch)).toBeNull();
    });

    it.each<[string, Partial<FlashSaleDraft>]>([
      ["zero", { totalStock: 0 }],
      ["negative", { totalStock: -5 }],
      ["a fraction", { totalStock: 1.5 }],
      ["above 100,000 even if the SKU has them", { totalStock: 100_001, skuStock: 200_000 }],
      ["not a number", { totalStock: Number.NaN }],
    ])("given a stock of %s, then INVALID_STOCK on totalStock", (_, patch) => {
      expect(check(patch)).toMatchObject({ code: "INVALID_STOCK", field: "totalStock" });
    });

    it("given more units than the SKU holds, then STOCK_EXCEEDS_SKU naming what the SKU has", () => {
      const problem = check({ totalStock: 501 });
      expect(problem).toMatchObject({ code: "STOCK_EXCEEDS_SKU", field: "totalStock" });
      expect(problem?.message).toContain("500");
    });

    it("given an SKU with no stock at all, then STOCK_EXCEEDS_SKU", () => {
      expect(check({ totalStock: 1, skuStock: 0 })).toMatchObject({ code: "STOCK_EXCEEDS_SKU" });
    });
  });

  describe("per-user limit", () => {
    it.each([1, 2, 99])("given %i per person, then accepted", (perUserLimit) => {
      expect(check({ perUserLimit })).toBeNull();
    });

    it.each([0, -1, 100, 1.5, Number.NaN])("given %s per person, then INVALID_LIMIT on perUserLimit", (perUserLimit) => {
      expect(check({ perUserLimit })).toMatchObject({ code: "INVALID_LIMIT", field: "perUserLimit" });
    });
  });

  describe("window", () => {
    it.each<[string, Partial<FlashSaleDraft>]>([
      ["starting now", { startsAt: at(0), endsAt: at(60_000) }],
      ["starting tomorrow", { startsAt: at(86_400_000), endsAt: at(86_400_000 + 3_600_000) }],
      ["starting exactly 60 s ago (the clock-skew allowance)", { startsAt: at(-60_000), endsAt: at(3_600_000) }],
      ["lasting exactly 7 days", { startsAt: at(0), endsAt: at(MAX_WINDOW_MS) }],
      ["lasting one millisecond", { startsAt: at(0), endsAt: at(1) }],
    ])("given a window %s, then accepted", (_, patch) => {
      expect(check(patch)).toBeNull();
    });

    it.each<[string, Partial<FlashSaleDraft>]>([
      ["ending when it starts", { startsAt: at(3_600_000), endsAt: at(3_600_000) }],
      ["ending before it starts", { startsAt: at(3_600_000), endsAt: at(0) }],
      ["longer than 7 days by 1 ms", { startsAt: at(0), endsAt: at(MAX_WINDOW_MS + 1) }],
      ["starting 60 s and 1 ms ago", { startsAt: at(-60_001), endsAt: at(3_600_000) }],
      ["entirely in the past", { startsAt: at(-7_200_000), endsAt: at(-3_600_000) }],
      ["with an invalid start date", { startsAt: new Date(Number.NaN) }],
      ["with an invalid end date", { endsAt: new Date(Number.NaN) }],
    ])("given a window %s, then INVALID_WINDOW on startsAt", (_, patch) => {
      expect(check(patch)).toMatchObject({ code: "INVALID_WINDOW", field: "startsAt" });
    });
  });

  describe("the first problem wins, in the documented order", () => {
    it.each<[string, Partial<FlashSaleDraft>]>([
      ["PRICE_BELOW_MINIMUM", { flashPrice: 1, totalStock: 0, perUserLimit: 0, endsAt: at(-1) }],
      ["PRICE_NOT_BELOW_LIST", { flashPrice: 3_990, totalStock: 0, perUserLimit: 0, endsAt: at(-1) }],
      ["INVALID_STOCK", { totalStock: 0, perUserLimit: 0, endsAt: at(-1) }],
      ["STOCK_EXCEEDS_SKU", { totalStock: 501, perUserLimit: 0, endsAt: at(-1) }],
      ["INVALID_LIMIT", { perUserLimit: 0, endsAt: at(-1) }],
      ["INVALID_WINDOW", { endsAt: at(-1) }],
    ])("given several problems, then %s", (code, patch) => {
      expect(check(patch)?.code).toBe(code);
    });
  });
});

describe("flashSaleState", () => {
  const startsAt = new Date("2030-03-01T10:00:00.000Z");
  const endsAt = new Date("2030-03-01T12:00:00.000Z");
  const at = (iso: string) => new Date(`2030-03-01T${iso}.000Z`);
  const sale = (patch: { soldOutAt?: Date | null; closedAt?: Date | null } = {}) => ({ startsAt, endsAt, soldOutAt: null, closedAt: null, ...patch });
  const soldOut = at("10:30:00");
  const closed = at("09:00:00");

  it.each<[string, ReturnType<typeof sale>, Date, string]>([
    ["before the start", sale(), at("09:59:59"), "UPCOMING"],
    ["at the start exactly", sale(), startsAt, "ACTIVE"],
    ["during the window", sale(), at("11:00:00"), "ACTIVE"],
    ["one ms before the end", sale(), new Date(endsAt.getTime() - 1), "ACTIVE"],
    ["at the end exactly", sale(), endsAt, "ENDED"],
    ["after the end", sale(), at("13:00:00"), "ENDED"],
    ["sold out during the window", sale({ soldOutAt: soldOut }), at("11:00:00"), "SOLD_OUT"],
    ["sold out, after the end", sale({ soldOutAt: soldOut }), at("12:00:00"), "ENDED"],
    ["flagged sold out but not started yet", sale({ soldOutAt: soldOut }), at("09:00:00"), "UPCOMING"],
    ["closed (cancelled) before the start", sale({ closedAt: closed }), at("09:30:00"), "ENDED"],
    ["closed, during the window", sale({ closedAt: closed }), at("11:00:00"), "ENDED"],
    ["closed and sold out", sale({ closedAt: closed, soldOutAt: soldOut }), at("11:00:00"), "ENDED"],
  ])("given a sale %s, then %s", (_, s, now, expected) => {
    expect(flashSaleState(s, now)).toBe(expected);
  });
});

describe("assignUnits", () => {
  const c = (segmentNo: number, units: number) => ({ segmentNo, units });
  it.each([
    { name: "one chunk covers everyone", chunks: [c(3, 4)], quantities: [1, 2, 1], segmentOf: [3, 3, 3], unused: [] },
    { name: "what nobody takes is left over", chunks: [c(3, 4)], quantities: [1], segmentOf: [3], unused: [c(3, 3)] },
    { name: "a buyer is served from the first chunk that covers their whole quantity", chunks: [c(1, 1), c(2, 3)], quantities: [2, 1], segmentOf: [2, 1], unused: [c(2, 1)] },
    { name: "a quantity no single chunk covers is not served, even if the chunks together would", chunks: [c(1, 1), c(2, 1)], quantities: [2], segmentOf: [null], unused: [c(1, 1), c(2, 1)] },
    { name: "arrival order decides who gets the last unit", chunks: [c(5, 1)], quantities: [1, 1], segmentOf: [5, null], unused: [] },
    { name: "nothing taken serves nobody", chunks: [], quantities: [1, 3], segmentOf: [null, null], unused: [] },
    { name: "no buyers leave everything over", chunks: [c(0, 2)], quantities: [], segmentOf: [], unused: [c(0, 2)] },
  ])("$name", ({ chunks, quantities, segmentOf, unused }) => {
    expect(assignUnits(chunks, quantities)).toEqual({ segmentOf, unused });
  });

  it("never hands out more than was taken: Σ served + Σ unused = Σ taken per segment, every chunk ≥ 0, and the input is left as it was", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ segmentNo: fc.integer({ min: 0, max: 15 }), units: fc.integer({ min: 1, max: 20 }) }), { selector: (x) => x.segmentNo, maxLength: 16 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 64 }),
        (chunks, quantities) => {
          const before = structuredClone(chunks);
          const { segmentOf, unused } = assignUnits(chunks, quantities);
          expect(chunks).toEqual(before);
          for (const { segmentNo, units } of chunks) {
            const served = quantities.reduce((n, q, i) => n + (segmentOf[i] === segmentNo ? q : 0), 0);
            const left = unused.find((u) => u.segmentNo === segmentNo)?.units ?? 0;
            expect(served + left).toBe(units);
            expect(left).toBeGreaterThanOrEqual(0);
          }
          expect(unused.every((u) => u.units > 0)).toBe(true);
        },
      ),
    );
  });
});
