import { describe, expect, it } from "vitest";
import { simulate } from "../test/simulate";
import { ScenarioError } from "./simulator";

const rules = { k: 2, rDirectBp: 1000, rTeamBp: 500, rPeerBp: 2000, maxDepth: 3, capTotalBp: 2000, settleDays: 7 };


describe("simulated refunds (rule book §4, §7)", () => {
  const refundBlocksPromotion = (endDay: number) => ({
    rules,
    users: [{ id: "A", role: "LEADER" }],
    events: [
      { day: 0, register: "B", invitedBy: "A" },
      { day: 1, register: "D", invitedBy: "B" },
      { day: 1, register: "E", invitedBy: "B" },
      { day: 1, order: "O3", buyer: "D", lines: [39900] },
      { day: 1, order: "O4", buyer: "E", lines: [12000] },
      { day: 2, receive: "O3" },
      { day: 2, receive: "O4" },
      { day: 7, refund: "O4" },
      { day: 10, register: "H", invitedBy: "B" },
      { day: 10, order: "O7", buyer: "H", lines: [15000] },
      { day: 11, receive: "O7" },
      { day: endDay, end: true },
    ],
  });

  it("given E refunds O4 within the return window, then B's and A's rewards on O4 are reversed and B is not promoted", async () => {
    const out = await simulate(refundBlocksPromotion(12));
    expect(out.rewards.filter((r) => r.order === "O4")).toEqual([
      { order: "O4", line: 1, receiver: "B", type: "DIRECT", depth: 1, amount: 1200, status: "REVERSED" },
      { order: "O4", line: 1, receiver: "A", type: "TEAM", depth: 2, amount: 600, status: "REVERSED" },
    ]);
    expect(out.users.B).toMatchObject({ role: "SHARER", leader: "A", reversed: 1200 });
    expect(out.rewards.filter((r) => r.order === "O7")).toEqual([
      { order: "O7", line: 1, receiver: "B", type: "DIRECT", depth: 1, amount: 1500, status: "PENDING" },
      { order: "O7", line: 1, receiver: "A", type: "TEAM", depth: 2, amount: 750, status: "PENDING" },
    ]);
  });

  it("given the same history, when H's order settles, then B is promoted (detached from A) and H keeps leader A", async () => {
    const later = await simulate(refundBlocksPromotion(18));
    expect(later.users.B).toMatchObject({ role: "LEADER", detachedFrom: "A", available: 3990 + 1500 });
    expect(later.users.H.leader).toBe("A");
  });

  it("given a partial refund after settlement, then rewards keep ⌊original × remaining ÷ base⌋ and the wallet is debited by the difference", async () => {
    const out = await simulate({
      rules,
      users: [{ id: "A", role: "LEADER" }],
      events: [
        { day: 0, register: "B", invitedBy: "A" },
        { day: 0, order: "O1", buyer: "B", lines: [19900, 5000] },
        { day: 1, receive: "O1" },
        { day: 9, refund: "O1", line: 1, amount: 9950 },
        { day: 10, end: true },
      ],
    });
    // Line 1: base 19900 → 9950 remains: DIRECT 1990 → 995, TEAM 995 → 497 (floor). Line 2 untouched.
    expect(out.rewards).toEqual([
      { order: "O1", line: 1, receiver: "A", type: "DIRECT", depth: 1, amount: 1990, status: "SETTLED", reversedAmount: 995 },
      { order: "O1", line: 1, receiver: "A", type: "TEAM", depth: 1, amount: 995, status: "SETTLED", reversedAmount: 498 },
      { order: "O1", line: 2, receiver: "A", type: "DIRECT", depth: 1, amount: 500, status: "SETTLED" },
      { order: "O1", line: 2, receiver: "A", type: "TEAM", depth: 1, amount: 250, status: "SETTLED" },
    ]);
    expect(out.users.A).toMatchObject({ available: 1990 + 995 + 500 + 250 - 995 - 498, reversed: 995 + 498, pending: 0 });
  });

  it("given a refund larger than what remains, then the scenario is refused", async () => {
    await expect(
      simulate({
        rules,
        users: [{ id: "A", role: "LEADER" }],
        events: [
          { day: 0, register: "B", invitedBy: "A" },
          { day: 0, order: "O1", buyer: "B", lines: [1000] },
          { day: 1, refund: "O1", amount: 1001 },
        ],
      }),
    ).rejects.toBeInstanceOf(ScenarioError);
  });
});

describe("simulated withdrawals (rule book §5)", () => {
  it("given a settled balance, when the user withdraws part of it, then available drops and withdrawn records it; more than available is refused", async () => {
    const base = {
      rules,
      users: [{ id: "A", role: "LEADER" }],
      events: [
        { day: 0, register: "B", invitedBy: "A" },
        { day: 0, order: "O1", buyer: "B", lines: [19900] },
        { day: 1, receive: "O1" },
        { day: 9, withdraw: "A", amount: 1000 },
        { day: 10, end: true },
      ],
    };
    const out = await simulate(base);
    expect(out.users.A).toMatchObject({ available: 1990 + 995 - 1000, withdrawn: 1000, pending: 0 });
    await expect(simulate({ ...base, events: base.events.map((e) => ("withdraw" in e ? { ...e, amount: 3000 } : e)) })).rejects.toBeInstanceOf(ScenarioError);
  });
});
