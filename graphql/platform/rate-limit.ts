import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";

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

/** Checks several limits; every one is counted, and any one over refuses. */
export async function hitRateLimits(db: Db, rules: RateLimit[], now: Date): Promise<boolean> {
  let ok = true;
  for (const rule of rules) ok = (await hitRateLimit(db, rule, now)) && ok;
  return ok;
}
