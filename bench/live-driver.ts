// The work of bench/live (issue 6, "Benchmark"), run by bench/live.mjs as
//   node_modules/.bin/tsx bench/live-driver.ts --db-url <fresh database> --out <result.json> \
//     [--viewers 1000] [--rate 50] [--seconds 20] [--commenters 150]
// This process is the app server: the real runtime on that database (migrations run), one store, a
// certified anchor and one LIVE room, and a Node HTTP server exposing exactly the two paths a live room
// uses — GET /events (the SSE stream of app/api/live/[id]/events/route.ts: graphql/live/live-sse.ts
// openRoomStream on this runtime's LISTEN/NOTIFY hub) and POST /graphql (what app/api/graphql/route.ts
// does: bearer token → viewer, then runtime.handleHttp). Not measured: Next's own routing.
// The viewers run in a second process (bench/live-viewers.mjs), so their parsing does not share this
// process's core: --viewers SSE connections, and --commenters signed-in people posting comments
// (postLiveComment, through the filter) at --rate per second for --seconds. Each comment carries its
// send time; each viewer measures post → receipt. This process samples its memory (before the
// viewers, with them connected, and the peak) and then measures the moderation filter alone.
import "reflect-metadata";
import { spawn } from "node:child_process";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    "db-url": { type: "string" },
    out: { type: "string" },
    viewers: { type: "string", default: "1000" },
    rate: { type: "string", default: "50" },
    seconds: { type: "string", default: "20" },
    commenters: { type: "string", default: "150" },
  },
});
const VIEWERS = Number(args.viewers);
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const COMMENTERS = Number(args.commenters);
if (!args["db-url"] || !args.out || ![VIEWERS, RATE, SECONDS, COMMENTERS].every((n) => Number.isInteger(n) && n >= 1)) {
  console.error("usage: tsx bench/live-driver.ts --db-url URL --out FILE [--viewers 1000] [--rate 50] [--seconds 20] [--commenters 150]");
  process.exit(2);
}
// Comments are limited to 20 per 40 s per person: enough people to post at --rate without hitting it.
if (COMMENTERS < Math.ceil((RATE * Math.min(SECONDS, 40)) / 18)) {
  console.error(`--commenters ${COMMENTERS} is too few for --rate ${RATE} (each person may post 20 comments per 40 s)`);
  process.exit(2);
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), "lianbo-bench-live-"));
process.env.LIANBO_DATA_DIR = dataDir;
process.on("exit", () => rmSync(dataDir, { recursive: true, force: true }));

const log = (m: string) => console.log(`  ${m}`);
const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;

