/** The Postgres fixed-window rate limits, on PGlite or the server of DATABASE_URL. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf } from "@/db/client";
import { createTestRuntime, type TestRuntime } from "../test/harness";
import { hitRateLimits } from "./rate-limit";

describe("hitRateLimits", () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime();
  });
  afterAll(() => rt?.dispose());
  const at = new Date("2026-11-25T10:00:05Z");
  const hitsOf = async (key: string) => rowsOf<{ hits: number }>(await rt.services.db.execute(sql`select hits from rate_limits where key = ${key}`)).map((r) => Number(r.hits));

  it("given two limits, when hit until one is over, then the request is refused from then on and both are still counted", async () => {
    const rules = [
      { key: "t:user:a", limit: 3, windowMs: 10_000 },
      { key: "t:ip:a", limit: 5, windowMs: 10_000 },
    ];
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await hitRateLimits(rt.services.db, rules, at));
    expect(answers).toEqual([true, true, true, false, false]);
    expect(await hitsOf("t:user:a")).toEqual([5]);
    expect(await hitsOf("t:ip:a")).toEqual([5]);
  });

  it("given a new window, then counting starts again", async () => {
    const rule = { key: "t:user:b", limit: 1, windowMs: 10_000 };
    expect(await hitRateLimits(rt.services.db, [rule], at)).toBe(true);
    expect(await hitRateLimits(rt.services.db, [rule], at)).toBe(false);
    expect(await hitRateLimits(rt.services.db, [rule], new Date(at.getTime() + 10_000))).toBe(true);
  });

  it("given 40 concurrent requests sharing keys in opposite orders, then exactly the limit pass and nothing deadlocks", async () => {
    const a = { key: "t:user:c", limit: 10, windowMs: 10_000 };
    const b = { key: "t:ip:c", limit: 1_000, windowMs: 10_000 };
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => hitRateLimits(rt.services.db, i % 2 ? [a, b] : [b, a], at)));
    expect(answers.filter(Boolean)).toHaveLength(10);
    expect(await hitsOf("t:user:c")).toEqual([40]);
  });

  it("given the same key twice, then it is counted twice", async () => {
    const rule = { key: "t:dup", limit: 10, windowMs: 10_000 };
    await hitRateLimits(rt.services.db, [rule, rule], at);
    expect(await hitsOf("t:dup")).toEqual([2]);
  });
});
