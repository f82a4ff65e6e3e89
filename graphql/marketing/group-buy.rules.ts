/**
 * Group buy (拼团) rules, pure. The service gathers facts (listing price, listing floor, the clock,
 * the group's counters) and these decide.
 */

export const GROUP_SIZE = { min: 2, max: 20 } as const;
export const TIME_LIMIT_MINUTES = { min: 5, max: 4320 } as const;
/** An offer runs at most this long (a group opened at its very end still gets its full time limit). */
export const MAX_OFFER_WINDOW_MS = 30 * 86_400_000;
/** Units one seat may order. */
export const MAX_GROUP_QUANTITY = 5;
/** Open groups of an offer shown on the product page to join. */
export const JOINABLE_SHOWN = 5;

export const GroupBuyOfferErrorCode = {
  LISTING_NOT_FOUND: "LISTING_NOT_FOUND",
  PRICE_BELOW_MINIMUM: "PRICE_BELOW_MINIMUM",
  PRICE_NOT_BELOW_LIST: "PRICE_NOT_BELOW_LIST",
  INVALID_GROUP_SIZE: "INVALID_GROUP_SIZE",
  INVALID_TIME_LIMIT: "INVALID_TIME_LIMIT",
  INVALID_WINDOW: "INVALID_WINDOW",
  OFFER_NOT_FOUND: "OFFER_NOT_FOUND",
  ALREADY_DISABLED: "ALREADY_DISABLED",
} as const;

export const GroupOrderErrorCode = {
  OFFER_NOT_FOUND: "OFFER_NOT_FOUND",
  OFFER_NOT_ACTIVE: "OFFER_NOT_ACTIVE",
  GROUP_NOT_FOUND: "GROUP_NOT_FOUND",
  /** Every seat is taken (by paid members or by members still paying). */
  GROUP_FULL: "GROUP_FULL",
  /** The group succeeded, failed, passed its deadline, or its leader has not paid yet. */
  GROUP_CLOSED: "GROUP_CLOSED",
  /** The person already holds a seat in this group (paid or paying). */
  GROUP_ALREADY_JOINED: "GROUP_ALREADY_JOINED",
  SOLD_OUT: "SOLD_OUT",
  INVALID_QUANTITY: "INVALID_QUANTITY",
  ADDRESS_NOT_FOUND: "ADDRESS_NOT_FOUND",
  INVALID_IDEMPOTENCY_KEY: "INVALID_IDEMPOTENCY_KEY",
  IDEMPOTENCY_KEY_REUSED: "IDEMPOTENCY_KEY_REUSED",
} as const;

type Problem<C extends string> = { code: C; message: string; field: string } | null;
const yuan = (fen: number) => (fen / 100).toFixed(2);

export type GroupBuyOfferDraft = {
  groupPrice: number;
  listPrice: number;
  /** The listing floor for this SKU (supply + commission cap + fee): a group price below it loses money. */
  minimumPrice: number;
  groupSize: number;
  timeLimitMinutes: number;
  startsAt: Date;
  endsAt: Date;
  now: Date;
};

/** Checks a new offer; the first problem found, or null. */
export function checkGroupBuyOffer(d: GroupBuyOfferDraft): Problem<keyof typeof GroupBuyOfferErrorCode> {
  if (!Number.isSafeInteger(d.groupPrice) || d.groupPrice < d.minimumPrice) {
    return { code: "PRICE_BELOW_MINIMUM", message: `拼团价不能低于 ¥${yuan(d.minimumPrice)}（供货价 + 分享佣金上限 + 平台服务费）`, field: "groupPrice" };
  }
  if (d.groupPrice >= d.listPrice) return { code: "PRICE_NOT_BELOW_LIST", message: "拼团价需低于店铺售价", field: "groupPrice" };
  if (!Number.isInteger(d.groupSize) || d.groupSize < GROUP_SIZE.min || d.groupSize > GROUP_SIZE.max) {
    return { code: "INVALID_GROUP_SIZE", message: `成团人数需为 ${GROUP_SIZE.min}–${GROUP_SIZE.max} 人`, field: "groupSize" };
  }
  if (!Number.isInteger(d.timeLimitMinutes) || d.timeLimitMinutes < TIME_LIMIT_MINUTES.min || d.timeLimitMinutes > TIME_LIMIT_MINUTES.max) {
    return { code: "INVALID_TIME_LIMIT", message: `成团时限需为 ${TIME_LIMIT_MINUTES.min}–${TIME_LIMIT_MINUTES.max} 分钟（最长 3 天）`, field: "timeLimitMinutes" };
  }
  const starts = d.startsAt.getTime();
  const ends = d.endsAt.getTime();
  if (!Number.isFinite(starts) || !Number.isFinite(ends) || starts < d.now.getTime() - 60_000) {
    return { code: "INVALID_WINDOW", message: "开始时间不能早于现在", field: "startsAt" };
  }
  if (!(ends > starts) || ends <= d.now.getTime() || ends - starts > MAX_OFFER_WINDOW_MS) {
    return { code: "INVALID_WINDOW", message: "结束时间需晚于开始时间，活动最长 30 天", field: "endsAt" };
  }
  return null;
}

