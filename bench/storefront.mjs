#!/usr/bin/env node
// bench/storefront (issue 3, "Benchmark"): requests/s and p50/p99 latency of the storefront product-list
// query over HTTP and of the server-rendered storefront page, at several concurrencies, against the
// production build on embedded PGlite and on a real Postgres server.
//
//   npm run bench -- [--duration 8] [--warmup 2] [--db pglite|postgres|both] [--connections 10,50]
//
// It does not build: it measures whatever production build is in .next/ (run `npx next build` first),
// so it never competes with a build for the machine's two cores. The load generator runs on the same
// machine as the server, so absolute figures are pessimistic; the ratios printed beside them are
// measured in the same run and are the figures to compare between runs.
import autocannon from "autocannon";
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const STORE = "xiaomei";
const EXPECTED_PRODUCTS = 18; // what the demo seed lists in this store
const QUERY = `query($s:String!){ shopProducts(storeSlug:$s, first:20){ nodes { id title images priceRange { min { amount formatted } max { amount } } skus { id label price { amount } stock } } pageInfo { hasNextPage endCursor } } }`;
const API_BODY = JSON.stringify({ query: QUERY, variables: { s: STORE } });

// ── options ────────────────────────────────────────────────────────────────────────────────────────
function options() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        duration: { type: "string", default: "8" },
        warmup: { type: "string", default: "2" },
        db: { type: "string", default: "both" },
        connections: { type: "string", default: "10,50" },
      },
    }));
  } catch (e) {
    throw new Usage(e.message);
  }
  const duration = Number(values.duration);
  const warmup = Number(values.warmup);
  const connections = values.connections.split(",").map(Number);
  const dbs = { both: ["pglite", "postgres"], pglite: ["pglite"], postgres: ["postgres"] }[values.db];
  if (!(duration > 0) || !(warmup >= 0)) throw new Usage("--duration must be > 0 and --warmup >= 0 (seconds)");
  if (!connections.length || connections.some((c) => !Number.isInteger(c) || c < 1)) throw new Usage("--connections takes a list like 10,50");
  if (!dbs) throw new Usage("--db is pglite, postgres or both");
  return { duration, warmup, connections, dbs };
}
class Usage extends Error {}

