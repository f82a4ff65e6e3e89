import { randomInt } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { runHot } from "@/db/hot-sql";
import { flashPurchases, flashSales, flashStockSegments, skus } from "@/db/schema";
import { DomainError } from "../core/errors";
import { type FlashOrderErrorCode, type UnitChunk } from "./flash-sale.rules";
import { soldOutCache } from "./sold-out-cache";

const orderError = (code: keyof typeof FlashOrderErrorCode, message: string, field: string | null = null) => new DomainError(code, message, field);

/**
 * An unpaid flash order was cancelled or expired: its units go back to the segment they came from
 * (or to the SKU when the sale has closed), the person's count goes down, and a sold-out flag is
 * lifted. Called from releaseStock inside the cancelling transaction.
 *
 * Locks, in the buyers' own order so that a release never waits in a circle with someone buying at
 * that moment: the sale row FOR NO KEY UPDATE (it keeps releases, the close and the sold-out flag
 * apart, and — unlike FOR UPDATE — lets buyers' foreign-key checks on the sale row through: a buyer
 * holding a segment goes on to insert its order line, which needs one), then the person's count,
 * then the segment.
 */
export async function releaseFlashUnits(tx: Db, userId: string, line: { flashSaleId: string; flashSegment: number | null; skuId: string; quantity: number }) {
  const [sale] = await tx.select().from(flashSales).where(eq(flashSales.id, line.flashSaleId)).for("no key update");
  await tx
    .update(flashPurchases)
    .set({ quantity: sql`greatest(${flashPurchases.quantity} - ${line.quantity}, 0)` })
    .where(and(eq(flashPurchases.flashSaleId, sale.id), eq(flashPurchases.userId, userId)));
  if (sale.closedAt) {
    await tx.update(skus).set({ stock: sql`${skus.stock} + ${line.quantity}` }).where(eq(skus.id, line.skuId));
  } else {
    await tx
      .update(flashStockSegments)
      .set({ stock: sql`${flashStockSegments.stock} + ${line.quantity}` })
      .where(and(eq(flashStockSegments.flashSaleId, sale.id), eq(flashStockSegments.segmentNo, line.flashSegment ?? 0)));
    if (sale.soldOutAt) await tx.update(flashSales).set({ soldOutAt: null }).where(eq(flashSales.id, sale.id));
    soldOutCache.forget(sale.id);
  }
}

/**
 * Takes `quantity` units from one segment, inside the order's transaction. First a segment that
 * nobody holds (SKIP LOCKED, from a random start so buyers spread out); if every segment with
 * enough stock is busy, wait for one; if none has enough, the sale is either sold out — flagged,
 * so later buyers are answered without touching a segment — or its stock is fragmented across
 * segments, and it is gathered into one (rebalancing) and taken from there.
 *
 * Deadlocks: Postgres keeps a row locked when the lock was taken but the row then fails the
 * re-check (`stock >= quantity`: it was emptied after the statement's snapshot) — with or without
 * a wait, SKIP LOCKED included. A buyer holding such an empty segment while it waits for another
 * one, and buyers locking every segment in order for the fallback, deadlock: each costs a second
 * (deadlock_timeout) and a retry of the whole order, and near sold-out they come by the dozen. So
 * every try that can fail runs after a savepoint and a failed try rolls back to it, which releases
 * those locks: a buyer never holds a segment while it waits, except in the fallback, which locks
 * in segment order. (A successful try leaves the savepoint open; the commit ends it.)
 */
