import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ruleSets } from "@/db/schema";
import { createTestRuntime, gql, gqlOk, type TestRuntime } from "../test/harness";
import { createConsumer, createPerson } from "../test/fixtures";
import type { Viewer } from "../core/viewer";

const PUBLISH = `mutation($input: PublishRuleSetInput!) { publishRuleSet(input: $input) { ruleSet { version capTotalBp } errors { code field } } }`;
const valid = { k: 2, rDirectBp: 1000, rTeamBp: 500, rPeerBp: 2000, maxDepth: 3, capTotalBp: 2000, settleDays: 7 };

describe("operator rule sets: versions within the ceilings", () => {
  let rt: TestRuntime;
  let operator: Viewer;
  const versions = async () => (await rt.services.db.select().from(ruleSets)).length;
  beforeAll(async () => {
    rt = await createTestRuntime();
    operator = (await createPerson(rt, { roles: ["OPERATOR"], login: "ops-rules" })).viewer;
  });
  afterAll(() => rt?.dispose());

  it.each([
    ["maxDepth 4", { maxDepth: 4 }, "MAX_DEPTH_CEILING"],
    ["capTotal 30.01%", { capTotalBp: 3001 }, "CAP_CEILING"],
    ["settleDays 6", { settleDays: 6 }, "SETTLE_DAYS_FLOOR"],
  ])("given %s, when an operator publishes it, then the server refuses it and no version is written", async (_l, override, code) => {
    const before = await versions();
    const data = await gqlOk(rt, operator, PUBLISH, { input: { ...valid, ...override } });
    expect(data.publishRuleSet).toEqual({ ruleSet: null, errors: [{ code, field: Object.keys(override)[0] }] });
    expect(await versions()).toBe(before);
  });

  it("given values within the ceilings, when published, then a new version is in force and the public rule book shows it", async () => {
    const data = await gqlOk(rt, operator, PUBLISH, { input: { ...valid, capTotalBp: 1500 } });
    expect(data.publishRuleSet.errors).toEqual([]);
    const book = await gqlOk(rt, null, `{ ruleBook { version capTotalBp } }`);
    expect(book.ruleBook).toEqual({ version: data.publishRuleSet.ruleSet.version, capTotalBp: 1500 });
  });

  it("given a consumer, when they try to publish, then FORBIDDEN and nothing is written", async () => {
    const consumer = await createConsumer(rt);
    const before = await versions();
    const result = await gql(rt, consumer.viewer, PUBLISH, { input: valid });
    expect(result.errors[0].extensions?.code).toBe("FORBIDDEN");
    expect(await versions()).toBe(before);
  });

  it("given the rule book's example 2, when the operator simulates it, then the outcome equals the expected file", async () => {
    const dir = path.resolve(__dirname, "fixtures");
    const scenario = readFileSync(path.join(dir, "example-2.json"), "utf8");
    const data = await gqlOk(rt, operator, `mutation($s: String!) { simulateScenario(scenario: $s) { outcome errors { code } } }`, { s: scenario });
    expect(JSON.parse(data.simulateScenario.outcome)).toEqual(JSON.parse(readFileSync(path.join(dir, "example-2.expected.json"), "utf8")));
  });

  it("given a malformed scenario, when simulated, then INVALID_SCENARIO", async () => {
    const data = await gqlOk(rt, operator, `mutation($s: String!) { simulateScenario(scenario: $s) { outcome errors { code } } }`, { s: "{not json" });
    expect(data.simulateScenario).toEqual({ outcome: null, errors: [{ code: "INVALID_SCENARIO" }] });
  });
});
