// Shared plumbing for benchmarks that need their own Postgres database and a TypeScript driver:
// cleanup on exit and on signals, a fresh database on the server of $DATABASE_URL (default the
// machine's postgres://postgres@127.0.0.1:5432/postgres), running the driver with tsx, a plain-text
// table, the git commit, and writing bench/results/<name>-<timestamp>.json.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
export class Usage extends Error {}

const cleanups = [];
let cleaning;
export function onCleanup(fn) {
  cleanups.push(fn);
}
export function cleanup() {
  cleaning ??= (async () => {
    while (cleanups.length) {
      try {
        await cleanups.pop()();
      } catch (e) {
        console.error(`cleanup: ${e.message}`);
      }
    }
  })().finally(() => (cleaning = undefined));
  return cleaning;
}

let child;
export let stopping = false;
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(sig, async () => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${sig}: stopping the driver and dropping the bench database…`);
    child?.kill(sig);
    await cleanup();
    process.exit(130);
  });
}
const dirs = new Set();
process.on("exit", () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

export const adminUrl = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const redact = (u) => u.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@");

/** A new, empty database (dropped at cleanup) and the server's connection limit. */
export async function freshDatabase(prefix) {
  const { default: postgres } = await import("postgres");
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  onCleanup(() => admin.end({ timeout: 5 }));
  const name = `lianbo_bench_${prefix}_${randomBytes(4).toString("hex")}`;
  try {
    await admin.unsafe(`create database ${name}`);
  } catch (e) {
    throw new Error(`cannot create a database on ${redact(adminUrl)}: ${e.message}`);
  }
  // `with (force)`: a killed driver may leave connections behind for a moment.
  onCleanup(() => admin.unsafe(`drop database if exists ${name} with (force)`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const [{ max }] = await admin`select setting::int as max from pg_settings where name = 'max_connections'`;
  return { url: url.toString(), maxConnections: max };
}

/** Runs bench/<driver> with tsx (development mode: throwaway secrets) and returns the JSON it wrote to --out. */
export async function runDriver(driver, args) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "lianbo-bench-out-"));
  dirs.add(dir);
  const out = path.join(dir, "result.json");
  const env = { ...process.env };
  delete env.NODE_ENV;
  child = spawn(path.join(root, "node_modules", ".bin", "tsx"), [path.join(root, "bench", driver), ...args, "--out", out], { cwd: root, env, stdio: "inherit" });
  const code = await new Promise((resolve) => child.on("exit", (c, sig) => resolve(sig ? 1 : c)));
  child = undefined;
  if (code !== 0 || !existsSync(out)) throw new Error(`driver exited with ${code}`);
  return JSON.parse(readFileSync(out, "utf8"));
}

export function table(head, body, leftCols = 1) {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => String(b[i]).length)));
  const row = (cells) => `| ${cells.map((c, i) => (i < leftCols ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(" | ")} |`;
  return [row(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...body.map(row)].join("\n");
}

export function git(...args) {
  const r = spawnSync("git", args, { cwd: root, encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** The machine's state at the start, printed with a warning when it is busy. */
export function machineLine() {
  const load = os.loadavg();
  const busy = load[0] > os.cpus().length / 2 ? " (the machine is busy: figures will be noisy)" : "";
  return { load, text: `${os.cpus().length} cores, load average ${load.map((l) => l.toFixed(2)).join(" ")}${busy}` };
}

/** Writes bench/results/<name>-<timestamp>.json with the run's context. */
export function writeResults(name, loadAtStart, options, r) {
  const date = new Date().toISOString();
  const results = {
    benchmark: name,
    date,
    commit: git("rev-parse", "HEAD"),
    dirty: !!git("status", "--porcelain"),
    node: process.version,
    cpus: os.cpus().length,
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: os.loadavg(),
    options,
    ...r,
  };
  const resultsDir = path.join(root, "bench", "results");
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${name}-${date.replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(root, file)}`);
}

/** Runs main() and exits with its code, cleaning up in every case. */
export async function run(name, main) {
  let code;
  try {
    code = await main();
  } catch (e) {
    if (!stopping) console.error(e instanceof Usage ? `usage: ${e.message}` : `${name} bench failed: ${e.message}`);
    code = stopping ? 130 : e instanceof Usage ? 2 : 1;
  }
  await cleanup();
  process.exit(code);
}
