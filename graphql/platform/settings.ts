import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { platformSettings } from "@/db/schema";
import { ruleSetAt } from "../referral/rule-set.service";

/**
 * Platform economics. Rates are basis points. `commissionCapBp` is the share of every line reserved
 * for 链动2+1 rewards (the rule set's capTotal, hard ceiling 30%); `platformFeeBp` is the platform's fee.
 */
export type Economics = { platformFeeBp: number; commissionCapBp: number };

export const COMMISSION_CAP_CEILING_BP = 3000;
export const DEFAULT_ECONOMICS: Economics = { platformFeeBp: 500, commissionCapBp: 2000 };

export async function readSetting<T>(db: Db, key: string, fallback: T): Promise<T> {
  const [row] = await db.select().from(platformSettings).where(eq(platformSettings.key, key));
  return row ? (row.value as T) : fallback;
}

export async function writeSetting(db: Db, key: string, value: unknown, now: Date): Promise<void> {
  await db
    .insert(platformSettings)
    .values({ key, value, updatedAt: now })
    .onConflictDoUpdate({ target: platformSettings.key, set: { value, updatedAt: now } });
}

/**
 * The fee comes from platform settings; the commission cap is the capTotal of the 链动2+1 rule set
 * in force (one source of truth, so the listing margin rule always covers the rewards).
 */
export async function readEconomics(db: Db, at: Date): Promise<Economics> {
  const stored = await readSetting<Economics>(db, "economics", DEFAULT_ECONOMICS);
  const rules = await ruleSetAt(db, at);
  return { platformFeeBp: stored.platformFeeBp, commissionCapBp: rules.capTotalBp };
}
