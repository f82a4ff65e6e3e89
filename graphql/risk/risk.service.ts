import { and, eq, gt, isNull, or, sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { runHot } from "@/db/hot-sql";
import { addresses, inviteAncestors, invites, orders, payments, registrations, rewards, riskPairs, riskReviews, teamMembers, users } from "@/db/schema";
import { postLedgerTransaction } from "../ledger/ledger.service";
import { blindIndex, decryptPii } from "../platform/crypto";
import { DAY } from "../platform/clock";
import { enqueueJob, type JobHandler } from "../platform/jobs";
import { readSetting } from "../platform/settings";
import { notify } from "../notification/notification.service";
import { DEFAULT_RISK_POLICY, isBulkRegistration, normalizePlace, shouldFreezeForRefunds, type RiskPolicy } from "./risk.rules";

export type RiskPairKind = (typeof riskPairs.$inferSelect)["kind"];
type AddressRow = typeof addresses.$inferSelect;

export async function riskPolicy(db: Db): Promise<RiskPolicy> {
  return { ...DEFAULT_RISK_POLICY, ...(await readSetting<Partial<RiskPolicy>>(db, "risk", {})) };
}

/** Keyed hashes of an address's phone and place: what risk pairs compare, never the plain text. */
export function addressIndexes(a: { phone: string; province: string; city: string; district: string; detail: string }) {
  return { phoneIndex: blindIndex("phone", a.phone), placeIndex: blindIndex("place", normalizePlace(a)) };
}

/** Rows written before the indexes existed are indexed on the fly (an address book has ≤ 20 rows). */
function indexesOf(row: AddressRow) {
  if (row.phoneIndex && row.placeIndex) return { phoneIndex: row.phoneIndex, placeIndex: row.placeIndex };
  return addressIndexes({ phone: decryptPii(row.phoneEnc), province: row.province, city: row.city, district: row.district, detail: decryptPii(row.detailEnc) });
}

export function payerAccountIndex(provider: string, account: string): string {
  return blindIndex("payer_account", `${provider}:${account.trim()}`);
}

/**
 * Records that `userId` and their inviter share something (rule book §6) and makes the pair accrue
 * nothing from now on (§8): the invite is flagged — so no reward is created for the buyer's later
 * orders and the buyer never qualifies the inviter — and the rewards of the buyer's orders that
 * are still PENDING are reversed. Settled ones are history; the operator sees the pair in the risk
 * queue. Idempotent: a pair seen again changes nothing.
 */
export async function recordRiskPair(tx: Db, p: { userId: string; inviterId: string; kind: RiskPairKind; orderId?: string | null; now: Date }) {
  const [pair] = await tx
    .insert(riskPairs)
    .values({ userId: p.userId, inviterId: p.inviterId, kind: p.kind, orderId: p.orderId ?? null, createdAt: p.now })
    .onConflictDoNothing()
    .returning({ id: riskPairs.id });
  const [flagged] = await tx
    .update(invites)
    .set({ riskFlagged: true })
    .where(and(eq(invites.userId, p.userId), eq(invites.inviterId, p.inviterId), eq(invites.riskFlagged, false)))
    .returning({ userId: invites.userId });
  if (flagged) await reversePendingRewardsOfBuyer(tx, p.userId, p.now);
  return { recorded: !!pair, newlyFlagged: !!flagged };
}

/** A risk pair's buyer accrues nothing: their pending rewards go back to the merchants who funded them. */
async function reversePendingRewardsOfBuyer(tx: Db, buyerId: string, now: Date) {
  const pending = await tx
    .select({ reward: rewards, storeId: orders.storeId })
    .from(rewards)
    .innerJoin(orders, eq(orders.id, rewards.orderId))
    .where(and(eq(rewards.buyerId, buyerId), eq(rewards.status, "PENDING")))
    .orderBy(rewards.createdAt, rewards.id)
    .for("update", { of: rewards });
  for (const { reward: r, storeId } of pending) {
    const delta = r.amount - r.reversedAmount;
    await tx.update(rewards).set({ status: "REVERSED", reversedAmount: r.amount }).where(eq(rewards.id, r.id));
    if (delta === 0) continue;
    await postLedgerTransaction(tx, {
      kind: "reward_reversal",
      reference: `${r.id}:risk`,
      memo: `${r.type} reward reversed: risk pair`,
      orderId: r.orderId,
      now,
      postings: [
        { account: "platform:commissions_payable", amount: delta },
        { account: `merchant:${storeId}:payable`, amount: -delta },
      ],
    });
  }
}

/**
 * At checkout: does the buyer ship to their inviter's phone or address, or to one of their own
 * invitees'? Both directions, so a sock puppet is caught whichever account orders first.
 */
export async function detectAddressPairs(tx: Db, buyerId: string, address: AddressRow, orderId: string, now: Date) {
  const mine = indexesOf(address);
  const [invite] = await tx.select().from(invites).where(eq(invites.userId, buyerId));
  if (invite && !invite.riskFlagged) {
    const [inviter] = await tx.select({ phoneIndex: users.phoneIndex }).from(users).where(eq(users.id, invite.inviterId));
    const book = (await tx.select().from(addresses).where(eq(addresses.userId, invite.inviterId))).map(indexesOf);
    if (inviter?.phoneIndex === mine.phoneIndex || book.some((b) => b.phoneIndex === mine.phoneIndex)) {
      await recordRiskPair(tx, { userId: buyerId, inviterId: invite.inviterId, kind: "PHONE", orderId, now });
    } else if (book.some((b) => b.placeIndex === mine.placeIndex)) {
      await recordRiskPair(tx, { userId: buyerId, inviterId: invite.inviterId, kind: "ADDRESS", orderId, now });
    }
  }
  // The other direction: one of the buyer's invitees has this phone or place in their address book.
  const invitees = rowsOf<{ user_id: string; kind: RiskPairKind }>(
    await tx.execute(sql`
      select distinct i.user_id, case when a.phone_index = ${mine.phoneIndex} then 'PHONE' else 'ADDRESS' end as kind
      from addresses a join invites i on i.user_id = a.user_id
      where i.inviter_id = ${buyerId} and not i.risk_flagged
        and (a.phone_index = ${mine.phoneIndex} or a.place_index = ${mine.placeIndex})
      limit 20`),
  );
  for (const row of invitees) await recordRiskPair(tx, { userId: row.user_id, inviterId: buyerId, kind: row.kind, orderId, now });
}

/**
 * Of these buyers, the ones with an unflagged invite relation in either direction: only they can
 * form an address pair (detectAddressPairs). One statement for a batch of buyers.
 */
export async function buyersWithInviteRelations(tx: Db, buyerIds: string[]): Promise<Set<string>> {
  if (!buyerIds.length) return new Set();
  const rows = await runHot<{ id: string }>(tx, WITH_INVITE_RELATIONS, [[...new Set(buyerIds)]]);
  return new Set(rows.map((r) => r.id));
}
const WITH_INVITE_RELATIONS = `
  select b.id from unnest($1::uuid[]) as b(id)
  where exists (select 1 from invites i where i.user_id = b.id and not i.risk_flagged)
     or exists (select 1 from invites i where i.inviter_id = b.id and not i.risk_flagged)`;

/** detectAddressPairs for a batch of orders whose buyers have an invite relation (buyersWithInviteRelations). */
export async function detectAddressPairsMany(tx: Db, items: { buyerId: string; address: AddressRow; orderId: string; now: Date }[]) {
  for (const i of items) await detectAddressPairs(tx, i.buyerId, i.address, i.orderId, i.now);
}

/** At payment: the same payer account paid for the inviter's (or an invitee's) orders. */
export async function detectPaymentAccountPairs(tx: Db, buyerId: string, accountIndex: string, orderId: string, now: Date) {
  const [invite] = await tx.select().from(invites).where(eq(invites.userId, buyerId));
  if (invite && !invite.riskFlagged) {
    const [hit] = await tx
      .select({ id: payments.id })
      .from(payments)
      .innerJoin(orders, eq(orders.id, payments.orderId))
      .where(and(eq(payments.payerAccountIndex, accountIndex), eq(orders.userId, invite.inviterId)))
      .limit(1);
    if (hit) await recordRiskPair(tx, { userId: buyerId, inviterId: invite.inviterId, kind: "PAYMENT_ACCOUNT", orderId, now });
  }
  const invitees = await tx
    .selectDistinct({ userId: invites.userId })
    .from(payments)
    .innerJoin(orders, eq(orders.id, payments.orderId))
    .innerJoin(invites, eq(invites.userId, orders.userId))
    .where(and(eq(payments.payerAccountIndex, accountIndex), eq(invites.inviterId, buyerId), eq(invites.riskFlagged, false)))
    .limit(20);
  for (const row of invitees) await recordRiskPair(tx, { userId: row.userId, inviterId: buyerId, kind: "PAYMENT_ACCOUNT", orderId, now });
}

/**
 * Every registration is recorded with its source. When this one is the Nth through the same invite
 * code from the same device or IP within the window, the code is disabled (rule book §6) and an
 * operator review is opened. Returns whether binding may go ahead.
 */
export async function admitRegistration(
  tx: Db,
  r: { userId: string; inviterId: string | null; deviceId: string | null; ip: string | null; now: Date },
): Promise<boolean> {
  const ipIndex = r.ip ? blindIndex("ip", r.ip) : null;
  await tx.insert(registrations).values({ userId: r.userId, inviterId: r.inviterId, deviceId: r.deviceId, ipIndex, createdAt: r.now }).onConflictDoNothing();
  if (!r.inviterId) return false;
  const policy = await riskPolicy(tx);
  const sameSource = [r.deviceId ? eq(registrations.deviceId, r.deviceId) : undefined, ipIndex ? eq(registrations.ipIndex, ipIndex) : undefined].filter(Boolean);
  if (!sameSource.length) return true;
  // Registrations an operator already reviewed and cleared do not count again.
  const [cleared] = await tx
    .select({ at: sql<string | null>`max(${riskReviews.resolvedAt})` })
    .from(riskReviews)
    .where(and(eq(riskReviews.userId, r.inviterId), eq(riskReviews.reason, "BULK_REGISTRATION"), eq(riskReviews.status, "CLEARED")));
  const windowStart = r.now.getTime() - policy.bulkRegistrationWindowMinutes * 60_000;
  const since = new Date(Math.max(windowStart, cleared?.at ? new Date(cleared.at).getTime() : 0));
  const [{ n }] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(registrations)
    .where(and(eq(registrations.inviterId, r.inviterId), gt(registrations.createdAt, since), sql`${registrations.userId} <> ${r.userId}`, or(...sameSource)));
  if (!isBulkRegistration(Number(n), policy)) return true;
  const [disabled] = await tx
    .update(teamMembers)
    .set({ inviteDisabledAt: r.now })
    .where(and(eq(teamMembers.userId, r.inviterId), isNull(teamMembers.inviteDisabledAt)))
    .returning({ userId: teamMembers.userId });
  if (disabled) {
    await openReview(tx, r.inviterId, "BULK_REGISTRATION", { registrations: Number(n) + 1, windowMinutes: policy.bulkRegistrationWindowMinutes }, r.now);
    await notify(tx, { userId: r.inviterId, kind: "RISK_REVIEW", title: "邀请码已暂停", body: "短时间内同一设备或网络注册过多，邀请码已暂停使用，平台审核后恢复。", link: "/me/invite" }, r.now);
  }
  return false;
}

async function openReview(tx: Db, userId: string, reason: "REFUND_RATE" | "BULK_REGISTRATION" | "MANUAL", detail: Record<string, unknown>, now: Date) {
  await tx.insert(riskReviews).values({ userId, reason, detail, createdAt: now }).onConflictDoNothing();
}

/** Freezes a person for review (rule book §1 FROZEN): rewards keep accruing but neither settle nor pay out. */
export async function freezeForReview(tx: Db, userId: string, reason: "REFUND_RATE" | "MANUAL", detail: Record<string, unknown>, now: Date) {
  const [changed] = await tx
    .update(teamMembers)
    .set({ frozen: true })
    .where(and(eq(teamMembers.userId, userId), eq(teamMembers.frozen, false)))
    .returning({ userId: teamMembers.userId });
  await openReview(tx, userId, reason, detail, now);
  if (changed) {
    await notify(tx, { userId, kind: "RISK_REVIEW", title: "账户审核中", body: "你的账户正在接受风控审核，审核期间收益暂不结算、不可提现。", link: "/me/earnings" }, now);
  }
  return !!changed;
}

/** After a refund: each sharer above the buyer (≤ 3 levels) has their downline refund rate checked, off the refund's path. */
export async function scheduleRefundRateChecks(tx: Db, buyerId: string, refundId: string, now: Date) {
  const above = await tx.select({ id: inviteAncestors.ancestorId }).from(inviteAncestors).where(eq(inviteAncestors.userId, buyerId));
  for (const a of above) {
    await enqueueJob(tx, { kind: "risk.refund_rate", payload: { userId: a.id }, runAt: now, dedupeKey: `risk.refund_rate:${a.id}:${refundId}`, now });
  }
}

/** Job: the downline (≤ 3 levels) refund rate of one sharer over the window; above the threshold → FROZEN for review. */
export const refundRateJob: JobHandler = async (tx, payload, { now }) => {
  const userId = String(payload.userId);
  const [member] = await tx.select({ frozen: teamMembers.frozen, role: teamMembers.role }).from(teamMembers).where(eq(teamMembers.userId, userId));
  if (!member || member.frozen || member.role === "REGISTERED") return;
  const policy = await riskPolicy(tx);
  const since = new Date(now.getTime() - policy.refundRateWindowDays * DAY);
  const [stats] = rowsOf<{ paid: number; refunded: number }>(
    await tx.execute(sql`
      select count(*)::int as paid,
             count(*) filter (where exists (select 1 from order_lines l where l.order_id = o.id and l.refunded_amount > 0))::int as refunded
      from invite_ancestors ia join orders o on o.user_id = ia.user_id
      where ia.ancestor_id = ${userId} and o.paid_at is not null and o.paid_at > ${since.toISOString()}::timestamptz`),
  );
  if (!shouldFreezeForRefunds(stats.paid, stats.refunded, policy)) return;
  await freezeForReview(tx, userId, "REFUND_RATE", { paidOrders: stats.paid, refundedOrders: stats.refunded, windowDays: policy.refundRateWindowDays }, now);
};

/**
 * Addresses saved before risk pairs were compared have no indexes: they are filled in at boot, in
 * batches, so the reverse-direction lookup (by index) sees them too. Returns how many were filled.
 */
export async function backfillAddressIndexes(db: Db, batch = 500): Promise<number> {
  let filled = 0;
  for (;;) {
    const rows = await db.select().from(addresses).where(or(isNull(addresses.phoneIndex), isNull(addresses.placeIndex))).limit(batch);
    for (const row of rows) {
      await db.update(addresses).set(indexesOf(row)).where(eq(addresses.id, row.id));
    }
    filled += rows.length;
    if (rows.length < batch) return filled;
  }
}