// ── cleanup: everything we create registers its undo here, run last-in first-out exactly once ─────────
// One pass at a time: a signal can arrive while main() is already cleaning up, and the server must be
// stopped before its database is dropped.
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
let cannon; // the running autocannon instance, stopped on a signal so it releases its sockets
let stopping = false; // after a signal, main() must neither print half-measured figures nor start a run
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(sig, async () => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${sig}: stopping the server and dropping the bench database…`);
    cannon?.stop();
    await cleanup();
    process.exit(130);
  });
}
// Last resort when the process ends before cleanup ran (an exception thrown in a callback): never
// leave a server running or a data folder behind. (A database can only be dropped asynchronously.)
const servers = new Set();
const dirs = new Set();
process.on("exit", () => {
  for (const pid of servers) killGroup(pid, "SIGKILL");
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

// ── databases ──────────────────────────────────────────────────────────────────────────────────────
function tempDir() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "lianbo-bench-"));
  dirs.add(dir);
  cleanups.push(() => {
    rmSync(dir, { recursive: true, force: true });
    dirs.delete(dir);
  });
  return dir;
}

/** Env for the server: its own data folder and, for Postgres, a fresh database it migrates and seeds. */
async function databaseEnv(db) {
  const env = { LIANBO_DATA_DIR: tempDir() };
  if (db === "pglite") return env;

  const adminUrl = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
  const { default: postgres } = await import("postgres");
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  const name = `lianbo_bench_${randomBytes(4).toString("hex")}`;
  try {
    await admin.unsafe(`create database ${name}`);
  } catch (e) {
    await admin.end();
    throw new Error(`cannot create a database on ${redact(adminUrl)}: ${e.message}`);
  }
  cleanups.push(async () => {
    // `with (force)` because a killed server may leave connections behind for a moment.
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  // `next start` runs with NODE_ENV=production, where the app refuses to start on Postgres without
  // its secrets (issue 3); throwaway ones are right for a throwaway database.
  const key = () => randomBytes(32).toString("base64");
  return {
    ...env,
    DATABASE_URL: url.toString(),
    AUTH_SECRET: process.env.AUTH_SECRET || key(),
    LIANBO_PII_KEYS: process.env.LIANBO_PII_KEYS || `k1:${key()}`,
    LIANBO_BLIND_INDEX_KEY: process.env.LIANBO_BLIND_INDEX_KEY || key(),
    LIANBO_SANDBOX_PAY_SECRET: process.env.LIANBO_SANDBOX_PAY_SECRET || key(),
  };
}
const redact = (u) => u.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@");

// ── server ─────────────────────────────────────────────────────────────────────────────────────────
function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer().once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function killGroup(pid, sig) {
  try {
    process.kill(-pid, sig);
  } catch {} // ESRCH: already gone
}

/** `next start` in its own process group, so that stopping it also stops anything it forked. */
async function startServer(dbEnv) {
  const port = await freePort();
  const env = { ...process.env, ...dbEnv, PORT: String(port), LIANBO_DEV_TOOLS: "1", NEXT_TELEMETRY_DISABLED: "1" };
  if (!dbEnv.DATABASE_URL) delete env.DATABASE_URL; // the embedded case must not inherit the caller's server
  delete env.LIANBO_SEED; // the figures are about the demo store, so it must be seeded
  delete env.NODE_ENV;
  const proc = spawn(path.join(root, "node_modules", ".bin", "next"), ["start", "-p", String(port)], {
    cwd: root,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  servers.add(proc.pid);
  const log = []; // kept quiet unless it fails to start
  for (const stream of [proc.stdout, proc.stderr]) stream.on("data", (d) => log.push(d.toString()) > 200 && log.shift());
  const exited = new Promise((resolve) => proc.on("exit", resolve));
  cleanups.push(async () => {
    killGroup(proc.pid, "SIGTERM");
    const timer = setTimeout(() => killGroup(proc.pid, "SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
    killGroup(proc.pid, "SIGKILL"); // stragglers in the group
    servers.delete(proc.pid);
  });

  const base = `http://127.0.0.1:${port}`;
  let dead = false;
  exited.then(() => (dead = true));
  const started = Date.now();
  // The first request waits for migrations and the demo seed (10–20 s), hence the generous limits.
  while (Date.now() - started < 180_000) {
    if (dead) throw new Error(`the server exited during start-up:\n${log.join("").slice(-4000)}`);
    const status = await fetch(`${base}/s/${STORE}`, { signal: AbortSignal.timeout(60_000) }).then((r) => r.status, () => 0);
    if (status === 200) return { base, startupMs: Date.now() - started };
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`GET /s/${STORE} did not answer 200 within 180 s:\n${log.join("").slice(-4000)}`);
}

// ── targets ────────────────────────────────────────────────────────────────────────────────────────
const targets = {
  api: (base) => ({ url: `${base}/api/graphql`, method: "POST", headers: { "content-type": "application/json" }, body: API_BODY }),
  page: (base) => ({ url: `${base}/s/${STORE}`, method: "GET" }),
};

/** Measuring a broken answer fast is worthless: check both targets give the real thing first. */
async function verify(base) {
  const t = targets.api(base);
  const res = await fetch(t.url, { method: t.method, headers: t.headers, body: t.body });
  const json = await res.json().catch(() => ({}));
  const nodes = json.data?.shopProducts?.nodes ?? [];
  if (!res.ok || json.errors?.length || nodes.length !== EXPECTED_PRODUCTS || nodes.some((n) => !n.priceRange?.min)) {
    throw new Error(`verification failed: HTTP ${res.status}, expected ${EXPECTED_PRODUCTS} products with prices and no errors, got ${nodes.length}, errors ${JSON.stringify(json.errors ?? null).slice(0, 400)}`);
  }
  const page = await fetch(targets.page(base).url);
  const html = await page.text();
  // A product title in the HTML shows the page rendered the catalogue, not an empty or error shell.
  if (page.status !== 200 || !nodes.some((n) => html.includes(n.title))) {
    throw new Error(`verification failed: GET /s/${STORE} gave HTTP ${page.status} without any product title`);
  }
}

