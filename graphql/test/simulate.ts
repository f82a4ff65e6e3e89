import { createTestRuntime } from "./harness";
import { runScenario, validateScenario, type Outcome } from "../referral/simulator";

/** Runs a 链动2+1 scenario on a fresh throwaway runtime (the simulator's own rules apply). */
export async function simulate(raw: unknown): Promise<Outcome> {
  const rt = await createTestRuntime();
  try {
    return await runScenario(rt, validateScenario(raw));
  } finally {
    await rt.dispose();
  }
}

/** The rule book's §7 parameters. */
export const BOOK_RULES = { k: 2, rDirectBp: 1000, rTeamBp: 500, rPeerBp: 2000, maxDepth: 3, capTotalBp: 2000, settleDays: 7 };
