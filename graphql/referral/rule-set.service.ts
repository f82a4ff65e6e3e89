import { desc, lte, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { ruleSets } from "@/db/schema";
import { DomainError } from "../core/errors";
import { DEFAULT_RULES, ruleSetViolation, type RuleSet } from "./referral.rules";

type RuleSetRow = typeof ruleSets.$inferSelect;

const toRules = (r: RuleSetRow): RuleSet => ({
  version: r.version,
  k: r.k,
  rDirectBp: r.rDirectBp,
  rTeamBp: r.rTeamBp,
  rPeerBp: r.rPeerBp,
  maxDepth: r.maxDepth,
  capTotalBp: r.capTotalBp,
  settleDays: r.settleDays,
});

/** The rule set in force at a time: the newest version whose effective time has come (defaults before any). */
export async function ruleSetAt(db: Db, at: Date): Promise<RuleSet> {
  const [row] = await db.select().from(ruleSets).where(lte(ruleSets.effectiveAt, at)).orderBy(desc(ruleSets.effectiveAt), desc(ruleSets.version)).limit(1);
  return row ? toRules(row) : DEFAULT_RULES;
}

/**
 * Publishes a new rule-set version, effective at `effectiveAt`. Values beyond a ceiling are refused
 * here (and by database constraints). Past rewards keep the version they were computed with.
 */
export async function publishRuleSet(
  tx: Db,
  values: Omit<RuleSet, "version">,
  opts: { effectiveAt: Date; now: Date; actorId: string | null },
): Promise<RuleSet> {
  const violation = ruleSetViolation(values);
  if (violation) throw new DomainError(violation.code, violation.message, violation.field);
  // Versions are taken under a transaction-scoped advisory lock, so two publishers never collide.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('rule_sets.version'))`);
  const [last] = await tx.select({ version: ruleSets.version }).from(ruleSets).orderBy(desc(ruleSets.version)).limit(1);
  const [row] = await tx
    .insert(ruleSets)
    .values({ ...values, version: (last?.version ?? DEFAULT_RULES.version) + 1, effectiveAt: opts.effectiveAt, createdBy: opts.actorId, createdAt: opts.now })
    .returning();
  return toRules(row);
}

/** The defaults as version 1, effective since forever, so every reward names a stored version. */
export async function ensureDefaultRuleSet(db: Db, now: Date) {
  await db
    .insert(ruleSets)
    .values({ ...DEFAULT_RULES, effectiveAt: new Date(0), createdBy: null, createdAt: now })
    .onConflictDoNothing({ target: ruleSets.version });
}
