import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { teamMembers } from "@/db/schema";
import { createTestRuntime, type TestRuntime } from "../test/harness";
import { runScenario, validateScenario } from "./simulator";
import { foldTeamDeltas, teamStatsOf } from "./team-stats.service";

describe("maintained team statistics (insert-only deltas folded by a job)", () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime();
  });
  afterAll(() => rt?.dispose());

  it("given the worked example's history, then A leads C, D, E, F and B leads G, with their team sales, before and after folding", async () => {
    await runScenario(
      rt,
      validateScenario({
        rules: { k: 2, rDirectBp: 1000, rTeamBp: 500, rPeerBp: 2000, maxDepth: 3, capTotalBp: 2000, settleDays: 7 },
        users: [{ id: "A", role: "LEADER" }],
        events: [
          { day: 0, register: "B", invitedBy: "A" },
          { day: 0, register: "C", invitedBy: "A" },
          { day: 1, register: "D", invitedBy: "B" },
          { day: 1, register: "E", invitedBy: "B" },
          { day: 1, order: "O3", buyer: "D", lines: [39900] },
          { day: 1, order: "O4", buyer: "E", lines: [12000] },
          { day: 2, receive: "O3" },
          { day: 2, receive: "O4" },
          { day: 10, register: "F", invitedBy: "D" },
          { day: 10, register: "G", invitedBy: "B" },
          { day: 10, order: "O6", buyer: "G", lines: [20000] },
        ],
      }),
    );
    const leaders = await rt.services.db.select().from(teamMembers).where(eq(teamMembers.role, "LEADER"));
    expect(leaders).toHaveLength(2);
    const [a, b] = [leaders.find((l) => l.detachedFromId === null)!, leaders.find((l) => l.detachedFromId !== null)!];
    const expected = async () => {
      expect(await teamStatsOf(rt.services.db, a.userId)).toEqual({ members: 4, sales: 39900 + 12000 });
      expect(await teamStatsOf(rt.services.db, b.userId)).toEqual({ members: 1, sales: 20000 });
    };
    await expected();
    await rt.services.db.transaction((tx) => foldTeamDeltas(tx, rt.services.clock.now()));
    await expected();
  });
});
