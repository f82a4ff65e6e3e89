import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Configuration from the environment. On the embedded database (the quick start) the app generates
 * its secrets on first run and keeps them in the data folder; in production on a Postgres server it
 * refuses to start without them.
 */
export type Secrets = {
  authSecret: string;
  /** PII encryption keys by id; `activePiiKeyId` encrypts, all of them decrypt (rotation). */
  piiKeys: Record<string, string>;
  activePiiKeyId: string;
  blindIndexKey: string;
  sandboxPaySecret: string;
};

export const config = {
  get databaseUrl(): string | undefined {
    return process.env.DATABASE_URL || undefined;
  },
  get dataDir(): string {
    return path.resolve(/*turbopackIgnore: true*/ process.env.LIANBO_DATA_DIR || path.join(process.cwd(), ".data"));
  },
  /** A production deployment: NODE_ENV=production on a real Postgres server. */
  get productionMode(): boolean {
    return process.env.NODE_ENV === "production" && !!process.env.DATABASE_URL;
  },
  /** The SMS outbox and the clock command exist only outside production (or when a test run asks). */
  get devTools(): boolean {
    return !this.productionMode || process.env.LIANBO_DEV_TOOLS === "1";
  },
  get port(): number {
    return Number(process.env.PORT || 3000);
  },
};

let cached: Secrets | undefined;

/** PII keys from LIANBO_PII_KEYS="k2:<base64>,k1:<base64>" — the first one is active. */
function piiKeysFromEnv(raw: string): Pick<Secrets, "piiKeys" | "activePiiKeyId"> {
  const pairs = raw.split(",").map((p) => p.trim()).filter(Boolean).map((p) => p.split(":"));
  if (!pairs.length || pairs.some((p) => p.length !== 2 || Buffer.from(p[1], "base64").length !== 32)) {
    throw new Error("LIANBO_PII_KEYS must be id:<32-byte base64>[,id:<base64>…]");
  }
  return { piiKeys: Object.fromEntries(pairs), activePiiKeyId: pairs[0][0] };
}

function fromEnv(): Partial<Secrets> {
  const env = process.env;
  return {
    authSecret: env.AUTH_SECRET,
    ...(env.LIANBO_PII_KEYS ? piiKeysFromEnv(env.LIANBO_PII_KEYS) : {}),
    blindIndexKey: env.LIANBO_BLIND_INDEX_KEY,
    sandboxPaySecret: env.LIANBO_SANDBOX_PAY_SECRET,
  };
}

function generated(): Secrets {
  const key = () => randomBytes(32).toString("base64");
  return { authSecret: key(), piiKeys: { k1: key() }, activePiiKeyId: "k1", blindIndexKey: key(), sandboxPaySecret: key() };
}

/** Reads (or on first run creates) the secrets. Synchronous so that auth config can use it. */
export function loadSecrets(): Secrets {
  if (cached) return cached;
  const env = fromEnv();
  const missing = (["authSecret", "piiKeys", "blindIndexKey", "sandboxPaySecret"] as const).filter((k) => !env[k]);
  if (!missing.length) return (cached = env as Secrets);
  if (config.productionMode) {
    throw new Error(
      `Refusing to start: production needs AUTH_SECRET, LIANBO_PII_KEYS, LIANBO_BLIND_INDEX_KEY and LIANBO_SANDBOX_PAY_SECRET (missing: ${missing.join(", ")})`,
    );
  }
  const file = path.join(config.dataDir, "secrets.json");
  mkdirSync(config.dataDir, { recursive: true });
  // Written whole under a name of this process's own, then linked into place: the link either
  // creates secrets.json with all of its content or finds one there (EEXIST: another process won).
  // Creating secrets.json itself exclusively and then writing it let a process starting at the same
  // moment read it empty (seen in CI: parallel test workers on one data folder).
  const draft = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(draft, JSON.stringify(generated(), null, 2), { flag: "wx", mode: 0o600 });
  try {
    linkSync(draft, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  } finally {
    unlinkSync(draft);
  }
  const stored = JSON.parse(readFileSync(file, "utf8")) as Secrets;
  return (cached = { ...stored, ...Object.fromEntries(Object.entries(env).filter(([, v]) => v)) } as Secrets);
}

/** For tests that rotate keys. */
export function overrideSecrets(next: Secrets | undefined) {
  cached = next;
}
