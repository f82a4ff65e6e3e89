import { and, asc, eq, lte, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { jobs } from "@/db/schema";
import { insertRows } from "@/db/insert-rows";

export type JobContext = { now: Date };
/** A job handler runs inside the claiming transaction: its writes and the job's completion commit together. */
export type JobHandler = (tx: Db, payload: Record<string, unknown>, ctx: JobContext) => Promise<void>;

const MAX_ATTEMPTS = 5;

/**
 * Enqueues a job inside the caller's transaction, so the job exists only if the work that asked for
 * it commits. The dedupe key makes this idempotent.
 */
export async function enqueueJob(tx: Db, job: NewJob): Promise<void> {
  await enqueueJobs(tx, [job]);
}

export type NewJob = { kind: string; payload: Record<string, unknown>; runAt: Date; dedupeKey: string; now: Date };

/** Several jobs in one statement (a batch of orders); each is idempotent by its dedupe key. */
export async function enqueueJobs(tx: Db, batch: NewJob[]): Promise<void> {
  if (!batch.length) return;
  // Every checkout enqueues one: written without the query builder (db/insert-rows.ts).
  await insertRows(tx, jobs, batch.map((job) => ({ kind: job.kind, payload: job.payload, runAt: job.runAt, dedupeKey: job.dedupeKey, createdAt: job.now })), { onConflictDoNothing: [jobs.dedupeKey] });
}

/**
 * Claims and runs due jobs one at a time with FOR UPDATE SKIP LOCKED, so several workers (or app
 * instances) never run the same job. Returns how many succeeded.
 */
export async function runDueJobs(
  db: Db,
  now: () => Date,
  handlers: Record<string, JobHandler>,
  limit = 100,
): Promise<number> {
  let done = 0;
  for (let i = 0; i < limit; i++) {
    let claimed: { id: string; kind: string } | undefined;
    try {
      const ran = await db.transaction(async (tx) => {
        const at = now();
        const [job] = await tx
          .select({ id: jobs.id, kind: jobs.kind, payload: jobs.payload })
          .from(jobs)
          .where(and(eq(jobs.status, "PENDING"), lte(jobs.runAt, at)))
          // Due at the same moment, in the order they were enqueued: a group's expiry, enqueued
          // when the group opened, runs before the expiry of an order placed later for the same
          // deadline (so the group, not the order, decides what its members are told).
          .orderBy(asc(jobs.runAt), asc(jobs.createdAt))
          .limit(1)
          .for("update", { skipLocked: true });
        if (!job) return false;
        claimed = job;
        const handler = handlers[job.kind];
        if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
        await handler(tx, job.payload, { now: at });
        await tx.update(jobs).set({ status: "DONE", finishedAt: at, attempts: sql`${jobs.attempts} + 1` }).where(eq(jobs.id, job.id));
        return true;
      });
      if (!ran) break;
      done++;
    } catch (error) {
      if (!claimed) throw error;
      // Recorded outside the rolled-back claim, or the attempt counter would be undone too.
      await recordFailure(db, claimed.id, error, now());
    }
  }
  return done;
}

async function recordFailure(db: Db, jobId: string, error: unknown, at: Date) {
  const message = error instanceof Error ? error.message.slice(0, 500) : "unknown error";
  await db
    .update(jobs)
    .set({
      attempts: sql`${jobs.attempts} + 1`,
      lastError: message,
      status: sql`case when ${jobs.attempts} + 1 >= ${MAX_ATTEMPTS} then 'FAILED'::job_status else 'PENDING'::job_status end`,
      // Back off: 10 s, 20 s, 40 s … on the application clock.
      runAt: sql`${at.toISOString()}::timestamptz + (interval '10 seconds' * power(2, ${jobs.attempts}))`,
    })
    .where(eq(jobs.id, jobId));
}
