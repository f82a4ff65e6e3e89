import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { config, loadSecrets, overrideSecrets } from "./config";

const KEYS = ["NODE_ENV", "DATABASE_URL", "LIANBO_DATA_DIR", "AUTH_SECRET", "LIANBO_PII_KEYS", "LIANBO_BLIND_INDEX_KEY", "LIANBO_SANDBOX_PAY_SECRET", "LIANBO_DEV_TOOLS"];

describe("secrets and deployment mode", () => {
  const saved: Record<string, string | undefined> = {};
  let dir: string;
  beforeEach(() => {
    for (const k of KEYS) saved[k] = process.env[k];
    for (const k of KEYS) delete process.env[k];
    dir = mkdtempSync(path.join(tmpdir(), "lianbo-config-"));
    process.env.LIANBO_DATA_DIR = dir;
    overrideSecrets(undefined);
  });
  afterEach(() => {
    for (const k of KEYS) (saved[k] === undefined ? delete process.env[k] : (process.env[k] = saved[k]));
    overrideSecrets(undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it("given the embedded database, when secrets are missing, then they are generated once and persisted (0600) in the data folder", () => {
    const first = loadSecrets();
    const file = path.join(dir, "secrets.json");
    expect(existsSync(file)).toBe(true);
    overrideSecrets(undefined);
    expect(loadSecrets()).toEqual(first);
    expect(JSON.parse(readFileSync(file, "utf8")).authSecret).toBe(first.authSecret);
  });

  // The half-written read this guards against (seen once in CI) is too narrow to reproduce on demand;
  // what this does hold: one set of secrets wins, every process reads it whole, no draft stays.
  it("given 12 processes starting at once on a new data folder, then each reads the same secrets and no draft file is left", async () => {
    const probe = path.join(dir, "probe.mts");
    writeFileSync(probe, `import { loadSecrets } from ${JSON.stringify(path.resolve("graphql/platform/config.ts"))};\nprocess.stdout.write(JSON.stringify(loadSecrets()));\n`);
    const tsx = path.resolve("node_modules/.bin/tsx");
    const env = { ...process.env, LIANBO_DATA_DIR: path.join(dir, "data") };
    const run = () =>
      new Promise<string>((resolve, reject) =>
        execFile(tsx, [probe], { env }, (error, stdout, stderr) => (error ? reject(new Error(stderr || error.message)) : resolve(stdout))),
      );

    const answers = await Promise.all(Array.from({ length: 12 }, run));

    expect(new Set(answers).size).toBe(1);
    expect(JSON.parse(answers[0])).toMatchObject({ activePiiKeyId: "k1" });
    expect(readdirSync(path.join(dir, "data"))).toEqual(["secrets.json"]); // no drafts left behind
  }, 60_000);

  it("given NODE_ENV=production on a Postgres server, when secrets are missing, then it refuses to start and writes nothing", () => {
    (process.env as Record<string, string>).NODE_ENV = "production";
    process.env.DATABASE_URL = "postgres://example.invalid/db";
    expect(() => loadSecrets()).toThrow(/Refusing to start/);
    expect(existsSync(path.join(dir, "secrets.json"))).toBe(false);
    expect(config.productionMode).toBe(true);
    expect(config.devTools).toBe(false);
  });

  it("given a malformed LIANBO_PII_KEYS, then it refuses", () => {
    process.env.LIANBO_PII_KEYS = "k1:short";
    expect(() => loadSecrets()).toThrow(/LIANBO_PII_KEYS/);
  });
});
