/** The job runner (jobs.ts) on the real database: which due job runs first. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRuntime, type TestRuntime } from "../test/harness";
import { enqueueJobs, runDueJobs } from "./jobs";

describe("runDueJobs", () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime();
  });
  afterAll(() => rt.dispose());

  it("given jobs due at the same moment, then they run in the order they were enqueued, whatever order their rows were written in", async () => {
    const now = rt.services.clock.now();
    const due = new Date(now.getTime() - 1_000);
    const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000);
    const tag = `tie-${now.getTime()}`;
    // The latest-enqueued is written first, so the table's own order would run it first.
    await enqueueJobs(rt.services.db, [
      { kind: "test.record", payload: { name: "third" }, runAt: due, dedupeKey: `${tag}:3`, now: at(1) },
      { kind: "test.record", payload: { name: "second" }, runAt: due, dedupeKey: `${tag}:2`, now: at(2) },
      { kind: "test.record", payload: { name: "first" }, runAt: due, dedupeKey: `${tag}:1`, now: at(3) },
    ]);
    const ran: string[] = [];

    const done = await runDueJobs(rt.services.db, () => now, { "test.record": async (_tx, payload) => void ran.push(String(payload.name)) });

    expect(done).toBe(3);
    expect(ran).toEqual(["first", "second", "third"]);
  });
});
