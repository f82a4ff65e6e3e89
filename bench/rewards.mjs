#!/usr/bin/env node
// bench/rewards (issue 4, "Benchmark"): with synthetic invite trees generated in bulk with SQL (not
// through the API) at 10^4, 10^5 and 10^6 members, as a random tree and as a long chain:
//   (a) time to pay an order, rewards computed and written in the payment transaction (p50/p99):
//       placeOrder + startPayment + applyPaymentNotification, and applyPaymentNotification alone;
//   (b) time to load 我的团队 (referralSummary + teamList first 20) for a leader with 100,000 members;
//   (c) paid orders per second with 8 concurrent payers inside that 100,000-member team;
// and whether they stay flat as the tree grows (ratio of the largest size to the smallest).
//
//   npm run bench -- [--sizes 10000,100000,1000000] [--quick] [--samples 200] [--shapes random,chain]
//                    [--team 100000] [--concurrency 8] [--duration 15] [--seed 1]
//
// Each (shape, size) runs in its own process (bench/rewards-driver.ts under tsx) on its own fresh
// database lianbo_bench_rewards_<random>_<shape><size> on the Postgres server of $DATABASE_URL
// (default postgres://postgres@127.0.0.1:5432/postgres), dropped as soon as that case is done.
// Results: a table on stdout and bench/results/rewards-<timestamp>.json.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const KNOWN = ["sizes", "quick", "samples", "shapes", "team", "concurrency", "duration", "seed"];

// ── options ────────────────────────────────────────────────────────────────────────────────────────
class Usage extends Error {}
function options() {
  // Not strict: bench/run.mjs passes the same arguments to every benchmark, and another benchmark's
  // options (--db, --connections…) must not stop this one. Unknown ones are reported, not fatal.
  const { values } = parseArgs({
    strict: false,
    options: {
      sizes: { type: "string" },
      quick: { type: "boolean", default: false },
      samples: { type: "string", default: "200" },
      shapes: { type: "string", default: "random,chain" },
      team: { type: "string", default: "100000" },
      concurrency: { type: "string", default: "8" },
      duration: { type: "string", default: "15" },
      seed: { type: "string", default: "1" },
    },
  });
  const unknown = Object.keys(values).filter((k) => !KNOWN.includes(k));
  if (unknown.length) console.log(`rewards: ignoring options meant for other benchmarks: ${unknown.map((k) => `--${k}`).join(" ")}`);
  const num = (name, min) => {
    const v = Number(values[name]);
    if (typeof values[name] !== "string" || !Number.isInteger(v) || v < min) throw new Usage(`--${name} must be an integer ≥ ${min}`);
    return v;
  };
  const sizes = (typeof values.sizes === "string" ? values.sizes : values.quick ? "10000,100000" : "10000,100000,1000000")
    .split(",")
    .map(Number);
  if (!sizes.length || sizes.some((n) => !Number.isInteger(n) || n < 100)) throw new Usage("--sizes takes a list like 10000,100000,1000000 (each ≥ 100)");
  const shapes = String(values.shapes).split(",");
  if (!shapes.length || shapes.some((s) => !["random", "chain"].includes(s))) throw new Usage("--shapes takes random, chain or random,chain");
  const duration = Number(values.duration);
  if (!(duration > 0)) throw new Usage("--duration must be > 0 (seconds)");
  return {
    sizes: [...new Set(sizes)].sort((a, b) => a - b),
    shapes,
    samples: num("samples", 1),
    team: num("team", 100),
    concurrency: num("concurrency", 1),
    duration,
    seed: num("seed", 0),
  };
}

// ── cleanup: everything we create registers its undo here, run last-in first-out exactly once ─────────
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
let child; // the running driver
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
let admin;
async function adminSql() {
  if (admin) return admin;
  const { default: postgres } = await import("postgres");
  admin = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  cleanups.unshift(() => admin.end({ timeout: 5 })); // closed last
  return admin;
}

/** A fresh database for one case; its drop is registered before anything can fail. */
async function freshDatabase(name) {
  const sql = await adminSql();
  try {
    await sql.unsafe(`create database ${name}`);
  } catch (e) {
    throw new Error(`cannot create a database on ${redact(adminUrl)}: ${e.message}`);
  }
  const drop = async () => {
    // `with (force)`: a killed driver may leave connections behind for a moment.
    await sql.unsafe(`drop database if exists ${name} with (force)`);
  };
  cleanups.push(drop);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop };
}

