/**
 * The daily points expiry job against a real database (PGlite, or the Postgres server of
 * DATABASE_URL): a person whose expiry for the day is already written but who has more credit come
 * due the same day leaves the due set (so a full batch of such people cannot make the job re-queue
 * itself forever) and the rest expires on the next day's run.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import { pointsEntries } from "@/db/schema";
import { createTestRuntime, type TestRuntime } from "../test/harness";
import { createConsumer } from "../test/fixtures";
import { pointsBalance, postPoints, verifyPoints } from "./points.service";
import { expireDuePoints } from "./points-expiry.service";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe("points expiry", () => {
  let rt: TestRuntime;
  const db = () => rt.services.db;
  const now = () => rt.services.clock.now();

  beforeAll(async () => {
    rt = await createTestRuntime();
  });
  afterEach(async () => {
    expect(await verifyPoints(db())).toMatchObject({ ok: true });
  });
  afterAll(() => rt?.dispose());

  const credit = (userId: string, amount: number, expiresAt: Date, reference: string) =>
    db().transaction((tx) => postPoints(tx, { userId, kind: "ADJUST", amount, reference, expiresAt, memo: "测试", now: now() }));
  const run = (at: Date, limit?: number) => db().transaction((tx) => expireDuePoints(tx, at, limit));
  const expired = async (userId: string) =>
    (await db().select().from(pointsEntries).where(eq(pointsEntries.userId, userId)).orderBy(asc(pointsEntries.createdAt), asc(pointsEntries.id)))
      .filter((e) => e.kind === "EXPIRE")
      .map((e) => e.amount);

  it("given a person already expired today with more credit come due since, when the job runs again (twice), then they leave the due set and the rest expires the next day", async () => {
    const c = await createConsumer(rt);
    const at = now();
    const t = at.getTime();
    await credit(c.userId, 1_000, new Date(t - DAY), `exp-a-${c.userId}`);
    expect(await run(at)).toEqual([c.userId]);
    expect(await expired(c.userId)).toEqual([-1_000]);

    // More credit comes due later the same day: today's EXPIRE is already written.
    await credit(c.userId, 200, new Date(t - HOUR), `exp-b-${c.userId}`);
    const first = await run(at, 1);
    const second = await run(at, 1);

    expect(second).toEqual([]);
    expect(first.length + second.length).toBeLessThanOrEqual(1);
    expect(await expired(c.userId)).toEqual([-1_000]);
    expect(await pointsBalance(db(), c.userId)).toBe(200);

    // Tomorrow's run takes what is left, once.
    expect(await run(new Date(t + DAY))).toEqual([c.userId]);
    expect(await run(new Date(t + DAY))).toEqual([]);
    expect(await expired(c.userId)).toEqual([-1_000, -200]);
    expect(await pointsBalance(db(), c.userId)).toBe(0);
  });
});
