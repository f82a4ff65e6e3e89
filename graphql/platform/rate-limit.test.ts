/** The Postgres fixed-window rate limits, on PGlite or the server of DATABASE_URL. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf } from "@/db/client";
import { createTestRuntime, type TestRuntime } from "../test/harness";
import { hitRateLimits, rateLimitHitsToGiveBack, rateLimitsAllowed, type RateLimitCount } from "./rate-limit";

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

describe("rateLimitsAllowed and rateLimitHitsToGiveBack (a batch counted at once, some of it withdrawn)", () => {
  const at = new Date("2026-11-25T10:00:05Z");
  const window = "2026-11-25T10:00:00.000Z";
  const ip = { key: "ip", limit: 3, windowMs: 10_000 };
  const user = (u: string) => ({ key: `user:${u}`, limit: 1, windowMs: 10_000 });
  const ask = (...rules: { key: string; limit: number; windowMs: number }[]) => ({ rules, now: at });
  /** What countRateLimitHits returns when the rows held `before` hits before the batch. */
  const counted = (asks: ReturnType<typeof ask>[], before: { [key: string]: number | undefined }): RateLimitCount => {
    const inBatch = new Map<string, number>();
    for (const a of asks) for (const r of a.rules) inBatch.set(`${r.key}\u0000${window}`, (inBatch.get(`${r.key}\u0000${window}`) ?? 0) + 1);
    return { asks, inBatch, after: new Map([...inBatch].map(([s, n]) => [s, (before[s.split("\u0000")[0]] ?? 0) + n])) };
  };

  it.each([
    { name: "nothing withdrawn: the k-th hit sees the count before plus k", before: {}, withdrawn: [], allowed: [true, true, true, false], giveBack: [] },
    { name: "a withdrawn ask makes room for a later one, and its hits go back", before: {}, withdrawn: [false, true, false, false], allowed: [true, false, true, true], giveBack: [["ip", 1], ["user:b", 1]] },
    { name: "hits from before the batch still count", before: { ip: 2 }, withdrawn: [false, false, false, false], allowed: [true, false, false, false], giveBack: [] },
    { name: "everyone withdrawn: nobody allowed, every hit goes back", before: { ip: 1 }, withdrawn: [true, true, true, true], allowed: [false, false, false, false], giveBack: [["ip", 4], ["user:a", 1], ["user:b", 1], ["user:c", 1], ["user:d", 1]] },
  ])("$name", ({ before, withdrawn, allowed, giveBack }) => {
    const asks = ["a", "b", "c", "d"].map((u) => ask(user(u), ip));
    const count = counted(asks, before);
    expect(rateLimitsAllowed(count, withdrawn)).toEqual(allowed);
    expect(rateLimitHitsToGiveBack(count, withdrawn)).toEqual(giveBack.map(([key, hits]) => ({ key, windowStart: window, hits })));
  });

  it("given the same person twice in a batch, when the first is withdrawn, then the second is their first hit", () => {
    const asks = [ask(user("a")), ask(user("a"))];
    expect(rateLimitsAllowed(counted(asks, {}), [true, false])).toEqual([false, true]);
    expect(rateLimitHitsToGiveBack(counted(asks, {}), [true, false])).toEqual([{ key: "user:a", windowStart: window, hits: 1 }]);
    expect(rateLimitsAllowed(counted(asks, {}), [false, false])).toEqual([true, false]);
  });
});
