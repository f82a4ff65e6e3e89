#!/usr/bin/env node
// Fails when db/schema and the committed migrations disagree: drizzle-kit must find nothing to generate.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, cpSync, rmSync } from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
// Generate into a scratch copy of the migrations so the check never writes into the repo.
// (drizzle-kit wants a path relative to the project, so the scratch folder lives in the ignored .data/).
mkdirSync(path.join(root, ".data"), { recursive: true });
const scratch = mkdtempSync(path.join(root, ".data", "migration-check-"));
cpSync(path.join(root, "db", "migrations"), scratch, { recursive: true });
const r = spawnSync(
  path.join(root, "node_modules", ".bin", "drizzle-kit"),
  ["generate", "--dialect", "postgresql", "--schema", "./db/schema/index.ts", "--out", path.relative(root, scratch), "--name", "drift_check"],
  { cwd: root, encoding: "utf8" },
);
rmSync(scratch, { recursive: true, force: true });
const out = `${r.stdout}\n${r.stderr}`;
if (r.status !== 0) {
  console.error(out);
  process.exit(1);
}
if (!/No schema changes/i.test(out)) {
  console.error("db/schema differs from the committed migrations. Run `npm run db:generate` and commit the result.\n" + out);
  process.exit(1);
}
console.log("migrations: schema and committed migrations agree");
