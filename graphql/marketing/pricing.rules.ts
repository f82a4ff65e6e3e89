/**
 * Consumer pricing: every price a consumer sees or pays comes from `priceOrder`. Plain data in, plain
 * data out; no database, no clock. The precedence rules (which special price, which coupons, in which
 * order, points, freight) and the rounding are written down in ./PRICING.md; the tables and properties
 * that hold them are in ./pricing.rules.test.ts.
 *
 * Errors: a choice the consumer made that cannot be honoured (unknown coupon, two coupons of one
 * issuer, a coupon that does not apply, a bad points request) is an expected error and comes back as
 * `{ ok: false, error }`. Malformed data from the service (negative or fractional money, quantity < 1,
 * duplicate keys or ids, an out-of-range rate) is a bug and is thrown as `PricingInputError`.
 */
import { bpFloor } from "../platform/money";

/** How the order was placed; decides which special price a line may use. */
export type PriceChannel = "NORMAL" | "LIVE" | "FLASH" | "GROUP";
/** Which unit price a line was charged at. */
export type PriceKind = "LIST" | "LIVE" | "FLASH" | "GROUP";

export type PricingLineInput = {
  /** Unique per order (e.g. the SKU id); echoed on the priced line. */
  key: string;
  /** What a coupon's product scope matches against. */
  productId: string;
  /** Lines with the same key ship together and are judged together for free shipping (default ""). */
  shipmentKey?: string;
  listUnitPrice: number;
  quantity: number;
  /** Pass a special price only while it is valid; the service checks time windows and limits. */
  livePrice?: number | null;
  flashPrice?: number | null;
  groupPrice?: number | null;
};

export type CouponIssuer = "STORE" | "PLATFORM";
export type CouponScope = { kind: "ALL" } | { kind: "PRODUCTS"; productIds: readonly string[] };
/** A coupon the consumer holds and may use now (validity and usage limits already checked). */
export type CandidateCoupon = { id: string; issuer: CouponIssuer; scope: CouponScope } & (
  | { kind: "THRESHOLD"; thresholdFen: number; amountFen: number }
  | { kind: "PERCENT"; percentBp: number; capFen: number | null; thresholdFen?: number | null }
  | { kind: "NO_THRESHOLD"; amountFen: number }
);

export type PointsInput = {
  /** The consumer's spendable balance. */
  available: number;
  /** `points` points deduct `fen` fen; points are spent in whole multiples of this step. */
  rate: { points: number; fen: number };
  /** At most this share of the goods left after coupons may be paid with points. */
  maxDeductBp: number;
  /** null/undefined → use as many as allowed (preselected); 0 → none; more than allowed is clamped. */
  requested?: number | null;
};

/** Per shipment: `flatFen`, or nothing once the shipment's goods reach `freeFromFen` (null: never free). */
export type FreightPolicy = { flatFen: number; freeFromFen: number | null };

export type PricingInput = {
  channel: PriceChannel;
  lines: readonly PricingLineInput[];
  coupons?: readonly CandidateCoupon[];
  /** null/undefined → the best combination is preselected; [] → no coupons. */
  selectedCouponIds?: readonly string[] | null;
  points?: PointsInput | null;
  freight: FreightPolicy;
};

export type PricedLine = {
  key: string;
  productId: string;
  shipmentKey: string;
  quantity: number;
  priceKind: PriceKind;
  listUnitPrice: number;
  unitPrice: number;
  /** List price × quantity: what the UI strikes through. */
  originalAmount: number;
  /** Charged unit price × quantity, before coupons and points. */
  amount: number;
  /** False for lines at a flash-sale or group-buy price. */
  couponEligible: boolean;
  storeCouponDiscount: number;
  platformCouponDiscount: number;
  couponDiscount: number;
  pointsDiscount: number;
  /** amount − couponDiscount − pointsDiscount: what was actually paid; the 链动2+1 reward base. */
  paid: number;
};

export type ShipmentPrice = { shipmentKey: string; goods: number; freight: number };

export type PricingTotals = {
  original: number;
  goods: number;
  storeCouponDiscount: number;
  platformCouponDiscount: number;
  couponDiscount: number;
  pointsDiscount: number;
  pointsUsed: number;
  freight: number;
  total: number;
};

/** BELOW_FLOOR is decided by the checkout service (a store coupon may not push a line below the listing floor), never by priceOrder. */
export type CouponRejectReason = "NOT_APPLICABLE" | "NOT_ELIGIBLE_CHANNEL" | "BELOW_THRESHOLD" | "NO_DISCOUNT" | "ONE_PER_ISSUER" | "BELOW_FLOOR";