export async function takeUnits(tx: Db, saleId: string, quantity: number, now: Date): Promise<number> {
  const start = randomInt(0, 16);
  const take = async (lock: "for update skip locked" | "", order: number) => {
    const [row] = rowsOf<{ segment_no: number }>(
      await tx.execute(sql`
        update flash_stock_segments set stock = stock - ${quantity}
        where flash_sale_id = ${saleId} and segment_no = (
          select segment_no from flash_stock_segments
          where flash_sale_id = ${saleId} and stock >= ${quantity}
          order by (segment_no + ${order}) % 16
          limit 1 ${sql.raw(lock)}
        ) and stock >= ${quantity}
        returning segment_no`),
    );
    return row ? Number(row.segment_no) : null;
  };
  await tx.execute(sql`savepoint flash_take`);
  const free = await take("for update skip locked", start);
  if (free !== null) return free;
  await tx.execute(sql`rollback to savepoint flash_take`);
  // Every segment with enough stock is busy: wait for one — the first with enough by this buyer's
  // order, as last committed, and only that row. A try that finds it emptied meanwhile lets it go;
  // each try rules one segment out (or a release put units back), so a few tries settle it.
  for (let attempt = 0; attempt < 16; attempt++) {
    const waited = await take("", start + attempt);
    if (waited !== null) return waited;
    const [left] = rowsOf<{ n: number }>(await tx.execute(sql`select 1 as n from flash_stock_segments where flash_sale_id = ${saleId} and stock >= ${quantity} limit 1`));
    await tx.execute(sql`rollback to savepoint flash_take`);
    if (!left) break;
  }
  // No single segment holds `quantity`: lock them all (in order) and look at the total.
  const all = await tx.select().from(flashStockSegments).where(eq(flashStockSegments.flashSaleId, saleId)).orderBy(asc(flashStockSegments.segmentNo)).for("update");
  const total = all.reduce((s, x) => s + x.stock, 0);
  if (total === 0) {
    markSoldOut(saleId, now);
    throw orderError("SOLD_OUT", "已抢光", "quantity");
  }
  if (total < quantity) throw orderError("SOLD_OUT", `仅剩 ${total} 件`, "quantity");
  // Rebalance: gather every unit into the first segment, take from it.
  await tx.update(flashStockSegments).set({ stock: 0 }).where(eq(flashStockSegments.flashSaleId, saleId));
  await tx
    .update(flashStockSegments)
    .set({ stock: total - quantity })
    .where(and(eq(flashStockSegments.flashSaleId, saleId), eq(flashStockSegments.segmentNo, all[0].segmentNo)));
  return all[0].segmentNo;
}

/**
 * Remembers that a sale ran out. The flag is written after the buyer's transaction (which rolls
 * back with SOLD_OUT), in a short transaction of its own, and only if every segment is still
 * empty — a release in between keeps the sale open.
 */
export function markSoldOut(saleId: string, now: Date) {
  soldOutCache.mark(saleId, now);
  pendingSoldOut.add(saleId);
}
export const pendingSoldOut = new Set<string>();

export async function flushSoldOut(db: Db, now: Date) {
  for (const saleId of [...pendingSoldOut]) {
    pendingSoldOut.delete(saleId);
    // The sale row first, then the check in a statement of its own. A release locks the sale row before
    // it puts units back and commits both together; a lone UPDATE that waited for that lock would
    // re-check only the sale row afterwards and still judge the segments by the snapshot it started
    // with — flagging a sale sold out over the units just released. A statement begun after the lock
    // sees them. (No KEY UPDATE: buyers' foreign-key checks on the sale row are not held up.)
    await db.transaction(async (tx) => {
      await tx.execute(sql`select 1 from flash_sales where id = ${saleId} for no key update`);
      await tx.execute(sql`
        update flash_sales set sold_out_at = ${now.toISOString()}::timestamptz
        where id = ${saleId} and sold_out_at is null
          and not exists (select 1 from flash_stock_segments where flash_sale_id = ${saleId} and stock > 0)`);
    });
  }
}