/** Runs one case in its own process; resolves to its results (or throws with its exit status). */
async function runCase(opts, shape, size, runId) {
  const name = `lianbo_bench_rewards_${runId}_${shape[0]}${size}`;
  const { url, drop } = await freshDatabase(name);
  const dir = mkdtempSync(path.join(os.tmpdir(), "lianbo-bench-rewards-out-"));
  dirs.add(dir);
  const out = path.join(dir, "result.json");
  try {
    const argv = [
      path.join(root, "bench", "rewards-driver.ts"),
      "--db-url", url, "--shape", shape, "--size", String(size), "--out", out,
      "--samples", String(opts.samples), "--team", String(opts.team),
      "--concurrency", String(opts.concurrency), "--duration", String(opts.duration), "--seed", String(opts.seed),
    ];
    const env = { ...process.env };
    delete env.NODE_ENV; // development mode: throwaway secrets are generated into the driver's temp dir
    child = spawn(path.join(root, "node_modules", ".bin", "tsx"), argv, { cwd: root, env, stdio: "inherit" });
    const code = await new Promise((resolve) => child.on("exit", (c, sig) => resolve(sig ? 1 : c)));
    child = undefined;
    if (code !== 0 || !existsSync(out)) throw new Error(`${shape} ${size}: driver exited with ${code}`);
    return JSON.parse(readFileSync(out, "utf8"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
    dirs.delete(dir);
    const i = cleanups.indexOf(drop);
    if (i >= 0) cleanups.splice(i, 1);
    await drop(); // free the disk and the cache before the next case
  }
}

// ── reporting ──────────────────────────────────────────────────────────────────────────────────────
const f1 = (n) => (Number.isFinite(n) ? n.toFixed(1) : "—");
const sizeLabel = (n) => (Math.log10(n) % 1 === 0 ? `10^${Math.log10(n)}` : n.toLocaleString("en"));

function table(head, body, leftCols = 2) {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => String(b[i]).length)));
  const row = (cells) => `| ${cells.map((c, i) => (i < leftCols ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(" | ")} |`;
  return [row(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...body.map(row)].join("\n");
}

const METRICS = [
  ["pay p50", (r) => r.pay.total.p50],
  ["pay p99", (r) => r.pay.total.p99],
  ["apply p50", (r) => r.pay.applyPaymentNotification.p50],
  ["apply p99", (r) => r.pay.applyPaymentNotification.p99],
  ["rewardParties p50", (r) => r.pay.rewardPartiesAlone.p50],
  ["team page p50", (r) => r.teamPage.summaryPlusList.p50],
  ["team page p99", (r) => r.teamPage.summaryPlusList.p99],
  ["c=N orders/s", (r) => r.concurrent.ordersPerS],
];

function report(opts, rows) {
  const head = [
    "shape", "size", "gen s", "pay p50", "pay p99", "apply p50", "apply p99", "parties p50",
    "rewards/order", "team p50", "team p99", "summary p50", "list p50", `c=${opts.concurrency} ord/s`,
    "c apply p50", "c apply p99", "lock-wait", "seq ord/s", "select 1", "load",
  ];
  const body = rows.map(({ shape, size, r }) => [
    shape, sizeLabel(size), f1(r.generation.totalMs / 1000),
    f1(r.pay.total.p50), f1(r.pay.total.p99), f1(r.pay.applyPaymentNotification.p50), f1(r.pay.applyPaymentNotification.p99),
    r.pay.rewardPartiesAlone.p50.toFixed(2), r.pay.rewardsPerOrder.toFixed(2),
    f1(r.teamPage.summaryPlusList.p50), f1(r.teamPage.summaryPlusList.p99), f1(r.teamPage.referralSummary.p50), f1(r.teamPage.teamList.p50),
    f1(r.concurrent.ordersPerS), f1(r.concurrent.applyPaymentNotification.p50), f1(r.concurrent.applyPaymentNotification.p99),
    `${(100 * r.concurrent.lockWaitSampling.fractionWithALockWaiter).toFixed(0)}%`, f1(r.pay.sequentialOrdersPerS),
    r.selectOneProbe ? r.selectOneProbe.beforePay.p50.toFixed(2) : "—",
    `${r.loadAverage.beforePay}–${r.loadAverage.end}`,
  ]);
  console.log(`\ntimes in ms; gen = bulk generation incl. vacuum analyze; parties = rewardParties alone; team = referralSummary + teamList(first 20)`);
  console.log(`for a ${opts.team.toLocaleString("en")}-member team; lock-wait = share of 100 ms samples with a backend waiting on a lock during (c);`);
  console.log(`select 1 = p50 of a trivial statement just before (a): how loaded the machine was (compare rows against it)`);
  console.log(table(head, body));

  // EXPLAIN (ANALYZE) of the statements the services ran, per case: the non-constant ones.
  const ex = (r, re) => r.explain.find((e) => re.test(e.label) && (re.source !== "^teamPage$" || /order by/i.test(e.query)));
  const ebody = rows.map(({ shape, size, r }) => [
    shape, sizeLabel(size),
    f1(ex(r, /^teamPage$/)?.executionMs), f1(ex(r, /^teamList TEAM at offset/)?.executionMs), f1(r.whatIf?.executionMs),
    f1(ex(r, /^binding cycle check/)?.executionMs),
    f1(Math.max(...r.explain.filter((e) => e.label === "payment").map((e) => e.executionMs))),
  ]);
  console.log(`\nEXPLAIN ANALYZE, ms: teamList (first page, page at offset 50,000, what-if with an index on`);
  console.log(`team_members(leader_id, created_at desc, user_id)), binding's cycle check from the deepest node, slowest payment SELECT`);
  console.log(table(["shape", "size", "teamList", "offset 50k", "what-if", "cycle check", "payment max"], ebody));

  const flat = {};
  const fbody = [];
  for (const shape of opts.shapes) {
    const mine = rows.filter((x) => x.shape === shape).sort((a, b) => a.size - b.size);
    if (mine.length < 2) continue;
    const lo = mine[0];
    const hi = mine[mine.length - 1];
    flat[shape] = { from: lo.size, to: hi.size, ratios: {} };
    for (const [name, get] of METRICS) {
      const ratio = get(hi.r) / get(lo.r);
      flat[shape].ratios[name] = Number(ratio.toFixed(2));
      fbody.push([shape, name, f1(get(lo.r)), f1(get(hi.r)), `×${ratio.toFixed(2)}`]);
    }
  }
  if (fbody.length) {
    const [a, b] = [rows[0].size, rows[rows.length - 1].size];
    console.log(`\nflatness: the largest size against the smallest (×1.00 = flat; this machine's noise is easily ±30%)`);
    console.log(table(["shape", "metric", sizeLabel(a), sizeLabel(b), "ratio"], fbody));
  }
  return flat;
}

