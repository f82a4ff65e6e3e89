import { eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { teamStatDeltas, teamStats } from "@/db/schema";
import { enqueueJob, type JobHandler } from "../platform/jobs";
import { MINUTE } from "../platform/clock";

/** Records a change to a leader's team (insert-only: never contends with other writers). */
export async function recordTeamDelta(tx: Db, leaderId: string | null, delta: { members?: number; sales?: number }, now: Date) {
  if (!leaderId || (!delta.members && !delta.sales)) return;
  await tx.insert(teamStatDeltas).values({ leaderId, members: delta.members ?? 0, sales: delta.sales ?? 0, createdAt: now });
}

/** A leader's team size and team sales: the folded row plus the deltas not folded yet (indexed). */
export async function teamStatsOf(db: Db, leaderId: string): Promise<{ members: number; sales: number }> {
  const [folded] = await db.select().from(teamStats).where(eq(teamStats.leaderId, leaderId));
  const [pending] = await db
    .select({ members: sql<string>`coalesce(sum(${teamStatDeltas.members}), 0)`, sales: sql<string>`coalesce(sum(${teamStatDeltas.sales}), 0)` })
    .from(teamStatDeltas)
    .where(eq(teamStatDeltas.leaderId, leaderId));
  return { members: (folded?.members ?? 0) + Number(pending.members), sales: (folded?.sales ?? 0) + Number(pending.sales) };
}

const BATCH = 5000;

/**
 * Job: folds a batch of deltas into team_stats (claimed with SKIP LOCKED so instances share the
 * work), then schedules the next fold a minute later. Idempotent: a folded delta is deleted in
 * the same transaction that adds it.
 */
export const rollupTeamStatsJob: JobHandler = async (tx, _payload, { now }) => {
  // Keep folding while batches come back full (bounded per run), so the fold keeps up with any
  // write rate instead of capping at one batch a minute.
  for (let i = 0; i < MAX_BATCHES_PER_RUN; i++) if ((await foldTeamDeltas(tx, now)) < BATCH) break;
  await scheduleTeamRollup(tx, new Date(now.getTime() + MINUTE), now);
};

const MAX_BATCHES_PER_RUN = 40;

export async function foldTeamDeltas(tx: Db, now: Date): Promise<number> {
  const batch = await tx.select().from(teamStatDeltas).limit(BATCH).for("update", { skipLocked: true });
  if (!batch.length) return 0;
  const sums = new Map<string, { members: number; sales: number }>();
  for (const d of batch) {
    const s = sums.get(d.leaderId) ?? { members: 0, sales: 0 };
    s.members += d.members;
    s.sales += d.sales;
    sums.set(d.leaderId, s);
  }
  for (const [leaderId, s] of sums) {
    await tx
      .insert(teamStats)
      .values({ leaderId, members: s.members, sales: s.sales, updatedAt: now })
      .onConflictDoUpdate({
        target: teamStats.leaderId,
        set: { members: sql`${teamStats.members} + ${s.members}`, sales: sql`${teamStats.sales} + ${s.sales}`, updatedAt: now },
      });
  }
  await tx.delete(teamStatDeltas).where(inArray(teamStatDeltas.id, batch.map((d) => d.id)));
  return batch.length;
}

/** One fold per minute slot (the dedupe key makes boot and the job itself agree on a single next run). */
export async function scheduleTeamRollup(tx: Db, at: Date, now: Date) {
  await enqueueJob(tx, { kind: "team.rollup", payload: {}, runAt: at, dedupeKey: `team.rollup:${Math.floor(at.getTime() / MINUTE)}`, now });
}
