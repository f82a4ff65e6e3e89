import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { simulate } from "../test/simulate";
import { ScenarioError, validateScenario } from "./simulator";

// The rule book's worked example, vendored (fixtures/README.md) so a clone anywhere runs it.
const fixtures = path.resolve(__dirname, "fixtures");
const load = (name: string) => JSON.parse(readFileSync(path.join(fixtures, name), "utf8"));


describe("the 链动2+1 simulator, through the real services", () => {
  it("given the rule book's worked example 2, when simulated, then the outcome equals the expected file exactly", async () => {
    expect(await simulate(load("example-2.json"))).toEqual(load("example-2.expected.json"));
  });

  it.each([
    ["maxDepth above 3", { maxDepth: 4 }],
    ["capTotal above 30%", { capTotalBp: 3001 }],
    ["settleDays below 7", { settleDays: 6 }],
  ])("given rules with %s, when validated, then the scenario is refused", (_label, override) => {
    const raw = load("example-2.json");
    raw.rules = { ...raw.rules, ...override };
    expect(() => validateScenario(raw)).toThrow(ScenarioError);
  });

  it("given a REGISTERED inviter, when their invitee buys, then the inviter earns nothing and the leader still gets TEAM", async () => {
    const out = await simulate({
      rules: { k: 2, rDirectBp: 1000, rTeamBp: 500, rPeerBp: 2000, maxDepth: 3, capTotalBp: 2000, settleDays: 7 },
      users: [{ id: "A", role: "LEADER" }],
      events: [
        { day: 0, register: "R", invitedBy: "A", role: "REGISTERED" },
        { day: 0, register: "X", invitedBy: "R" },
        { day: 0, order: "O1", buyer: "X", lines: [10000] },
        { day: 1, receive: "O1" },
        { day: 9, end: true },
      ],
    });
    expect(out.rewards).toEqual([{ order: "O1", line: 1, receiver: "A", type: "TEAM", depth: 2, amount: 500, status: "SETTLED" }]);
    expect(out.users.R.available).toBe(0);
  });

  it("given an invitee on the inviter's device (risk pair), when they buy, then no reward of any type is created and the inviter is never qualified", async () => {
    const out = await simulate({
      rules: { k: 1, rDirectBp: 1000, rTeamBp: 500, rPeerBp: 2000, maxDepth: 3, capTotalBp: 2000, settleDays: 7 },
      users: [{ id: "A", role: "LEADER" }],
      events: [
        { day: 0, register: "B", invitedBy: "A", device: "d-1" },
        { day: 0, register: "B2", invitedBy: "B", device: "d-1" },
        { day: 0, order: "O1", buyer: "B2", lines: [10000] },
        { day: 1, receive: "O1" },
        { day: 9, end: true },
      ],
    });
    expect(out.rewards).toEqual([]);
    expect(out.users.B.role).toBe("SHARER");
  });

  it("given the depth ceiling, when a buyer's leader is 4 levels up, then TEAM is not paid", async () => {
    const out = await simulate({
      rules: { k: 2, rDirectBp: 1000, rTeamBp: 500, rPeerBp: 2000, maxDepth: 3, capTotalBp: 2000, settleDays: 7 },
      users: [{ id: "A", role: "LEADER" }],
      events: [
        { day: 0, register: "B", invitedBy: "A" },
        { day: 0, register: "C", invitedBy: "B" },
        { day: 0, register: "D", invitedBy: "C" },
        { day: 0, register: "E", invitedBy: "D" },
        { day: 0, order: "O1", buyer: "E", lines: [10000] },
        { day: 20, end: true },
      ],
    });
    expect(out.users.E.leader).toBe("A");
    expect(out.rewards).toEqual([{ order: "O1", line: 1, receiver: "D", type: "DIRECT", depth: 1, amount: 1000, status: "PENDING" }]);
  });
});
