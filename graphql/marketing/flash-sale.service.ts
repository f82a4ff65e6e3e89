import { createHash } from "node:crypto";
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
import { isValidIdempotencyKey, quoteOrder, type OrderQuote } from "../order/order.rules";
import { checkFlashSale, FLASH_PAYMENT_WINDOW_MS, FlashOrderErrorCode, FlashSaleErrorCode, flashSaleState, splitStock } from "./flash-sale.rules";
import { admitFlashOrder, type FlashTicket } from "./flash-admission";
import { flushSoldOut, pendingSoldOut, takeUnits } from "./flash-stock.service";
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

function requestHashOf(input: { flashSaleId: string; quantity: number; addressId: string }): string {
  return createHash("sha256").update(JSON.stringify(["flash", input.flashSaleId, input.quantity, input.addressId])).digest("hex");
}

/**
 * 秒杀 checkout: one SKU at the flash price. The order of checks keeps the hot path cheap and the
 * answers exact: a sale known to be sold out answers SOLD_OUT from memory (no segment is touched);
 * then the buyer is admitted in a batch (flash-admission.ts: replay, flags, address, rate limits,
 * per-person limit, units and the order, many buyers per transaction), and whatever a batch cannot
 * decide exactly takes the one-order transaction (placeOne). A refusal before admission still
 * answers an idempotent replay first: the same key and body always get the same order.
 */
export async function placeFlashOrder(
  ctx: Ctx,
  userId: string,
  input: { flashSaleId: string; quantity: number; addressId: string; idempotencyKey: string },
  ip: string,
): Promise<OrderRow> {
  if (!isValidIdempotencyKey(input.idempotencyKey)) throw orderError("INVALID_IDEMPOTENCY_KEY", "请求编号需为 8–64 位字母数字", "idempotencyKey");
  const hash = requestHashOf(input);
  let ticket: FlashTicket;
  try {
    ticket = await ticketFor(ctx, userId, input, hash, ip);
  } catch (e) {
    const replay = await replayOf(ctx.db, userId, input.idempotencyKey, hash);
    if (replay) return replay;
    throw e;
  }
  const admitted = await admitFlashOrder(ticket);
  if (admitted === "SINGLE") return placeOne(ticket);
  if ("error" in admitted) throw admitted.error;
  return admitted.order;
}

const replayOf = (db: Db, userId: string, key: string, hash: string) =>
  existingByKey(db, userId, key, hash).catch((e) => {
    if (e instanceof DomainError && e.code === "IDEMPOTENCY_KEY_REUSED") throw orderError("IDEMPOTENCY_KEY_REUSED", e.message, "idempotencyKey");
    throw e;
  });

/** The checks that need no database beyond the sale's cached context, and the priced request. */
async function ticketFor(ctx: Ctx, userId: string, input: { flashSaleId: string; quantity: number; addressId: string; idempotencyKey: string }, hash: string, ip: string): Promise<FlashTicket> {
  if (!isUuid(input.flashSaleId)) throw orderError("FLASH_SALE_NOT_FOUND", "秒杀活动不存在", "flashSaleId");
  if (soldOutCache.isSoldOut(input.flashSaleId, ctx.now)) throw orderError("SOLD_OUT", "已抢光", "flashSaleId");
  const context = await saleContext(ctx.db, input.flashSaleId, ctx.now);
  if (!context) throw orderError("FLASH_SALE_NOT_FOUND", "秒杀活动不存在", "flashSaleId");
  const { sale, priced, platformFeeBp } = context;
  if (!Number.isInteger(input.quantity) || input.quantity < 1 || input.quantity > sale.perUserLimit) {
    throw orderError("INVALID_QUANTITY", `每人限购 ${sale.perUserLimit} 件`, "quantity");
  }
  if (!isUuid(input.addressId)) throw orderError("ADDRESS_NOT_FOUND", "收货地址不存在", "addressId");
  // By the window only: the closed and sold-out flags are read fresh where the buyer is admitted.
  const state = flashSaleState({ ...sale, soldOutAt: null, closedAt: null }, ctx.now);
  if (state === "UPCOMING") throw orderError("NOT_STARTED", "秒杀尚未开始", "flashSaleId");
  if (state === "ENDED") throw orderError("ENDED", "秒杀已结束", "flashSaleId");
  return {
    db: ctx.db,
    now: ctx.now,
    userId,
    ip,
    quantity: input.quantity,
    addressId: input.addressId.toLowerCase(),
    idempotencyKey: input.idempotencyKey,
    requestHash: hash,
    sale: { id: sale.id, skuId: sale.skuId, perUserLimit: sale.perUserLimit },
    store: priced.store,
    bySku: priced.bySku,
    quote: flashQuote(context, input.quantity),
    platformFeeBp,
    expiresAt: new Date(ctx.now.getTime() + FLASH_PAYMENT_WINDOW_MS),
    rateLimits: [
      { key: `flash:user:${userId}`, ...FLASH_RATE_LIMITS.perUser },
      { key: `flash:ip:${ip}`, ...FLASH_RATE_LIMITS.perIp },
    ],
  };
}

