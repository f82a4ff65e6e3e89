/**
 * 链动2+1, compliant edition (../shared/docs/liandong-2plus1.md): the pure rules. No database, no
 * GraphQL. Rates are basis points, money is integer fen, every amount is floored to the fen.
 */

export type ReferralRole = "REGISTERED" | "SHARER" | "LEADER";
export type RewardType = "DIRECT" | "TEAM" | "PEER";

export type RuleSet = {
  version: number;
  /** Qualified direct referrals needed to become a LEADER. */
  k: number;
  rDirectBp: number;
  rTeamBp: number;
  /** Share of the TEAM reward actually granted. */
  rPeerBp: number;
  maxDepth: number;
  capTotalBp: number;
  settleDays: number;
};

/** Hard ceilings: no configuration may exceed them (rule book §3–4). */
export const CEILINGS = { maxDepth: 3, capTotalBp: 3000, minSettleDays: 7 } as const;

export const DEFAULT_RULES: RuleSet = {
  version: 1,
  k: 2,
  rDirectBp: 1000,
  rTeamBp: 500,
  rPeerBp: 2000,
  maxDepth: 3,
  capTotalBp: 2000,
  settleDays: 7,
};

export const RuleSetErrorCode = {
  MAX_DEPTH_CEILING: "MAX_DEPTH_CEILING",
  CAP_CEILING: "CAP_CEILING",
  SETTLE_DAYS_FLOOR: "SETTLE_DAYS_FLOOR",
  INVALID_RATE: "INVALID_RATE",
  INVALID_K: "INVALID_K",
} as const;

/** Refuses a rule set beyond a ceiling (checked by the server, never only by a form). */
export function ruleSetViolation(r: Omit<RuleSet, "version">): { code: keyof typeof RuleSetErrorCode; field: string; message: string } | null {
  const isInt = (n: number) => Number.isInteger(n);
  if (!isInt(r.maxDepth) || r.maxDepth < 1 || r.maxDepth > CEILINGS.maxDepth) {
    return { code: "MAX_DEPTH_CEILING", field: "maxDepth", message: "层级深度只能是 1–3" };
  }
  if (!isInt(r.capTotalBp) || r.capTotalBp < 0 || r.capTotalBp > CEILINGS.capTotalBp) {
    return { code: "CAP_CEILING", field: "capTotalBp", message: "单笔奖励总额不得超过实付金额的 30%" };
  }
  if (!isInt(r.settleDays) || r.settleDays < CEILINGS.minSettleDays || r.settleDays > 90) {
    return { code: "SETTLE_DAYS_FLOOR", field: "settleDays", message: "结算期不得少于 7 天（七日无理由退货期）" };
  }
  for (const key of ["rDirectBp", "rTeamBp", "rPeerBp"] as const) {
    if (!isInt(r[key]) || r[key] < 0 || r[key] > 10_000) return { code: "INVALID_RATE", field: key, message: "比例需在 0–100% 之间" };
  }
  if (!isInt(r.k) || r.k < 1 || r.k > 100) return { code: "INVALID_K", field: "k", message: "晋升所需直推人数需在 1–100 之间" };
  return null;
}

/** Who stands where relative to the buyer X of an order line (depth = distance in the invite tree). */
export type RewardParties = {
  buyerId: string;
  /** R = inviter(X): always depth 1; rewarded only as SHARER or LEADER. */
  inviter: { id: string; role: ReferralRole } | null;
  /** T = leader(X) with its depth; depth 0 when the buyer is a LEADER (T = X). */
  leader: { id: string; depth: number } | null;
  /** O = detachedFrom(T) with its depth from X. */
  peer: { id: string; depth: number } | null;
  /** Buyer and inviter are a risk pair, or the order is flagged: nothing accrues. */
  blocked: boolean;
};

export type RewardGrant = { type: RewardType; receiverId: string; depth: number; amount: number };

const share = (amount: number, bp: number) => Math.floor((amount * bp) / 10_000);

/**
 * The rewards of one paid order line. Priority DIRECT, TEAM, PEER, each trimmed to what is left of
 * the cap (⌊capTotal × base⌋); a receiver deeper than maxDepth gets nothing; the buyer never
 * receives anything; zero amounts are not granted. PEER is one generation only and computed on the
 * TEAM reward actually granted.
 */
export function lineRewards(rules: RuleSet, parties: RewardParties, base: number): RewardGrant[] {
  if (parties.blocked || base <= 0) return [];
  let left = share(base, rules.capTotalBp);
  const grants: RewardGrant[] = [];
  const grant = (type: RewardType, receiverId: string, depth: number, wanted: number) => {
    if (receiverId === parties.buyerId || depth < 1 || depth > rules.maxDepth) return 0;
    const amount = Math.min(wanted, left);
    if (amount <= 0) return 0;
    left -= amount;
    grants.push({ type, receiverId, depth, amount });
    return amount;
  };
  const r = parties.inviter;
  if (r && (r.role === "SHARER" || r.role === "LEADER")) grant("DIRECT", r.id, 1, share(base, rules.rDirectBp));
  const t = parties.leader;
  const team = t ? grant("TEAM", t.id, t.depth, share(base, rules.rTeamBp)) : 0;
  const o = parties.peer;
  if (o && team > 0) grant("PEER", o.id, o.depth, share(team, rules.rPeerBp));
  return grants;
}

/** A reward's remaining amount after refunds: ⌊original × remaining base ÷ original base⌋. */
export function remainingAfterRefund(original: number, originalBase: number, remainingBase: number): number {
  if (remainingBase <= 0) return 0;
  return Math.floor((original * remainingBase) / originalBase);
}

/**
 * Team assignment at binding: leader(X) = P if P is a LEADER, else leader(P) (may be null: the
 * platform). The inviter P must exist, must not be X, and must not be X's descendant.
 */
export function leaderOnBind(inviter: { id: string; role: ReferralRole; leaderId: string | null }): string | null {
  return inviter.role === "LEADER" ? inviter.id : inviter.leaderId;
}

/** Promotion: a SHARER with at least K qualified direct referrals becomes a LEADER. */
export function shouldPromote(role: ReferralRole, qualifiedDirects: number, k: number): boolean {
  return role === "SHARER" && qualifiedDirects >= k;
}

/**
 * Splits a refund of `amount` over lines in proportion to their remaining amounts: largest
 * remainder, ties to the earlier line. Returns the per-line refund.
 */
export function spreadRefund(remaining: number[], amount: number): number[] {
  const sum = remaining.reduce((s, x) => s + x, 0);
  if (amount > sum) throw new Error("refund exceeds what remains");
  if (sum === 0) return remaining.map(() => 0);
  // Exact integer arithmetic (BigInt): float remainders of equal fractions can differ in the last bit.
  const total = BigInt(sum);
  const shares = remaining.map((r) => BigInt(r) * BigInt(amount));
  const out = shares.map((x) => Number(x / total));
  let rest = amount - out.reduce((s, x) => s + x, 0);
  const order = shares
    .map((x, i) => ({ i, rem: x % total }))
    .filter(({ i }) => out[i] < remaining[i])
    .sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
  for (const { i } of order) {
    if (rest <= 0) break;
    out[i]++;
    rest--;
  }
  return out;
}
