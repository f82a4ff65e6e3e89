#!/usr/bin/env node
// bench/flash-sale (issue 5, "Benchmark"): 10,000 units of one SKU on a flash sale, 8, 32 and 64
// concurrent buyers through the real GraphQL checkout (placeFlashOrder) on real Postgres until sold out.
// Reports orders/s, p50/p99 latency, oversell (must be 0), and the ratio to the raw single-row ceiling
// measured in the same run (one row decremented and one row inserted per transaction by the same number
// of connections), and the ratio c=64 / c=8.
//
//   npm run bench -- [--units 10000] [--concurrency 8,32,64] [--buyers 2000] [--pool N] [--warmup 300]
//   node bench/flash-sale.mjs [same options]
//
// The checkout is driven in-process through the runtime's HTTP handler (what app/api/graphql/route.ts
// calls: bearer token → viewer, X-Forwarded-For → IP, then Apollo), not through `next start`: the bench
// needs no production build and so never competes with one for the two cores. See
// bench/flash-sale-driver.ts for exactly what a request does. The database is fresh
// (lianbo_bench_flash_<random> on the server of $DATABASE_URL, default
// postgres://postgres@127.0.0.1:5432/postgres) and dropped afterwards.
// Results: a table on stdout and bench/results/flash-sale-<timestamp>.json.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const KNOWN = ["units", "concurrency", "buyers", "pool", "warmup"];

// ── options ────────────────────────────────────────────────────────────────────────────────────────
class Usage extends Error {}
function options() {
  // Not strict: bench/run.mjs passes the same arguments to every benchmark.
  const { values } = parseArgs({
    strict: false,
    options: {
      units: { type: "string", default: "10000" },
      concurrency: { type: "string", default: "8,32,64" },
      buyers: { type: "string", default: "2000" },
      pool: { type: "string" },
      warmup: { type: "string", default: "300" },
    },
  });
  const unknown = Object.keys(values).filter((k) => !KNOWN.includes(k));
  if (unknown.length) console.log(`flash-sale: ignoring options meant for other benchmarks: ${unknown.map((k) => `--${k}`).join(" ")}`);
  const int = (name, min, max = Number.MAX_SAFE_INTEGER) => {
    const v = Number(values[name]);
    if (typeof values[name] !== "string" || !Number.isInteger(v) || v < min || v > max) throw new Usage(`--${name} must be an integer from ${min} to ${max}`);
    return v;
  };
  const concurrency = String(values.concurrency).split(",").map(Number);
  if (!concurrency.length || concurrency.some((c) => !Number.isInteger(c) || c < 1 || c > 90)) throw new Usage("--concurrency takes a list like 8,32,64 (each 1–90)");
  return {
    units: int("units", 100, 100_000),
    concurrency,
    buyers: int("buyers", 10),
    pool: values.pool === undefined ? undefined : int("pool", 1, 90),
    warmup: int("warmup", 0, 100_000),
  };
}