/**
 * One buyer in one transaction: what a batch hands back when it cannot decide exactly. The replay,
 * the fresh flags with the address, rate limits, then ONE transaction takes the per-person limit (a
 * row per person), units from a segment (waiting for one, gathering fragments), and writes the
 * order with a 5-minute payment window. Any refusal rolls all of it back.
 */
async function placeOne(t: FlashTicket): Promise<OrderRow> {
  const { db, now, userId } = t;
  const replay = await replayOf(db, userId, t.idempotencyKey, t.requestHash);
  if (replay) return replay;
  const [found] = await db
    .select({ address: addresses, soldOutAt: flashSales.soldOutAt, closedAt: flashSales.closedAt })
    .from(flashSales)
    .leftJoin(addresses, and(eq(addresses.id, t.addressId), eq(addresses.userId, userId), isNull(addresses.deletedAt)))
    .where(eq(flashSales.id, t.sale.id));
  if (found?.closedAt) throw orderError("ENDED", "秒杀已结束", "flashSaleId");
  if (found?.soldOutAt) {
    soldOutCache.mark(t.sale.id, now);
    throw orderError("SOLD_OUT", "已抢光", "flashSaleId");
  }
  const address = found?.address;
  if (!address) throw orderError("ADDRESS_NOT_FOUND", "收货地址不存在", "addressId");
  if (!(await hitRateLimits(db, t.rateLimits, now))) throw orderError("RATE_LIMITED", "抢购太频繁，请稍后再试");
  const { sale } = t;
  try {
    return await withTxRetry(() =>
      db.transaction(async (tx) =>
        writeOrder(tx, {
          ...t,
          address,
          channel: "FLASH",
          reserve: async () => {
            const [held] = await tx
              .insert(flashPurchases)
              .values({ flashSaleId: sale.id, userId, quantity: t.quantity })
              .onConflictDoUpdate({
                target: [flashPurchases.flashSaleId, flashPurchases.userId],
                set: { quantity: sql`${flashPurchases.quantity} + ${t.quantity}` },
                setWhere: sql`${flashPurchases.quantity} + ${t.quantity} <= ${sale.perUserLimit}`,
              })
              .returning({ quantity: flashPurchases.quantity });
            if (!held) throw orderError("LIMIT_EXCEEDED", `每人限购 ${sale.perUserLimit} 件`, "quantity");
            const segment = await takeUnits(tx, sale.id, t.quantity, now);
            return new Map<string, LineExtras>([[sale.skuId, { flashSaleId: sale.id, flashSegment: segment }]]);
          },
        }),
      ),
    );
  } catch (e) {
    if (e instanceof DuplicateKey) {
      const winner = await existingByKey(db, userId, t.idempotencyKey, t.requestHash);
      if (winner) return winner;
    }
    throw e;
  } finally {
    if (pendingSoldOut.size) await flushSoldOut(db, now);
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
type SaleContext = {
  sale: FlashSaleRow;
  priced: Awaited<ReturnType<typeof priceItems>>;
  platformFeeBp: number;
  from: number;
  until: number;
  /** The priced order per quantity: every buyer of the context's second pays the same for the same count. */
  quotes: Map<number, OrderQuote>;
};
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
  const context = { sale, priced, platformFeeBp, from: t, until: t + SALE_CONTEXT_TTL_MS, quotes: new Map<number, OrderQuote>() };
  if (saleContexts.size > 1_000) saleContexts.clear();
  saleContexts.set(saleId, context);
  return context;
}

/**
 * The flash-priced order for `quantity` units, from the context's list price and the sale's price.
 * Shared by the buyers of one context (quoteOrder is pure; the order writers only read it).
 */
function flashQuote(context: SaleContext, quantity: number): OrderQuote {
  const known = context.quotes.get(quantity);
  if (known) return known;
  const line = context.priced.quote.lines[0];
  const quote = quoteOrder([{ skuId: line.skuId, supplierId: line.supplierId, unitPrice: line.unitPrice, unitSupplyPrice: line.unitSupplyPrice, quantity, flashPrice: context.sale.flashPrice }], "FLASH");
  context.quotes.set(quantity, quote);
  return quote;
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
