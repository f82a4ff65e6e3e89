/**
 * After-sales (refund only): the pure rules. No database, no GraphQL — plain data in, plain data out.
 * Money is integer fen. The service loads rows, calls these, and writes inside one transaction.
 */
import { bpFloor } from "../platform/money";
import { MARKETING_SUBSIDY_ACCOUNT, type Posting } from "./order.rules";

export const AfterSaleErrorCode = {
  ORDER_NOT_FOUND: "ORDER_NOT_FOUND",
  AFTER_SALE_NOT_FOUND: "AFTER_SALE_NOT_FOUND",
  /** The order is unpaid, cancelled, or settled (its return window has passed). */
  NOT_REFUNDABLE: "NOT_REFUNDABLE",
  INVALID_LINES: "INVALID_LINES",
  INVALID_AMOUNT: "INVALID_AMOUNT",
  AMOUNT_EXCEEDS_REFUNDABLE: "AMOUNT_EXCEEDS_REFUNDABLE",
  INVALID_REASON: "INVALID_REASON",
  TOO_MANY_PHOTOS: "TOO_MANY_PHOTOS",
  INVALID_PHOTO: "INVALID_PHOTO",
  INVALID_NOTE: "INVALID_NOTE",
  /** The after-sale is no longer in a state that allows this (e.g. cancelling an approved one). */
  INVALID_STATE: "INVALID_STATE",
} as const;
export type AfterSaleErrorCode = keyof typeof AfterSaleErrorCode;
export type RuleViolation = { code: AfterSaleErrorCode; message: string; field: string | null };

export const MAX_PHOTOS = 6;
export const MAX_REQUEST_LINES = 50;
export const REASON_LENGTH = { min: 2, max: 200 } as const;

/** Length in characters as people count them (a CJK character or an emoji is one). */
const charLength = (s: string) => [...s].length;

/**
 * An order can be asked back while it is paid and not yet settled. Once settled the return window
 * has passed; `overrideWindow` is for platform-arbitrated refunds (the simulator's scripted history),
 * never for the consumer's own request.
 */
export function afterSaleAllowed(order: { status: string; settledAt: Date | null }, opts: { overrideWindow?: boolean } = {}): boolean {
  if (!["PAID", "SHIPPED", "COMPLETED"].includes(order.status)) return false;
  return opts.overrideWindow === true || order.settledAt === null;
}

/**
 * An order nobody paid cash for (积分兑换 / 全额抵扣) has no money to give back: before shipping
 * the buyer cancels it instead (points, coupons and stock come back); after shipping it is final.
 */
export function zeroCashRefusal(order: { totalAmount: number }, anyShipped: boolean): RuleViolation | null {
  if (order.totalAmount !== 0) return null;
  return anyShipped
    ? { code: "NOT_REFUNDABLE", message: "积分兑换/全额抵扣订单发货后不支持退款", field: "orderId" }
    : { code: "NOT_REFUNDABLE", message: "积分兑换/全额抵扣订单无需退款，发货前可直接取消订单", field: "orderId" };
}

/** One order line as the request check needs it; `openRequested` = Σ of REQUESTED/APPROVED after-sales. */
export type RefundableLine = { id: string; paidAmount: number; refundedAmount: number; openRequested: number };
export type AfterSaleRequest = { lines: { orderLineId: string; amount: number }[]; reason: string; photoKeys: string[] };

/** What can still be asked back on a line: paid − refunded − already asked and open. */
export const refundableOf = (l: RefundableLine) => Math.max(0, l.paidAmount - l.refundedAmount - l.openRequested);

/** Checks a request against the order's lines; the first violation, or null. */
export function afterSaleRequestViolation(req: AfterSaleRequest, lines: RefundableLine[]): RuleViolation | null {
  const reason = req.reason.trim();
  if (charLength(reason) < REASON_LENGTH.min || charLength(reason) > REASON_LENGTH.max) {
    return { code: "INVALID_REASON", message: `退款原因需为 ${REASON_LENGTH.min}–${REASON_LENGTH.max} 个字`, field: "reason" };
  }
  if (req.photoKeys.length > MAX_PHOTOS) return { code: "TOO_MANY_PHOTOS", message: `最多上传 ${MAX_PHOTOS} 张照片`, field: "photoKeys" };
  if (new Set(req.photoKeys).size !== req.photoKeys.length) return { code: "INVALID_PHOTO", message: "照片重复", field: "photoKeys" };
  if (req.lines.length < 1 || req.lines.length > Math.min(MAX_REQUEST_LINES, lines.length)) {
    return { code: "INVALID_LINES", message: "请选择要退款的商品", field: "lines" };
  }
  const byId = new Map(lines.map((l) => [l.id, l]));
  const seen = new Set<string>();
  for (const [i, asked] of req.lines.entries()) {
    const line = byId.get(asked.orderLineId);
    if (!line || seen.has(asked.orderLineId)) return { code: "INVALID_LINES", message: "商品不属于该订单或重复", field: `lines.${i}.orderLineId` };
    seen.add(asked.orderLineId);
    if (!Number.isSafeInteger(asked.amount) || asked.amount < 1) {
      return { code: "INVALID_AMOUNT", message: "退款金额需为正数", field: `lines.${i}.amount` };
    }
    const max = refundableOf(line);
    if (asked.amount > max) {
      return { code: "AMOUNT_EXCEEDS_REFUNDABLE", message: `该商品最多可退 ${max} 分`, field: `lines.${i}.amount` };
    }
  }
  return null;
}

