/**
 * Risk control (rule book §6) as pure rules. The services gather the facts; these decide.
 */

/** Operator-tunable thresholds (platform setting `risk`), with these defaults. */
export type RiskPolicy = {
  /** A sharer whose downline refunded more than this share of its paid orders over 30 days is FROZEN. */
  refundRateFreezeBp: number;
  /** …but only once the downline has at least this many paid orders in the window (small samples lie). */
  refundRateMinOrders: number;
  refundRateWindowDays: number;
  /** This many registrations through one invite code from one device or one IP… */
  bulkRegistrationLimit: number;
  /** …within this many minutes disable the code. */
  bulkRegistrationWindowMinutes: number;
};

export const DEFAULT_RISK_POLICY: RiskPolicy = {
  refundRateFreezeBp: 5000,
  refundRateMinOrders: 5,
  refundRateWindowDays: 30,
  bulkRegistrationLimit: 5,
  bulkRegistrationWindowMinutes: 10,
};

/**
 * The downline refund rate, by order count: an order counts as refunded when any of it was refunded
 * (a pay-then-refund pattern shows up as partial refunds too). Null when the sample is too small.
 */
export function refundRateBp(paidOrders: number, refundedOrders: number, policy: RiskPolicy): number | null {
  if (paidOrders < policy.refundRateMinOrders || paidOrders <= 0) return null;
  return Math.floor((refundedOrders * 10000) / paidOrders);
}

export function shouldFreezeForRefunds(paidOrders: number, refundedOrders: number, policy: RiskPolicy): boolean {
  const rate = refundRateBp(paidOrders, refundedOrders, policy);
  return rate !== null && rate > policy.refundRateFreezeBp;
}

/**
 * `earlier` registrations through the same invite code from the same device or IP are already in
 * the window: this one would be number earlier + 1. Reaching the limit disables the code, and this
 * registration is no longer bound.
 */
export function isBulkRegistration(earlierSameSource: number, policy: RiskPolicy): boolean {
  return earlierSameSource + 1 >= policy.bulkRegistrationLimit;
}

/**
 * The address as a person would write it, normalised for comparison: no whitespace or punctuation,
 * full-width digits and letters folded, case folded. Two accounts shipping to "北京市 朝阳区 建国路8号"
 * and "北京市朝阳区建国路８号" are the same place.
 */
export function normalizePlace(parts: { province: string; city: string; district: string; detail: string }): string {
  const joined = `${parts.province}${parts.city}${parts.district}${parts.detail}`;
  return joined
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, "");
}

/** Re-bind reasons are kept for audit: they must say something. */
export function validRebindReason(reason: string): boolean {
  const r = reason.trim();
  return r.length >= 4 && r.length <= 200;
}
