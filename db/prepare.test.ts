/**
 * The prepare policy (db/prepare.ts): which statement texts become named prepared statements, and —
 * on a real Postgres server — that statements drizzle sends inside transactions and savepoints
 * follow it (postgres.js's scoped clients are wrapped too), seen in the server's own
 * pg_prepared_statements for the transaction's connection.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { rowsOf } from "@/db/client";
import { createTestRuntime, type TestRuntime } from "@/graphql/test/harness";
import { PreparePolicy } from "./prepare";

describe("PreparePolicy", () => {
  it.each([
    { name: "a text seen once stays unnamed", capacity: 10, texts: ["a"], expected: [false], size: 0 },
    { name: "from its second sighting a text is prepared", capacity: 10, texts: ["a", "a", "a"], expected: [false, true, true], size: 1 },
    { name: "texts are told apart", capacity: 10, texts: ["a", "b", "a", "b"], expected: [false, false, true, true], size: 2 },
    { name: "past the capacity a new text stays unnamed however often it comes", capacity: 1, texts: ["a", "a", "b", "b", "b"], expected: [false, true, false, false, false], size: 1 },
    { name: "an admitted text stays admitted at capacity", capacity: 1, texts: ["a", "a", "b", "b", "a"], expected: [false, true, false, false, true], size: 1 },
  ])("$name", ({ capacity, texts, expected, size }) => {
    const policy = new PreparePolicy(capacity);
    expect(texts.map((t) => policy.shouldPrepare(t))).toEqual(expected);
    expect(policy.size).toBe(size);
  });

  it("given the once-seen set is full, when it is forgotten, then a text needs two sightings again (and the set never grows past its bound)", () => {
    const policy = new PreparePolicy(10, 2);
    expect(policy.shouldPrepare("a")).toBe(false);
    expect(policy.shouldPrepare("b")).toBe(false);
    expect(policy.shouldPrepare("c")).toBe(false); // the set held 2: forgotten, then c
    expect(policy.shouldPrepare("a")).toBe(false);
    expect(policy.shouldPrepare("a")).toBe(true);
  });

  it("given a caller that names its statement (a fixed text), then it is prepared at once and does not count against the capacity", () => {
    const policy = new PreparePolicy(1);
    expect(policy.shouldPrepare("fixed", true)).toBe(true);
    expect(policy.size).toBe(0);
  });

  it("given the policy switched off (LIANBO_DB_PREPARE=off), then nothing is prepared, named or repeated", () => {
    const policy = new PreparePolicy(10, 100, false);
    expect([policy.shouldPrepare("a"), policy.shouldPrepare("a"), policy.shouldPrepare("b", true)]).toEqual([false, false, false]);
  });

  it("never admits more than its capacity, whatever comes", () => {
    const policy = new PreparePolicy(50);
    for (let i = 0; i < 1_000; i++) {
      policy.shouldPrepare(`t${i % 300}`);
      policy.shouldPrepare(`t${i % 300}`);
    }
    expect(policy.size).toBe(50);
  });
});

describe.runIf(Boolean(process.env.DATABASE_URL))("prepared statements on Postgres", () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime();
  });
  afterAll(() => rt.dispose());

  const preparedLike = async (tx: typeof rt.services.db, marker: string) =>
    Number(rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from pg_prepared_statements where statement like ${`%${marker}%`} and statement not like '%pg_prepared_statements%'`))[0].n);

  it("given a statement sent twice in one transaction, then the second time it is a named prepared statement of that connection", async () => {
    const marker = `probe_tx_${Date.now()}`;
    await rt.services.db.transaction(async (tx) => {
      const probe = () => tx.execute(sql`select ${7}::int + 1 as ${sql.raw(marker)}`);
      expect(rowsOf<Record<string, number>>(await probe())[0][marker]).toBe(8);
      expect(await preparedLike(tx, marker)).toBe(0);
      expect(rowsOf<Record<string, number>>(await probe())[0][marker]).toBe(8);
      expect(await preparedLike(tx, marker)).toBe(1);
    });
  });

  it("given a savepoint inside the transaction, then statements in it follow the policy too", async () => {
    const marker = `probe_sp_${Date.now()}`;
    await rt.services.db.transaction(async (tx) => {
      await tx.transaction(async (inner) => {
        const probe = () => inner.execute(sql`select ${2}::int * 3 as ${sql.raw(marker)}`);
        await probe();
        expect(rowsOf<Record<string, number>>(await probe())[0][marker]).toBe(6);
        expect(await preparedLike(inner, marker)).toBe(1);
      });
    });
  });
});
