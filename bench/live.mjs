#!/usr/bin/env node
// bench/live (issue 6, "Benchmark"): 1,000 concurrent viewers connected to one live room on this machine,
// comments posted at 50 per second; reports delivery latency p50/p99 from post to receipt at the viewers,
// lost deliveries, the server's memory, and how many comments per second the moderation filter checks.
//
//   npm run bench -- [--viewers 1000] [--rate 50] [--seconds 20] [--commenters 150]
//   node bench/live.mjs [same options]
//
// The app side (bench/live-driver.ts) is the real runtime on a fresh Postgres database
// (lianbo_bench_live_<random> on $DATABASE_URL's server, dropped afterwards) serving the room's SSE
// stream and the GraphQL comment mutation over HTTP; the viewers and commenters run in a second
// process (bench/live-viewers.mjs). Results: a table on stdout and bench/results/live-<timestamp>.json.
import { parseArgs } from "node:util";
import { freshDatabase, machineLine, run, runDriver, table, Usage, writeResults } from "./_setup.mjs";

const KNOWN = ["viewers", "rate", "seconds", "commenters"];

function options() {
  const { values } = parseArgs({
    strict: false,
    options: { viewers: { type: "string", default: "1000" }, rate: { type: "string", default: "50" }, seconds: { type: "string", default: "20" }, commenters: { type: "string", default: "150" } },
  });
  const unknown = Object.keys(values).filter((k) => !KNOWN.includes(k));
  if (unknown.length) console.log(`live: ignoring options meant for other benchmarks: ${unknown.map((k) => `--${k}`).join(" ")}`);
  const int = (name, min, max) => {
    const v = Number(values[name]);
    if (!Number.isInteger(v) || v < min || v > max) throw new Usage(`--${name} must be an integer from ${min} to ${max}`);
    return v;
  };
  return { viewers: int("viewers", 1, 10_000), rate: int("rate", 1, 500), seconds: int("seconds", 1, 600), commenters: int("commenters", 1, 5_000) };
}

async function main() {
  const opts = options();
  const machine = machineLine();
  console.log(`live: ${opts.viewers} viewers, ${opts.rate} comments/s for ${opts.seconds} s by ${opts.commenters} people; ${machine.text}`);
  const { url } = await freshDatabase("live");
  const r = await runDriver("live-driver.ts", ["--db-url", url, "--viewers", String(opts.viewers), "--rate", String(opts.rate), "--seconds", String(opts.seconds), "--commenters", String(opts.commenters)]);
  const f = (n) => (n === null || n === undefined ? "—" : String(Math.round(n)));
  console.log(
    "\n" +
      table(
        ["viewers", "comments/s", "accepted", "deliveries", "lost", "p50 ms", "p95 ms", "p99 ms", "max ms", "post p50", "post p99"],
        [[r.connected, r.achievedRatePerS, `${r.accepted}/${r.posted}`, r.deliveries, r.lost, f(r.deliveryLatencyMs.p50), f(r.deliveryLatencyMs.p95), f(r.deliveryLatencyMs.p99), f(r.deliveryLatencyMs.max), f(r.postLatencyMs.p50), f(r.postLatencyMs.p99)]],
        0,
      ),
  );
  const m = r.serverMemoryMB;
  console.log(`server memory: RSS ${m.rssBefore} MB before viewers → ${m.rssWithViewers} MB with ${r.connected} connected (heap ${m.heapBefore} → ${m.heapWithViewers} MB); peak RSS ${m.rssPeak} MB`);
  console.log(`moderation filter: ${r.moderationChecksPerS.toLocaleString("en")} comments checked per second on one core`);
  writeResults("live", machine.load, opts, r);
  return r.connected === opts.viewers && r.lost === 0 ? 0 : 1;
}

await run("live", main);
