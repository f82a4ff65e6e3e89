// `npm run simulate -- <scenario.json>`: replays a 链动2+1 scenario through the real services on a
// throwaway embedded database and prints the outcome as JSON on stdout (and nothing else there).
// A malformed file or rules beyond a ceiling: exit 2 with one line on stderr.
import "reflect-metadata";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const stdoutWrite = process.stdout.write.bind(process.stdout);
console.log = console.error; // logs never reach stdout
console.info = console.error;

async function main() {
  const file = process.argv[2];
  if (!file) throw Object.assign(new Error("usage: npm run simulate -- <scenario.json>"), { exit: 2 });
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path.resolve(process.cwd(), file), "utf8"));
  } catch (e) {
    throw Object.assign(new Error(`cannot read scenario: ${(e as Error).message}`), { exit: 2 });
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), "lianbo-sim-"));
  process.env.LIANBO_DATA_DIR ??= dataDir;
  const { validateScenario, runScenario, ScenarioError } = await import("../graphql/referral/simulator");
  const { bootRuntime } = await import("../graphql/runtime");
  let scenario;
  try {
    scenario = validateScenario(raw);
  } catch (e) {
    if (e instanceof ScenarioError) throw Object.assign(e, { exit: 2 });
    throw e;
  }
  const rt = await bootRuntime({ dataDir: "memory://", seedDemo: false, workers: false });
  try {
    const outcome = await runScenario(rt, scenario);
    stdoutWrite(JSON.stringify(outcome, null, 2) + "\n");
  } catch (e) {
    if (e instanceof ScenarioError) throw Object.assign(e, { exit: 2 });
    throw e;
  } finally {
    await rt.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`simulate: ${(e as Error).message}`);
  process.exit((e as { exit?: number }).exit ?? 1);
});
