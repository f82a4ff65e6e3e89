import { desc, lte, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { ruleSets } from "@/db/schema";
import { DomainError } from "../core/errors";
import { DEFAULT_RULES, ruleSetViolation, type RuleSet } from "./referral.rules";
import { DEFAULT_WITHDRAWAL_RULES, WithdrawalRulesErrorCode, withdrawalRulesViolation, type WithdrawalRules } from "./withdrawal.rules";

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

/** The newest version whose effective time has come, or undefined before any is stored. */
async function rowInForce(db: Db, at: Date): Promise<RuleSetRow | undefined> {
  const [row] = await db.select().from(ruleSets).where(lte(ruleSets.effectiveAt, at)).orderBy(desc(ruleSets.effectiveAt), desc(ruleSets.version)).limit(1);
  return row;
}

/** The rule set in force at a time: the newest version whose effective time has come (defaults before any). */
export async function ruleSetAt(db: Db, at: Date): Promise<RuleSet> {
  const row = await rowInForce(db, at);
  return row ? toRules(row) : DEFAULT_RULES;
}

const toWithdrawalRules = (r: RuleSetRow): WithdrawalRules => ({ minFen: r.withdrawMinFen, feeBp: r.withdrawFeeBp, dailyLimitFen: r.withdrawDailyLimitFen });

/**
 * The withdrawal parameters in force at a time, from the same rule-set row as `ruleSetAt` (kept
 * apart from RuleSet so the pure reward function never sees them).
 */
export async function withdrawalRulesAt(db: Db, at: Date): Promise<WithdrawalRules> {
  const row = await rowInForce(db, at);
  return row ? toWithdrawalRules(row) : DEFAULT_WITHDRAWAL_RULES;
}

/** Optional withdrawal parameters of a new version, named like the rule_sets columns (and scenario files). */
export type WithdrawalRuleFields = { withdrawMinFen?: number; withdrawFeeBp?: number; withdrawDailyLimitFen?: number };

/**
 * Publishes a new rule-set version, effective at `effectiveAt`. Values beyond a ceiling are refused
 * here (and by database constraints). Past rewards keep the version they were computed with.
 * Withdrawal parameters left out are carried over from the latest version: a caller that only
 * changes a reward rate (e.g. the economics form) must not silently reset the withdrawal minimum.
 */
export async function publishRuleSet(
  tx: Db,
  values: Omit<RuleSet, "version"> & WithdrawalRuleFields,
  opts: { effectiveAt: Date; now: Date; actorId: string | null },
): Promise<RuleSet> {
  const violation = ruleSetViolation(values);
  if (violation) throw new DomainError(violation.code, violation.message, violation.field);
  // Versions are taken under a transaction-scoped advisory lock, so two publishers never collide.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('rule_sets.version'))`);
  const [last] = await tx.select().from(ruleSets).orderBy(desc(ruleSets.version)).limit(1);
  const carried = last ? toWithdrawalRules(last) : DEFAULT_WITHDRAWAL_RULES;
  const withdrawal: WithdrawalRules = {
    minFen: values.withdrawMinFen ?? carried.minFen,
    feeBp: values.withdrawFeeBp ?? carried.feeBp,
    dailyLimitFen: values.withdrawDailyLimitFen ?? carried.dailyLimitFen,
  };
  const bad = withdrawalRulesViolation(withdrawal);
  if (bad) throw new DomainError(WithdrawalRulesErrorCode.INVALID_WITHDRAWAL_RULES, bad.message, bad.field);
  const [row] = await tx
    .insert(ruleSets)
    .values({
      k: values.k,
      rDirectBp: values.rDirectBp,
      rTeamBp: values.rTeamBp,
      rPeerBp: values.rPeerBp,
      maxDepth: values.maxDepth,
      capTotalBp: values.capTotalBp,
      settleDays: values.settleDays,
      withdrawMinFen: withdrawal.minFen,
      withdrawFeeBp: withdrawal.feeBp,
      withdrawDailyLimitFen: withdrawal.dailyLimitFen,
      version: (last?.version ?? DEFAULT_RULES.version) + 1,
      effectiveAt: opts.effectiveAt,
      createdBy: opts.actorId,
      createdAt: opts.now,
    })
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