/**
 * Freight goes back only when this refund completes a refund of every line in full and nothing has
 * been shipped yet: the order is then called off, so nobody carries a parcel. Partial refunds, and
 * refunds after any parcel left, keep the freight (it was spent).
 * `committed` per line = refunded + other approved refunds still in flight.
 */
export function refundsFreight(lines: { paidAmount: number; committed: number; thisRefund: number }[], anyShipped: boolean): boolean {
  return !anyShipped && givesEveryLineBack(lines.map((l) => ({ paidAmount: l.paidAmount, refundedAfter: l.committed + l.thisRefund })));
}

/**
 * Whether cash refunds have given the whole order back: every line was paid in cash and is refunded
 * in full. A line nobody paid cash for (a platform coupon or points covered it) is never given back
 * by a cash refund — the buyer still has it — so only an explicit cancellation of the whole order
 * can return its coupon or call it off.
 */
export function givesEveryLineBack(lines: { paidAmount: number; refundedAfter: number }[]): boolean {
  return lines.length > 0 && lines.every((l) => l.paidAmount > 0 && l.refundedAfter >= l.paidAmount);
}

/** What is kept of `x` (charged on `base`) once only `remainingBase` is left: floored, so steps add up exactly. */
export function keptProRata(x: number, base: number, remainingBase: number): number {
  return remainingBase <= 0 || base <= 0 ? 0 : Math.floor((x * remainingBase) / base);
}

/** One order line in a refund's ledger split. */
export type RefundSplitLine = { paidAmount: number; platformDiscountAmount?: number; refundedBefore: number; refundNow: number };

/**
 * What a line still keeps of `x` (fee or platform subsidy charged at payment) once `remaining` of
 * its paid amount is left. A line nobody paid cash for (fully covered by platform coupon/points)
 * keeps it until the order is called off.
 */
function keptOnLine(x: number, paid: number, remaining: number, calledOff: boolean): number {
  if (calledOff) return 0;
  return paid <= 0 ? x : keptProRata(x, paid, remaining);
}

/**
 * The ledger entries of one refund (debit positive, credit negative, sums to zero):
 * - the money leaves the provider clearing account (goods + freight if refunded);
 * - the platform fee on the refunded goods is given back pro rata, floored like rewards, so several
 *   partial refunds add up to exactly the fee that was charged;
 * - the platform's marketing subsidy (platform coupon, points) on the refunded goods comes back from
 *   the merchant pro rata in the same way: the merchant was paid as if it were cash;
 * - when the order is called off before shipping, the suppliers' payables (cost + freight) go too,
 *   and every line's fee and subsidy go back in full;
 * - the merchant payable carries the rest. Commissions are reversed by their own reward_reversal
 *   transactions, which credit the merchant back.
 */
export function refundPostings(input: {
  provider: string;
  storeId: string;
  feeBp: number;
  lines: RefundSplitLine[];
  freight: number;
  supplierReversals: { supplierId: string; amount: number }[];
  /** This refund calls the whole order off (nothing shipped, everything refunded). */
  calledOff?: boolean;
}): Posting[] {
  let goods = 0;
  let fee = 0;
  let subsidy = 0;
  const calledOff = input.calledOff ?? false;
  for (const l of input.lines) {
    const lineSubsidy = l.platformDiscountAmount ?? 0;
    const lineFee = bpFloor(l.paidAmount + lineSubsidy, input.feeBp);
    const remainingBefore = l.paidAmount - l.refundedBefore;
    const remainingAfter = remainingBefore - l.refundNow;
    goods += l.refundNow;
    fee += keptOnLine(lineFee, l.paidAmount, remainingBefore, false) - keptOnLine(lineFee, l.paidAmount, remainingAfter, calledOff);
    subsidy += keptOnLine(lineSubsidy, l.paidAmount, remainingBefore, false) - keptOnLine(lineSubsidy, l.paidAmount, remainingAfter, calledOff);
  }
  const total = goods + input.freight;
  const supply = input.supplierReversals.reduce((s, x) => s + x.amount, 0);
  const postings: Posting[] = [
    { account: `provider:${input.provider}:clearing`, amount: -total },
    { account: MARKETING_SUBSIDY_ACCOUNT, amount: -subsidy },
    ...input.supplierReversals.map((s) => ({ account: `supplier:${s.supplierId}:payable`, amount: s.amount })),
    { account: "platform:fee", amount: fee },
    { account: `merchant:${input.storeId}:payable`, amount: total + subsidy - fee - supply },
  ];
  return postings.filter((p) => p.amount !== 0);
}

/** Deterministic refund number: re-running a refund finds the same row (and the provider the same number). */
export const refundNoFor = (afterSaleId: string) => `RF${afterSaleId.replace(/-/g, "").toUpperCase()}`;

export const AFTER_SALE_STATUS_TEXT: Record<string, string> = {
  REQUESTED: "待商家处理",
  APPROVED: "退款中",
  REJECTED: "商家已拒绝",
  REFUNDED: "已退款",
  CANCELLED: "已撤销",
};