// ── cleanup ────────────────────────────────────────────────────────────────────────────────────────
const cleanups = [];
let cleaning;
function cleanup() {
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
let stopping = false;
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

const adminUrl = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const redact = (u) => u.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@");

async function freshDatabase() {
  const { default: postgres } = await import("postgres");
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  cleanups.push(() => admin.end({ timeout: 5 }));
  const name = `lianbo_bench_flash_${randomBytes(4).toString("hex")}`;
  try {
    await admin.unsafe(`create database ${name}`);
  } catch (e) {
    throw new Error(`cannot create a database on ${redact(adminUrl)}: ${e.message}`);
  }
  // `with (force)`: a killed driver may leave connections behind for a moment.
  cleanups.push(() => admin.unsafe(`drop database if exists ${name} with (force)`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const [{ max }] = await admin`select setting::int as max from pg_settings where name = 'max_connections'`;
  return { url: url.toString(), maxConnections: max };
}

// ── reporting ──────────────────────────────────────────────────────────────────────────────────────
function table(head, body, leftCols = 1) {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => String(b[i]).length)));
  const row = (cells) => `| ${cells.map((c, i) => (i < leftCols ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(" | ")} |`;
  return [row(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...body.map(row)].join("\n");
}

function report(r) {
  const f1 = (n) => (Number.isFinite(n) ? n.toFixed(1) : "—");
  const body = r.levels.map(({ c, raw, app, ratioToRaw }) => [
    `c=${c}`,
    f1(app.ordersPerS),
    f1(app.orderLatencyMs.p50),
    f1(app.orderLatencyMs.p99),
    f1(app.soldOutLatencyMs.p50),
    app.oversell,
    `${app.unitsLeftInSegments}/${app.minSegment}`,
    app.deadlocks,
    f1(raw.txPerS),
    f1(raw.latencyMs.p50),
    f1(raw.latencyMs.p99),
    raw.oversell,
    `×${ratioToRaw.toFixed(2)}`,
  ]);
  console.log(`\n${r.units.toLocaleString("en")} units per level; app = placeFlashOrder through the runtime's HTTP handler (pool ${r.appPool});`);
  console.log(`raw = one stock row decremented + one row inserted per transaction, c connections; latencies in ms`);
  console.log(
    table(
      ["level", "app orders/s", "app p50", "app p99", "SOLD_OUT p50", "oversell", "left/min seg", "deadlocks", "raw tx/s", "raw p50", "raw p99", "raw oversell", "app/raw"],
      body,
    ),
  );
  const by = (c) => r.levels.find((l) => l.c === c);
  const lo = by(Math.min(...r.levels.map((l) => l.c)));
  const hi = by(Math.max(...r.levels.map((l) => l.c)));
  if (lo && hi && lo !== hi) {
    r.scaling = {
      from: lo.c,
      to: hi.c,
      app: Number((hi.app.ordersPerS / lo.app.ordersPerS).toFixed(2)),
      raw: Number((hi.raw.txPerS / lo.raw.txPerS).toFixed(2)),
    };
    console.log(`\nc=${hi.c} / c=${lo.c}: app ×${r.scaling.app.toFixed(2)} (aim ≥ 0.8), raw single row ×${r.scaling.raw.toFixed(2)}`);
  }
  const worst = Math.min(...r.levels.map((l) => l.ratioToRaw));
  console.log(`app / raw single row: worst ×${worst.toFixed(2)} (aim ≥ 0.5 at every level, > 1 with segmented stock)`);
  const oversold = r.levels.filter((l) => l.app.oversell !== 0 || l.app.minSegment < 0);
  console.log(oversold.length ? `OVERSELL at ${oversold.map((l) => `c=${l.c}`).join(", ")}` : "oversell: 0 at every level");
  return oversold.length === 0;
}

function git(...args) {
  const r = spawnSync("git", args, { cwd: root, encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

// ── main ───────────────────────────────────────────────────────────────────────────────────────────
async function main() {
  const opts = options();
  const loadAtStart = os.loadavg();
  console.log(
    `flash-sale: ${opts.units.toLocaleString("en")} units at c=${opts.concurrency.join(", ")}; ${opts.buyers} buyers; ${os.cpus().length} cores, ` +
      `load average ${loadAtStart.map((l) => l.toFixed(2)).join(" ")}${loadAtStart[0] > os.cpus().length / 2 ? " (the machine is busy: figures will be noisy)" : ""}`,
  );
  const { url, maxConnections } = await freshDatabase();
  const needed = Math.max(...opts.concurrency) + (opts.pool ?? 10) + 5;
  if (needed > maxConnections) throw new Usage(`c=${Math.max(...opts.concurrency)} needs about ${needed} connections; the server allows ${maxConnections}`);

  const dir = mkdtempSync(path.join(os.tmpdir(), "lianbo-bench-flash-out-"));
  dirs.add(dir);
  const out = path.join(dir, "result.json");
  const argv = [
    path.join(root, "bench", "flash-sale-driver.ts"),
    "--db-url", url, "--out", out,
    "--units", String(opts.units), "--concurrency", opts.concurrency.join(","), "--buyers", String(opts.buyers), "--warmup", String(opts.warmup),
    ...(opts.pool ? ["--pool", String(opts.pool)] : []),
  ];
  const env = { ...process.env };
  delete env.NODE_ENV; // development mode: throwaway secrets are generated into the driver's temp dir
  child = spawn(path.join(root, "node_modules", ".bin", "tsx"), argv, { cwd: root, env, stdio: "inherit" });
  const code = await new Promise((resolve) => child.on("exit", (c, sig) => resolve(sig ? 1 : c)));
  child = undefined;
  if (code !== 0 || !existsSync(out)) throw new Error(`driver exited with ${code}`);
  const r = JSON.parse(readFileSync(out, "utf8"));
  const ok = report(r);

  const date = new Date().toISOString();
  const results = {
    benchmark: "flash-sale",
    date,
    commit: git("rev-parse", "HEAD"),
    dirty: !!git("status", "--porcelain"),
    node: process.version,
    cpus: os.cpus().length,
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: os.loadavg(),
    options: opts,
    ...r,
  };
  const resultsDir = path.join(root, "bench", "results");
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `flash-sale-${date.replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(root, file)}`);
  return ok ? 0 : 1;
}

let code;
try {
  code = await main();
} catch (e) {
  if (!stopping) console.error(e instanceof Usage ? `usage: ${e.message}` : `flash-sale bench failed: ${e.message}`);
  code = stopping ? 130 : e instanceof Usage ? 2 : 1;
}
await cleanup();
process.exit(code);