export const COUPON_REJECT_TEXT: Record<CouponRejectReason, string> = {
  NOT_APPLICABLE: "订单中没有适用该券的商品",
  NOT_ELIGIBLE_CHANNEL: "秒杀、拼团价商品不可用券",
  BELOW_THRESHOLD: "未满足使用门槛",
  NO_DISCOUNT: "该券对本单无优惠",
  ONE_PER_ISSUER: "每笔订单店铺券、平台券各限用一张",
  BELOW_FLOOR: "会使商品低于最低售价，本单不可用",
};

export type AppliedCoupon = { id: string; issuer: CouponIssuer; discount: number };
export type RejectedCoupon = { id: string; issuer: CouponIssuer; reason: CouponRejectReason };

export type OrderPrice = {
  channel: PriceChannel;
  lines: PricedLine[];
  shipments: ShipmentPrice[];
  totals: PricingTotals;
  /** STORE first, then PLATFORM. */
  appliedCoupons: AppliedCoupon[];
  /** Candidates that would not apply if swapped into this selection, with the reason. */
  rejectedCoupons: RejectedCoupon[];
  /** The most points this order could use with this coupon selection. */
  pointsMaxUsable: number;
};

export const PricingErrorCode = {
  COUPON_NOT_FOUND: "COUPON_NOT_FOUND",
  COUPON_CONFLICT: "COUPON_CONFLICT",
  COUPON_NOT_APPLICABLE: "COUPON_NOT_APPLICABLE",
  INVALID_POINTS: "INVALID_POINTS",
} as const;
export type PricingErrorCode = keyof typeof PricingErrorCode;

export type PricingError = { code: PricingErrorCode; message: string; field: string; couponId?: string; reason?: CouponRejectReason };
export type PricingResult = { ok: true; price: OrderPrice } | { ok: false; error: PricingError };

/** Malformed input from the service: a bug, never the consumer's doing. */
export class PricingInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = "PricingInputError";
  }
}

/** Prices an order: special prices, coupons (explicit or the best preselected), points, freight. */
export function priceOrder(input: PricingInput): PricingResult {
  assertValidInput(input);
  const lines = input.lines.map((l) => priceLine(l, input.channel));
  const coupons = input.coupons ?? [];
  const picked = input.selectedCouponIds == null ? { ok: true as const, coupons: bestOf(lines, coupons) } : pickSelected(input.selectedCouponIds, coupons);
  if (!picked.ok) return picked;
  const applied = applyCoupons(lines, picked.coupons);
  if (!applied.ok) return { ok: false, error: notApplicable(applied.coupon, applied.reason, coupons) };
  const requested = input.points?.requested;
  if (requested != null && !(Number.isSafeInteger(requested) && requested >= 0)) {
    return { ok: false, error: { code: "INVALID_POINTS", message: "积分数量无效", field: "points.requested" } };
  }
  const afterCoupons = lines.map((l, i) => l.amount - applied.store[i] - applied.platform[i]);
  const points = pointsDeduction(input.points ?? null, sum(afterCoupons));
  const pointsAlloc = allocateLargestRemainder(points.discount, afterCoupons);
  const priced = lines.map((l, i) => finishLine(l, applied.store[i], applied.platform[i], pointsAlloc[i]));
  const shipments = shipmentsOf(priced, input.freight);
  return {
    ok: true,
    price: {
      channel: input.channel,
      lines: priced,
      shipments,
      totals: totalsOf(priced, shipments, points.used),
      appliedCoupons: applied.applied,
      rejectedCoupons: rejectedCoupons(lines, coupons, picked.coupons),
      pointsMaxUsable: points.maxUsable,
    },
  };
}

/**
 * The coupon ids `priceOrder` preselects: the combination (at most one STORE, one PLATFORM) with the
 * largest coupon discount; ties go to fewer coupons, then to the earlier candidates. STORE id first.
 */
export function bestCouponSelection(input: PricingInput): string[] {
  assertValidInput(input);
  const lines = input.lines.map((l) => priceLine(l, input.channel));
  return bestOf(lines, input.coupons ?? []).map((c) => c.id);
}

/**
 * Splits `total` over `weights` in proportion: floors first, then one fen each to the largest
 * remainders, ties to the earlier index. The parts sum to `total` exactly and none exceeds its weight.
 */
