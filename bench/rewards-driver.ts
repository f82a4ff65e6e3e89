// One configuration of bench/rewards (issue 4, "Benchmark"): run by bench/rewards.mjs as
//   node_modules/.bin/tsx bench/rewards-driver.ts --db-url <url of a fresh, empty database> \
//     --shape random|chain --size N --out <result.json> [--samples 200] [--team 100000] \
//     [--concurrency 8] [--duration 15] [--seed 1]
// It boots the real runtime on that database (migrations run), creates one supplier / store / product
// through the services, generates the synthetic invite tree in bulk with SQL, then measures through the
// real services: (a) paying an order (rewards computed and written in the payment transaction),
// (b) loading 我的团队 for a leader with a `--team`-member team, (c) paid orders/s with `--concurrency`
// payers of that team. The database is created and dropped by bench/rewards.mjs, not here.
import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Sql } from "postgres";

// ── options ────────────────────────────────────────────────────────────────────────────────────────
const { values: args } = parseArgs({
  options: {
    "db-url": { type: "string" },
    shape: { type: "string", default: "random" },
    size: { type: "string", default: "10000" },
    samples: { type: "string", default: "200" },
    team: { type: "string", default: "100000" },
    concurrency: { type: "string", default: "8" },
    duration: { type: "string", default: "15" },
    seed: { type: "string", default: "1" },
    /** Stop after generating the tree (to time generation alone). */
    "generate-only": { type: "boolean", default: false },
    out: { type: "string" },
  },
});
const DB_URL = args["db-url"];
const SHAPE = args.shape as "random" | "chain";
const SIZE = Number(args.size);
const SAMPLES = Number(args.samples);
const TEAM = Number(args.team);
const CONCURRENCY = Number(args.concurrency);
const DURATION_S = Number(args.duration);
const SEED = Number(args.seed);
if (!DB_URL || !args.out || !["random", "chain"].includes(SHAPE) || !(SIZE >= 10) || !(SAMPLES >= 1) || !(TEAM >= 10) || !(CONCURRENCY >= 1) || !(DURATION_S > 0)) {
  console.error("usage: tsx bench/rewards-driver.ts --db-url URL --shape random|chain --size N --out FILE [--samples N] [--team N] [--concurrency N] [--duration S]");
  process.exit(2);
}

// Secrets are generated into a throwaway data folder (never the developer's .data/).
const dataDir = mkdtempSync(path.join(os.tmpdir(), "lianbo-bench-rewards-"));
process.env.LIANBO_DATA_DIR = dataDir;
// bench/rewards.mjs drops the database; the secrets folder is ours to remove.
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(sig, () => {
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(130);
  });
}

const log = (msg: string) => console.log(`  [${SHAPE} ${SIZE.toLocaleString("en")}] ${msg}`);
const ms = (t0: number) => performance.now() - t0;
const load = () => Number(os.loadavg()[0].toFixed(2));

// ── statistics ─────────────────────────────────────────────────────────────────────────────────────
type Stats = { n: number; p50: number; p99: number; mean: number; min: number; max: number };
function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const pct = (q: number) => s[Math.max(0, Math.ceil(q * s.length) - 1)] ?? NaN;
  const r = (x: number) => Number(x.toFixed(3));
  return { n: s.length, p50: r(pct(0.5)), p99: r(pct(0.99)), mean: r(s.reduce((a, b) => a + b, 0) / (s.length || 1)), min: r(s[0] ?? NaN), max: r(s[s.length - 1] ?? NaN) };
}

