// The viewers' side of bench/live (started by bench/live-driver.ts, in its own process):
//   node bench/live-viewers.mjs --port P --live ID --viewers N --rate R --seconds S --tokens FILE --out FILE
// Opens N Server-Sent Events connections to the room (GET /events), waits until every one has its
// HELLO, prints READY, then posts R comments per second for S seconds through POST /graphql
// (postLiveComment, each with a commenter's bearer token, round robin). Every comment's text carries
// its send time; every viewer records post → receipt for each COMMENT it reads. Writes a JSON summary.
import http from "node:http";
import { writeFileSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";

const { values: a } = parseArgs({
  options: { port: { type: "string" }, live: { type: "string" }, viewers: { type: "string" }, rate: { type: "string" }, seconds: { type: "string" }, tokens: { type: "string" }, out: { type: "string" } },
});
const PORT = Number(a.port);
const VIEWERS = Number(a.viewers);
const RATE = Number(a.rate);
const SECONDS = Number(a.seconds);
const tokens = JSON.parse(readFileSync(a.tokens, "utf8"));
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const latencies = new Float64Array(VIEWERS * RATE * SECONDS + 16);
let received = 0;
let ready = 0;
let dropped = 0;
const requests = [];

function openViewer(n) {
  return new Promise((resolve) => {
    let buffer = "";
    let greeted = false;
    const req = http.get({ host: "127.0.0.1", port: PORT, path: `/events?n=${n}`, agent, headers: { accept: "text/event-stream" } }, (res) => {
      res.setEncoding("utf8");
      res.on("data", (chunk) => {
        buffer += chunk;
        let at;
        while ((at = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          const event = /^event: (.+)$/m.exec(block)?.[1];
          if (event === "HELLO" && !greeted) {
            greeted = true;
            ready++;
            resolve();
          } else if (event === "COMMENT") {
            const body = JSON.parse(/^data: (.+)$/m.exec(block)[1]).body;
            const sent = /^b\d+t(\d+)$/.exec(body)?.[1];
            if (sent && received < latencies.length) latencies[received++] = Date.now() - Number(sent);
          }
        }
      });
      res.on("close", () => {
        if (!greeted) resolve();
        dropped++;
      });
    });
    req.on("error", () => resolve());
    requests.push(req);
  });
}

const MUTATION = `mutation($liveId: ID!, $text: String!) { postLiveComment(liveId: $liveId, text: $text) { comment { id status } errors { code } } }`;
function post(seq) {
  const text = `b${seq}t${Date.now()}`;
  const body = JSON.stringify({ query: MUTATION, variables: { liveId: a.live, text } });
  const t = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      { host: "127.0.0.1", port: PORT, path: "/graphql", method: "POST", agent, headers: { "content-type": "application/json", authorization: `Bearer ${tokens[seq % tokens.length]}`, "x-forwarded-for": `10.9.${(seq >> 8) & 255}.${seq & 255}` } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (text += c));
        res.on("end", () => {
          let ok = false;
          try {
            ok = JSON.parse(text).data?.postLiveComment?.comment?.status === "VISIBLE";
          } catch {}
          resolve({ ok, ms: performance.now() - t });
        });
      },
    );
    req.on("error", () => resolve({ ok: false, ms: performance.now() - t }));
    req.end(body);
  });
}

const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : null);

async function main() {
  const tc = performance.now();
  // Connect in batches so the accept queue is not flooded.
  for (let i = 0; i < VIEWERS; i += 100) await Promise.all(Array.from({ length: Math.min(100, VIEWERS - i) }, (_, k) => openViewer(i + k)));
  const connectSeconds = (performance.now() - tc) / 1000;
  if (ready < VIEWERS) console.error(`only ${ready} of ${VIEWERS} viewers connected`);
  console.log("READY");
  await sleep(500);

  const start = performance.now();
  const total = RATE * SECONDS;
  const posts = [];
  for (let k = 0; k < total; k++) {
    const wait = start + (k * 1000) / RATE - performance.now();
    if (wait > 0) await sleep(wait);
    posts.push(post(k));
  }
  const results = await Promise.all(posts);
  const postSeconds = (performance.now() - start) / 1000;
  await sleep(3_000); // let the last comments arrive
  const accepted = results.filter((r) => r.ok).length;
  const lat = Array.from(latencies.subarray(0, received)).sort((x, y) => x - y);
  const postMs = results.map((r) => r.ms).sort((x, y) => x - y);
  const summary = {
    connected: ready,
    connectSeconds: Number(connectSeconds.toFixed(1)),
    posted: total,
    accepted,
    achievedRatePerS: Number((total / postSeconds).toFixed(1)),
    expectedDeliveries: accepted * ready,
    deliveries: received,
    lost: accepted * ready - received,
    disconnectedDuringRun: dropped,
    deliveryLatencyMs: { p50: pct(lat, 50), p95: pct(lat, 95), p99: pct(lat, 99), max: lat.at(-1) ?? null },
    postLatencyMs: { p50: Number(pct(postMs, 50)?.toFixed(1)), p99: Number(pct(postMs, 99)?.toFixed(1)) },
  };
  writeFileSync(a.out, JSON.stringify(summary));
  for (const r of requests) r.destroy();
  agent.destroy();
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