function git(...args) {
  const r = spawnSync("git", args, { cwd: root, encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

// ── main ───────────────────────────────────────────────────────────────────────────────────────────
async function main() {
  const opts = options();
  const load = os.loadavg();
  console.log(
    `rewards: sizes ${opts.sizes.map(sizeLabel).join(", ")} × ${opts.shapes.join(", ")}; ${opts.samples} samples; team ${opts.team.toLocaleString("en")}; ` +
      `${opts.concurrency} payers for ${opts.duration} s; ${os.cpus().length} cores, load average ${load.map((l) => l.toFixed(2)).join(" ")}` +
      `${load[0] > os.cpus().length / 2 ? " (the machine is busy: figures will be noisy)" : ""}`,
  );
  const runId = randomBytes(4).toString("hex");
  const date = new Date().toISOString();
  const rows = [];
  const failed = [];
  for (const size of opts.sizes) {
    for (const shape of opts.shapes) {
      if (stopping) break;
      console.log(`\n── ${shape} tree, ${size.toLocaleString("en")} members ──`);
      try {
        const r = await runCase(opts, shape, size, runId);
        rows.push({ shape, size, r });
        if (r.generation.totalMs > 180_000) console.log(`  ! generation took ${(r.generation.totalMs / 1000).toFixed(0)} s (> 3 min)`);
      } catch (e) {
        if (stopping) throw e;
        console.error(`  ${shape} ${size} failed: ${e.message}`);
        failed.push(`${shape}/${size}`);
      }
    }
  }
  if (!rows.length) throw new Error("no case completed");
  const flatness = report(opts, rows);

  const results = {
    benchmark: "rewards",
    date,
    commit: git("rev-parse", "HEAD"),
    dirty: !!git("status", "--porcelain"),
    node: process.version,
    cpus: os.cpus().length,
    loadAverageAtStart: load,
    loadAverageAtEnd: os.loadavg(),
    postgres: (await (await adminSql())`select version()`)[0].version,
    ...opts,
    failed,
    flatness,
    results: rows.map(({ shape, size, r }) => ({ shape, size, ...r })),
  };
  const dir = path.join(root, "bench", "results");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `rewards-${date.replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(root, file)}`);
  if (failed.length) {
    console.error(`failed: ${failed.join(", ")}`);
    return 1;
  }
  return 0;
}

let code;
try {
  code = await main();
} catch (e) {
  if (!stopping) console.error(e instanceof Usage ? `usage: ${e.message}` : `rewards bench failed: ${e.message}`);
  code = stopping ? 130 : e instanceof Usage ? 2 : 1;
}
await cleanup();
process.exit(code);
