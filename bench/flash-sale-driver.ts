// The work of bench/flash-sale (issue 5, "Benchmark"), run by bench/flash-sale.mjs as
//   node_modules/.bin/tsx bench/flash-sale-driver.ts --db-url <url of a fresh, empty database> --out <result.json> \
//     [--units 10000] [--concurrency 8,32,64] [--buyers 2000] [--pool N] [--warmup 300]
// It boots the real runtime on that database (migrations run), creates a supplier, a store and one
// product with one SKU per concurrency level through the services, and --buyers consumers (users,
// roles and addresses in bulk SQL with exactly the columns the services write; a bearer token each
// through identity.service issueApiToken). Then, per concurrency level c, measured in the same run:
//   raw   the single-row ceiling: c connections (postgres driver), each looping over one transaction
//         that decrements one stock row (`stock > 0`) and inserts one row, until --units are gone;
//   app   a flash sale of --units units of one SKU (perUserLimit 99), and c clients each looping over
//         placeFlashOrder through the runtime's HTTP handler until they are answered SOLD_OUT.
// "Through the HTTP handler" means exactly what app/api/graphql/route.ts does per request, in this
// process: a web Request with `Authorization: Bearer <token>` and `X-Forwarded-For`, the viewer
// resolved from the token (runtime.viewerForBearer, as components/server/viewer.ts currentViewer
// does), the IP taken from X-Forwarded-For (as app/auth.ts clientIp does), then runtime.handleHttp
// (Apollo: parsing, validation, limits, resolvers) and the JSON response parsed. Not measured: Next's
// own routing and the socket. The database is created and dropped by bench/flash-sale.mjs, not here.
import "reflect-metadata";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    "db-url": { type: "string" },
    out: { type: "string" },
    units: { type: "string", default: "10000" },
    concurrency: { type: "string", default: "8,32,64" },
    buyers: { type: "string", default: "2000" },
    pool: { type: "string" },
    warmup: { type: "string", default: "300" },
  },
});
const DB_URL = args["db-url"];
const UNITS = Number(args.units);
const LEVELS = String(args.concurrency).split(",").map(Number);
const BUYERS = Number(args.buyers);
const POOL = args.pool === undefined ? undefined : Number(args.pool);
const WARMUP = Number(args.warmup);
if (
  !DB_URL || !args.out || !(Number.isInteger(UNITS) && UNITS >= 100 && UNITS <= 100_000) ||
  !LEVELS.length || LEVELS.some((c) => !Number.isInteger(c) || c < 1) || !(Number.isInteger(BUYERS) && BUYERS >= 10) ||
  (POOL !== undefined && !(Number.isInteger(POOL) && POOL >= 1)) || !(Number.isInteger(WARMUP) && WARMUP >= 0)
) {
  console.error("usage: tsx bench/flash-sale-driver.ts --db-url URL --out FILE [--units 10000] [--concurrency 8,32,64] [--buyers 2000] [--pool N] [--warmup 300]");
  process.exit(2);
}

// Secrets are generated into a throwaway data folder (never the developer's .data/).
const dataDir = mkdtempSync(path.join(os.tmpdir(), "lianbo-bench-flash-"));
process.env.LIANBO_DATA_DIR = dataDir;
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(sig, () => {
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(130);
  });
}

const log = (msg: string) => console.log(`  ${msg}`);
const ms = (t0: number) => performance.now() - t0;
const load = () => Number(os.loadavg()[0].toFixed(2));

/**
 * CPU (user + system, ms) of every postgres process on this machine so far, from /proc: the server
 * runs here, so per-order Postgres CPU can be read beside Node's. Backends that exit during a run
 * take their ticks with them; the app's pool stays open through a level, so its backends count.
 * Null where /proc cannot be read (not Linux).
 */
function postgresCpuMs(): number | null {
  try {
    const tick = 1000 / 100; // USER_HZ is 100 on Linux
    let total = 0;
    for (const pid of readdirSync("/proc")) {
      if (!/^\d+$/.test(pid)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      } catch {
        continue; // exited since the listing
      }
      const close = stat.lastIndexOf(")");
      if (!stat.slice(stat.indexOf("(") + 1, close).startsWith("postgres")) continue;
      const fields = stat.slice(close + 2).split(" ");
      total += (Number(fields[11]) + Number(fields[12])) * tick; // utime, stime (fields 14 and 15)
    }
    return total;
  } catch {
    return null;
  }
}