/** Seeded PRNG (mulberry32): the same seed gives the same tree. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ── the synthetic tree ─────────────────────────────────────────────────────────────────────────────
const REGISTERED = 0;
const SHARER = 1;
const LEADER = 2;

/**
 * Nodes 0..size-1 are the tree (node 0 is the root LEADER); node `size` is the big team's leader,
 * attached under a random tree node; nodes size+1..size+team are that team: a random recursive tree
 * under its leader with no LEADER in it, so every one of them has leader_id = that leader.
 * Team assignment follows §2: leader(X) = parent if parent is a LEADER else leader(parent); a LEADER's
 * leader is itself and its detachedFrom is what its leader would have been (its parent's team).
 * Every parent index is smaller than its child's, so one forward pass computes it.
 */
function buildStructure(shape: "random" | "chain", size: number, team: number, rnd: () => number) {
  const total = size + 1 + team;
  const parent = new Int32Array(total).fill(-1);
  const role = new Uint8Array(total);
  const leader = new Int32Array(total).fill(-1);
  const detached = new Int32Array(total).fill(-1);
  const depth = new Int32Array(total);
  const chainStep = Math.max(1, Math.floor(size / 10)); // a chain has 10 LEADERs spread along it
  for (let i = 0; i < size; i++) {
    if (i === 0) {
      role[i] = LEADER;
      continue;
    }
    parent[i] = shape === "random" ? Math.floor(rnd() * i) : i - 1;
    const r = rnd();
    if (shape === "random") role[i] = r < 0.1 ? LEADER : r < 0.4 ? SHARER : REGISTERED;
    else role[i] = i % chainStep === 0 ? LEADER : r < 0.3 ? SHARER : REGISTERED;
  }
  const L = size;
  parent[L] = Math.floor(rnd() * size);
  role[L] = LEADER;
  for (let i = L + 1; i < total; i++) {
    parent[i] = L + Math.floor(rnd() * (i - L));
    role[i] = rnd() < 0.3 ? SHARER : REGISTERED;
  }
  for (let i = 0; i < total; i++) {
    const p = parent[i];
    const inherited = p < 0 ? -1 : role[p] === LEADER ? p : leader[p];
    depth[i] = p < 0 ? 0 : depth[p] + 1;
    if (role[i] === LEADER) {
      leader[i] = i;
      detached[i] = inherited;
    } else leader[i] = inherited;
  }
  return { total, parent, role, leader, detached, depth, L };
}
type Structure = ReturnType<typeof buildStructure>;

/**
 * Loads the structure: the parent/role/leader arrays go into an unlogged staging table with
 * multi-row `insert … select from unnest(…)` batches, then users, team_members, invites and
 * invite_ancestors (depth 1..3, from the parent column joined to itself) are each one
 * `insert … select` over it, and team_stats is folded from team_members for every leader.
 */