async function main() {
  const { bootRuntime } = await import("../graphql/runtime");
  const fixtures = await import("../graphql/test/fixtures");
  const { issueApiToken } = await import("../graphql/identity/identity.service");
  const { scheduleLive, startLive } = await import("../graphql/live/live.service");
  const { enterableLive } = await import("../graphql/live/live-room.service");
  const { openRoomStream, SSE_HEADERS } = await import("../graphql/live/live-sse");
  const { moderate } = await import("../graphql/live/moderation.rules");
  const { shippedMatcher } = await import("../graphql/live/moderation-words");
  const { anchors, listings, userRoles, users } = await import("../db/schema");
  const { eq } = await import("drizzle-orm");

  const rt = await bootRuntime({ databaseUrl: args["db-url"], dataDir: "memory://", workers: false, poolSize: 20 });
  const db = rt.services.db;
  const now = () => rt.services.clock.now();
  const trt = Object.assign(rt, { dbName: null, dispose: async () => {} });
  try {
    // ── the room: a store with one product, its owner a certified anchor, live now ─────────────────
    const shop = await fixtures.createShop(trt, [{ stock: 100_000, supplyPrice: 2_000, suggestedPrice: 5_990 }]);
    await db.insert(anchors).values({ userId: shop.store.userId, status: "APPROVED", tier: 3, createdAt: now() });
    const [listing] = await db.select().from(listings).where(eq(listings.storeId, shop.store.storeId));
    const scheduled = await scheduleLive({ db, now: now() }, shop.store.storeId, shop.store.userId, {
      title: "压测直播间",
      scheduledAt: now(),
      listingIds: [listing.id],
      prices: [],
      playbackUrl: "/media/demo-live/index.m3u8",
    });
    await startLive({ db, now: now() }, { storeId: shop.store.storeId }, shop.store.userId, scheduled.id);
    const live = (await enterableLive(db, scheduled.id, null))!;

    // ── commenters: signed-in people with a bearer token each ─────────────────────────────────────
    const created = now();
    const people = await db
      .insert(users)
      .values(Array.from({ length: COMMENTERS }, (_, i) => ({ nickname: `观众${i}`, createdAt: created })))
      .returning({ id: users.id });
    await db.insert(userRoles).values(people.map((p) => ({ userId: p.id, role: "CONSUMER" as const, createdAt: created })));
    const tokens = await Promise.all(people.map(async (p) => (await issueApiToken({ db, now: now() }, { id: p.id, sessionVersion: 1 }, "bench")).token));

    // ── the two paths of a live room, over HTTP ───────────────────────────────────────────────────
    let connected = 0;
    const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
      try {
        if (req.method === "GET" && req.url?.startsWith("/events")) {
          const abort = new AbortController();
          const n = new URL(req.url, "http://x").searchParams.get("n") ?? "0";
          const stream = openRoomStream({ db, clock: rt.services.clock, hub: rt.liveHub }, { live, viewer: null, viewerKey: `d:bench-${n}`, resumeFrom: null, signal: abort.signal });
          res.writeHead(200, SSE_HEADERS);
          connected++;
          req.on("close", () => {
            connected--;
            abort.abort();
          });
          const reader = stream.getReader();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            res.write(value);
          }
          res.end();
          return;
        }
        if (req.method === "POST" && req.url === "/graphql") {
          const chunks: Buffer[] = [];
          for await (const c of req) chunks.push(c as Buffer);
          const bearer = String(req.headers.authorization ?? "").match(/^Bearer\s+(\S+)$/i)?.[1];
          const viewer = bearer ? await rt.viewerForBearer(bearer) : null;
          const request = new Request("http://127.0.0.1/api/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: Buffer.concat(chunks) });
          const response = await rt.handleHttp(request, viewer, String(req.headers["x-forwarded-for"] ?? "127.0.0.1"));
          res.writeHead(response.status, { "content-type": "application/json" });
          res.end(Buffer.from(await response.arrayBuffer()));
          return;
        }
        res.writeHead(404).end();
      } catch (e) {
        if (!res.headersSent) res.writeHead(500);
        res.end(e instanceof Error ? e.message : "error");
      }
    });
    server.keepAliveTimeout = 120_000;
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;

    // ── memory: before, with everyone connected, peak ─────────────────────────────────────────────
    global.gc?.();
    const before = process.memoryUsage();
    let peakRss = before.rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
    let withViewers: NodeJS.MemoryUsage | null = null;

    const viewersOut = path.join(dataDir, "viewers.json");
    const tokensFile = path.join(dataDir, "tokens.json");
    writeFileSync(tokensFile, JSON.stringify(tokens));
    log(`room live; server on :${port}; starting ${VIEWERS} viewers and ${COMMENTERS} commenters in a second process`);
    const child = spawn(
      process.execPath,
      [path.join(process.cwd(), "bench", "live-viewers.mjs"), "--port", String(port), "--live", live.id, "--viewers", String(VIEWERS), "--rate", String(RATE), "--seconds", String(SECONDS), "--tokens", tokensFile, "--out", viewersOut],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (text: string) => {
      for (const line of text.split("\n").filter(Boolean)) {
        if (line === "READY") {
          withViewers = process.memoryUsage();
          log(`${connected} viewers connected; posting ${RATE} comments/s for ${SECONDS} s`);
        } else log(`viewers: ${line}`);
      }
    });
    const code = await new Promise<number>((r) => child.on("exit", (c) => r(c ?? 1)));
    clearInterval(sampler);
    if (code !== 0) throw new Error(`viewers process exited with ${code}`);
    const viewers = JSON.parse((await import("node:fs")).readFileSync(viewersOut, "utf8"));
    server.closeAllConnections();
    server.close();

    // ── the filter alone: how many comments it checks per second on this core ────────────────────
    const corpus = [
      "这件毛衣有米色吗", "主播好漂亮", "多少钱", "加我微信聊", "jia wei xin 便宜卖", "賭博網站", "主播是傻.逼", "全网最低价吗",
      "什么时候发货", "第一次买，求推荐尺码", "能便宜点吗", "已下单，期待", "链接在哪里", "有没有优惠券", "1号链接还有吗", "好看好看好看",
    ];
    const matcher = shippedMatcher();
    let checks = 0;
    const tm = performance.now();
    while (performance.now() - tm < 2_000) {
      for (const c of corpus) moderate(c, matcher, "COMMENT");
      checks += corpus.length;
    }
    const filterPerSecond = Math.round(checks / ((performance.now() - tm) / 1000));

    const result = {
      viewers: VIEWERS,
      ratePerS: RATE,
      seconds: SECONDS,
      commenters: COMMENTERS,
      ...viewers,
      serverMemoryMB: {
        rssBefore: mb(before.rss),
        heapBefore: mb(before.heapUsed),
        rssWithViewers: withViewers ? mb((withViewers as NodeJS.MemoryUsage).rss) : null,
        heapWithViewers: withViewers ? mb((withViewers as NodeJS.MemoryUsage).heapUsed) : null,
        rssPeak: mb(peakRss),
      },
      moderationChecksPerS: filterPerSecond,
    };
    writeFileSync(args.out!, JSON.stringify(result, null, 2));
  } finally {
    await rt.close();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
