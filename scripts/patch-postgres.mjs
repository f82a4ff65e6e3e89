// Runs after every install (package.json "postinstall"): a one-line fix to postgres.js 3.4.9.
//
// The bug: when a backend dies while a query is running (pg_terminate_backend, a restart, a
// failover), its FATAL error is kept in the connection's `errorResponse` and, after the pool
// reconnects, handed to whatever asked for the new connection. A query simply fails once; but a
// `reserve()` request — how db/pipelined-begin.ts starts every transaction — is rejected while it
// is still queued in the pool, which then hands the new connection to that dead request: the
// connection is lost to the pool for good (db/pipelined-begin.test.ts kills a backend to show it).
// The fix forgets the dead session's error when its socket closes.
//
// Idempotent; fails loudly if the installed postgres.js is not the code this was written against.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "node_modules", "postgres");
const BEFORE = "  async function closed(hadError) {\n    incoming = Buffer.alloc(0)\n";
const AFTER = "  async function closed(hadError) {\n    errorResponse = null // lianbo: a dead session's error is not the next one's (scripts/patch-postgres.mjs)\n    incoming = Buffer.alloc(0)\n";

let version;
try {
  version = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).version;
} catch {
  console.log("patch-postgres: postgres.js is not installed; nothing to patch");
  process.exit(0);
}
if (version !== "3.4.9") {
  console.error(`patch-postgres: written for postgres.js 3.4.9, found ${version}: check whether the fix is still needed, then update this script`);
  process.exit(1);
}
for (const file of ["src/connection.js", "cjs/src/connection.js"]) {
  const full = path.join(root, file);
  const text = readFileSync(full, "utf8");
  if (text.includes(AFTER)) continue;
  if (!text.includes(BEFORE)) {
    console.error(`patch-postgres: ${file} does not hold the code this fix expects`);
    process.exit(1);
  }
  writeFileSync(full, text.replace(BEFORE, AFTER));
  console.log(`patch-postgres: patched ${file}`);
}