async function generate(sql: Sql, s: Structure, now: Date) {
  const steps: Record<string, number> = {};
  const step = async (name: string, fn: () => Promise<unknown>) => {
    const t0 = performance.now();
    await fn();
    steps[name] = Math.round(ms(t0));
  };
  await sql`set work_mem = '256MB'`;
  await sql`set maintenance_work_mem = '256MB'`;
  await sql`set synchronous_commit = off`;
  await step("staging", async () => {
    await sql`create unlogged table bench_nodes (i int not null, parent int, role smallint not null, leader int, detached int, uid uuid not null default gen_random_uuid())`;
    const BATCH = 100_000;
    const lit = (a: Int32Array | Uint8Array, from: number, to: number) => {
      const out: string[] = new Array(to - from);
      for (let k = from; k < to; k++) out[k - from] = a[k] < 0 ? "NULL" : String(a[k]);
      return `{${out.join(",")}}`;
    };
    for (let from = 0; from < s.total; from += BATCH) {
      const to = Math.min(s.total, from + BATCH);
      await sql.unsafe(
        `insert into bench_nodes (i, parent, role, leader, detached)
         select $1::int + u.ord::int - 1, u.p, u.r, u.l, u.d
         from unnest($2::int[], $3::smallint[], $4::int[], $5::int[]) with ordinality as u(p, r, l, d, ord)`,
        [from, lit(s.parent, from, to), lit(s.role, from, to), lit(s.leader, from, to), lit(s.detached, from, to)],
      );
    }
    await sql`alter table bench_nodes add primary key (i)`;
    await sql`analyze bench_nodes`;
  });
  // The rows are consistent by construction (every id comes from bench_nodes), so the per-row foreign
  // key triggers are skipped for the load, as pg_restore --disable-triggers does (needs a superuser;
  // without one the load still works, only slower). Rows go in uuid order so the primary-key btrees
  // fill left to right instead of splitting pages at random.
  const replica = await sql`set session_replication_role = replica`.then(() => true, () => false);
  // Every bench person was created before "now", in node order, one second apart.
  const base = new Date(now.getTime() - (s.total + 3600) * 1000).toISOString();
  await step("users", () =>
    sql`insert into users (id, nickname, created_at)
        select uid, '用户' || i, ${base}::timestamptz + make_interval(secs => i) from bench_nodes order by uid`,
  );
  await step("team_members", () =>
    sql`insert into team_members (user_id, invite_code, role, leader_id, detached_from_id, promoted_at, created_at)
        select n.uid, 'BN-' || n.i,
               (case n.role when 2 then 'LEADER' when 1 then 'SHARER' else 'REGISTERED' end)::referral_role,
               l.uid, d.uid,
               case when n.role = 2 then ${base}::timestamptz + make_interval(secs => n.i) end,
               ${base}::timestamptz + make_interval(secs => n.i)
        from bench_nodes n left join bench_nodes l on l.i = n.leader left join bench_nodes d on d.i = n.detached
        order by n.uid`,
  );
  await step("invites", () =>
    sql`insert into invites (user_id, inviter_id, channel, bound_at)
        select n.uid, p.uid, 'link', ${base}::timestamptz + make_interval(secs => n.i)
        from bench_nodes n join bench_nodes p on p.i = n.parent order by n.uid`,
  );
  await step("invite_ancestors", () =>
    sql`insert into invite_ancestors (user_id, ancestor_id, depth)
        select n.uid, a.uid, v.depth
        from bench_nodes n
        join bench_nodes p1 on p1.i = n.parent
        left join bench_nodes p2 on p2.i = p1.parent
        cross join lateral (values (1, p1.i), (2, p1.parent), (3, p2.parent)) as v(depth, anc)
        join bench_nodes a on a.i = v.anc
        order by n.uid, v.depth`,
  );
  if (replica) await sql`set session_replication_role = origin`;
  await step("team_stats", () =>
    sql`insert into team_stats (leader_id, members, sales, updated_at)
        select leader_id, count(*) filter (where user_id <> leader_id), 0, ${now.toISOString()}::timestamptz
        from team_members where leader_id is not null group by leader_id`,
  );
  await step("vacuum_analyze", () => sql`vacuum analyze users, team_members, invites, invite_ancestors, team_stats`);
  const [counts] = await sql<{ users: number; team_members: number; invites: number; invite_ancestors: number; team_stats: number; db_bytes: string }[]>`select
      (select count(*) from users)::int as users, (select count(*) from team_members)::int as team_members,
      (select count(*) from invites)::int as invites, (select count(*) from invite_ancestors)::int as invite_ancestors,
      (select count(*) from team_stats)::int as team_stats,
      pg_database_size(current_database())::bigint as db_bytes`;
  return { steps, foreignKeyTriggersSkipped: replica, counts: { ...counts, db_bytes: Number(counts.db_bytes) } };
}

