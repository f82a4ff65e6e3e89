import { and, eq, gt, lte, sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { pointsAccounts, pointsEntries } from "@/db/schema";
import { enqueueJob, type JobHandler } from "../platform/jobs";
import { lockPointsAccount, postPoints } from "./points.service";
import { DAY_MS, expiringAt, expiryReference, nextShanghaiMidnight, shanghaiDate } from "./points.rules";

/** At most this many people per run; the rest are picked up by the run that follows at once. */
const BATCH = 500;

/** Enqueues the daily expiry run at the next midnight (Asia/Shanghai); the dedupe key makes boot and the job agree. */
export async function schedulePointsExpiry(tx: Db, now: Date) {
  const at = nextShanghaiMidnight(now);
  await enqueueJob(tx, { kind: "points.expire", payload: {}, runAt: at, dedupeKey: `points.expire:${at.toISOString()}`, now });
}

/**
 * Expires one person's due points at `now` (FIFO, see expiringAt), under their account lock:
 * posts EXPIRE (reference = person + day, so a re-run the same day is a no-op) and records how much
 * credit has been processed in `expiredThrough`. Returns the points expired.
 */
export async function expirePointsOf(tx: Db, userId: string, now: Date): Promise<number> {
  const account = await lockPointsAccount(tx, userId, now);
  const [sums] = await tx
    .select({
      due: sql<string>`coalesce(sum(${pointsEntries.amount}) filter (where ${pointsEntries.amount} > 0 and ${pointsEntries.expiresAt} <= ${now.toISOString()}::timestamptz), 0)`,
      consumed: sql<string>`coalesce(-sum(${pointsEntries.amount}) filter (where ${pointsEntries.amount} < 0 and ${pointsEntries.kind} <> 'EXPIRE'), 0)`,
      expired: sql<string>`coalesce(-sum(${pointsEntries.amount}) filter (where ${pointsEntries.kind} = 'EXPIRE'), 0)`,
    })
    .from(pointsEntries)
    .where(eq(pointsEntries.userId, userId));
  const due = Number(sums.due);
  if (due <= account.expiredThrough) return 0;
  const amount = Math.min(expiringAt({ dueCredits: due, consumed: Number(sums.consumed), alreadyExpired: Number(sums.expired) }), account.balance);
  let posted = amount <= 0;
  if (amount > 0) {
    posted = await postPoints(tx, { userId, kind: "EXPIRE", amount: -amount, reference: expiryReference(userId, now), memo: "积分到期", now });
  }
  // A run already written today leaves the rest to tomorrow's reference.
  if (posted) await tx.update(pointsAccounts).set({ expiredThrough: due }).where(eq(pointsAccounts.userId, userId));
  return posted ? amount : 0;
}

/**
 * The people with credits that came due since their last processing — except those whose expiry
 * for today is already written: their new credit waits for tomorrow's reference, and leaving them
 * in the set would hand them back to every run today (a full batch of them would re-queue forever).
 */
async function dueAccounts(tx: Db, now: Date, limit: number): Promise<string[]> {
  const today = `:${shanghaiDate(now)}`; // the suffix of every expiry reference written today (see expiryReference)
  const result = await tx.execute(sql`
    select e.user_id from points_entries e join points_accounts a on a.user_id = e.user_id
    where e.amount > 0 and e.expires_at <= ${now.toISOString()}::timestamptz
      and not exists (select 1 from points_entries x where x.kind = 'EXPIRE' and x.reference = e.user_id::text || ${today})
    group by e.user_id, a.expired_through
    having sum(e.amount) > a.expired_through
    order by e.user_id
    limit ${limit}`);
  return rowsOf<{ user_id: string }>(result).map((r) => r.user_id);
}

/** Expires the due points of up to `limit` people at `now`; returns who was processed. */
export async function expireDuePoints(tx: Db, now: Date, limit = BATCH): Promise<string[]> {
  const users = await dueAccounts(tx, now, limit);
  for (const userId of users) await expirePointsOf(tx, userId, now);
  return users;
}

/** Job (daily): expires due points for everyone, then schedules tomorrow's run. Idempotent. */
export const expirePointsJob: JobHandler = async (tx, _payload, { now }) => {
  const users = await expireDuePoints(tx, now);
  if (users.length === BATCH) {
    // More to do: run again right away (a later dedupe key than the daily one).
    await enqueueJob(tx, { kind: "points.expire", payload: {}, runAt: now, dedupeKey: `points.expire:more:${now.toISOString()}:${users.at(-1)}`, now });
  }
  await schedulePointsExpiry(tx, now);
};

/** Points of a person expiring within `days` from now, and the earliest such date (for "即将过期"). */
export async function expiringSoon(db: Db, userId: string, now: Date, days = 30): Promise<{ points: number; at: Date | null }> {
  const until = new Date(now.getTime() + days * DAY_MS);
  const [account] = await db.select().from(pointsAccounts).where(eq(pointsAccounts.userId, userId));
  if (!account || account.balance <= 0) return { points: 0, at: null };
  const [sums] = await db
    .select({
      due: sql<string>`coalesce(sum(${pointsEntries.amount}) filter (where ${pointsEntries.amount} > 0 and ${pointsEntries.expiresAt} <= ${until.toISOString()}::timestamptz), 0)`,
      consumed: sql<string>`coalesce(-sum(${pointsEntries.amount}) filter (where ${pointsEntries.amount} < 0 and ${pointsEntries.kind} <> 'EXPIRE'), 0)`,
      expired: sql<string>`coalesce(-sum(${pointsEntries.amount}) filter (where ${pointsEntries.kind} = 'EXPIRE'), 0)`,
    })
    .from(pointsEntries)
    .where(eq(pointsEntries.userId, userId));
  const points = Math.min(expiringAt({ dueCredits: Number(sums.due), consumed: Number(sums.consumed), alreadyExpired: Number(sums.expired) }), account.balance);
  if (points <= 0) return { points: 0, at: null };
  const [first] = await db
    .select({ at: pointsEntries.expiresAt })
    .from(pointsEntries)
    .where(and(eq(pointsEntries.userId, userId), gt(pointsEntries.amount, 0), gt(pointsEntries.expiresAt, now), lte(pointsEntries.expiresAt, until)))
    .orderBy(pointsEntries.expiresAt)
    .limit(1);
  return { points, at: first?.at ?? null };
}
