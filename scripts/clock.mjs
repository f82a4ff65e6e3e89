#!/usr/bin/env node
// Development only: `npm run clock -- 15m` moves the running app's clock forward (units: s, m, h, d)
// and runs the jobs that became due. `npm run clock` alone prints the app's current time.
const port = process.env.PORT || "3000";
const advance = process.argv[2];
const url = `http://localhost:${port}/api/dev/clock`;
const res = advance
  ? await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ advance }) })
  : await fetch(url);
if (!res.ok) {
  console.error(`clock: ${res.status} ${await res.text()}`);
  process.exit(1);
}
console.log(JSON.stringify(await res.json()));
