import type { CandidateCoupon } from "./pricing.rules";

/** Coupon rules, pure: what a merchant may issue, how a coupon reads, what the pricing function gets. */

export const CouponErrorCode = {
  INVALID_TITLE: "INVALID_TITLE",
  INVALID_VALUE: "INVALID_VALUE",
  INVALID_WINDOW: "INVALID_WINDOW",
  INVALID_QUANTITY: "INVALID_QUANTITY",
  INVALID_LIMIT: "INVALID_LIMIT",
  PRODUCT_NOT_LISTED: "PRODUCT_NOT_LISTED",
  COUPON_NOT_FOUND: "COUPON_NOT_FOUND",
} as const;

export const ClaimErrorCode = {
  COUPON_NOT_FOUND: "COUPON_NOT_FOUND",
  /** Outside its claim window, or disabled. */
  NOT_CLAIMABLE: "NOT_CLAIMABLE",
  /** Every coupon of the batch has been claimed. */
  OUT_OF_COUPONS: "OUT_OF_COUPONS",
  LIMIT_REACHED: "LIMIT_REACHED",
} as const;

export type CouponKind = "THRESHOLD" | "PERCENT" | "NO_THRESHOLD";

export type CouponDraft = {
  title: string;
  kind: CouponKind;
  thresholdFen: number;
  amountFen: number;
  percentBp: number;
  capFen: number | null;
  totalQuantity: number;
  perUserLimit: number;
  claimStartsAt: Date;
  claimEndsAt: Date;
  usableUntil: Date;
  now: Date;
};

type Problem = { code: keyof typeof CouponErrorCode; message: string; field: string } | null;
const MAX_WINDOW_MS = 366 * 86_400_000;

/** Checks a new coupon; the first problem, or null. */
export function checkCouponDraft(d: CouponDraft): Problem {
  const title = d.title.trim();
  if (title.length < 2 || title.length > 30) return { code: "INVALID_TITLE", message: "券名称需 2–30 个字", field: "title" };
  const whole = (n: number) => Number.isSafeInteger(n) && n >= 0;
  if (!whole(d.thresholdFen) || !whole(d.amountFen)) return { code: "INVALID_VALUE", message: "金额需为非负整数（分）", field: "amountFen" };
  if (d.kind === "THRESHOLD" && !(d.amountFen > 0 && d.thresholdFen > d.amountFen)) {
    return { code: "INVALID_VALUE", message: "满减券需满足：门槛 > 减免金额 > 0", field: "amountFen" };
  }
  if (d.kind === "NO_THRESHOLD" && !(d.amountFen > 0 && d.amountFen <= 10_000)) {
    return { code: "INVALID_VALUE", message: "无门槛券金额需在 ¥0.01–¥100 之间", field: "amountFen" };
  }
  if (d.kind === "PERCENT" && !(Number.isInteger(d.percentBp) && d.percentBp >= 100 && d.percentBp <= 9000 && (d.capFen === null || (whole(d.capFen) && d.capFen > 0)))) {
    return { code: "INVALID_VALUE", message: "折扣需在 1%–90% 之间，封顶金额需大于 0", field: "percentBp" };
  }
  if (!Number.isInteger(d.totalQuantity) || d.totalQuantity < 1 || d.totalQuantity > 1_000_000) {
    return { code: "INVALID_QUANTITY", message: "发放数量需为 1–1000000 张", field: "totalQuantity" };
  }
  if (!Number.isInteger(d.perUserLimit) || d.perUserLimit < 1 || d.perUserLimit > 10) return { code: "INVALID_LIMIT", message: "每人限领 1–10 张", field: "perUserLimit" };
  const [from, to, until] = [d.claimStartsAt.getTime(), d.claimEndsAt.getTime(), d.usableUntil.getTime()];
  if (!(to > from) || until < to || from < d.now.getTime() - 60_000 || until - from > MAX_WINDOW_MS) {
    return { code: "INVALID_WINDOW", message: "领取时间需从现在起，结束晚于开始，使用截止不早于领取结束，最长一年", field: "claimEndsAt" };
  }
  return null;
}

type CouponShape = { kind: CouponKind; thresholdFen: number; amountFen: number; percentBp: number; capFen: number | null };

/** How a coupon reads on a card: 满99减10 / 9折 最高减20 / 满99享8.5折 / 无门槛减5. */
export function couponFaceText(c: CouponShape): string {
  const yuan = (fen: number) => (fen % 100 === 0 ? String(fen / 100) : (fen / 100).toFixed(2));
  if (c.kind === "THRESHOLD") return `满${yuan(c.thresholdFen)}减${yuan(c.amountFen)}`;
  if (c.kind === "NO_THRESHOLD") return `无门槛减${yuan(c.amountFen)}`;
  const zhe = (10000 - c.percentBp) / 1000;
  const head = c.thresholdFen > 0 ? `满${yuan(c.thresholdFen)}享${zhe}折` : `${zhe}折`;
  return c.capFen ? `${head} 最高减${yuan(c.capFen)}` : head;
}

/** A held coupon as the pricing function takes it (the id is the person's coupon, not the batch). */
export function toCandidate(userCouponId: string, c: CouponShape & { issuer: "STORE" | "PLATFORM"; productIds: string[] | null }): CandidateCoupon {
  const scope = c.productIds?.length ? { kind: "PRODUCTS" as const, productIds: c.productIds } : { kind: "ALL" as const };
  const base = { id: userCouponId, issuer: c.issuer, scope };
  if (c.kind === "THRESHOLD") return { ...base, kind: "THRESHOLD", thresholdFen: c.thresholdFen, amountFen: c.amountFen };
  if (c.kind === "NO_THRESHOLD") return { ...base, kind: "NO_THRESHOLD", amountFen: c.amountFen };
  return { ...base, kind: "PERCENT", percentBp: c.percentBp, capFen: c.capFen, thresholdFen: c.thresholdFen || null };
}