function run(opts) {
  return new Promise((resolve, reject) => {
    if (stopping) return reject(new Error("stopped"));
    cannon = autocannon(opts, (err, result) => (err || stopping ? reject(err ?? new Error("stopped")) : resolve(result)));
  });
}

/**
 * One continuous autocannon run: warm up, then count only the responses of the next `duration` seconds.
 * The warm-up lasts at least `warmup` seconds and until every connection has had an answer, because at
 * c=50 the page takes seconds per request on two cores: a fixed warm-up would put the first, cold wave
 * of requests inside the window. (Separate warm-up and measuring runs would also abandon the warm-up's
 * in-flight requests, which the server would still be working on during the measurement.)
 */
async function measure(base, target, connections, { duration, warmup }) {
  const t = targets[target](base);
  const latencies = [];
  let non2xx = 0;
  let errors = 0;
  let timeouts = 0;
  let answered = 0;
  let from; // start of the measuring window
  const started = performance.now();
  // autocannon's own duration is only a safety net: the window ends the run.
  const done = run({ ...t, connections, duration: warmup + duration + 120 });
  const inWindow = () => {
    const now = performance.now();
    if (from === undefined) {
      if (++answered < connections || now - started < warmup * 1000) return false;
      from = now;
      setTimeout(() => cannon.stop(), duration * 1000);
      return false;
    }
    return now <= from + duration * 1000;
  };
  cannon.on("response", (_client, status, _bytes, ms) => {
    if (!inWindow()) return;
    latencies.push(ms);
    if (status < 200 || status > 299) non2xx++;
  });
  cannon.on("reqError", (e) => {
    if (!inWindow()) return;
    errors++;
    if (/timed out/.test(e.message)) timeouts++;
  });
  await done;
  if (from === undefined) throw new Error(`${target} at c=${connections}: fewer than ${connections} answers in ${warmup + duration + 120} s`);
  const warmedUp = (from - started) / 1000;
  // The run's last in-flight requests were abandoned: one more request completes only once the server
  // has (mostly) worked through them, so the next case starts on an idle server.
  await fetch(t.url, { method: t.method, headers: t.headers, body: t.body }).catch(() => {});

  latencies.sort((a, b) => a - b);
  const pct = (q) => latencies[Math.max(0, Math.ceil(q * latencies.length) - 1)] ?? NaN;
  return {
    rps: latencies.length / duration,
    p50: pct(0.5),
    p99: pct(0.99),
    non2xx,
    errors,
    timeouts,
    requests: latencies.length,
    warmedUp: Number(warmedUp.toFixed(1)),
  };
}

// ── reporting ──────────────────────────────────────────────────────────────────────────────────────
const fmt = (n, d = 0) => n.toFixed(d);
const ratio = (a, b) => (b ? `×${(a / b).toFixed(2)}` : "—");

function line(row, ref) {
  const cells = [
    row.db.padEnd(8),
    row.target.padEnd(4),
    `c=${row.connections}`.padEnd(5),
    `${fmt(row.rps, 1).padStart(7)} req/s`,
    `p50 ${fmt(row.p50).padStart(4)} ms`,
    `p99 ${fmt(row.p99).padStart(5)} ms`,
    `non-2xx ${row.non2xx}`,
    `errors ${row.errors}`,
    `(warm-up ${fmt(row.warmedUp, 1)} s)`,
  ];
  if (row.connections !== ref) cells.push(`${ratio(row.rps, row.vsRef)} req/s vs c=${ref}`);
  if (row.target === "page") cells.push(`page/api ${ratio(row.rps, row.apiRps)}`);
  return cells.join("  ");
}