/**
 * Write system calls this process has made so far (/proc/self/io syscw), null off Linux. Nearly all
 * of them are socket writes to Postgres during a level; each one wakes a backend, and on two cores
 * the writer is often descheduled inside it, so writes per order are a cost of their own.
 */
function writeSyscalls(): number | null {
  try {
    return Number(/^syscw: (\d+)$/m.exec(readFileSync("/proc/self/io", "utf8"))?.[1] ?? NaN);
  } catch {
    return null;
  }
}
const perUnit = (a: number | null, b: number | null, n: number) => (a === null || b === null ? null : Number(((b - a) / Math.max(1, n)).toFixed(2)));

type Stats = { n: number; p50: number; p99: number; mean: number; max: number };
function stats(xs: number[]): Stats {
  const s = Float64Array.from(xs).sort();
  const pct = (q: number) => s[Math.max(0, Math.ceil(q * s.length) - 1)] ?? NaN;
  const r = (x: number) => Number(x.toFixed(2));
  let sum = 0;
  for (const x of s) sum += x;
  return { n: s.length, p50: r(pct(0.5)), p99: r(pct(0.99)), mean: r(sum / (s.length || 1)), max: r(s[s.length - 1] ?? NaN) };
}

const PLACE = `mutation($input: PlaceFlashOrderInput!) {
  placeFlashOrder(input: $input) { order { id status totalAmount { amount } } errors { code message } }
}`;

/**
 * BENCH_PROFILE=<dir>: a V8 CPU profile of each level's app run only (not the setup, the warm-up or
 * the raw ceiling), written as <dir>/flash-c<c>.cpuprofile for Chrome DevTools or speedscope.
 */
