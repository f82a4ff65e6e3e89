/**
 * Points (积分), the pure rules: the operator's settings and their validation, what a settled order
 * earns, what a refund takes back or gives back pro rata, what expires (FIFO), and the quote of a
 * points-mall product order. No database, no clock: plain data in, plain data out. Points are whole
 * numbers; money is integer fen.
 */
import type { OrderQuote } from "../order/order.rules";

export const PointsErrorCode = {
  /** A debit larger than the balance (e.g. the balance changed since the checkout was priced). */
  INSUFFICIENT_POINTS: "INSUFFICIENT_POINTS",
  INVALID_AMOUNT: "INVALID_AMOUNT",
  INVALID_REASON: "INVALID_REASON",
  USER_NOT_FOUND: "USER_NOT_FOUND",
} as const;

export const PointsSettingsErrorCode = {
  INVALID_EARN_RATE: "INVALID_EARN_RATE",
  INVALID_SPEND_RATE: "INVALID_SPEND_RATE",
  INVALID_CAP: "INVALID_CAP",
  INVALID_EXPIRY: "INVALID_EXPIRY",
} as const;

export const RedeemErrorCode = {
  ITEM_NOT_FOUND: "ITEM_NOT_FOUND",
  /** Disabled, or outside its window. */
  NOT_REDEEMABLE: "NOT_REDEEMABLE",
  OUT_OF_STOCK: "OUT_OF_STOCK",
  LIMIT_REACHED: "LIMIT_REACHED",
  INSUFFICIENT_POINTS: "INSUFFICIENT_POINTS",
  ADDRESS_NOT_FOUND: "ADDRESS_NOT_FOUND",
  INVALID_IDEMPOTENCY_KEY: "INVALID_IDEMPOTENCY_KEY",
  IDEMPOTENCY_KEY_REUSED: "IDEMPOTENCY_KEY_REUSED",
} as const;

export const MallItemErrorCode = {
  INVALID_TITLE: "INVALID_TITLE",
  INVALID_COST: "INVALID_COST",
  INVALID_QUANTITY: "INVALID_QUANTITY",
  INVALID_LIMIT: "INVALID_LIMIT",
  INVALID_WINDOW: "INVALID_WINDOW",
  /** The coupon is not a platform coupon claimable during the item's window. */
  INVALID_COUPON: "INVALID_COUPON",
  /** The SKU is not on the named store's shelf. */
  INVALID_PRODUCT: "INVALID_PRODUCT",
  ITEM_NOT_FOUND: "ITEM_NOT_FOUND",
} as const;

/** Every kind of ledger entry; the sign each one carries. */
export type PointsKind = "EARN" | "EARN_REVERSAL" | "SPEND" | "SPEND_RETURN" | "EXPIRE" | "REDEEM" | "ADJUST";
export const CREDIT_KINDS: readonly PointsKind[] = ["EARN", "SPEND_RETURN"];
export const DEBIT_KINDS: readonly PointsKind[] = ["EARN_REVERSAL", "SPEND", "EXPIRE", "REDEEM"];

export const POINTS_KIND_TEXT: Record<PointsKind, string> = {
  EARN: "购物获得",
  EARN_REVERSAL: "退款扣回",
  SPEND: "下单抵扣",
  SPEND_RETURN: "抵扣退回",
  EXPIRE: "积分过期",
  REDEEM: "积分兑换",
  ADJUST: "平台调整",
};

