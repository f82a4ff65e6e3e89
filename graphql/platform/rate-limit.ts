import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { runHot } from "@/db/hot-sql";

export type RateLimit = { key: string; limit: number; windowMs: number };

/**
 * Fixed-window counter in Postgres (shared by every app instance). Returns false when the hit is
 * over the limit. Counting is a single atomic upsert.
 */
export async function hitRateLimit(db: Db, rule: RateLimit, now: Date): Promise<boolean> {
  const windowStart = new Date(Math.floor(now.getTime() / rule.windowMs) * rule.windowMs);
  const result = await db.execute(sql`
    insert into rate_limits (key, window_start, hits) values (${rule.key}, ${windowStart.toISOString()}, 1)
    on conflict (key, window_start) do update set hits = rate_limits.hits + 1
    returning hits`);
  const [row] = rowsOf<{ hits: number }>(result);
  return Number(row.hits) <= rule.limit;
}

/**
 * Checks several limits in one statement (one round trip on a hot path); every one is counted, and
 * any one over refuses. Rows are written in key order, so two requests sharing keys never deadlock.
 */
export async function hitRateLimits(db: Db, rules: RateLimit[], now: Date): Promise<boolean> {
  if (!rules.length) return true;
  // One upsert cannot touch a row twice: rules sharing a key are counted one by one.
  if (new Set(rules.map((r) => r.key)).size !== rules.length) {
    let ok = true;
    for (const rule of rules) ok = (await hitRateLimit(db, rule, now)) && ok;
    return ok;
  }
  const sorted = [...rules].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const windowOf = (r: RateLimit) => new Date(Math.floor(now.getTime() / r.windowMs) * r.windowMs).toISOString();
  const result = await db.execute(sql`
    insert into rate_limits (key, window_start, hits)
    values ${sql.join(sorted.map((r) => sql`(${r.key}, ${windowOf(r)}::timestamptz, 1)`), sql`, `)}
    on conflict (key, window_start) do update set hits = rate_limits.hits + 1
    returning key, hits`);
  const hits = new Map(rowsOf<{ key: string; hits: number }>(result).map((r) => [r.key, Number(r.hits)]));
  return sorted.every((r) => (hits.get(r.key) ?? Infinity) <= r.limit);
}

/**
 * Rate limits for several requests at once (a flash-sale admission batch), in two halves: one
 * statement counts every request on every one of its keys (countRateLimitHits); then, pure, each
 * request still in is allowed exactly when it would have been had only those been counted one after
 * another in order — the k-th of them on a key sees the count before the batch plus k
 * (rateLimitsAllowed) — and the hits of the others go back (rateLimitHitsToGiveBack).
 */
const HIT_MANY = `
  insert into rate_limits (key, window_start, hits)
  select key, window_start::timestamptz, hits from unnest($1::text[], $2::text[], $3::int[]) as v(key, window_start, hits)
  on conflict (key, window_start) do update set hits = rate_limits.hits + excluded.hits
  returning key, window_start, hits`;

type Ask = { rules: RateLimit[]; now: Date };
/** What countRateLimitHits counted: each (key, window) slot's hits in the batch and its count after them. */
export type RateLimitCount = { asks: Ask[]; inBatch: Map<string, number>; after: Map<string, number> };

const slotOf = (r: RateLimit, now: Date) => `${r.key}\u0000${new Date(Math.floor(now.getTime() / r.windowMs) * r.windowMs).toISOString()}`;

/** Hits per slot of the asks not `left` out (all of them without `left`). */
function hitsPerSlot(asks: Ask[], left: boolean[] = []): Map<string, number> {
  const n = new Map<string, number>();
  asks.forEach((a, i) => {
    if (!left[i]) for (const r of a.rules) n.set(slotOf(r, a.now), (n.get(slotOf(r, a.now)) ?? 0) + 1);
  });
  return n;
}

export async function countRateLimitHits(db: Db, asks: Ask[]): Promise<RateLimitCount> {
  const inBatch = hitsPerSlot(asks);
  if (!inBatch.size) return { asks, inBatch, after: new Map() };
  const sorted = [...inBatch].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const slots = sorted.map(([s]) => s.split("\u0000"));
  // One fixed text for any number of keys (db/hot-sql.ts); unnest keeps the arrays' (key) order.
  // The windows go as text: drizzle replaces postgres.js's timestamptz[] serializer with a pass-through.
  const result = await runHot<{ key: string; window_start: Date | string; hits: number }>(db, HIT_MANY, [slots.map(([key]) => key), slots.map(([, at]) => at), sorted.map(([, hits]) => hits)]);
  return { asks, inBatch, after: new Map(result.map((r) => [`${r.key}\u0000${new Date(r.window_start).toISOString()}`, Number(r.hits)])) };
}

/** Which asks are allowed, the `withdrawn` ones (refused for another reason, though counted) taken out. */
export function rateLimitsAllowed(count: RateLimitCount, withdrawn: boolean[]): boolean[] {
  const seen = new Map<string, number>();
  return count.asks.map((a, i) => {
    if (withdrawn[i]) return false;
    let ok = true;
    for (const r of a.rules) {
      const s = slotOf(r, a.now);
      const k = (seen.get(s) ?? 0) + 1;
      seen.set(s, k);
      // The count before the batch, plus this ask's place among the kept ones.
      if ((count.after.get(s) ?? Infinity) - count.inBatch.get(s)! + k > r.limit) ok = false;
    }
    return ok;
  });
}

/** The hits counted for the `withdrawn` asks, per slot in key order, to give back. */
export function rateLimitHitsToGiveBack(count: RateLimitCount, withdrawn: boolean[]): { key: string; windowStart: string; hits: number }[] {
  const kept = hitsPerSlot(count.asks, withdrawn);
  return [...count.inBatch]
    .map(([s, n]) => ({ s, hits: n - (kept.get(s) ?? 0) }))
    .filter((g) => g.hits > 0)
    .sort((a, b) => (a.s < b.s ? -1 : a.s > b.s ? 1 : 0))
    .map(({ s, hits }) => {
      const [key, windowStart] = s.split("\u0000");
      return { key, windowStart, hits };
    });
}

/** Takes back hits counted for requests that were refused before their limits applied (in key order). */
export async function giveBackRateLimitHits(db: Db, giveBack: { key: string; windowStart: string; hits: number }[]): Promise<void> {
  if (!giveBack.length) return;
  await runHot(db, GIVE_BACK, [giveBack.map((g) => g.key), giveBack.map((g) => g.windowStart), giveBack.map((g) => g.hits)]);
}
const GIVE_BACK = `
  update rate_limits r set hits = r.hits - v.hits
  from unnest($1::text[], $2::text[], $3::int[]) as v(key, window_start, hits)
  where r.key = v.key and r.window_start = v.window_start::timestamptz`;