// ── main ───────────────────────────────────────────────────────────────────────────────────────────
async function main() {
  const { default: postgres } = await import("postgres");
  const { bootRuntime } = await import("../graphql/runtime");
  const fixtures = await import("../graphql/test/fixtures");
  const { placeOrder } = await import("../graphql/order/checkout.service");
  const { createAddress } = await import("../graphql/order/address.service");
  const { startPayment, applyPaymentNotification } = await import("../graphql/payment/payment.service");
  const { SANDBOX_SIGNATURE_HEADER } = await import("../graphql/payment/sandbox-provider");
  const { rewardParties } = await import("../graphql/referral/rewards.service");
  const { referralSummary, teamList, rewardTotals } = await import("../graphql/referral/team.service");
  const { foldTeamDeltas } = await import("../graphql/referral/team-stats.service");
  const { sql: drizzleSql } = await import("drizzle-orm");

  const result: Record<string, unknown> = { shape: SHAPE, size: SIZE, team: TEAM, samples: SAMPLES, concurrency: CONCURRENCY, durationS: DURATION_S, seed: SEED };
  const loads: Record<string, number> = { start: load() };
  result.loadAverage = loads;

  // Statements seen by drizzle while `capture` is set: the exact SQL (and parameters) the services run.
  let capture: { query: string; params: unknown[] }[] | null = null;
  const logger = { logQuery: (query: string, params: unknown[]) => capture?.push({ query, params }) };

  const t0 = performance.now();
  const rt = await bootRuntime({ databaseUrl: DB_URL, dataDir: "memory://", workers: false, poolSize: 20, logger });
  const sql = postgres(DB_URL!, { max: 1, onnotice: () => {} });
  const sampler = postgres(DB_URL!, { max: 1, onnotice: () => {} });
  try {
    log(`runtime booted (migrations) in ${(ms(t0) / 1000).toFixed(1)} s`);
    const db = rt.services.db;
    const now = () => rt.services.clock.now();
    const ctx = () => ({ db, now: now() });
    const trt = Object.assign(rt, { dbName: null, dispose: async () => {} });

    // One supplier, one product with one SKU per concurrent payer plus one for the sequential samples
    // (so the payers never queue on one SKU's stock row), one store listing it.
    const supplier = await fixtures.createSupplier(trt);
    const product = await fixtures.createProductFixture(trt, supplier, {
      skus: Array.from({ length: CONCURRENCY + 1 }, () => ({ stock: 1_000_000, supplyPrice: 2_000, suggestedPrice: 3_990 })),
    });
    const store = await fixtures.createStore(trt);
    await fixtures.listInStore(trt, store, product);

    // ── generation ──
    const tg = performance.now();
    const s = buildStructure(SHAPE, SIZE, TEAM, prng(SEED));
    const jsMs = Math.round(ms(tg));
    const gen = await generate(sql, s, now());
    const generationMs = Math.round(ms(tg));
    result.generation = { totalMs: generationMs, structureJsMs: jsMs, stepsMs: gen.steps, foreignKeyTriggersSkipped: gen.foreignKeyTriggersSkipped, counts: gen.counts, treeDepth: s.depth.subarray(0, SIZE).reduce((a, b) => Math.max(a, b), 0) };
    log(`generated ${gen.counts.users.toLocaleString("en")} users in ${(generationMs / 1000).toFixed(1)} s ${JSON.stringify(gen.steps)}; db ${(gen.counts.db_bytes / 2 ** 20).toFixed(0)} MiB`);
    loads.afterGeneration = load();
    if (args["generate-only"]) {
      writeFileSync(args.out!, `${JSON.stringify(result, null, 2)}\n`);
      return;
    }

    // Buyers: (a) random tree nodes at depth ≥ 3 (three ancestors above them); (c) team members at
    // depth ≥ 3 below the team leader.
    const rnd = prng(SEED + 1);
    const pick = (count: number, from: number, to: number, ok: (i: number) => boolean) => {
      const chosen = new Set<number>();
      for (let guard = 0; chosen.size < count && guard < count * 1000; guard++) {
        const i = from + Math.floor(rnd() * (to - from));
        if (ok(i)) chosen.add(i);
      }
      return [...chosen];
    };
    const WARMUP = 10;
    const treeBuyers = pick(SAMPLES + WARMUP, 0, SIZE, (i) => s.depth[i] >= 3);
    const teamBuyers = pick(CONCURRENCY, s.L + 1, s.total, (i) => s.depth[i] - s.depth[s.L] >= 3);
    let deepest = 0;
    for (let i = 0; i < SIZE; i++) if (s.depth[i] > s.depth[deepest]) deepest = i;
    const wanted = [...treeBuyers, ...teamBuyers, s.L, deepest];
    const uidRows = await sql`select i, uid from bench_nodes where i = any(${`{${wanted.join(",")}}`}::int[])`;
    const uid = new Map<number, string>(uidRows.map((r) => [r.i as number, r.uid as string]));
    const leaderId = uid.get(s.L)!;
    await sql`drop table bench_nodes`;

    type Buyer = { userId: string; addressId: string; node: number };
    const withAddress = async (node: number): Promise<Buyer> => {
      const userId = uid.get(node)!;
      const address = await createAddress(ctx(), userId, {
        recipient: "陈晓雨",
        phone: fixtures.newPhone(),
        province: "浙江省",
        city: "杭州市",
        district: "西湖区",
        detail: "文三路 398 号 5 楼",
        isDefault: true,
      });
      return { userId, addressId: address.id, node };
    };
    const buyers: Buyer[] = [];
    for (const node of treeBuyers) buyers.push(await withAddress(node));
    const payers: Buyer[] = [];
    for (const node of teamBuyers) payers.push(await withAddress(node));

    /** placeOrder + startPayment + applyPaymentNotification; returns the timings (ms). */
    const payOnce = async (b: Buyer, skuId: string) => {
      const t = performance.now();
      const order = await placeOrder(ctx(), b.userId, {
        storeSlug: store.slug,
        items: [{ skuId, quantity: 1 }],
        addressId: b.addressId,
        idempotencyKey: fixtures.newIdempotencyKey(),
      });
      const { payment } = await startPayment(ctx(), b.userId, order.id, rt.sandbox);
      const signed = rt.sandbox.signNotification(payment);
      const n = rt.sandbox.parseNotification(signed.body, new Headers({ [SANDBOX_SIGNATURE_HEADER]: signed.signature }));
      if (!n) throw new Error("sandbox notification did not verify");
      const ta = performance.now();
      const outcome = await applyPaymentNotification(ctx(), rt.sandbox.name, n);
      const end = performance.now();
      if (outcome !== "PAID") throw new Error(`payment outcome ${outcome}`);
      return { total: end - t, apply: end - ta };
    };
    const rewardCount = async () => {
      const [r] = await sql`select count(*)::int as n, coalesce(sum(amount), 0)::bigint as fen from rewards`;
      return { n: r.n as number, fen: Number(r.fen) };
    };

    // How fast the machine is right now: one trivial statement through the same pool and driver.
    // Other work on this 2-core machine moves every figure; this one moves with it and is the
    // yardstick to read the others against.
    const probe = async () => {
      const xs: number[] = [];
      for (let k = 0; k < 100; k++) {
        const t = performance.now();
        await db.execute(drizzleSql`select 1`);
        xs.push(ms(t));
      }
      return stats(xs);
    };
    const probes: Record<string, Stats> = { beforePay: await probe() };
    result.selectOneProbe = probes;

    // ── (a) paying an order ──
    const sku0 = product.skus[0].id;
    for (const b of buyers.slice(0, WARMUP)) await payOnce(b, sku0);
    const before = await rewardCount();
    const payTotal: number[] = [];
    const payApply: number[] = [];
    loads.beforePay = load();
    for (const b of buyers.slice(WARMUP)) {
      const t = await payOnce(b, sku0);
      payTotal.push(t.total);
      payApply.push(t.apply);
    }
    const after = await rewardCount();
    const parties: number[] = [];
    for (const b of buyers.slice(WARMUP)) {
      const t = performance.now();
      await rewardParties(db, b.userId);
      parties.push(ms(t));
    }
    // One payment captured statement by statement, for EXPLAIN below.
    capture = [];
    await payOnce(buyers[0], sku0);
    const payStatements = capture;
    capture = null;
    const samplesPaid = payTotal.length;
    result.pay = {
      total: stats(payTotal),
      applyPaymentNotification: stats(payApply),
      rewardPartiesAlone: stats(parties),
      sequentialOrdersPerS: Number((1000 / stats(payTotal).mean).toFixed(1)),
      rewardsWritten: after.n - before.n,
      rewardsPerOrder: Number(((after.n - before.n) / samplesPaid).toFixed(2)),
      rewardFenPerOrder: Math.round((after.fen - before.fen) / samplesPaid),
      buyerDepth: stats(treeBuyers.slice(WARMUP).map((i) => s.depth[i])),
      statementsPerPayment: payStatements.length,
    };
    log(`pay: total p50 ${stats(payTotal).p50.toFixed(1)} ms p99 ${stats(payTotal).p99.toFixed(1)} ms; apply p50 ${stats(payApply).p50.toFixed(1)} p99 ${stats(payApply).p99.toFixed(1)}; ${(after.n - before.n) / samplesPaid} rewards/order`);
    loads.afterPay = load();

    // ── (b) 我的团队 for the leader of the big team ──
    const teamPage = async (n: number) => {
      const summary: number[] = [];
      const list: number[] = [];
      const both: number[] = [];
      const totals: number[] = [];
      let check: { teamSize: number; rows: number } | null = null;
      for (let k = 0; k < n + 3; k++) {
        const t = performance.now();
        const sum = await referralSummary(db, leaderId, now());
        const t1 = performance.now();
        const rows = await teamList(db, leaderId, "TEAM", { offset: 0, limit: 20 });
        const t2 = performance.now();
        await rewardTotals(db, leaderId);
        const t3 = performance.now();
        check = { teamSize: sum.teamSize, rows: rows.length };
        if (k < 3) continue; // warm-up
        summary.push(t1 - t);
        list.push(t2 - t1);
        both.push(t2 - t);
        totals.push(t3 - t2);
      }
      return { summaryPlusList: stats(both), referralSummary: stats(summary), teamList: stats(list), rewardTotals: stats(totals), check };
    };
    probes.beforeTeam = await probe();
    loads.beforeTeam = load();
    const team = await teamPage(SAMPLES);
    if (team.check?.teamSize !== TEAM || team.check.rows !== 21) throw new Error(`我的团队 check failed: ${JSON.stringify(team.check)}`);
    capture = [];
    await referralSummary(db, leaderId, now());
    await teamList(db, leaderId, "TEAM", { offset: 0, limit: 20 });
    await rewardTotals(db, leaderId);
    const teamStatements = capture;
    capture = null;
    result.teamPage = team;
    log(`我的团队 (${TEAM.toLocaleString("en")} members): summary+list p50 ${team.summaryPlusList.p50.toFixed(1)} ms p99 ${team.summaryPlusList.p99.toFixed(1)} ms (summary p50 ${team.referralSummary.p50.toFixed(1)}, list p50 ${team.teamList.p50.toFixed(1)})`);
    loads.afterTeam = load();

    // ── (c) concurrent payers inside the big team ──
    const lockSamples = { samples: 0, withLockWait: 0, lockWaiters: 0, active: 0 };
    let sampling = true;
    const samplerLoop = (async () => {
      while (sampling) {
        const [r] = await sampler`select count(*) filter (where wait_event_type = 'Lock')::int as waiting,
            count(*) filter (where state = 'active')::int as active
          from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`;
        lockSamples.samples++;
        lockSamples.lockWaiters += r.waiting;
        lockSamples.active += r.active;
        if (r.waiting > 0) lockSamples.withLockWait++;
        await new Promise((res) => setTimeout(res, 100));
      }
    })();
    probes.beforeConcurrent = await probe();
    loads.beforeConcurrent = load();
    const concBefore = await rewardCount();
    const deadline = performance.now() + DURATION_S * 1000;
    const concApply: number[] = [];
    const concTotal: number[] = [];
    let errors = 0;
    const firstErrors: string[] = [];
    const tc = performance.now();
    await Promise.all(
      payers.map(async (p, k) => {
        const skuId = product.skus[k + 1].id;
        while (performance.now() < deadline) {
          try {
            const t = await payOnce(p, skuId);
            concApply.push(t.apply);
            concTotal.push(t.total);
          } catch (e) {
            errors++;
            if (firstErrors.length < 3) firstErrors.push((e as Error).message.slice(0, 300));
          }
        }
      }),
    );
    const elapsed = ms(tc) / 1000;
    sampling = false;
    await samplerLoop;
    const concAfter = await rewardCount();
    const [{ pending }] = await sql`select count(*)::int as pending from team_stat_deltas where leader_id = ${leaderId}`;
    result.concurrent = {
      payers: payers.length,
      elapsedS: Number(elapsed.toFixed(2)),
      paidOrders: concTotal.length,
      ordersPerS: Number((concTotal.length / elapsed).toFixed(1)),
      total: stats(concTotal),
      applyPaymentNotification: stats(concApply),
      errors,
      firstErrors,
      rewardsWritten: concAfter.n - concBefore.n,
      payerDepthBelowLeader: payers.map((p) => s.depth[p.node] - s.depth[s.L]),
      lockWaitSampling: {
        samples: lockSamples.samples,
        fractionWithALockWaiter: Number((lockSamples.withLockWait / (lockSamples.samples || 1)).toFixed(3)),
        meanLockWaiters: Number((lockSamples.lockWaiters / (lockSamples.samples || 1)).toFixed(2)),
        meanActive: Number((lockSamples.active / (lockSamples.samples || 1)).toFixed(2)),
      },
      unfoldedTeamDeltasAfter: pending,
    };
    log(`${payers.length} concurrent payers: ${(concTotal.length / elapsed).toFixed(1)} paid orders/s (${concTotal.length} in ${elapsed.toFixed(1)} s, ${errors} errors), apply p50 ${stats(concApply).p50.toFixed(1)} ms p99 ${stats(concApply).p99.toFixed(1)} ms; lock waits in ${(100 * lockSamples.withLockWait / (lockSamples.samples || 1)).toFixed(0)}% of samples`);
    loads.afterConcurrent = load();

    // ── (b') 我的团队 again with the deltas the payments left unfolded (the fold job runs once a minute
    // in production; workers are off here), then the fold itself ──
    const teamAfter = await teamPage(Math.max(20, Math.floor(SAMPLES / 4)));
    const folds: number[] = [];
    let folded = 0;
    for (;;) {
      const t = performance.now();
      const n = await db.transaction((tx) => foldTeamDeltas(tx, now()));
      if (!n) break;
      folds.push(ms(t));
      folded += n;
    }
    result.teamPageWithUnfoldedDeltas = { unfoldedDeltas: pending, ...teamAfter, fold: { deltas: folded, batches: folds.length, batchMs: stats(folds) } };
    log(`我的团队 with ${pending} unfolded deltas: summary+list p50 ${teamAfter.summaryPlusList.p50.toFixed(1)} ms; folding them took ${folds.map((f) => f.toFixed(0)).join("+")} ms`);

    // ── EXPLAIN (ANALYZE, BUFFERS) of the statements the services ran ──
    const explain = async (label: string, query: string, params: unknown[]) => {
      const rows = await sql.unsafe(`explain (analyze, buffers) ${query}`, params as never[]);
      const plan = rows.map((r) => r["QUERY PLAN"] as string);
      const exec = Number(/Execution Time: ([\d.]+) ms/.exec(plan.join("\n"))?.[1] ?? NaN);
      return { label, query, params: params.map((p) => (typeof p === "string" && p.length > 80 ? `${p.slice(0, 80)}…` : p)), executionMs: exec, plan };
    };
    const selects = (stmts: { query: string; params: unknown[] }[]) =>
      stmts.filter((st) => /^\s*select/i.test(st.query) && !/for update/i.test(st.query));
    const explained: Awaited<ReturnType<typeof explain>>[] = [];
    for (const st of selects(teamStatements)) explained.push(await explain("teamPage", st.query, st.params));
    for (const st of selects(payStatements)) explained.push(await explain("payment", st.query, st.params));
    // Extra: a deep page of the team list (the cursor is an offset), and binding.service's cycle check
    // walking up from the deepest tree node (run when the person being bound already has invitees).
    const deepOffset = Math.min(50_000, Math.floor(TEAM / 2));
    capture = [];
    const deepRows = await teamList(db, leaderId, "TEAM", { offset: deepOffset, limit: 20 });
    const deepStmt = capture.find((st) => /order by/i.test(st.query));
    capture = null;
    if (deepRows.length !== 21) throw new Error(`teamList at offset ${deepOffset} returned ${deepRows.length} rows`);
    if (deepStmt) explained.push(await explain(`teamList TEAM at offset ${deepOffset} (page ${deepOffset / 20 + 1})`, deepStmt.query, deepStmt.params));
    explained.push(
      await explain(
        `binding cycle check (isSelfOrDescendant) from the deepest tree node (depth ${s.depth[deepest]})`,
        `with recursive up(id, steps) as (
      select inviter_id, 1 from invites where user_id = $1
      union all
      select i.inviter_id, up.steps + 1 from invites i join up on i.user_id = up.id where up.steps < 100000
    )
    select 1 as hit from up where id = $2 limit 1`,
        [uid.get(deepest)!, randomUUID()],
      ),
    );
    // What-if, after every measurement (the index is created in this throwaway database only, never
    // in db/): the team page ordered by when the member joined the team (team_members.created_at,
    // which this generator sets to the registration time) with an index that serves the order.
    const tw = performance.now();
    await sql`create index bench_whatif_team_members_leader_created_idx on team_members (leader_id, created_at desc, user_id)`;
    await sql`analyze team_members`;
    const whatIfIndexMs = Math.round(ms(tw));
    const whatIf = await explain(
      `WHAT-IF (not the app's query): team list ordered by team_members.created_at with index (leader_id, created_at desc, user_id), built in ${whatIfIndexMs} ms`,
      `select users.id, users.nickname, team_members.role, team_members.qualified_at, invites.risk_flagged, invites.inviter_id, team_members.created_at
       from team_members inner join users on users.id = team_members.user_id left join invites on invites.user_id = team_members.user_id
       where team_members.leader_id = $1 and team_members.user_id <> $2
       order by team_members.created_at desc, team_members.user_id limit $3`,
      [leaderId, leaderId, 21],
    );
    result.whatIf = whatIf;
    log(`what-if team list with an index on (leader_id, created_at desc, user_id): ${whatIf.executionMs.toFixed(2)} ms`);
    explained.sort((a, b) => b.executionMs - a.executionMs);
    result.explain = explained;
    log(`slowest statements: ${explained.slice(0, 3).map((e) => `${e.label} ${e.executionMs.toFixed(2)} ms`).join("; ")}`);
    loads.end = load();
  } finally {
    await sampler.end({ timeout: 5 }).catch(() => {});
    await sql.end({ timeout: 5 }).catch(() => {});
    await rt.close().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
  writeFileSync(args.out!, `${JSON.stringify(result, null, 2)}\n`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`rewards driver failed: ${e instanceof Error ? e.stack : e}`);
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(1);
  },
);
