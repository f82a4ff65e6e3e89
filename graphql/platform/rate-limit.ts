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
 * hitRateLimits for several requests at once (a flash-sale admission batch), in one statement:
 * each request is counted on every one of its keys, and is allowed exactly when it would have been
 * had the requests been counted one after another in the given order — the k-th of n hits on a key
 * in the batch sees the count before the batch plus k.
 */
const HIT_MANY = `
  insert into rate_limits (key, window_start, hits)
  select key, window_start::timestamptz, hits from unnest($1::text[], $2::text[], $3::int[]) as v(key, window_start, hits)
  on conflict (key, window_start) do update set hits = rate_limits.hits + excluded.hits
  returning key, window_start, hits`;

export async function hitRateLimitsMany(db: Db, asks: { rules: RateLimit[]; now: Date }[]): Promise<boolean[]> {
  const slot = (r: RateLimit, now: Date) => `${r.key}\u0000${new Date(Math.floor(now.getTime() / r.windowMs) * r.windowMs).toISOString()}`;
  const n = new Map<string, number>();
  for (const a of asks) for (const r of a.rules) n.set(slot(r, a.now), (n.get(slot(r, a.now)) ?? 0) + 1);
  if (!n.size) return asks.map(() => true);
  const sorted = [...n].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const slots = sorted.map(([s]) => s.split("\u0000"));
  // One fixed text for any number of keys (db/hot-sql.ts); unnest keeps the arrays' (key) order.
  // The windows go as text: drizzle replaces postgres.js's timestamptz[] serializer with a pass-through.
  const result = await runHot<{ key: string; window_start: Date | string; hits: number }>(db, HIT_MANY, [slots.map(([key]) => key), slots.map(([, at]) => at), sorted.map(([, hits]) => hits)]);
  const after = new Map(result.map((r) => [`${r.key}\u0000${new Date(r.window_start).toISOString()}`, Number(r.hits)]));
  const seen = new Map<string, number>();
  return asks.map((a) => {
    let ok = true;
    for (const r of a.rules) {
      const s = slot(r, a.now);
      const k = (seen.get(s) ?? 0) + 1;
      seen.set(s, k);
      const count = (after.get(s) ?? Infinity) - n.get(s)! + k;
      if (count > r.limit) ok = false;
    }
    return ok;
  });
}
