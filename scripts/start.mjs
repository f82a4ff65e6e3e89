#!/usr/bin/env node
// `npm start`: builds when the sources changed since the last build, then serves the production
// build on PORT (default 3000). Without DATABASE_URL the app runs on embedded PGlite in .data/
// (created, migrated and seeded on first run by instrumentation.ts).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const port = process.env.PORT || "3000";
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const next = path.join(root, "node_modules", ".bin", "next");

function newest(p) {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(p).map((f) => newest(path.join(p, f))));
}

const buildId = path.join(root, ".next", "BUILD_ID");
const sources = ["app", "components", "graphql", "db", "instrumentation.ts", "next.config.js", "package-lock.json", "tsconfig.json"];
const stale = !existsSync(buildId) || Math.max(...sources.map((s) => newest(path.join(root, s)))) > statSync(buildId).mtimeMs;
if (stale) {
  console.log("› Building the app (first run or sources changed)…");
  const r = spawnSync(next, ["build"], { cwd: root, env, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const server = spawn(next, ["start", "-p", port], { cwd: root, env, stdio: "inherit" });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.kill(sig));
server.on("exit", (code) => process.exit(code ?? 0));

// Print the demo logins once the app answers (the first request waits for migrations and seed).
const url = `http://localhost:${port}`;
for (let i = 0; i < 120; i++) {
  await new Promise((r) => setTimeout(r, 1000));
  const ok = await fetch(`${url}/`).then((r) => r.ok).catch(() => false);
  if (ok) {
    console.log(`
链播 is running at ${url}  (database: ${process.env.DATABASE_URL ? "DATABASE_URL" : "embedded PGlite in .data/"})

  逛店铺 (mobile):   ${url}/s/xiaomei   ${url}/s/laozhang   ${url}/s/chayu
  消费者登录:        ${url}/login   phones 13800000001 / 13800000002 / 13800000003 — the page shows the dev SMS code
  店主工作台:        ${url}/merchant    merchant1 / merchant2 / merchant3, password lianbo123
  供应商门户:        ${url}/supplier    supplier1 / supplier2, password lianbo123
  平台运营:          ${url}/operator    admin, password lianbo123
  Move the clock:    npm run clock -- 16m   (unpaid orders expire)   npm run clock -- 10d   (auto-receive)
`);
    break;
  }
}
