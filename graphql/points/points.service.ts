import { and, eq, inArray, sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { auditLog, orderLines, orders, pointsAccounts, pointsEntries, refunds, users } from "@/db/schema";
import { DomainError } from "../core/errors";
import { readSetting, writeSetting } from "../platform/settings";
import type { PointsInput } from "../marketing/pricing.rules";
import { blindIndex } from "../platform/crypto";
import {
  checkPointsSettings,
  earnFor,
  earnReversalFor,
  expiryOf,
  normalizeSettings,
  PointsErrorCode,
  PointsSettingsErrorCode,
  reversalWithinBalance,
  signAllowed,
  spendReturnFor,
  type PointsKind,
  type PointsSettings,
} from "./points.rules";

type Ctx = { db: Db; now: Date };
export type PointsEntryRow = typeof pointsEntries.$inferSelect;

const SETTINGS_KEY = "points";

/** The operator's points settings (defaults until first saved). */
export async function readPointsSettings(db: Db): Promise<PointsSettings> {
  return normalizeSettings(await readSetting<Partial<PointsSettings> | null>(db, SETTINGS_KEY, null));
}

/** The operator changes the points settings: validated, and audit-logged in the same transaction. */
export async function updatePointsSettings(ctx: Ctx, actorUserId: string, input: PointsSettings): Promise<PointsSettings> {
  const value = normalizeSettings(input);
  const problem = checkPointsSettings(value);
  if (problem) throw new DomainError(PointsSettingsErrorCode[problem.code], problem.message, problem.field);
  await ctx.db.transaction(async (tx) => {
    await writeSetting(tx, SETTINGS_KEY, value, ctx.now);
    await tx.insert(auditLog).values({ actorUserId, action: "points.settings", subjectType: "platform", subjectId: "points", detail: JSON.stringify(value), createdAt: ctx.now });
  });
  return value;
}

export type PostPoints = {
  userId: string;
  kind: PointsKind;
  /** Signed: credits positive, debits negative (see signAllowed). */
  amount: number;
  /** With `kind`, names the business event once: a second post of it is a no-op. */
  reference: string;
  orderId?: string | null;
  /** For credits: when these points expire. */
  expiresAt?: Date | null;
  memo: string;
  now: Date;
};

/** Creates the person's account row if needed and locks it for the rest of the transaction. */
export async function lockPointsAccount(tx: Db, userId: string, now: Date) {
  await tx.insert(pointsAccounts).values({ userId, createdAt: now }).onConflictDoNothing({ target: pointsAccounts.userId });
  const [account] = await tx.select().from(pointsAccounts).where(eq(pointsAccounts.userId, userId)).for("update");
  return account;
}

/**
 * The ONE write path of the points ledger, inside the caller's transaction: lock the account row
 * FOR UPDATE (so two debits of one balance queue instead of both passing the check), skip an event
 * already written (kind + reference; returns false), refuse a debit past the balance
 * (INSUFFICIENT_POINTS, nothing written), then append the entry and move the balance with it.
 */
export async function postPoints(tx: Db, p: PostPoints): Promise<boolean> {
  if (!signAllowed(p.kind, p.amount)) throw new Error(`points: ${p.kind} cannot carry ${p.amount}`);
  const account = await lockPointsAccount(tx, p.userId, p.now);
  const [seen] = await tx
    .select({ id: pointsEntries.id })
    .from(pointsEntries)
    .where(and(eq(pointsEntries.kind, p.kind), eq(pointsEntries.reference, p.reference)));
  if (seen) return false;
  if (account.balance + p.amount < 0) throw new DomainError(PointsErrorCode.INSUFFICIENT_POINTS, `积分不足（可用 ${account.balance}）`, "points");
  const [entry] = await tx
    .insert(pointsEntries)
    .values({
      userId: p.userId,
      kind: p.kind,
      amount: p.amount,
      reference: p.reference,
      orderId: p.orderId ?? null,
      expiresAt: p.expiresAt ?? null,
      memo: p.memo,
      createdAt: p.now,
    })
    .onConflictDoNothing({ target: [pointsEntries.kind, pointsEntries.reference] })
    .returning({ id: pointsEntries.id });
  if (!entry) return false;
  await tx
    .update(pointsAccounts)
    .set({ balance: sql`${pointsAccounts.balance} + ${p.amount}` })
    .where(eq(pointsAccounts.userId, p.userId));
  return true;
}

/** A person's balance (0 without an account). */
export async function pointsBalance(db: Db, userId: string): Promise<number> {
  const [row] = await db.select({ balance: pointsAccounts.balance }).from(pointsAccounts).where(eq(pointsAccounts.userId, userId));
  return row?.balance ?? 0;
}

export type PointsVerification = { accountsChecked: number; mismatched: { userId: string; balance: number; entries: number }[]; ok: boolean };

/**
 * Proves every balance is the sum of its entries (one query; for one person with `userId`). An
 * entry without an account row counts as a mismatch too.
 */
export async function verifyPoints(db: Db, userId?: string): Promise<PointsVerification> {
  const who = userId ? sql`where u.user_id = ${userId}` : sql``;
  const result = await db.execute(sql`
    select u.user_id, a.balance, coalesce(e.total, 0) as entries
    from (select user_id from points_accounts union select user_id from points_entries) u
    left join points_accounts a on a.user_id = u.user_id
    left join (select user_id, sum(amount) as total from points_entries group by user_id) e on e.user_id = u.user_id
    ${who}`);
  const list = rowsOf<{ user_id: string; balance: string | number | null; entries: string | number }>(result);
  const mismatched = list
    .map((r) => ({ userId: r.user_id, balance: r.balance === null ? Number.NaN : Number(r.balance), entries: Number(r.entries) }))
    .filter((r) => r.balance !== r.entries);
  return { accountsChecked: list.length, mismatched, ok: mismatched.length === 0 };
}

// ---------------------------------------------------------------------------------------------
// Orders: earning on settlement, reversal and returns on refunds and call-offs

/** Cash paid for goods and what of it is left after refunds. */
async function cashOf(tx: Db, orderId: string) {
  const [row] = await tx
    .select({ paid: sql<string>`coalesce(sum(${orderLines.paidAmount}), 0)`, refunded: sql<string>`coalesce(sum(${orderLines.refundedAmount}), 0)` })
    .from(orderLines)
    .where(eq(orderLines.orderId, orderId));
  return { paid: Number(row.paid), left: Number(row.paid) - Number(row.refunded) };
}

const sumOf = async (tx: Db, orderId: string, kinds: PointsKind[]) => {
  const [row] = await tx
    .select({ total: sql<string>`coalesce(sum(${pointsEntries.amount}), 0)` })
    .from(pointsEntries)
    .where(and(eq(pointsEntries.orderId, orderId), inArray(pointsEntries.kind, kinds)));
  return Number(row.total);
};

/**
 * A settled order earns points on the cash it kept for goods (paid − refunded; freight and the
 * platform-funded part excluded), inside the settlement's transaction. Idempotent (reference = order).
 */
export async function earnOnSettlement(tx: Db, order: { id: string; userId: string; orderNo: string }, now: Date): Promise<number> {
  const settings = await readPointsSettings(tx);
  const amount = earnFor((await cashOf(tx, order.id)).left, settings);
  if (amount <= 0) return 0;
  const posted = await postPoints(tx, {
    userId: order.userId,
    kind: "EARN",
    amount,
    reference: order.id,
    orderId: order.id,
    expiresAt: expiryOf(now, settings),
    memo: `订单 ${order.orderNo} 完成`,
    now,
  });
  return posted ? amount : 0;
}

/**
 * Points follow a refund that was just applied (inside its transaction, under the order lock):
 * - points spent on the order come back pro rata to the cash refunded (all of them on a full
 *   refund), never more than were spent — SPEND_RETURN, reference = refund;
 * - after settlement, the points earned go back pro rata — EARN_REVERSAL, reference = refund.
 *   Decision: a balance never goes negative. If the person already spent the points, we take what
 *   is there and write the shortfall into the entry's memo (visible in their history and to the
 *   operator) instead of leaving a debt: a debt would block every later checkout deduction for an
 *   amount the person cannot see coming, and the refunded cash itself is correct either way.
 */
export async function pointsOnRefund(tx: Db, order: { id: string; userId: string; orderNo: string; settledAt: Date | null }, refund: { id: string; refundNo: string; goods: number }, now: Date) {
  const cash = await cashOf(tx, order.id);
  const spent = -(await sumOf(tx, order.id, ["SPEND"]));
  const back = spendReturnFor(spent, await sumOf(tx, order.id, ["SPEND_RETURN"]), cash.paid, cash.left);
  if (back > 0) {
    const settings = await readPointsSettings(tx);
    await postPoints(tx, { userId: order.userId, kind: "SPEND_RETURN", amount: back, reference: refund.id, orderId: order.id, expiresAt: expiryOf(now, settings), memo: `订单 ${order.orderNo} 退款 ${refund.refundNo}`, now });
  }
  if (!order.settledAt) return;
  const earned = await sumOf(tx, order.id, ["EARN"]);
  if (earned <= 0) return;
  const atSettlement = cash.left + refund.goods + (await refundedAfterSettlement(tx, order.id, order.settledAt, refund.id));
  const wanted = Math.min(earnReversalFor(earned, atSettlement, cash.left + refund.goods, cash.left), earned + (await sumOf(tx, order.id, ["EARN_REVERSAL"])));
  if (wanted <= 0) return;
  const account = await lockPointsAccount(tx, order.userId, now);
  const { taken, shortfall } = reversalWithinBalance(wanted, account.balance);
  if (taken <= 0) return;
  const memo = `订单 ${order.orderNo} 退款 ${refund.refundNo}` + (shortfall > 0 ? `，应扣 ${wanted}，积分已使用，实扣 ${taken}` : "");
  await postPoints(tx, { userId: order.userId, kind: "EARN_REVERSAL", amount: -taken, reference: refund.id, orderId: order.id, memo, now });
}

/** Goods refunded by other refunds applied after the order settled (to recover the cash it settled with). */
async function refundedAfterSettlement(tx: Db, orderId: string, settledAt: Date, exceptRefundId: string): Promise<number> {
  const [row] = await tx
    .select({ total: sql<string>`coalesce(sum(${refunds.amount}), 0)` })
    .from(refunds)
    .where(and(eq(refunds.orderId, orderId), eq(refunds.status, "SUCCEEDED"), sql`${refunds.completedAt} >= ${settledAt.toISOString()}::timestamptz`, sql`${refunds.id} <> ${exceptRefundId}`));
  return Number(row.total);
}

/**
 * An order called off (unpaid and cancelled or expired, refunded in full before shipping, or a
 * zero-cash order cancelled before shipping) gives back what is left of the points spent on it —
 * at checkout (SPEND) or for a points-mall product (REDEEM) — as SPEND_RETURN, reference = order.
 * Idempotent.
 */
export async function returnSpentPoints(tx: Db, orderId: string) {
  const spent = -(await sumOf(tx, orderId, ["SPEND", "REDEEM"]));
  if (spent <= 0) return;
  const back = spent - (await sumOf(tx, orderId, ["SPEND_RETURN"]));
  if (back <= 0) return;
  const [order] = await tx.select().from(orders).where(eq(orders.id, orderId));
  // Called after the order was marked called off: its cancellation time is the app-clock "now".
  const now = order.cancelledAt ?? order.paidAt ?? order.createdAt;
  const settings = await readPointsSettings(tx);
  await postPoints(tx, { userId: order.userId, kind: "SPEND_RETURN", amount: back, reference: orderId, orderId, expiresAt: expiryOf(now, settings), memo: `订单 ${order.orderNo} 取消`, now });
}

/**
 * What checkout may deduct for this person now: their balance and the operator's rate and cap, or
 * null when points are switched off. A malformed request is INVALID_POINTS on `pointsToUse`.
 */
export async function pointsInputFor(db: Db, userId: string, requested: number | null | undefined): Promise<PointsInput | null> {
  if (requested != null && !(Number.isSafeInteger(requested) && requested >= 0)) {
    throw new DomainError("INVALID_POINTS", "积分数量无效", "pointsToUse");
  }
  const settings = await readPointsSettings(db);
  if (!settings.enabled) return null;
  return { available: await pointsBalance(db, userId), rate: settings.spendRate, maxDeductBp: settings.maxDeductBp, requested: requested ?? null };
}

/** Spends points on an order being written (inside its transaction); INSUFFICIENT_POINTS rolls it back. */
export async function spendOnOrder(tx: Db, order: { id: string; userId: string; orderNo: string }, points: number, now: Date) {
  if (points <= 0) return;
  await postPoints(tx, { userId: order.userId, kind: "SPEND", amount: -points, reference: order.id, orderId: order.id, memo: `订单 ${order.orderNo} 抵扣`, now });
}

// ---------------------------------------------------------------------------------------------
// Operator adjustment

/**
 * The operator grants or takes points from a person found by phone, with a reason; audit-logged.
 * `requestId` (from the client) makes a retried request a no-op.
 */
export async function adjustPoints(ctx: Ctx, actorUserId: string, input: { phone: string; amount: number; reason: string; requestId: string }) {
  const reason = input.reason.trim();
  if (!Number.isSafeInteger(input.amount) || input.amount === 0 || Math.abs(input.amount) > 1_000_000) {
    throw new DomainError(PointsErrorCode.INVALID_AMOUNT, "调整数量需为 ±1–1000000 的整数", "amount");
  }
  if ([...reason].length < 2 || [...reason].length > 100) throw new DomainError(PointsErrorCode.INVALID_REASON, "请填写 2–100 字的调整原因", "reason");
  if (!/^[A-Za-z0-9_-]{8,64}$/.test(input.requestId)) throw new DomainError(PointsErrorCode.INVALID_AMOUNT, "请求编号无效", "requestId");
  const [user] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.phoneIndex, blindIndex("phone", input.phone.trim())));
  if (!user) throw new DomainError(PointsErrorCode.USER_NOT_FOUND, "没有这个手机号的用户", "phone");
  const settings = await readPointsSettings(ctx.db);
  return ctx.db.transaction(async (tx) => {
    const posted = await postPoints(tx, {
      userId: user.id,
      kind: "ADJUST",
      amount: input.amount,
      reference: `adjust:${actorUserId}:${input.requestId}`,
      expiresAt: input.amount > 0 ? expiryOf(ctx.now, settings) : null,
      memo: reason,
      now: ctx.now,
    });
    if (posted) {
      await tx.insert(auditLog).values({ actorUserId, action: "points.adjust", subjectType: "user", subjectId: user.id, detail: `${input.amount > 0 ? "+" : ""}${input.amount} ${reason}`, createdAt: ctx.now });
    }
    return { userId: user.id, balance: (await lockPointsAccount(tx, user.id, ctx.now)).balance };
  });
}
