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
// Results: a table on stdout and bench/results/flash-sale-<timestamp>.json. BENCH_PROFILE=<dir> also
// writes a V8 CPU profile of each level's app run (<dir>/flash-c<c>.cpuprofile).
import { parseArgs } from "node:util";
import { freshDatabase, machineLine, run, runDriver, table, Usage, writeResults } from "./_setup.mjs";
const KNOWN = ["units", "concurrency", "buyers", "pool", "warmup"];

// ── options ────────────────────────────────────────────────────────────────────────────────────────
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

// ── reporting ──────────────────────────────────────────────────────────────────────────────────────
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

// ── main ───────────────────────────────────────────────────────────────────────────────────────────
async function main() {
  const opts = options();
  const machine = machineLine();
  console.log(`flash-sale: ${opts.units.toLocaleString("en")} units at c=${opts.concurrency.join(", ")}; ${opts.buyers} buyers; ${machine.text}`);
  const { url, maxConnections } = await freshDatabase("flash");
  const needed = Math.max(...opts.concurrency) + (opts.pool ?? 10) + 5;
  if (needed > maxConnections) throw new Usage(`c=${Math.max(...opts.concurrency)} needs about ${needed} connections; the server allows ${maxConnections}`);
  const r = await runDriver("flash-sale-driver.ts", [
    "--db-url", url,
    "--units", String(opts.units), "--concurrency", opts.concurrency.join(","), "--buyers", String(opts.buyers), "--warmup", String(opts.warmup),
    ...(opts.pool ? ["--pool", String(opts.pool)] : []),
  ]);
  const ok = report(r);
  writeResults("flash-sale", machine.load, opts, r);
  return ok ? 0 : 1;
}

await run("flash-sale", main);