async function startProfile(label: string): Promise<{ stop: () => Promise<void> }> {
  const dir = process.env.BENCH_PROFILE;
  if (!dir) return { stop: async () => {} };
  const { Session } = await import("node:inspector/promises");
  const { writeFileSync } = await import("node:fs");
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 500 });
  await session.post("Profiler.start");
  return {
    stop: async () => {
      const { profile } = await session.post("Profiler.stop");
      writeFileSync(`${dir}/flash-${label}.cpuprofile`, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

async function main() {
  const { default: postgres } = await import("postgres");
  const { bootRuntime } = await import("../graphql/runtime");
  const fixtures = await import("../graphql/test/fixtures");
  const { addresses, userRoles, users } = await import("../db/schema");
  const { encryptPii } = await import("../graphql/platform/crypto");
  const { addressIndexes } = await import("../graphql/risk/risk.service");
  const { issueApiToken } = await import("../graphql/identity/identity.service");
  const { createFlashSale } = await import("../graphql/marketing/flash-sale.service");
  const { minimumRetailPrice } = await import("../graphql/store/store.rules");
  const { readEconomics } = await import("../graphql/platform/settings");

  const result: Record<string, unknown> = { units: UNITS, levels: LEVELS, buyers: BUYERS, warmup: WARMUP };
  const t0 = performance.now();
  // The app's own pool size unless --pool is given (instrumentation.ts boots with the default).
  const rt = await bootRuntime({ databaseUrl: DB_URL, dataDir: "memory://", workers: false, ...(POOL ? { poolSize: POOL } : {}) });
  const admin = postgres(DB_URL!, { max: 1, onnotice: () => {} });
  try {
    log(`runtime booted (migrations) in ${(ms(t0) / 1000).toFixed(1)} s; app pool ${POOL ?? "default (10)"} connections`);
    const db = rt.services.db;
    const now = () => rt.services.clock.now();
    const trt = Object.assign(rt, { dbName: null, dispose: async () => {} });

    // ── the cast: one supplier, one store, one product with a SKU per sale ────────────────────────
    const LIST_PRICE = 5_990;
    const supplier = await fixtures.createSupplier(trt);
    const sales = [...(WARMUP ? [{ label: "warm-up", units: WARMUP, c: Math.min(8, Math.max(...LEVELS)) }] : []), ...LEVELS.map((c) => ({ label: `c=${c}`, units: UNITS, c }))];
    const product = await fixtures.createProductFixture(trt, supplier, {
      skus: sales.map((s) => ({ stock: s.units, supplyPrice: 2_000, suggestedPrice: LIST_PRICE })),
    });
    const store = await fixtures.createStore(trt);
    await fixtures.listInStore(trt, store, product, sales.map(() => LIST_PRICE));
    const flashPrice = minimumRetailPrice(2_000, await readEconomics(db, now()));

    // ── buyers: bulk rows, a token each, a distinct client address each ───────────────────────────
    const tb = performance.now();
    const created = now();
    const people: { id: string }[] = [];
    for (let from = 0; from < BUYERS; from += 1000) {
      const chunk = Array.from({ length: Math.min(1000, BUYERS - from) }, (_, i) => ({ nickname: `秒杀压测${from + i}`, createdAt: created }));
      people.push(...(await db.insert(users).values(chunk).returning({ id: users.id })));
    }
    await db.insert(userRoles).values(people.map((p) => ({ userId: p.id, role: "CONSUMER" as const, createdAt: created })));
    const addressIds: string[] = [];
    for (let from = 0; from < BUYERS; from += 1000) {
      const rows = people.slice(from, from + 1000).map((p, j) => {
        const phone = `137${String(from + j).padStart(8, "0")}`;
        const place = { phone, province: "浙江省", city: "杭州市", district: "西湖区", detail: fixtures.consumerAddressDetail(phone) };
        return {
          userId: p.id,
          recipientEnc: encryptPii("陈晓雨"),
          phoneEnc: encryptPii(phone),
          province: place.province,
          city: place.city,
          district: place.district,
          detailEnc: encryptPii(place.detail),
          ...addressIndexes(place),
          isDefault: true,
          createdAt: created,
        };
      });
      addressIds.push(...(await db.insert(addresses).values(rows).returning({ id: addresses.id })).map((a) => a.id));
    }
    const tokens: string[] = new Array(BUYERS);
    for (let from = 0; from < BUYERS; from += 50) {
      await Promise.all(
        people.slice(from, from + 50).map(async (p, j) => {
          tokens[from + j] = (await issueApiToken({ db, now: now() }, { id: p.id, sessionVersion: 1 }, "bench")).token;
        }),
      );
    }
    // Each buyer is its own device: its own token and its own client address (X-Forwarded-For), so the
    // per-IP limit (600 per 10 s) sees distinct clients, as in a real spike.
    const buyers = people.map((p, i) => ({ userId: p.id, token: tokens[i], addressId: addressIds[i], ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }));
    if (!(await rt.viewerForBearer(buyers[0].token))) throw new Error("a bench token does not resolve to a viewer");
    log(`${BUYERS} buyers (bulk rows + ${BUYERS} tokens) in ${(ms(tb) / 1000).toFixed(1)} s`);

    // What app/api/graphql/route.ts does for one request.
    async function viaRoute(request: Request) {
      const bearer = request.headers.get("authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1];
      const viewer = bearer ? await rt.viewerForBearer(bearer) : null;
      const ip = request.headers.get("x-forwarded-for")?.split(",")[0].trim() || "127.0.0.1";
      return rt.handleHttp(request, viewer, ip);
    }

    const deadlocks = async () => Number((await admin`select deadlocks from pg_stat_database where datname = current_database()`)[0].deadlocks);
    const settleStats = () => new Promise((r) => setTimeout(r, 1_200)); // pg_stat counters are flushed about once a second

    // ── app: c clients on one flash sale until sold out ───────────────────────────────────────────
    async function appRun(skuId: string, units: number, c: number) {
      const start = now();
      const sale = await createFlashSale({ db, now: start }, store.storeId, store.userId, {
        skuId,
        flashPrice,
        totalStock: units,
        perUserLimit: 99,
        startsAt: start,
        endsAt: new Date(start.getTime() + 3_600_000),
      });
      const deadlocksBefore = await deadlocks();
      const okLatency: number[] = [];
      const soldOutLatency: number[] = [];
      const codes: Record<string, number> = {};
      const firstErrors: string[] = [];
      let lastOrderAt = 0;
      let next = 0; // buyers are handed out round-robin across clients
      const profiler = await startProfile(`c${c}`);
      const cpu0 = process.cpuUsage();
      const pg0 = postgresCpuMs();
      const w0 = writeSyscalls();
      const tr = performance.now();
      await Promise.all(
        Array.from({ length: c }, async () => {
          for (;;) {
            const b = buyers[next++ % buyers.length];
            const body = JSON.stringify({ query: PLACE, variables: { input: { flashSaleId: sale.id, quantity: 1, addressId: b.addressId, idempotencyKey: `b${randomBytes(12).toString("hex")}` } } });
            const request = new Request("http://127.0.0.1/api/graphql", {
              method: "POST",
              headers: { "content-type": "application/json", authorization: `Bearer ${b.token}`, "x-forwarded-for": b.ip },
              body,
            });
            const t = performance.now();
            const response = await viaRoute(request);
            const json = (await response.json()) as { data?: { placeFlashOrder: { order: { id: string } | null; errors: { code: string }[] } }; errors?: { message: string }[] };
            const dt = performance.now() - t;
            const payload = json.data?.placeFlashOrder;
            const code = json.errors?.length ? "GRAPHQL_ERROR" : payload?.order ? "OK" : (payload?.errors[0]?.code ?? "EMPTY");
            codes[code] = (codes[code] ?? 0) + 1;
            if (code === "OK") {
              okLatency.push(dt);
              lastOrderAt = performance.now();
            } else if (code === "SOLD_OUT") {
              soldOutLatency.push(dt);
              return; // this client saw the sale sold out
            } else if (firstErrors.length < 5) firstErrors.push(`${code}: ${JSON.stringify(json).slice(0, 300)}`);
            if (code !== "OK" && !["LIMIT_EXCEEDED", "RATE_LIMITED"].includes(code) && (codes[code] ?? 0) > 50) {
              throw new Error(`too many ${code} answers: ${firstErrors.join(" | ")}`);
            }
          }
        }),
      );
      const elapsedS = (lastOrderAt - tr) / 1000;
      const totalS = ms(tr) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const pg1 = postgresCpuMs();
      const w1 = writeSyscalls();
      await profiler.stop();
      await settleStats();
      // Oversell: units in orders of this sale against its stock; every segment must be ≥ 0.
      const [check] = await admin`select
          (select coalesce(sum(quantity), 0)::int from order_lines where flash_sale_id = ${sale.id}) as sold,
          (select count(distinct order_id)::int from order_lines where flash_sale_id = ${sale.id}) as orders,
          (select coalesce(sum(stock), 0)::int from flash_stock_segments where flash_sale_id = ${sale.id}) as left,
          (select coalesce(min(stock), 0)::int from flash_stock_segments where flash_sale_id = ${sale.id}) as min_segment,
          (select coalesce(sum(quantity), 0)::int from flash_purchases where flash_sale_id = ${sale.id}) as held`;
      return {
        c,
        units,
        orders: check.orders,
        unitsSold: check.sold,
        oversell: check.sold - units,
        unitsLeftInSegments: check.left,
        minSegment: check.min_segment,
        perPersonCountsSum: check.held,
        elapsedS: Number(elapsedS.toFixed(2)),
        untilAllSawSoldOutS: Number(totalS.toFixed(2)),
        ordersPerS: Number((check.orders / elapsedS).toFixed(1)),
        orderLatencyMs: stats(okLatency),
        soldOutLatencyMs: stats(soldOutLatency),
        // This process's CPU (user + system) per order: everything but Postgres.
        nodeCpuMsPerOrder: Number(((cpu.user + cpu.system) / 1000 / Math.max(1, check.orders)).toFixed(2)),
        nodeSystemCpuMsPerOrder: Number((cpu.system / 1000 / Math.max(1, check.orders)).toFixed(2)),
        // Every postgres process's CPU per order over the same span (null off Linux).
        postgresCpuMsPerOrder: pg0 === null || pg1 === null ? null : Number(((pg1 - pg0) / Math.max(1, check.orders)).toFixed(2)),
        writeSyscallsPerOrder: perUnit(w0, w1, check.orders),
        answers: codes,
        firstErrors,
        deadlocks: (await deadlocks()) - deadlocksBefore,
        loadAverage: load(),
      };
    }

    // ── raw: one row decremented, one row inserted per transaction, c connections ─────────────────
    await admin`create table bench_raw_stock (id int primary key, stock int not null check (stock >= 0))`;
    await admin`create table bench_raw_orders (id bigserial primary key, left_after int not null, created_at timestamptz not null default now())`;
    async function rawRun(units: number, c: number) {
      await admin`truncate bench_raw_orders`;
      await admin`insert into bench_raw_stock values (1, ${units}) on conflict (id) do update set stock = excluded.stock`;
      const pool = postgres(DB_URL!, { max: c, onnotice: () => {} });
      await Promise.all(Array.from({ length: c }, () => pool`select 1`)); // open every connection first
      const deadlocksBefore = await deadlocks();
      const latency: number[] = [];
      let lastAt = 0;
      const cpu0 = process.cpuUsage();
      const pg0 = postgresCpuMs();
      const w0 = writeSyscalls();
      const tr = performance.now();
      await Promise.all(
        Array.from({ length: c }, async () => {
          for (;;) {
            const t = performance.now();
            const took = await pool.begin(async (tx) => {
              const [row] = await tx`update bench_raw_stock set stock = stock - 1 where id = 1 and stock > 0 returning stock`;
              if (!row) return false;
              await tx`insert into bench_raw_orders (left_after) values (${row.stock})`;
              return true;
            });
            if (!took) return;
            latency.push(performance.now() - t);
            lastAt = performance.now();
          }
        }),
      );
      const elapsedS = (lastAt - tr) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const pg1 = postgresCpuMs();
      const w1 = writeSyscalls();
      await pool.end({ timeout: 5 });
      await settleStats();
      const [check] = await admin`select (select count(*)::int from bench_raw_orders) as orders, (select stock from bench_raw_stock where id = 1) as left`;
      return {
        c,
        units,
        orders: check.orders,
        oversell: check.orders - units,
        left: check.left,
        elapsedS: Number(elapsedS.toFixed(2)),
        txPerS: Number((check.orders / elapsedS).toFixed(1)),
        latencyMs: stats(latency),
        nodeCpuMsPerTx: Number(((cpu.user + cpu.system) / 1000 / Math.max(1, check.orders)).toFixed(3)),
        nodeSystemCpuMsPerTx: Number((cpu.system / 1000 / Math.max(1, check.orders)).toFixed(3)),
        postgresCpuMsPerTx: pg0 === null || pg1 === null ? null : Number(((pg1 - pg0) / Math.max(1, check.orders)).toFixed(3)),
        writeSyscallsPerTx: perUnit(w0, w1, check.orders),
        deadlocks: (await deadlocks()) - deadlocksBefore,
        loadAverage: load(),
      };
    }

    const levels: Record<string, unknown>[] = [];
    for (const [i, s] of sales.entries()) {
      const skuId = product.skus[i].id;
      if (s.label === "warm-up") {
        const w = await appRun(skuId, s.units, s.c);
        log(`warm-up: ${w.orders} orders at c=${s.c} (${w.ordersPerS} orders/s, not reported)`);
        result.warmUp = w;
        // Statistics, as autovacuum would have them within its first minute (naptime) on a shop
        // that has taken orders. The database is new: without this, a statement the app prepared
        // during the warm-up keeps a plan made for empty tables (say, a hash join over a sequential
        // scan of orders) until autovacuum happens to analyze them mid-level. ANALYZE invalidates
        // those plans; the next execution plans with real figures.
        await admin`analyze`;
        continue;
      }
      // Interleaved per level, so that both figures of a ratio see the same machine.
      const raw = await rawRun(s.units, s.c);
      log(`raw single row  c=${String(s.c).padStart(2)}: ${raw.txPerS} tx/s (p50 ${raw.latencyMs.p50} ms, p99 ${raw.latencyMs.p99} ms), ${raw.deadlocks} deadlocks, CPU per tx Node ${raw.nodeCpuMsPerTx} ms (system ${raw.nodeSystemCpuMsPerTx}) + Postgres ${raw.postgresCpuMsPerTx} ms, ${raw.writeSyscallsPerTx} writes per tx`);
      const app = await appRun(skuId, s.units, s.c);
      log(
        `app placeFlashOrder c=${String(s.c).padStart(2)}: ${app.ordersPerS} orders/s (p50 ${app.orderLatencyMs.p50} ms, p99 ${app.orderLatencyMs.p99} ms), ` +
          `oversell ${app.oversell}, ${app.unitsLeftInSegments} left, ${app.deadlocks} deadlocks, CPU per order Node ${app.nodeCpuMsPerOrder} ms (system ${app.nodeSystemCpuMsPerOrder}) + Postgres ${app.postgresCpuMsPerOrder} ms, ${app.writeSyscallsPerOrder} writes per order, answers ${JSON.stringify(app.answers)}`,
      );
      levels.push({ c: s.c, raw, app, ratioToRaw: Number((app.ordersPerS / raw.txPerS).toFixed(2)) });
    }
    result.levels = levels;
    const [pgVersion] = await admin`select version()`;
    result.postgres = pgVersion.version;
    result.appPool = POOL ?? 10;
    result.flashPrice = flashPrice;
  } finally {
    await admin.end({ timeout: 5 }).catch(() => {});
    await rt.close().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
  writeFileSync(args.out!, `${JSON.stringify(result, null, 2)}\n`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`flash-sale driver failed: ${e instanceof Error ? e.stack : e}`);
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(1);
  },
);