/**
 * Units for a batch of buyers (flash-admission.ts), inside its transaction: up to `want` units, as
 * chunks taken from segments. Segments nobody holds are taken with SKIP LOCKED from a random start,
 * as much of the need as each holds; only while the batch holds no segment yet does it wait for one
 * (never wait while holding: two batches would wait in a circle). Every try runs after a savepoint
 * (sent with it) and a failed one rolls back to it, which lets go of a row that was locked but
 * emptied meanwhile (see takeUnits).
 *
 * The first try's two statements are sent on the call itself, before any await, through runHot
 * like the batch's counters: statements sent that way leave in the order they were started, so the
 * caller can start its counters first and send this try in the same round trip, after them (the
 * lock order, and the savepoint right before the try it guards).
 *
 * `stopped`, when given, is the caller's own read of whether the sale is flagged sold out or closed,
 * sent in the same round trip: the caller has not seen the flags yet, so the first try checks them
 * itself — a flagged sale's segments are not read at all (the check is a one-time filter Postgres
 * applies before the scan) — and once `stopped` says so, no other try is made.
 */
export async function grabUnits(tx: Db, saleId: string, want: number, stopped?: Promise<boolean>): Promise<UnitChunk[]> {
  const start = randomInt(0, 16);
  const chunks: UnitChunk[] = [];
  let first = Boolean(stopped);
  const grab = async (need: number, lock: "skip locked" | "wait", order: number) => {
    const text = lock === "wait" ? PICK_WAIT : first ? PICK_FREE_UNLESS_FLAGGED : PICK_FREE;
    first = false;
    const [, rows] = await Promise.all([
      runHot(tx, "savepoint flash_chunk", []),
      runHot<{ segment_no: number; units: number }>(tx, text, [saleId, order, need]),
    ]);
    const [row] = rows;
    if (!row) {
      await runHot(tx, "rollback to savepoint flash_chunk", []);
      return null;
    }
    chunks.push({ segmentNo: Number(row.segment_no), units: Number(row.units) });
    return Number(row.units);
  };
  let got = 0;
  for (let tries = 0, waits = 0; got < want && tries < 48; tries++) {
    const free = await grab(want - got, "skip locked", start);
    if (free !== null) {
      got += free;
      continue;
    }
    if (chunks.length || waits >= 16 || (tries === 0 && stopped && (await stopped))) break;
    const waited = await grab(want - got, "wait", start + waits++);
    if (waited !== null) got += waited;
  }
  return chunks;
}

/** The statements that put unused units back into their segments (for the caller's next round trip). */
export const giveBackUnits = (tx: Db, saleId: string, unused: UnitChunk[]) =>
  unused.map((c) =>
    tx
      .update(flashStockSegments)
      .set({ stock: sql`${flashStockSegments.stock} + ${c.units}` })
      .where(and(eq(flashStockSegments.flashSaleId, saleId), eq(flashStockSegments.segmentNo, c.segmentNo))),
  );

/** Whether any segment of the sale still has a committed unit (besides what this transaction took). */
export async function anyUnitLeft(tx: Db, saleId: string): Promise<boolean> {
  return (await runHot(tx, UNIT_LEFT, [saleId])).length > 0;
}

// Fixed texts (db/hot-sql.ts). $1 sale, $2 start of the segment order, $3 units still needed.
const pick = (lock: string, unlessFlagged = false) => `
  with pick as (
    select segment_no, stock from flash_stock_segments
    where flash_sale_id = $1::uuid and stock > 0${
      unlessFlagged ? `
      and not exists (select 1 from flash_sales f where f.id = $1::uuid and (f.sold_out_at is not null or f.closed_at is not null))` : ""
    }
    order by (segment_no + $2::int) % 16
    limit 1 ${lock})
  update flash_stock_segments g set stock = g.stock - least(pick.stock, $3::int)
  from pick where g.flash_sale_id = $1::uuid and g.segment_no = pick.segment_no
  returning g.segment_no, least(pick.stock, $3::int) as units`;
const PICK_FREE = pick("for update skip locked");
const PICK_FREE_UNLESS_FLAGGED = pick("for update skip locked", true);
const PICK_WAIT = pick("for update");
const UNIT_LEFT = `select 1 as n from flash_stock_segments where flash_sale_id = $1::uuid and stock > 0 limit 1`;
