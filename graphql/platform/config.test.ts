import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
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