/** The sign an entry of `kind` must carry (ADJUST either way, never 0). */
export function signAllowed(kind: PointsKind, amount: number): boolean {
  if (!Number.isSafeInteger(amount) || amount === 0) return false;
  if (CREDIT_KINDS.includes(kind)) return amount > 0;
  if (DEBIT_KINDS.includes(kind)) return amount < 0;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Settings

export type PointsSettings = {
  /** Off: settled orders earn nothing and checkout offers no deduction; balances stay and still expire. */
  enabled: boolean;
  /** Points earned per ¥1 of cash paid for goods (freight excluded), floored. */
  earnPerYuan: number;
  /** `points` points deduct `fen` fen at checkout, spent in whole steps of it. */
  spendRate: { points: number; fen: number };
  /** At most this share (basis points) of the goods left after coupons may be paid with points. */
  maxDeductBp: number;
  /** Earned (and returned) points expire this many days later. */
  expiryDays: number;
};

/** 1 point per ¥1 paid; 100 points = ¥1; at most 20% of the goods after coupons; a year to use them. */
export const DEFAULT_POINTS_SETTINGS: PointsSettings = {
  enabled: true,
  earnPerYuan: 1,
  spendRate: { points: 100, fen: 100 },
  maxDeductBp: 2000,
  expiryDays: 365,
};

type Problem<C extends string> = { code: C; message: string; field: string } | null;
const whole = (n: number, min: number, max: number) => Number.isSafeInteger(n) && n >= min && n <= max;

/** Checks the operator's settings; the first problem, or null. */
export function checkPointsSettings(s: PointsSettings): Problem<keyof typeof PointsSettingsErrorCode> {
  if (!whole(s.earnPerYuan, 0, 100)) return { code: "INVALID_EARN_RATE", message: "每元获得积分需为 0–100 的整数", field: "earnPerYuan" };
  if (!whole(s.spendRate.points, 1, 10_000) || !whole(s.spendRate.fen, 1, 10_000)) {
    return { code: "INVALID_SPEND_RATE", message: "抵扣比例需为 1–10000 积分抵 1–10000 分", field: "spendRate" };
  }
  // A point may never be worth more than the fen it took to earn it (earn 1/¥1 ⇒ ≤ ¥1 per point).
  if (s.spendRate.fen > s.spendRate.points * 100) return { code: "INVALID_SPEND_RATE", message: "每积分最多抵 ¥1", field: "spendRate" };
  // Nor may what ¥1 of cash earns be worth more than ¥1 when spent: earnPerYuan × fen/points ≤ 100 fen.
  if (s.earnPerYuan * s.spendRate.fen > 100 * s.spendRate.points) {
    return { code: "INVALID_EARN_RATE", message: "每消费 ¥1 获得的积分最多可抵 ¥1，请降低每元获得积分或抵扣比例", field: "earnPerYuan" };
  }
  if (!whole(s.maxDeductBp, 0, 10_000)) return { code: "INVALID_CAP", message: "抵扣上限需在 0%–100% 之间", field: "maxDeductBp" };
  if (!whole(s.expiryDays, 30, 1_095)) return { code: "INVALID_EXPIRY", message: "有效期需为 30–1095 天", field: "expiryDays" };
  return null;
}

/** Settings as stored (possibly written by an older version) merged over the defaults. */
export function normalizeSettings(stored: Partial<PointsSettings> | null | undefined): PointsSettings {
  const s = { ...DEFAULT_POINTS_SETTINGS, ...(stored ?? {}) };
  return { ...s, spendRate: { ...DEFAULT_POINTS_SETTINGS.spendRate, ...(stored?.spendRate ?? {}) } };
}

/** What `points` points are worth at the spend rate, in fen (whole steps only, floored). */
export function pointsValueFen(points: number, rate: { points: number; fen: number }): number {
  return Math.floor(points / rate.points) * rate.fen;
}

// ---------------------------------------------------------------------------------------------
// Earning and its reversal

/** Points a settled order earns on the cash it kept for goods (paid − refunded, freight excluded). */
export function earnFor(cashKeptFen: number, s: Pick<PointsSettings, "enabled" | "earnPerYuan">): number {
  if (!s.enabled || cashKeptFen <= 0) return 0;
  return Math.floor((cashKeptFen * s.earnPerYuan) / 100);
}

/**
 * What a refund after settlement takes back of the `earned` points: the order keeps
 * floor(earned × cash left / cash at settlement), so several partial refunds take back exactly
 * what was earned once everything is refunded, and never more.
 */
export function earnReversalFor(earned: number, cashAtSettlement: number, cashBefore: number, cashAfter: number): number {
  if (earned <= 0 || cashAtSettlement <= 0) return 0;
  const kept = (cash: number) => (cash <= 0 ? 0 : Math.floor((earned * Math.min(cash, cashAtSettlement)) / cashAtSettlement));
  return kept(cashBefore) - kept(cashAfter);
}

/**
 * Points a refund gives back of those spent on the order: pro rata to the cash refunded for goods,
 * all of them once every line is refunded in full. `returnedSoFar` makes it cumulative, so the total
 * returned never exceeds what was spent however the refunds are split.
 */
export function spendReturnFor(spent: number, returnedSoFar: number, cashPaid: number, cashLeft: number): number {
  if (spent <= 0) return 0;
  const keptSpent = cashPaid <= 0 || cashLeft <= 0 ? 0 : Math.floor((spent * Math.min(cashLeft, cashPaid)) / cashPaid);
  return Math.max(0, spent - keptSpent - returnedSoFar);
}

/** What a person may lose, given a reversal of `wanted` and their balance: never below zero. */
export function reversalWithinBalance(wanted: number, balance: number): { taken: number; shortfall: number } {
  const taken = Math.max(0, Math.min(wanted, balance));
  return { taken, shortfall: wanted - taken };
}

// ---------------------------------------------------------------------------------------------
// Expiry (FIFO)

export const DAY_MS = 86_400_000;

/** When points credited at `now` expire. */
export const expiryOf = (now: Date, s: Pick<PointsSettings, "expiryDays">) => new Date(now.getTime() + s.expiryDays * DAY_MS);

/**
 * FIFO expiry at time T, in closed form. Every credit (EARN, SPEND_RETURN, a positive ADJUST) is a
 * lot with an expiry; every debit other than EXPIRE (SPEND, REDEEM, EARN_REVERSAL, a negative
 * ADJUST) consumes the soonest-expiring lots first. Then the points expired by T in total are
 * max(already expired, Σ lots with expiresAt ≤ T − Σ consumption), so what expires now is
 *   max(0, dueCredits − consumed − alreadyExpired).
 * This equals a lot-by-lot simulation whenever lots are credited in expiry order (one expiry period,
 * a monotonic clock — see the property test); when the operator shortens the period, spends count
 * against the soonest-expiring points at each run, which is never worse for the person.
 */
export function expiringAt(input: { dueCredits: number; consumed: number; alreadyExpired: number }): number {
  return Math.max(0, input.dueCredits - input.consumed - input.alreadyExpired);
}

/** The reference of one person's expiry on one day (Asia/Shanghai): the job is idempotent per day. */
export function expiryReference(userId: string, at: Date): string {
  return `${userId}:${shanghaiDate(at)}`;
}

export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The next midnight in Asia/Shanghai after `at`: when the daily expiry job runs. */
export function nextShanghaiMidnight(at: Date): Date {
  const shifted = at.getTime() + 8 * 3_600_000;
  return new Date(Math.floor(shifted / DAY_MS) * DAY_MS + DAY_MS - 8 * 3_600_000);
}

// ---------------------------------------------------------------------------------------------
// Points mall

export type MallItemDraft = {
  kind: "COUPON" | "PRODUCT";
  title: string;
  pointsCost: number;
  totalQuantity: number;
  perUserLimit: number;
  startsAt: Date;
  endsAt: Date;
  now: Date;
};

/** Checks a new mall item; the first problem, or null. */
export function checkMallItemDraft(d: MallItemDraft): Problem<keyof typeof MallItemErrorCode> {
  const title = d.title.trim();
  if ([...title].length < 2 || [...title].length > 30) return { code: "INVALID_TITLE", message: "名称需 2–30 个字", field: "title" };
  if (!whole(d.pointsCost, 1, 10_000_000)) return { code: "INVALID_COST", message: "所需积分需为 1–10000000 的整数", field: "pointsPrice" };
  if (!whole(d.totalQuantity, 1, 1_000_000)) return { code: "INVALID_QUANTITY", message: "数量需为 1–1000000", field: "totalQuantity" };
  if (!whole(d.perUserLimit, 1, 99)) return { code: "INVALID_LIMIT", message: "每人限兑 1–99 次", field: "perUserLimit" };
  const [from, to] = [d.startsAt.getTime(), d.endsAt.getTime()];
  if (!(to > from) || to <= d.now.getTime() || to - from > 366 * DAY_MS) {
    return { code: "INVALID_WINDOW", message: "兑换时间需结束晚于开始且晚于现在，最长一年", field: "endsAt" };
  }
  return null;
}

/**
 * A points-mall product order: the goods at the listing price, paid in full by the platform's
 * marketing subsidy (every line's discount is platform-funded), free shipping, nothing in cash. The
 * merchant and supplier are settled as if the consumer had paid the listing price.
 */
export function pointsMallQuote(quote: OrderQuote, pointsCost: number): OrderQuote {
  const lines = quote.lines.map((l) => ({ ...l, discountAmount: l.amount, platformDiscountAmount: l.amount, paidAmount: 0 }));
  return {
    ...quote,
    lines,
    shipments: quote.shipments.map((s) => ({ ...s, freight: 0 })),
    freight: 0,
    discount: quote.goods,
    platformDiscount: quote.goods,
    pointsUsed: pointsCost,
    pointsMaxUsable: pointsCost,
    total: 0,
    appliedCoupons: [],
    rejectedCoupons: [],
  };
}