function table(rows, ref) {
  const head = ["db", "target", "c", "req/s", "p50 ms", "p99 ms", "non-2xx", "errors", `vs c=${ref}`, "page/api"];
  const body = rows.map((r) => [
    r.db, r.target, r.connections, fmt(r.rps, 1), fmt(r.p50), fmt(r.p99), r.non2xx, r.errors,
    r.connections === ref ? "" : ratio(r.rps, r.vsRef),
    r.target === "page" ? ratio(r.rps, r.apiRps) : "",
  ].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const row = (cells) => `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ")} |`;
  return [row(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...body.map(row)].join("\n");
}

function git(...args) {
  const r = spawnSync("git", args, { cwd: root, encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

// ── main ───────────────────────────────────────────────────────────────────────────────────────────
async function main() {
  const opts = options();
  const buildIdFile = path.join(root, ".next", "BUILD_ID");
  if (!existsSync(buildIdFile)) throw new Error("no production build in .next/ — run `NEXT_TELEMETRY_DISABLED=1 npx next build` first");
  const ref = opts.connections[0];
  const load = os.loadavg()[0];
  console.log(
    `storefront: ${opts.dbs.join(" + ")}, c=${opts.connections.join(",")}, warm-up ≥ ${opts.warmup} s + ${opts.duration} s per case; ` +
      `${os.cpus().length} cores, load average ${load.toFixed(2)}${load > 1 ? " (the machine is busy: figures will be low)" : ""}`,
  );

  const rows = [];
  const startup = {};
  for (const db of opts.dbs) {
    const { base, startupMs } = await startServer(await databaseEnv(db));
    startup[db] = { startupMs };
    await verify(base);
    console.log(`${db}: server ready in ${fmt(startupMs / 1000, 1)} s (migrate + seed), verified ${EXPECTED_PRODUCTS} products and the page`);
    for (const target of Object.keys(targets)) {
      for (const connections of opts.connections) {
        const row = { db, target, connections, ...(await measure(base, target, connections, opts)) };
        row.vsRef = rows.find((r) => r.db === db && r.target === target && r.connections === ref)?.rps;
        row.apiRps = rows.find((r) => r.db === db && r.target === "api" && r.connections === connections)?.rps;
        rows.push(row);
        console.log(line(row, ref));
        if (row.requests < connections) {
          console.log(`  ! only ${row.requests} answers for ${connections} connections: the window is shorter than the latency, use a longer --duration`);
        }
      }
    }
    await cleanup(); // stop this server and drop its database before the next one competes for the CPU
  }

  console.log(`\n${table(rows, ref)}`);
  const results = {
    benchmark: "storefront",
    date: new Date().toISOString(),
    commit: git("rev-parse", "HEAD"),
    dirty: !!git("status", "--porcelain"),
    buildId: readFileSync(buildIdFile, "utf8").trim(),
    node: process.version,
    cpus: os.cpus().length,
    loadAverageAtStart: load,
    ...opts,
    startup,
    query: QUERY,
    results: rows.map(({ vsRef, apiRps, ...r }) => ({
      ...r,
      [`rpsVsC${ref}`]: vsRef && r.connections !== ref ? r.rps / vsRef : undefined,
      pageVsApi: r.target === "page" && apiRps ? r.rps / apiRps : undefined,
    })),
  };
  const dir = path.join(root, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `storefront-${results.date.replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(root, file)}`);

  // Figures that include failed requests do not describe the app under load; say so with the exit code.
  const bad = rows.filter((r) => r.non2xx || r.errors);
  if (bad.length) {
    console.error(`${bad.length} case(s) had non-2xx answers or errors: ${bad.map((r) => `${r.db}/${r.target}/c=${r.connections}`).join(", ")}`);
    return 1;
  }
  return 0;
}

let code;
try {
  code = await main();
} catch (e) {
  if (!stopping) console.error(e instanceof Usage ? `usage: ${e.message}` : `storefront bench failed: ${e.message}`);
  code = stopping ? 130 : e instanceof Usage ? 2 : 1;
}
await cleanup();
process.exit(code);
