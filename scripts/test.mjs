#!/usr/bin/env node
// `npm test`: the whole suite. Type-check, migration drift, unit + integration tests (vitest, on
// DATABASE_URL's server in fresh databases, or in-memory PGlite), then the browser tests against the
// production build (Playwright + Chromium). Ends with one line: "lianbo: N passed, N failed".
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const isCI = process.env.CI === "true" || process.env.CI === "1";
const work = mkdtempSync(path.join(tmpdir(), "lianbo-suite-"));
let passed = 0;
let failed = 0;
let problems = [];

function run(label, cmd, args, extraEnv = {}) {
  console.log(`\n› ${label}`);
  const r = spawnSync(cmd, args, { cwd: root, env: { ...env, ...extraEnv }, stdio: "inherit" });
  if (r.status !== 0) problems.push(label);
  return r.status === 0;
}

function countVitest(file) {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, "utf8"));
  passed += report.numPassedTests ?? 0;
  failed += (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
}

function countPlaywright(file) {
  if (!existsSync(file)) return;
  const stats = JSON.parse(readFileSync(file, "utf8")).stats ?? {};
  passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
  failed += stats.unexpected ?? 0;
}

/** `next start` is a production build: on a Postgres server it refuses to start without secrets. */
function throwawaySecrets() {
  const key = () => randomBytes(32).toString("base64");
  return {
    AUTH_SECRET: key(),
    LIANBO_PII_KEYS: `e2e:${key()}`,
    LIANBO_BLIND_INDEX_KEY: key(),
    LIANBO_SANDBOX_PAY_SECRET: key(),
  };
}

async function withE2eDatabase(fn) {
  const base = process.env.DATABASE_URL;
  if (!base) return fn({ LIANBO_DATA_DIR: path.join(work, "e2e-data") });
  const { default: postgres } = await import("postgres");
  const name = `lianbo_e2e_${Date.now().toString(36)}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  try {
    return fn({ DATABASE_URL: url.toString(), LIANBO_DATA_DIR: path.join(work, "e2e-data"), ...throwawaySecrets() });
  } finally {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

run("type-check (tsc)", bin("tsc"), ["--noEmit", "-p", "."]);
run("migrations match db/schema", process.execPath, [path.join(root, "scripts", "check-migrations.mjs")]);

const vitestJson = path.join(work, "vitest.json");
console.log(`\n› unit and integration tests on ${process.env.DATABASE_URL ? "Postgres (DATABASE_URL)" : "embedded PGlite"}`);
const vitest = spawnSync(bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`], { cwd: root, env, stdio: "inherit" });
countVitest(vitestJson);
if (vitest.status !== 0) problems.push("vitest");

const chromium = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
if (!existsSync(chromium)) {
  const msg = `browser tests SKIPPED: no Chromium at ${chromium} (install Debian's chromium or set CHROMIUM_PATH)`;
  console.log(`\n! ${msg}`);
  if (isCI) {
    problems.push("e2e (no Chromium on CI)");
    failed++;
  }
} else if (run("production build for the browser tests", bin("next"), ["build"])) {
  const pwJson = path.join(work, "playwright.json");
  await withE2eDatabase(async (dbEnv) => {
    const ok = run("browser tests (Playwright + Chromium)", bin("playwright"), ["test"], {
      ...dbEnv,
      CHROMIUM_PATH: chromium,
      LIANBO_DEV_TOOLS: "1",
      PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson,
    });
    countPlaywright(pwJson);
    if (!dbEnv.DATABASE_URL) console.log("\n! not run on embedded PGlite: e2e/live-cross-instance.spec.ts (two app instances need one Postgres server; set DATABASE_URL, as .ci/run does)");
    return ok;
  });
}

rmSync(work, { recursive: true, force: true });
if (problems.length) console.log(`\nFailed steps: ${problems.join(", ")}`);
if (problems.length && failed === 0) failed = problems.length;
console.log(`\nlianbo: ${passed} passed, ${failed} failed`);
process.exit(problems.length ? 1 : 0);
