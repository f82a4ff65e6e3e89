/**
 * Flash sale (秒杀) rules, pure. The service gathers facts (listing price, supply floor, SKU stock,
 * the clock) and these decide.
 */

/** An unpaid flash order holds its units this long (shorter than a regular order's 15 minutes). */
export const FLASH_PAYMENT_WINDOW_MS = 5 * 60_000;
/** At most this many stock rows per sale: enough to spread 64 concurrent buyers, few enough to sum cheaply. */
export const MAX_SEGMENTS = 16;
export const MAX_WINDOW_MS = 7 * 86_400_000;

export const FlashSaleErrorCode = {
  LISTING_NOT_FOUND: "LISTING_NOT_FOUND",
  PRICE_BELOW_MINIMUM: "PRICE_BELOW_MINIMUM",
  PRICE_NOT_BELOW_LIST: "PRICE_NOT_BELOW_LIST",
  INVALID_STOCK: "INVALID_STOCK",
  STOCK_EXCEEDS_SKU: "STOCK_EXCEEDS_SKU",
  INVALID_LIMIT: "INVALID_LIMIT",
  INVALID_WINDOW: "INVALID_WINDOW",
  OVERLAPPING_SALE: "OVERLAPPING_SALE",
  FLASH_SALE_NOT_FOUND: "FLASH_SALE_NOT_FOUND",
  ALREADY_STARTED: "ALREADY_STARTED",
} as const;

export const FlashOrderErrorCode = {
  FLASH_SALE_NOT_FOUND: "FLASH_SALE_NOT_FOUND",
  NOT_STARTED: "NOT_STARTED",
  ENDED: "ENDED",
  SOLD_OUT: "SOLD_OUT",
  LIMIT_EXCEEDED: "LIMIT_EXCEEDED",
  INVALID_QUANTITY: "INVALID_QUANTITY",
  RATE_LIMITED: "RATE_LIMITED",
  ADDRESS_NOT_FOUND: "ADDRESS_NOT_FOUND",
  INVALID_IDEMPOTENCY_KEY: "INVALID_IDEMPOTENCY_KEY",
  IDEMPOTENCY_KEY_REUSED: "IDEMPOTENCY_KEY_REUSED",
} as const;

type Problem<C extends string> = { code: C; message: string; field: string } | null;

/** Splits stock into at most MAX_SEGMENTS rows that differ by at most one unit; Σ = total. */
export function splitStock(total: number, maxSegments = MAX_SEGMENTS): number[] {
  if (!Number.isInteger(total) || total < 1) return [];
  const n = Math.min(maxSegments, total);
  const base = Math.floor(total / n);
  return Array.from({ length: n }, (_, i) => base + (i < total % n ? 1 : 0));
}

export type FlashSaleDraft = {
  flashPrice: number;
  listPrice: number;
  /** The lowest retail price the margin rule allows for this SKU (supply + commission cap + fee). */
  minimumPrice: number;
  totalStock: number;
  skuStock: number;
  perUserLimit: number;
  startsAt: Date;
  endsAt: Date;
  now: Date;
};

/** Checks a new flash sale; the first problem found, or null. */
export function checkFlashSale(d: FlashSaleDraft): Problem<keyof typeof FlashSaleErrorCode> {
  if (!Number.isSafeInteger(d.flashPrice) || d.flashPrice < d.minimumPrice) {
    return { code: "PRICE_BELOW_MINIMUM", message: `秒杀价不能低于 ¥${(d.minimumPrice / 100).toFixed(2)}（供货价 + 分享佣金上限 + 平台服务费）`, field: "flashPrice" };
  }
  if (d.flashPrice >= d.listPrice) return { code: "PRICE_NOT_BELOW_LIST", message: "秒杀价需低于店铺售价", field: "flashPrice" };
  if (!Number.isInteger(d.totalStock) || d.totalStock < 1 || d.totalStock > 100_000) {
    return { code: "INVALID_STOCK", message: "秒杀库存需为 1–100000 件", field: "totalStock" };
  }
  if (d.totalStock > d.skuStock) return { code: "STOCK_EXCEEDS_SKU", message: `库存不足，该规格现有 ${d.skuStock} 件`, field: "totalStock" };
  if (!Number.isInteger(d.perUserLimit) || d.perUserLimit < 1 || d.perUserLimit > 99) {
    return { code: "INVALID_LIMIT", message: "每人限购需为 1–99 件", field: "perUserLimit" };
  }
  const starts = d.startsAt.getTime();
  const ends = d.endsAt.getTime();
  if (!(ends > starts) || ends - starts > MAX_WINDOW_MS || starts < d.now.getTime() - 60_000) {
    return { code: "INVALID_WINDOW", message: "活动时间需从现在起，结束晚于开始，最长 7 天", field: "startsAt" };
  }
  return null;
}

export type FlashSaleState = "UPCOMING" | "ACTIVE" | "SOLD_OUT" | "ENDED";

/** Where a sale stands at `now` (the page's countdown and the checkout's first check). */
export function flashSaleState(s: { startsAt: Date; endsAt: Date; soldOutAt: Date | null; closedAt: Date | null }, now: Date): FlashSaleState {
  if (s.closedAt || now >= s.endsAt) return "ENDED";
  if (now < s.startsAt) return "UPCOMING";
  return s.soldOutAt ? "SOLD_OUT" : "ACTIVE";
}

/** Units a flash batch took from one segment (flash-stock.service grabUnits). */
export type UnitChunk = { segmentNo: number; units: number };

/**
 * Which taken units go to whom: each buyer, in order, from the first chunk that still covers their
 * whole quantity (null: not served); what is left over (`unused`) goes back to its segments.
 */
export function assignUnits(chunks: UnitChunk[], quantities: number[]): { segmentOf: (number | null)[]; unused: UnitChunk[] } {
  const room = chunks.map((c) => ({ ...c }));
  const segmentOf = quantities.map((q) => {
    const c = room.find((r) => r.units >= q);
    if (!c) return null;
    c.units -= q;
    return c.segmentNo;
  });
  return { segmentOf, unused: room.filter((r) => r.units > 0) };
}
