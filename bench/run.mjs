#!/usr/bin/env node
// `npm run bench [-- args]`: runs every benchmark in bench/ one after another (never in parallel: they
// would compete for the same two cores and distort each other's figures), passing the args through.
// A benchmark is any bench/*.mjs except this runner and files starting with "_" (helpers).
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";

const dir = path.dirname(new URL(import.meta.url).pathname);
const benches = readdirSync(dir)
  .filter((f) => f.endsWith(".mjs") && f !== "run.mjs" && !f.startsWith("_"))
  .sort();

// Forward termination signals so a benchmark can stop its server and drop its database even when only
// this runner is signalled (a timeout wrapper, `kill <pid>`), instead of being orphaned.
let child;
let stopped = false;
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(sig, () => {
    stopped = true;
    child?.kill(sig);
  });
}

const failed = [];
for (const file of benches) {
  console.log(`\n━━ bench/${file} ━━`);
  child = spawn(process.execPath, [path.join(dir, file), ...process.argv.slice(2)], { stdio: "inherit" });
  const code = await new Promise((resolve) => child.on("exit", (c, sig) => resolve(sig ? 1 : c)));
  if (code !== 0) failed.push(file);
  if (stopped) break;
}
if (failed.length) console.log(`\nbench: failed: ${failed.join(", ")}`);
process.exit(failed.length ? 1 : 0);