export function allocateLargestRemainder(total: number, weights: readonly number[]): number[] {
  const whole = sum(weights);
  if (total < 0 || total > whole) throw new PricingInputError("allocation", `cannot spread ${total} over ${whole}`);
  if (total === 0) return weights.map(() => 0);
  // BigInt: amount × weight can pass 2^53, and float remainders of equal fractions can differ.
  const w = BigInt(whole);
  const shares = weights.map((x) => BigInt(x) * BigInt(total));
  const out = shares.map((x) => Number(x / w));
  let rest = total - sum(out);
  const order = shares.map((x, i) => ({ i, rem: x % w })).sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
  for (const { i } of order) {
    if (rest === 0) break;
    out[i]++;
    rest--;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Special prices

type DraftLine = Omit<PricedLine, "storeCouponDiscount" | "platformCouponDiscount" | "couponDiscount" | "pointsDiscount" | "paid">;

const SPECIAL_BY_CHANNEL = { NORMAL: null, LIVE: "livePrice", FLASH: "flashPrice", GROUP: "groupPrice" } as const;

/** One special price per line, chosen by the channel alone, and only when strictly below list. */
function priceLine(l: PricingLineInput, channel: PriceChannel): DraftLine {
  const field = SPECIAL_BY_CHANNEL[channel];
  const special = field ? l[field] : null;
  const useSpecial = special != null && special < l.listUnitPrice;
  const priceKind: PriceKind = useSpecial ? (channel as Exclude<PriceChannel, "NORMAL">) : "LIST";
  const unitPrice = useSpecial ? special : l.listUnitPrice;
  return {
    key: l.key,
    productId: l.productId,
    shipmentKey: l.shipmentKey ?? "",
    quantity: l.quantity,
    priceKind,
    listUnitPrice: l.listUnitPrice,
    unitPrice,
    originalAmount: l.listUnitPrice * l.quantity,
    amount: unitPrice * l.quantity,
    couponEligible: priceKind !== "FLASH" && priceKind !== "GROUP",
  };
}

// ---------------------------------------------------------------------------------------------
// Coupons

type CouponOutcome = { ok: true; discount: number; allocation: number[] } | { ok: false; reason: CouponRejectReason };

/** One coupon against what remains of each line: scope, eligibility, threshold, amount, allocation. */
function evaluateCoupon(c: CandidateCoupon, lines: readonly DraftLine[], remaining: readonly number[]): CouponOutcome {
  const inScope = lines.map((l) => c.scope.kind === "ALL" || c.scope.productIds.includes(l.productId));
  if (!inScope.some(Boolean)) return { ok: false, reason: "NOT_APPLICABLE" };
  const weights = lines.map((l, i) => (inScope[i] && l.couponEligible ? remaining[i] : 0));
  if (!lines.some((l, i) => inScope[i] && l.couponEligible)) return { ok: false, reason: "NOT_ELIGIBLE_CHANNEL" };
  const base = sum(weights);
  if (base < thresholdOf(c)) return { ok: false, reason: "BELOW_THRESHOLD" };
  const discount = Math.min(faceDiscount(c, base), base);
  if (discount <= 0) return { ok: false, reason: "NO_DISCOUNT" };
  return { ok: true, discount, allocation: allocateLargestRemainder(discount, weights) };
}

function thresholdOf(c: CandidateCoupon): number {
  if (c.kind === "THRESHOLD") return c.thresholdFen;
  if (c.kind === "PERCENT") return c.thresholdFen ?? 0;
  return 0;
}

/** The discount before the eligible-amount cap; percentages floor to the fen. */
function faceDiscount(c: CandidateCoupon, base: number): number {
  if (c.kind !== "PERCENT") return c.amountFen;
  const off = bpFloor(base, c.percentBp);
  return c.capFen == null ? off : Math.min(off, c.capFen);
}

type Applied =
  | { ok: true; store: number[]; platform: number[]; applied: AppliedCoupon[] }
  | { ok: false; coupon: CandidateCoupon; reason: CouponRejectReason };

/** STORE coupon first on the eligible amounts, PLATFORM coupon second on what remains of them. */
function applyCoupons(lines: readonly DraftLine[], selected: readonly CandidateCoupon[]): Applied {
  const zero = lines.map(() => 0);
  const result = { ok: true as const, store: zero, platform: zero, applied: [] as AppliedCoupon[] };
  let remaining = lines.map((l) => l.amount);
  for (const c of sortByIssuer(selected)) {
    const outcome = evaluateCoupon(c, lines, remaining);
    if (!outcome.ok) return { ok: false, coupon: c, reason: outcome.reason };
    result[c.issuer === "STORE" ? "store" : "platform"] = outcome.allocation;
    result.applied.push({ id: c.id, issuer: c.issuer, discount: outcome.discount });
    remaining = remaining.map((r, i) => r - outcome.allocation[i]);
  }
  return result;
}

function sortByIssuer(coupons: readonly CandidateCoupon[]): CandidateCoupon[] {
  return [...coupons].sort((a, b) => (a.issuer === b.issuer ? 0 : a.issuer === "STORE" ? -1 : 1));
}

/** Brute force over (none | each STORE) × (none | each PLATFORM): candidate sets are small. */
function bestOf(lines: readonly DraftLine[], coupons: readonly CandidateCoupon[]): CandidateCoupon[] {
  const stores: (CandidateCoupon | null)[] = [null, ...coupons.filter((c) => c.issuer === "STORE")];
  const platforms: (CandidateCoupon | null)[] = [null, ...coupons.filter((c) => c.issuer === "PLATFORM")];
  let best: { coupons: CandidateCoupon[]; discount: number } = { coupons: [], discount: 0 };
  for (const s of stores) {
    for (const p of platforms) {
      const combo = [s, p].filter((c): c is CandidateCoupon => c !== null);
      const applied = applyCoupons(lines, combo);
      if (!applied.ok) continue;
      const discount = sum(applied.applied.map((a) => a.discount));
      if (discount > best.discount || (discount === best.discount && combo.length < best.coupons.length)) best = { coupons: combo, discount };
    }
  }
  return best.coupons;
}

type Picked = { ok: true; coupons: CandidateCoupon[] } | { ok: false; error: PricingError };

function pickSelected(ids: readonly string[], coupons: readonly CandidateCoupon[]): Picked {
  const picked: CandidateCoupon[] = [];
  for (const [i, id] of ids.entries()) {
    const field = `selectedCouponIds.${i}`;
    const c = coupons.find((x) => x.id === id);
    if (!c) return { ok: false, error: { code: "COUPON_NOT_FOUND", message: "优惠券不存在或不可用", field, couponId: id } };
    if (picked.some((x) => x.issuer === c.issuer)) {
      return {
        ok: false,
        error: { code: "COUPON_CONFLICT", message: COUPON_REJECT_TEXT.ONE_PER_ISSUER, field, couponId: id, reason: "ONE_PER_ISSUER" },
      };
    }
    picked.push(c);
  }
  return { ok: true, coupons: picked };
}

function notApplicable(c: CandidateCoupon, reason: CouponRejectReason, coupons: readonly CandidateCoupon[]): PricingError {
  const message = COUPON_REJECT_TEXT[reason];
  return { code: "COUPON_NOT_APPLICABLE", message, field: `coupons.${coupons.indexOf(c)}`, couponId: c.id, reason };
}

/**
 * Each unselected candidate as if swapped in for its issuer's coupon: a STORE coupon on the full
 * amounts, a PLATFORM coupon after the selected STORE coupon. Selected coupons applied, so never listed.
 */
function rejectedCoupons(lines: readonly DraftLine[], coupons: readonly CandidateCoupon[], selected: readonly CandidateCoupon[]): RejectedCoupon[] {
  const store = selected.find((c) => c.issuer === "STORE");
  const afterStore = store ? evaluateCoupon(store, lines, lines.map((l) => l.amount)) : null;
  const remainingForPlatform = lines.map((l, i) => l.amount - (afterStore?.ok ? afterStore.allocation[i] : 0));
  const out: RejectedCoupon[] = [];
  for (const c of coupons) {
    if (selected.includes(c)) continue;
    const remaining = c.issuer === "STORE" ? lines.map((l) => l.amount) : remainingForPlatform;
    const outcome = evaluateCoupon(c, lines, remaining);
    if (!outcome.ok) out.push({ id: c.id, issuer: c.issuer, reason: outcome.reason });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Points, freight, totals

/** Whole steps of the rate, capped by the share of goods after coupons, the balance and the request. */
function pointsDeduction(points: PointsInput | null, goodsAfterCoupons: number): { maxUsable: number; used: number; discount: number } {
  if (!points) return { maxUsable: 0, used: 0, discount: 0 };
  const capFen = bpFloor(goodsAfterCoupons, points.maxDeductBp);
  const maxSteps = Math.min(Math.floor(capFen / points.rate.fen), Math.floor(points.available / points.rate.points));
  const steps = points.requested == null ? maxSteps : Math.min(maxSteps, Math.floor(points.requested / points.rate.points));
  return { maxUsable: maxSteps * points.rate.points, used: steps * points.rate.points, discount: steps * points.rate.fen };
}

function finishLine(l: DraftLine, store: number, platform: number, points: number): PricedLine {
  const couponDiscount = store + platform;
  return {
    ...l,
    storeCouponDiscount: store,
    platformCouponDiscount: platform,
    couponDiscount,
    pointsDiscount: points,
    paid: l.amount - couponDiscount - points,
  };
}

/** Shipments in first-seen order; free shipping is judged on goods at the charged unit prices. */
function shipmentsOf(lines: readonly PricedLine[], policy: FreightPolicy): ShipmentPrice[] {
  const goods = new Map<string, number>();
  for (const l of lines) goods.set(l.shipmentKey, (goods.get(l.shipmentKey) ?? 0) + l.amount);
  return [...goods].map(([shipmentKey, g]) => ({
    shipmentKey,
    goods: g,
    freight: policy.freeFromFen != null && g >= policy.freeFromFen ? 0 : policy.flatFen,
  }));
}

function totalsOf(lines: readonly PricedLine[], shipments: readonly ShipmentPrice[], pointsUsed: number): PricingTotals {
  const total = (f: (l: PricedLine) => number) => sum(lines.map(f));
  const freight = sum(shipments.map((s) => s.freight));
  return {
    original: total((l) => l.originalAmount),
    goods: total((l) => l.amount),
    storeCouponDiscount: total((l) => l.storeCouponDiscount),
    platformCouponDiscount: total((l) => l.platformCouponDiscount),
    couponDiscount: total((l) => l.couponDiscount),
    pointsDiscount: total((l) => l.pointsDiscount),
    pointsUsed,
    freight,
    total: total((l) => l.paid) + freight,
  };
}

// ---------------------------------------------------------------------------------------------
// Input checks (bugs, thrown)

function assertValidInput(input: PricingInput): void {
  const keys = new Set<string>();
  for (const [i, l] of input.lines.entries()) {
    const at = `lines.${i}`;
    if (keys.has(l.key)) throw new PricingInputError(`${at}.key`, "duplicate line key");
    keys.add(l.key);
    assertFen(l.listUnitPrice, `${at}.listUnitPrice`);
    for (const f of ["livePrice", "flashPrice", "groupPrice"] as const) if (l[f] != null) assertFen(l[f], `${at}.${f}`);
    if (!Number.isSafeInteger(l.quantity) || l.quantity < 1) throw new PricingInputError(`${at}.quantity`, "must be a whole number ≥ 1");
  }
  const ids = new Set<string>();
  for (const [i, c] of (input.coupons ?? []).entries()) {
    if (ids.has(c.id)) throw new PricingInputError(`coupons.${i}.id`, "duplicate coupon id");
    ids.add(c.id);
    assertCoupon(c, `coupons.${i}`);
  }
  if (input.points) assertPoints(input.points);
  assertFen(input.freight.flatFen, "freight.flatFen");
  if (input.freight.freeFromFen != null) assertFen(input.freight.freeFromFen, "freight.freeFromFen");
}

function assertCoupon(c: CandidateCoupon, at: string): void {
  if (c.kind === "PERCENT") {
    assertBp(c.percentBp, `${at}.percentBp`);
    if (c.capFen != null) assertFen(c.capFen, `${at}.capFen`);
    if (c.thresholdFen != null) assertFen(c.thresholdFen, `${at}.thresholdFen`);
  } else {
    assertFen(c.amountFen, `${at}.amountFen`);
    if (c.kind === "THRESHOLD") assertFen(c.thresholdFen, `${at}.thresholdFen`);
  }
}

function assertPoints(p: PointsInput): void {
  assertFen(p.available, "points.available");
  assertBp(p.maxDeductBp, "points.maxDeductBp");
  if (!Number.isSafeInteger(p.rate.points) || p.rate.points < 1) throw new PricingInputError("points.rate.points", "must be a whole number ≥ 1");
  if (!Number.isSafeInteger(p.rate.fen) || p.rate.fen < 1) throw new PricingInputError("points.rate.fen", "must be a whole number ≥ 1");
}

function assertFen(x: number, field: string): void {
  if (!Number.isSafeInteger(x) || x < 0) throw new PricingInputError(field, "must be a whole number of fen ≥ 0");
}

function assertBp(x: number, field: string): void {
  if (!Number.isSafeInteger(x) || x < 0 || x > 10_000) throw new PricingInputError(field, "must be whole basis points in 0..10000");
}

function sum(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0);
}
