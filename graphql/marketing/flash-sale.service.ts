import { createHash, randomInt } from "node:crypto";
import { and, asc, eq, gt, isNull, lt, sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { addresses, flashPurchases, flashSales, flashStockSegments, listingPrices, listings, skus, stores } from "@/db/schema";
import { DomainError } from "../core/errors";
import { isUuid } from "../core/ids";
import { enqueueJob, type JobHandler } from "../platform/jobs";
import { hitRateLimits } from "../platform/rate-limit";
import { readEconomics } from "../platform/settings";
import { withTxRetry } from "../platform/retry";
import { minimumRetailPrice } from "../store/store.rules";
import { DuplicateKey, existingByKey, priceItems, writeOrder, type LineExtras, type OrderRow } from "../order/checkout.service";
import { isValidIdempotencyKey, quoteOrder } from "../order/order.rules";
import { checkFlashSale, FLASH_PAYMENT_WINDOW_MS, FlashOrderErrorCode, FlashSaleErrorCode, flashSaleState, splitStock } from "./flash-sale.rules";
import { soldOutCache } from "./sold-out-cache";

type Ctx = { db: Db; now: Date };
export type FlashSaleRow = typeof flashSales.$inferSelect;

const saleError = (code: keyof typeof FlashSaleErrorCode, message: string, field: string | null = null) => new DomainError(code, message, field);
const orderError = (code: keyof typeof FlashOrderErrorCode, message: string, field: string | null = null) => new DomainError(code, message, field);

/** Per person and per IP: a bot hammering the buy button is slowed, people are not. */
export const FLASH_RATE_LIMITS = { perUser: { limit: 20, windowMs: 10_000 }, perIp: { limit: 600, windowMs: 10_000 } };

/**
 * A merchant puts one SKU of their listing on a flash sale. The units are carved out of the SKU's
 * stock now (one conditional UPDATE), split into segments, and given back when the sale closes.
 */
export async function createFlashSale(
  ctx: Ctx,
  storeId: string,
  userId: string,
  input: { skuId: string; flashPrice: number; totalStock: number; perUserLimit: number; startsAt: Date; endsAt: Date },
): Promise<FlashSaleRow> {
  if (!isUuid(input.skuId)) throw saleError("LISTING_NOT_FOUND", "店铺没有在售该规格", "skuId");
  const economics = await readEconomics(ctx.db, ctx.now);
  return ctx.db.transaction(async (tx) => {
    const [offered] = await tx
      .select({ sku: skus, listingId: listings.id, listPrice: listingPrices.retailPrice })
      .from(skus)
      .innerJoin(listings, and(eq(listings.productId, skus.productId), eq(listings.storeId, storeId), eq(listings.status, "ON_SHELF")))
      .innerJoin(listingPrices, and(eq(listingPrices.listingId, listings.id), eq(listingPrices.skuId, skus.id)))
      .where(eq(skus.id, input.skuId))
      // The SKU row is locked before the overlap check: two creates racing for one SKU queue here,
      // and the second one's overlap check (a later statement) sees the first one's sale.
      .for("update", { of: skus });
    if (!offered) throw saleError("LISTING_NOT_FOUND", "店铺没有在售该规格", "skuId");
    const problem = checkFlashSale({
      ...input,
      listPrice: offered.listPrice,
      minimumPrice: minimumRetailPrice(offered.sku.supplyPrice, economics),
      skuStock: offered.sku.stock,
      now: ctx.now,
    });
    if (problem) throw saleError(problem.code, problem.message, problem.field);
    const [overlap] = await tx
      .select({ id: flashSales.id })
      .from(flashSales)
      .where(and(eq(flashSales.skuId, input.skuId), isNull(flashSales.closedAt), lt(flashSales.startsAt, input.endsAt), gt(flashSales.endsAt, input.startsAt)))
      .limit(1);
    if (overlap) throw saleError("OVERLAPPING_SALE", "该规格在这段时间已有秒杀活动", "startsAt");
    const carved = await tx
      .update(skus)
      .set({ stock: sql`${skus.stock} - ${input.totalStock}` })
      .where(and(eq(skus.id, input.skuId), sql`${skus.stock} >= ${input.totalStock}`))
      .returning({ id: skus.id });
    if (!carved.length) throw saleError("STOCK_EXCEEDS_SKU", "库存不足", "totalStock");
    const [sale] = await tx
      .insert(flashSales)
      .values({ storeId, listingId: offered.listingId, skuId: input.skuId, flashPrice: input.flashPrice, totalStock: input.totalStock, perUserLimit: input.perUserLimit, startsAt: input.startsAt, endsAt: input.endsAt, createdBy: userId, createdAt: ctx.now })
      .returning();
    await tx.insert(flashStockSegments).values(splitStock(input.totalStock).map((stock, segmentNo) => ({ flashSaleId: sale.id, segmentNo, stock })));
    await enqueueJob(tx, { kind: "flash.close", payload: { flashSaleId: sale.id }, runAt: input.endsAt, dedupeKey: `flash.close:${sale.id}`, now: ctx.now });
    return sale;
  });
}

/** The merchant calls off a sale that has not started: its units go back to the SKU at once. */
export async function cancelFlashSale(ctx: Ctx, storeId: string, flashSaleId: string): Promise<FlashSaleRow> {
  if (!isUuid(flashSaleId)) throw saleError("FLASH_SALE_NOT_FOUND", "秒杀活动不存在", "id");
  return ctx.db.transaction(async (tx) => {
    const [sale] = await tx.select().from(flashSales).where(and(eq(flashSales.id, flashSaleId), eq(flashSales.storeId, storeId))).for("no key update");
    if (!sale) throw saleError("FLASH_SALE_NOT_FOUND", "秒杀活动不存在", "id");
    if (sale.closedAt || sale.startsAt <= ctx.now) throw saleError("ALREADY_STARTED", "活动已开始或已结束，不能取消", "id");
    return closeSale(tx, sale, ctx.now, "商家取消");
  });
}

/** Closes a sale: every unit still in a segment goes back to the SKU. Units in unpaid orders come back when those expire. */
async function closeSale(tx: Db, sale: FlashSaleRow, now: Date, reason: string): Promise<FlashSaleRow> {
  const left = await tx.select().from(flashStockSegments).where(eq(flashStockSegments.flashSaleId, sale.id)).orderBy(asc(flashStockSegments.segmentNo)).for("update");
  const units = left.reduce((s, x) => s + x.stock, 0);
  await tx.update(flashStockSegments).set({ stock: 0 }).where(eq(flashStockSegments.flashSaleId, sale.id));
  if (units > 0) await tx.update(skus).set({ stock: sql`${skus.stock} + ${units}` }).where(eq(skus.id, sale.skuId));
  const [closed] = await tx.update(flashSales).set({ closedAt: now, closeReason: reason }).where(eq(flashSales.id, sale.id)).returning();
  soldOutCache.forget(sale.id);
  saleContexts.delete(sale.id);
  return closed;
}

/**
 * Job at the end of the window. Idempotent. The sale row is locked FOR NO KEY UPDATE, as a release
 * locks it: buyers still holding a segment must be able to insert their order line (a foreign-key
 * check on the sale row) while the close waits for that segment.
 */
export const closeFlashSaleJob: JobHandler = async (tx, payload, { now }) => {
  const [sale] = await tx.select().from(flashSales).where(eq(flashSales.id, String(payload.flashSaleId))).for("no key update");
  if (!sale || sale.closedAt) return;
  await closeSale(tx, sale, now, "活动结束");
};

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
async function takeUnits(tx: Db, saleId: string, quantity: number, now: Date): Promise<number> {
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
function markSoldOut(saleId: string, now: Date) {
  soldOutCache.mark(saleId, now);
  pendingSoldOut.add(saleId);
}
const pendingSoldOut = new Set<string>();

async function flushSoldOut(db: Db, now: Date) {
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

function requestHashOf(input: { flashSaleId: string; quantity: number; addressId: string }): string {
  return createHash("sha256").update(JSON.stringify(["flash", input.flashSaleId, input.quantity, input.addressId])).digest("hex");
}

/**
 * 秒杀 checkout: one SKU at the flash price. The order of checks keeps the hot path cheap and the
 * answers exact: an idempotent replay returns the same order; a sale known to be sold out answers
 * SOLD_OUT from memory (no segment is touched); rate limits slow bots; then ONE transaction takes
 * the per-person limit (a row per person), units from a segment, and writes the order with a
 * 5-minute payment window. Any refusal rolls all of it back.
 */
export async function placeFlashOrder(
  ctx: Ctx,
  userId: string,
  input: { flashSaleId: string; quantity: number; addressId: string; idempotencyKey: string },
  ip: string,
): Promise<OrderRow> {
  if (!isValidIdempotencyKey(input.idempotencyKey)) throw orderError("INVALID_IDEMPOTENCY_KEY", "请求编号需为 8–64 位字母数字", "idempotencyKey");
  const hash = requestHashOf(input);
  const replay = await existingByKey(ctx.db, userId, input.idempotencyKey, hash).catch((e) => {
    if (e instanceof DomainError && e.code === "IDEMPOTENCY_KEY_REUSED") throw orderError("IDEMPOTENCY_KEY_REUSED", e.message, "idempotencyKey");
    throw e;
  });
  if (replay) return replay;
  if (!isUuid(input.flashSaleId)) throw orderError("FLASH_SALE_NOT_FOUND", "秒杀活动不存在", "flashSaleId");
  if (soldOutCache.isSoldOut(input.flashSaleId, ctx.now)) throw orderError("SOLD_OUT", "已抢光", "flashSaleId");
  const context = await saleContext(ctx.db, input.flashSaleId, ctx.now);
  if (!context) throw orderError("FLASH_SALE_NOT_FOUND", "秒杀活动不存在", "flashSaleId");
  const { priced, platformFeeBp } = context;
  if (!Number.isInteger(input.quantity) || input.quantity < 1 || input.quantity > context.sale.perUserLimit) {
    throw orderError("INVALID_QUANTITY", `每人限购 ${context.sale.perUserLimit} 件`, "quantity");
  }
  if (!isUuid(input.addressId)) throw orderError("ADDRESS_NOT_FOUND", "收货地址不存在", "addressId");
  // The sale's sold-out and closed flags are read fresh, with the address in the same statement: a
  // sale another instance saw sell out is answered here without touching a segment.
  const [found] = await ctx.db
    .select({ address: addresses, soldOutAt: flashSales.soldOutAt, closedAt: flashSales.closedAt })
    .from(flashSales)
    .leftJoin(addresses, and(eq(addresses.id, input.addressId), eq(addresses.userId, userId), isNull(addresses.deletedAt)))
    .where(eq(flashSales.id, input.flashSaleId));
  const sale = { ...context.sale, soldOutAt: found?.soldOutAt ?? null, closedAt: found?.closedAt ?? null };
  const state = flashSaleState(sale, ctx.now);
  if (state === "UPCOMING") throw orderError("NOT_STARTED", "秒杀尚未开始", "flashSaleId");
  if (state === "ENDED") throw orderError("ENDED", "秒杀已结束", "flashSaleId");
  if (state === "SOLD_OUT") {
    soldOutCache.mark(sale.id, ctx.now);
    throw orderError("SOLD_OUT", "已抢光", "flashSaleId");
  }
  const address = found?.address;
  if (!address) throw orderError("ADDRESS_NOT_FOUND", "收货地址不存在", "addressId");
  const allowed = await hitRateLimits(
    ctx.db,
    [
      { key: `flash:user:${userId}`, ...FLASH_RATE_LIMITS.perUser },
      { key: `flash:ip:${ip}`, ...FLASH_RATE_LIMITS.perIp },
    ],
    ctx.now,
  );
  if (!allowed) throw orderError("RATE_LIMITED", "抢购太频繁，请稍后再试");
  const line = priced.quote.lines[0];
  const quote = quoteOrder([{ skuId: line.skuId, supplierId: line.supplierId, unitPrice: line.unitPrice, unitSupplyPrice: line.unitSupplyPrice, quantity: input.quantity, flashPrice: sale.flashPrice }], "FLASH");

  try {
    return await withTxRetry(() =>
      ctx.db.transaction(async (tx) =>
        writeOrder(tx, {
          userId,
          store: priced.store,
          address,
          quote,
          bySku: priced.bySku,
          channel: "FLASH",
          platformFeeBp,
          idempotencyKey: input.idempotencyKey,
          requestHash: hash,
          expiresAt: new Date(ctx.now.getTime() + FLASH_PAYMENT_WINDOW_MS),
          now: ctx.now,
          reserve: async () => {
            const [held] = await tx
              .insert(flashPurchases)
              .values({ flashSaleId: sale.id, userId, quantity: input.quantity })
              .onConflictDoUpdate({
                target: [flashPurchases.flashSaleId, flashPurchases.userId],
                set: { quantity: sql`${flashPurchases.quantity} + ${input.quantity}` },
                setWhere: sql`${flashPurchases.quantity} + ${input.quantity} <= ${sale.perUserLimit}`,
              })
              .returning({ quantity: flashPurchases.quantity });
            if (!held) throw orderError("LIMIT_EXCEEDED", `每人限购 ${sale.perUserLimit} 件`, "quantity");
            const segment = await takeUnits(tx, sale.id, input.quantity, ctx.now);
            return new Map<string, LineExtras>([[sale.skuId, { flashSaleId: sale.id, flashSegment: segment }]]);
          },
        }),
      ),
    );
  } catch (e) {
    if (e instanceof DuplicateKey) {
      const winner = await existingByKey(ctx.db, userId, input.idempotencyKey, hash);
      if (winner) return winner;
    }
    throw e;
  } finally {
    if (pendingSoldOut.size) await flushSoldOut(ctx.db, ctx.now);
  }
}

async function saleById(db: Db, id: string): Promise<FlashSaleRow | null> {
  const [sale] = await db.select().from(flashSales).where(eq(flashSales.id, id));
  return sale ?? null;
}

/**
 * What every buyer of a sale reads and what rarely changes — the sale, its store's listing (the list
 * price the page strikes through) and the platform fee — kept in memory for one second of the app
 * clock: under a spike this saves five reads per order. Staleness is bounded and harmless: stock
 * is never cached (the segments decide); a sale closed here is dropped at once, one closed by
 * another instance has empty segments (SOLD_OUT); a listing taken off the shelf, or a new fee rate,
 * reaches flash buyers within a second.
 */
type SaleContext = { sale: FlashSaleRow; priced: Awaited<ReturnType<typeof priceItems>>; platformFeeBp: number; from: number; until: number };
const SALE_CONTEXT_TTL_MS = 1_000;
const saleContexts = new Map<string, SaleContext>();

async function saleContext(db: Db, saleId: string, now: Date): Promise<SaleContext | null> {
  const t = now.getTime();
  const cached = saleContexts.get(saleId);
  if (cached && cached.from <= t && t < cached.until) return cached;
  const sale = await saleById(db, saleId);
  if (!sale) return null;
  const [store] = await db.select({ slug: stores.slug }).from(stores).where(eq(stores.id, sale.storeId));
  // The listing must still be on the shelf; the list price is what the page strikes through.
  const priced = await priceItems(db, store.slug, [{ skuId: sale.skuId, quantity: 1 }]).catch((e) => {
    if (e instanceof DomainError) throw orderError("FLASH_SALE_NOT_FOUND", "商品已下架", "flashSaleId");
    throw e;
  });
  const { platformFeeBp } = await readEconomics(db, now);
  const context = { sale, priced, platformFeeBp, from: t, until: t + SALE_CONTEXT_TTL_MS };
  if (saleContexts.size > 1_000) saleContexts.clear();
  saleContexts.set(saleId, context);
  return context;
}

/** Live counters of a sale: units left in segments, units held by unpaid orders, units paid. */
export async function flashCounters(db: Db, saleIds: string[]) {
  if (!saleIds.length) return new Map<string, { remaining: number; reserved: number; sold: number }>();
  const rows = rowsOf<{ id: string; remaining: number; reserved: number; sold: number }>(
    await db.execute(sql`
      select s.id,
        coalesce((select sum(stock) from flash_stock_segments g where g.flash_sale_id = s.id), 0)::int as remaining,
        coalesce((select sum(l.quantity) from order_lines l join orders o on o.id = l.order_id where l.flash_sale_id = s.id and o.status = 'PENDING_PAYMENT'), 0)::int as reserved,
        coalesce((select sum(l.quantity) from order_lines l join orders o on o.id = l.order_id where l.flash_sale_id = s.id and o.status in ('PAID','SHIPPED','COMPLETED')), 0)::int as sold
      from flash_sales s where s.id in (${sql.join(saleIds.map((id) => sql`${id}::uuid`), sql`, `)})`),
  );
  return new Map(rows.map((r) => [r.id, { remaining: Number(r.remaining), reserved: Number(r.reserved), sold: Number(r.sold) }]));
}
