import { randomUUID } from "node:crypto";
import { inArray, sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { columnsOf, runHot } from "@/db/hot-sql";
import { insertRows } from "@/db/insert-rows";
import { addresses, orderLines, orders } from "@/db/schema";
import { DomainError } from "../core/errors";
import { enqueueJobs } from "../platform/jobs";
import { countRateLimitHits, giveBackRateLimitHits, rateLimitHitsToGiveBack, rateLimitsAllowed } from "../platform/rate-limit";
import { withTxRetry } from "../platform/retry";
import { buyersWithInviteRelations, detectAddressPairsMany } from "../risk/risk.service";
import { expiryJobOf, lineRowsOf, orderRowOf, type Offered, type OrderRow } from "../order/checkout.service";
import type { OrderQuote } from "../order/order.rules";
import { assignUnits, type FlashOrderErrorCode } from "./flash-sale.rules";
import { anyUnitLeft, flushSoldOut, giveBackUnits, grabUnits, markSoldOut, pendingSoldOut } from "./flash-stock.service";
import { soldOutCache } from "./sold-out-cache";

/**
 * Admission for a flash sale under a spike. Buyers that passed the cheap checks queue per sale in
 * this process, and a drainer takes up to MAX_BATCH of them (one per person) into ONE transaction:
 * one read of their replays, addresses and the sale's flags, one rate-limit upsert, one per-person
 * upsert, one segment decrement for all their units, and one multi-row insert each of orders, lines
 * and expiry jobs — in two round trips and the commit, BEGIN travelling with the first. A
 * single-row decrement costs a commit per buyer and the hot row's lock is held across it; here one
 * commit serves the batch, and while it runs the next batch gathers — so throughput grows as buyers
 * pile in instead of collapsing. At most LANE_WIDTH batches of a sale run at once in a process (several take different
 * segments, SKIP LOCKED); other instances do the same on the same segments.
 *
 * Every buyer gets exactly the answer the one-order path gives, in the same precedence: a replay of
 * their key (or IDEMPOTENCY_KEY_REUSED), ENDED / SOLD_OUT by the flags, ADDRESS_NOT_FOUND,
 * RATE_LIMITED, LIMIT_EXCEEDED, SOLD_OUT when no segment has a unit left. Whatever the batch cannot
 * decide exactly — a unit count no segment it holds can cover while other segments are busy or
 * fragmented, a key racing another instance, any unexpected error — is answered `SINGLE`: the caller
 * runs the one-order transaction for that buyer, which waits, gathers fragments and retries exactly
 * as before. Nothing a SINGLE buyer asked for was written by the batch.
 *
 * Locks, in the order every flash writer takes them (see flash-stock.service): rate-limit rows (by
 * key), per-person rows (by user id), then segments; a batch never waits for a segment while it holds
 * one.
 */

export const MAX_BATCH = 64;
/**
 * Batches of one sale running at once in this process. One: while it runs, the next batch gathers
 * everyone who arrives, so batches are as large as the moment allows. Two lanes used to pay while
 * BEGIN cost a round trip of its own (see db/pipelined-begin.ts); measured since on bench/flash-sale
 * (same run, 5,000 units), one lane against two: c=8 552 vs 476 orders/s, c=32 965 vs 722, c=64
 * 1,258 vs 1,362 — two lanes split eight buyers into batches of about two.
 */
export const LANE_WIDTH = 1;

/** One buyer's request, checked and priced, waiting for admission. */
export type FlashTicket = {
  db: Db;
  now: Date;
  userId: string;
  ip: string;
  quantity: number;
  addressId: string;
  idempotencyKey: string;
  requestHash: string;
  sale: { id: string; skuId: string; perUserLimit: number };
  store: { id: string };
  bySku: Map<string, Offered>;
  quote: OrderQuote;
  platformFeeBp: number;
  expiresAt: Date;
  rateLimits: { key: string; limit: number; windowMs: number }[];
};

export type Admission = { order: OrderRow } | { error: unknown } | "SINGLE";

type AddressRow = typeof addresses.$inferSelect;
type Waiting = FlashTicket & { settle: (a: Admission) => void };
type Lane = { pending: Waiting[]; running: number; busy: Set<string> };
const lanes = new Map<string, Lane>();

/**
 * What admission did in this process since it started: buyers answered by a batch, buyers handed to
 * the one-order path, and batches that failed with an unexpected error (their buyers went SINGLE,
 * so a broken batch would otherwise only show as slowness). Read by tests and the benchmark.
 */
const counts = { answeredByBatch: 0, single: 0, failedBatches: 0 };
export const flashAdmissionCounts = (): Readonly<typeof counts> => ({ ...counts });

const orderError = (code: keyof typeof FlashOrderErrorCode, message: string, field: string | null = null) => new DomainError(code, message, field);

/** Queues a buyer for the sale's next batch; resolves with their answer (never rejects). */
export function admitFlashOrder(ticket: FlashTicket): Promise<Admission> {
  return new Promise((settle) => {
    let lane = lanes.get(ticket.sale.id);
    if (!lane) lanes.set(ticket.sale.id, (lane = { pending: [], running: 0, busy: new Set() }));
    lane.pending.push({ ...ticket, settle });
    pump(ticket.sale.id, lane);
  });
}

/** Starts batches while the lane has room: one ticket per person, none of a person already in a running batch. */
function pump(saleId: string, lane: Lane) {
  while (lane.running < LANE_WIDTH && lane.pending.length) {
    const batch: Waiting[] = [];
    const rest: Waiting[] = [];
    const people = new Set<string>();
    for (const t of lane.pending) {
      const fits = batch.length < MAX_BATCH && !lane.busy.has(t.userId) && !people.has(t.userId) && (!batch.length || batch[0].db === t.db);
      if (fits) {
        batch.push(t);
        people.add(t.userId);
      } else rest.push(t);
    }
    if (!batch.length) return;
    lane.pending = rest;
    lane.running++;
    for (const p of people) lane.busy.add(p);
    void runBatch(batch).finally(() => {
      lane.running--;
      for (const p of people) lane.busy.delete(p);
      if (!lane.running && !lane.pending.length) lanes.delete(saleId);
      else pump(saleId, lane);
    });
  }
}

/** Thrown inside the batch when its decisions would not be exact: rolled back, everyone goes SINGLE. */
class BatchConflict extends Error {}

async function runBatch(batch: Waiting[]) {
  const { db } = batch[0];
  const answers = new Map<Waiting, Admission>();
  try {
    await withTxRetry(() =>
      db.transaction(async (tx) => {
        answers.clear();
        await admitBatch(tx, batch, answers);
      }),
    );
  } catch (e) {
    answers.clear();
    if (!(e instanceof BatchConflict)) {
      counts.failedBatches++;
      console.error("flash admission batch failed; its buyers take the one-order path", e);
    }
  } finally {
    if (pendingSoldOut.size) await flushSoldOut(db, latest(batch)).catch((e) => console.error("flash sold-out flag failed", e));
  }
  for (const t of batch) {
    const answer = answers.get(t) ?? "SINGLE";
    if (answer === "SINGLE") counts.single++;
    else counts.answeredByBatch++;
    t.settle(answer);
  }
}

const latest = (batch: FlashTicket[]) => new Date(Math.max(...batch.map((t) => t.now.getTime())));

/**
 * The batch's statements go in two round trips before the commit, each a group of statements sent
 * together (pipelined on the transaction's connection): BEGIN, the reads, the counters and the
 * units; then the rows and whatever goes back. (More only when the units need another try — busy
 * segments, stock spread thin — or a key is replayed.) Counters and units are taken for everyone
 * before anyone is refused: refusals are rare in a spike, and waiting for the reads would cost a
 * round trip per batch. Whatever was counted or taken for a buyer who is then refused goes back in
 * the second round trip, so every buyer's answer and every counter end as on the one-order path.
 */
async function admitBatch(tx: Db, batch: Waiting[], answers: Map<Waiting, Admission>) {
  const sale = batch[0].sale;
  const refuse = (t: Waiting, code: keyof typeof FlashOrderErrorCode, message: string, field: string | null = null) => answers.set(t, { error: orderError(code, message, field) });
  const open = () => batch.filter((t) => !answers.has(t));

  // 1. One round trip. Reads: replays of the buyers' keys; the sale's flags, fresh (another
  //    instance may have closed it or seen it sell out); the addresses; which buyers have an invite
  //    relation (risk pairs). Replays are rare: only their keys are read here (selecting every order
  //    column for a batch that has none cost more CPU than the rest of the read), a replay's whole
  //    order after. Then the counters — rate limits (every buyer on each of their keys, in arrival
  //    order), the per-person rows (in user order: the order concurrent batches and releases lock
  //    them) — and the first try for everyone's units, in this order (runHot sends in call order,
  //    which keeps the lock order and puts the savepoint right before the try; see grabUnits).
  const byUser = [...batch].sort((x, y) => (x.userId < y.userId ? -1 : 1));
  // Postgres would plan the batch's statements afresh on every execution: for a list parameter
  // its generic plan assumes 10 items and so always looks dearer than a plan for the actual 4.
  // Every one of them is a walk over a unique index whatever the count, so the plan each
  // connection made once is kept. Planning was a fifth of Postgres's CPU per order.
  // (runHot sends at once, in call order; a drizzle tx.execute would wait for Promise.all's then.)
  const planMode = runHot(tx, "set local plan_cache_mode = force_generic_plan", []);
  const flagsRead = runHot<{ sold_out: boolean; closed: boolean }>(tx, SALE_FLAGS, [sale.id]);
  const stopped = flagsRead.then(([f]) => Boolean(f?.sold_out || f?.closed));
  stopped.catch(() => {}); // the Promise.all below reports a failed read
  const [, flagRows, replayKeys, found, related, counted, held, chunks] = await Promise.all([
    planMode,
    flagsRead,
    runHot<{ id: string; user_id: string; idempotency_key: string }>(tx, REPLAY_KEYS, [batch.map((t) => t.userId), batch.map((t) => t.idempotencyKey)]),
    runHot<{ address: AddressRow }>(tx, ADDRESSES.text, [batch.map((t) => t.addressId)], ADDRESSES.fields),
    buyersWithInviteRelations(tx, batch.map((t) => t.userId)),
    countRateLimitHits(tx, batch.map((t) => ({ rules: t.rateLimits, now: t.now }))),
    runHot<{ user_id: string }>(tx, HOLD_UNITS, [sale.id, byUser.map((t) => t.userId), byUser.map((t) => t.quantity), sale.perUserLimit]),
    // The flags are not known yet: a sale flagged sold out or closed is left unread by this try.
    grabUnits(tx, sale.id, batch.reduce((n, t) => n + t.quantity, 0), stopped),
  ]);
  const replays = replayKeys.length ? await tx.select().from(orders).where(inArray(orders.id, replayKeys.map((r) => r.id))) : [];
  // In the one-order path's precedence: the replay, the flags, the address, the rate limits, the
  // per-person limit, the units.
  for (const t of batch) {
    const replay = replays.find((o) => o.userId === t.userId && o.idempotencyKey === t.idempotencyKey);
    if (replay) {
      if (replay.requestHash === t.requestHash) answers.set(t, { order: replay });
      else refuse(t, "IDEMPOTENCY_KEY_REUSED", "该请求编号已用于另一笔订单", "idempotencyKey");
    }
  }
  const flags = flagRows[0];
  const addressOf = new Map<Waiting, AddressRow>();
  for (const t of open()) {
    const address = found.find((f) => f.address.id === t.addressId && f.address.userId === t.userId)?.address;
    if (flags?.closed) refuse(t, "ENDED", "秒杀已结束", "flashSaleId");
    else if (flags?.sold_out) {
      soldOutCache.mark(sale.id, t.now);
      refuse(t, "SOLD_OUT", "已抢光", "flashSaleId");
    } else if (!address) refuse(t, "ADDRESS_NOT_FOUND", "收货地址不存在", "addressId");
    else addressOf.set(t, address);
  }
  // Rate limits as if only the buyers still in had been counted.
  const allowed = rateLimitsAllowed(counted, batch.map((t) => answers.has(t)));
  const refusedEarly = new Set(batch.filter((t) => answers.has(t)));
  const holding = new Set(held.map((h) => h.user_id));
  const giveBack: Waiting[] = batch.filter((t) => refusedEarly.has(t) && holding.has(t.userId));
  batch.forEach((t, i) => {
    if (answers.has(t)) return;
    if (!allowed[i]) {
      refuse(t, "RATE_LIMITED", "抢购太频繁，请稍后再试");
      if (holding.has(t.userId)) giveBack.push(t);
    } else if (!holding.has(t.userId)) refuse(t, "LIMIT_EXCEEDED", `每人限购 ${sale.perUserLimit} 件`, "quantity");
  });

  // 2. The units to everyone still in, in arrival order, each buyer's from one segment. Nobody
  //    refused above takes any: what they would have had is left over and goes back.
  const wanting = open();
  const { segmentOf, unused } = assignUnits(chunks, wanting.map((t) => t.quantity));
  const soldOut = segmentOf.some((x) => x === null) && !unused.length && !(await anyUnitLeft(tx, sale.id));
  const served = wanting.filter((_, i) => segmentOf[i] !== null);
  wanting.forEach((t, i) => {
    if (segmentOf[i] !== null) return;
    giveBack.push(t);
    if (soldOut) refuse(t, "SOLD_OUT", "已抢光", "quantity");
    else answers.set(t, "SINGLE");
  });
  if (soldOut) markSoldOut(sale.id, latest(batch));
  // Hits go back for everyone refused before the limits applied, and for everyone handed to the
  // one-order path, which counts them itself.
  const hitsBack = rateLimitHitsToGiveBack(counted, batch.map((t) => refusedEarly.has(t) || answers.get(t) === "SINGLE"));

  // 3. The second round trip: orders (ids made here, so their lines go in the same round trip),
  //    lines, expiry jobs, and whatever goes back (units, per-person counts, rate-limit hits). A key
  //    another instance is writing right now leaves an order out and its lines fail their foreign
  //    key: the whole batch rolls back and goes SINGLE.
  const rows = served.map((t) => ({ t, order: { id: randomUUID(), ...orderRowOf({ ...t, address: addressOf.get(t)!, channel: "FLASH" }) } }));
  const statements: Promise<unknown>[] = [...giveBackUnits(tx, sale.id, unused), givePurchasesBack(tx, sale.id, giveBack), giveBackRateLimitHits(tx, hitsBack)];
  let written: OrderRow[] = [];
  if (rows.length) {
    // insertRows, not the query builder: building these two multi-row inserts was the largest
    // single CPU cost of a batch (see db/insert-rows.ts).
    statements.push(
      insertRows(tx, orders, rows.map((r) => r.order), { onConflictDoNothing: [orders.userId, orders.idempotencyKey], returning: true }).then((w) => (written = w)),
      insertRows(tx, orderLines, rows.flatMap((r) => lineRowsOf(r.order.id, r.t, new Map([[sale.skuId, { flashSaleId: sale.id, flashSegment: segmentOf[wanting.indexOf(r.t)] }]])))),
      enqueueJobs(tx, rows.map((r) => expiryJobOf({ id: r.order.id, expiresAt: r.order.expiresAt }, r.t.now))),
    );
  }
  await Promise.all(statements);
  if (written.length !== rows.length) throw new BatchConflict();
  const orderOf = new Map(written.map((o) => [o.id, o]));
  await detectAddressPairsMany(
    tx,
    rows.filter((r) => related.has(r.t.userId)).map((r) => ({ buyerId: r.t.userId, address: addressOf.get(r.t)!, orderId: r.order.id, now: r.t.now })),
  );
  for (const r of rows) answers.set(r.t, { order: orderOf.get(r.order.id)! });
}

// The batch's fixed statements (db/hot-sql.ts): one text each whatever the batch size.
// A lateral lookup per key, not a join: a join planned while `orders` is small (a new shop — and a
// prepared statement keeps its generic plan) hashes the keys and scans every order; this form
// always walks the unique (user_id, idempotency_key) index, once per key.
const REPLAY_KEYS = `
  select o.id, o.user_id, o.idempotency_key from unnest($1::uuid[], $2::text[]) as k(user_id, idempotency_key)
  cross join lateral (
    select o.id, o.user_id, o.idempotency_key from orders o
    where o.user_id = k.user_id and o.idempotency_key = k.idempotency_key limit 1) o`;
const SALE_FLAGS = `select sold_out_at is not null as sold_out, closed_at is not null as closed from flash_sales where id = $1`;
const ADDRESSES = (() => {
  const { list, fields } = columnsOf(addresses, "a", "address");
  return { text: `select ${list} from addresses a where a.id = any($1::uuid[]) and a.deleted_at is null`, fields };
})();
/** Each person's units counted against the limit (in the order given: user order); a person over it is left out of the rows back. */
const HOLD_UNITS = `
  insert into flash_purchases (flash_sale_id, user_id, quantity)
  select $1::uuid, v.user_id, v.quantity from unnest($2::uuid[], $3::int[]) as v(user_id, quantity)
  on conflict (flash_sale_id, user_id) do update set quantity = flash_purchases.quantity + excluded.quantity
  where flash_purchases.quantity + excluded.quantity <= $4::int
  returning user_id`;

/** Takes back the per-person units of buyers the batch could not serve: a row now at 0 is deleted. */
async function givePurchasesBack(tx: Db, saleId: string, left: FlashTicket[]) {
  if (!left.length) return;
  const values = sql.join(left.map((t) => sql`(${t.userId}::uuid, ${t.quantity}::int)`), sql`, `);
  rowsOf(
    await tx.execute(sql`
      with v(user_id, q) as (values ${values}),
      gone as (
        delete from flash_purchases p using v
        where p.flash_sale_id = ${saleId} and p.user_id = v.user_id and p.quantity = v.q
        returning p.user_id)
      update flash_purchases p set quantity = p.quantity - v.q from v
      where p.flash_sale_id = ${saleId} and p.user_id = v.user_id and p.user_id not in (select user_id from gone)`),
  );
}