export type OfferState = "UPCOMING" | "ACTIVE" | "ENDED" | "DISABLED";

/** Where an offer stands at `now`: new groups can be opened only while it is ACTIVE. */
export function offerState(o: { startsAt: Date; endsAt: Date; disabledAt: Date | null }, now: Date): OfferState {
  if (o.disabledAt) return "DISABLED";
  if (now >= o.endsAt) return "ENDED";
  if (now < o.startsAt) return "UPCOMING";
  return "ACTIVE";
}

/** A new group's deadline: its full time limit from the moment it is opened. */
export const groupDeadline = (now: Date, timeLimitMinutes: number) => new Date(now.getTime() + timeLimitMinutes * 60_000);

/**
 * How long a group order may stay unpaid: the regular payment window, but never past the group's
 * deadline — so an unpaid seat is always free again by the time the group is decided.
 */
export function groupOrderExpiry(now: Date, deadline: Date, paymentWindowMs: number): Date {
  return new Date(Math.min(now.getTime() + paymentWindowMs, deadline.getTime()));
}

export type GroupStatus = "OPEN" | "SUCCEEDED" | "FAILED";
export type GroupCounters = { status: GroupStatus; groupSize: number; seatsTaken: number; paidCount: number; deadline: Date };

/** Whether someone can take a seat now, and if not, why (the same test the seat UPDATE makes). */
export function joinRefusal(g: GroupCounters, now: Date): "GROUP_FULL" | "GROUP_CLOSED" | null {
  if (g.status !== "OPEN" || g.deadline <= now || g.paidCount < 1) return "GROUP_CLOSED";
  if (g.seatsTaken >= g.groupSize) return "GROUP_FULL";
  return null;
}

/**
 * What a payment does to its group. A group succeeds when its last seat is paid before the
 * deadline. A payment for a group that already failed is refunded at once; one arriving for an open
 * group past its deadline counts, and the expiry (due now) refunds it with the others.
 */
export function afterSeatPaid(g: GroupCounters, now: Date): "SUCCEEDED" | "WAITING" | "REFUND" {
  if (g.status === "FAILED") return "REFUND";
  if (g.status === "SUCCEEDED") return "WAITING";
  return g.paidCount + 1 >= g.groupSize && g.deadline > now ? "SUCCEEDED" : "WAITING";
}

/** What the expiry job does at the deadline: a group still open then has failed. */
export function expiryOutcome(g: { status: GroupStatus; deadline: Date }, now: Date): "FAIL" | "NOTHING" {
  return g.status === "OPEN" && g.deadline <= now ? "FAIL" : "NOTHING";
}

/** Seats still free in an open group. */
export const seatsLeft = (g: { groupSize: number; seatsTaken: number }) => Math.max(0, g.groupSize - g.seatsTaken);
/** People still needed for the group to succeed ("还差 N 人"). */
export const peopleNeeded = (g: { groupSize: number; paidCount: number }) => Math.max(0, g.groupSize - g.paidCount);

export const GROUP_STATUS_TEXT: Record<GroupStatus, string> = { OPEN: "拼团中", SUCCEEDED: "拼团成功", FAILED: "拼团失败·已退款" };
/** The consumer's order while its group has not succeeded yet: paid, held back from shipping. */
export const GROUP_HOLD_TEXT = "拼团中，待成团";
export const GROUP_REFUND_REASON = "拼团未成团，自动退款";
