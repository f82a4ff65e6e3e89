/**
 * Flash sales (秒杀) through the real services and the real GraphQL schema, on PGlite or on the
 * Postgres server of DATABASE_URL: creating a sale carves its units out of the SKU; the spike
 * (1,000 buyers on 100 units) sells exactly the stock; idempotency, per-person limits, the sold-out
 * fast path, rebalancing of fragmented segments, the 5-minute release and the window's close.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, count, eq, inArray, sql, TransactionRollbackError } from "drizzle-orm";
import { rowsOf } from "@/db/client";
import { runHot } from "@/db/hot-sql";
import { addresses, flashPurchases, flashSales, flashStockSegments, jobs, orderLines, orders, rateLimits, skus, userRoles, users } from "@/db/schema";
import { createTestRuntime, gql, gqlOk, viewerOf, type TestRuntime } from "../test/harness";
import {
  consumerAddressDetail,
  createConsumer,
  createProductFixture,
  createStore,
  createSupplier,
  ctxOf,
  listInStore,
  newIdempotencyKey,
  newPhone,
  pay,
  type ConsumerFixture,
  type StoreFixture,
  type SupplierFixture,
} from "../test/fixtures";
import { permissionsFor } from "../core/permissions";
import type { Viewer } from "../core/viewer";
import { encryptPii } from "../platform/crypto";
import { readEconomics } from "../platform/settings";
import { addressIndexes } from "../risk/risk.service";
import { minimumRetailPrice } from "../store/store.rules";
import { getSchema } from "../schema";
import { freightFor } from "../order/order.rules";
import type { GraphQLObjectType } from "graphql";
import { FLASH_PAYMENT_WINDOW_MS, splitStock } from "./flash-sale.rules";
import { createFlashSale, FLASH_RATE_LIMITS, type FlashSaleRow } from "./flash-sale.service";
import { flashAdmissionCounts } from "./flash-admission";
import { soldOutCache } from "./sold-out-cache";
import { expireOrderJob } from "../order/fulfilment.service";

const CREATE = `mutation($input: CreateFlashSaleInput!) {
  createFlashSale(input: $input) {
    flashSale { id state remaining totalStock reserved sold perUserLimit flashPrice { amount } listPrice { amount } }
    errors { code message field }
  }
}`;
const CANCEL = `mutation($id: ID!) { cancelFlashSale(id: $id) { flashSale { id state remaining closeReason } errors { code message field } } }`;
const PLACE = `mutation($input: PlaceFlashOrderInput!) {
  placeFlashOrder(input: $input) { order { id status totalAmount { amount } goodsAmount { amount } } errors { code message field } }
}`;
const MERCHANT_SALES = `query { merchantFlashSales(first: 100) { nodes { id state remaining reserved sold totalStock closeReason } } }`;
const SHOP_SALES = `query($s: String!) {
  shopFlashSales(storeSlug: $s) { id productId skuId productTitle skuLabel flashPrice { amount } listPrice { amount } perUserLimit startsAt endsAt state remaining totalStock }
}`;
const SHOP_SALE = `query($id: ID!) { shopFlashSale(id: $id) { id state remaining } }`;

type FlashError = { code: string; message: string; field: string | null };
type Placed = { placeFlashOrder: { order: { id: string; status: string; totalAmount: { amount: number }; goodsAmount: { amount: number } } | null; errors: FlashError[] } };
type Created = { createFlashSale: { flashSale: { id: string; state: string; remaining: number; totalStock: number; reserved: number; sold: number } | null; errors: FlashError[] } };

/** List price of every flash SKU in this file; the flash price sits between the minimum and it. */
const LIST_PRICE = 5_990;
const SUPPLY_PRICE = 2_000;
const HOUR = 3_600_000;

describe("flash sales (秒杀)", () => {
  let rt: TestRuntime;
  let supplier: SupplierFixture;
  let store: StoreFixture;
  let otherStore: StoreFixture;
  /** The lowest flash price the margin rule allows for SUPPLY_PRICE. */
  let minimum: number;
  let flashPrice: number;
  /** Statements the runtime sends to the database while `recording` is on, with their parameters. */
  const statements: string[] = [];
  const statementParams: unknown[][] = [];
  let recording = false;
  /** Idempotency keys of every order INSERT sent while `countingOrderInserts` is on (a retried transaction sends its key again). */
  const orderInsertKeys: string[] = [];
  let countingOrderInserts = false;

  beforeAll(async () => {
    rt = await createTestRuntime({
      logger: {
        logQuery: (q, params) => {
          if (recording) {
            statements.push(q);
            statementParams.push(params);
          }
          if (countingOrderInserts && q.startsWith('insert into "orders"')) orderInsertKeys.push(...params.filter((p): p is string => typeof p === "string" && /^key-[0-9a-f]{16}$/.test(p)));
        },
      },
    });
    supplier = await createSupplier(rt);
    store = await createStore(rt);
    otherStore = await createStore(rt);
    minimum = minimumRetailPrice(SUPPLY_PRICE, await readEconomics(rt.services.db, rt.services.clock.now()));
    expect(minimum).toBeLessThan(LIST_PRICE - 100);
    flashPrice = minimum + 10;
  });
  afterAll(() => rt?.dispose());

  // ── helpers ────────────────────────────────────────────────────────────────────────────────────
  const db = () => rt.services.db;
  const now = () => rt.services.clock.now();
  const at = (ms: number) => new Date(now().getTime() + ms);

  /** A new product with one SKU of `stock` units, listed in the store at LIST_PRICE. */
  async function newSku(stock: number, inStore = store) {
    const p = await createProductFixture(rt, supplier, { skus: [{ stock, supplyPrice: SUPPLY_PRICE, suggestedPrice: LIST_PRICE }] });
    await listInStore(rt, inStore, p, [LIST_PRICE]);
    return p.skus[0];
  }

  /** A running sale (started a moment ago, one hour long) through the service. */
  async function newSale(o: { stock: number; perUserLimit?: number; skuStock?: number; startsIn?: number; lastsMs?: number }): Promise<FlashSaleRow> {
    const sku = await newSku(o.skuStock ?? o.stock);
    const startsAt = at(o.startsIn ?? -1_000);
    return createFlashSale(ctxOf(rt), store.storeId, store.userId, {
      skuId: sku.id,
      flashPrice,
      totalStock: o.stock,
      perUserLimit: o.perUserLimit ?? 1,
      startsAt,
      endsAt: new Date(startsAt.getTime() + (o.lastsMs ?? HOUR)),
    });
  }

  const skuStock = async (skuId: string) => (await db().select().from(skus).where(eq(skus.id, skuId)))[0].stock;
  const segmentsOf = (saleId: string) =>
    db().select().from(flashStockSegments).where(eq(flashStockSegments.flashSaleId, saleId)).orderBy(asc(flashStockSegments.segmentNo));
  const stockLeft = async (saleId: string) => (await segmentsOf(saleId)).reduce((s, g) => s + g.stock, 0);
  const saleRow = async (id: string) => (await db().select().from(flashSales).where(eq(flashSales.id, id)))[0];
  const purchasesOf = (saleId: string) => db().select().from(flashPurchases).where(eq(flashPurchases.flashSaleId, saleId));
  const linesOf = (saleId: string) => db().select().from(orderLines).where(eq(orderLines.flashSaleId, saleId));
  const ordersOfSale = async (saleId: string) => {
    const ids = [...new Set((await linesOf(saleId)).map((l) => l.orderId))];
    return ids.length ? db().select().from(orders).where(inArray(orders.id, ids)) : [];
  };
  const countOf = async (table: typeof flashSales | typeof flashStockSegments | typeof jobs | typeof orders | typeof flashPurchases) =>
    Number((await db().select({ n: count() }).from(table))[0].n);
  /** Row counts of everything a flash sale or a flash order writes. */
  const footprint = async () => ({
    sales: await countOf(flashSales),
    segments: await countOf(flashStockSegments),
    jobs: await countOf(jobs),
    orders: await countOf(orders),
    purchases: await countOf(flashPurchases),
  });

  let ipSeq = 0;
  /** A distinct client address per call unless given: the per-IP limit models distinct clients. */
  const nextIp = () => `10.${(ipSeq >> 16) & 255}.${(ipSeq >> 8) & 255}.${ipSeq++ & 255}`;

  function place(viewer: Viewer | null, input: { flashSaleId: string; quantity?: number; addressId: string; idempotencyKey?: string }, ip = nextIp()) {
    return rt.execute<Placed>(
      { query: PLACE, variables: { input: { quantity: 1, idempotencyKey: newIdempotencyKey(), ...input } } },
      viewer,
      ip,
    );
  }
  const buy = (c: ConsumerFixture, sale: { id: string }, extra: { quantity?: number; idempotencyKey?: string } = {}) =>
    place(c.viewer, { flashSaleId: sale.id, addressId: c.addressId, ...extra });
  /** Places an order and fails the test unless it went through. */
  async function bought(c: ConsumerFixture, sale: { id: string }, quantity = 1) {
    const r = await buy(c, sale, { quantity });
    expect(r.errors).toEqual([]);
    expect(r.data?.placeFlashOrder.errors).toEqual([]);
    return r.data!.placeFlashOrder.order!;
  }
  const codesOf = (r: { data: Placed | null; errors: unknown[] }) => {
    expect(r.errors).toEqual([]);
    return r.data!.placeFlashOrder.errors.map((e) => e.code);
  };

  /** Moves the clock and runs every job that became due (the runner takes 100 per pass). */
  async function advance(ms: number) {
    await rt.advanceClock(ms);
    while ((await rt.services.runJobs()) > 0);
  }

  /**
   * `n` consumers with a default address each, written in bulk (three INSERTs) with exactly the
   * columns createPerson and createAddress write; their viewers are what loadViewer returns.
   */
  async function bulkConsumers(n: number): Promise<ConsumerFixture[]> {
    const t = now();
    const people: { id: string; nickname: string }[] = [];
    for (let from = 0; from < n; from += 500) {
      const chunk = Array.from({ length: Math.min(500, n - from) }, (_, i) => ({ nickname: `秒杀买家${from + i}`, createdAt: t }));
      people.push(...(await db().insert(users).values(chunk).returning({ id: users.id, nickname: users.nickname })));
    }
    await db().insert(userRoles).values(people.map((p) => ({ userId: p.id, role: "CONSUMER" as const, createdAt: t })));
    const phones = people.map(() => newPhone());
    const addressIds: string[] = [];
    for (let from = 0; from < n; from += 500) {
      const rows = people.slice(from, from + 500).map((p, j) => {
        const phone = phones[from + j];
        const place = { phone, province: "浙江省", city: "杭州市", district: "西湖区", detail: consumerAddressDetail(phone) };
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
          createdAt: t,
        };
      });
      addressIds.push(...(await db().insert(addresses).values(rows).returning({ id: addresses.id })).map((a) => a.id));
    }
    const permissions = permissionsFor(["CONSUMER"]);
    return people.map((p, i) => ({
      userId: p.id,
      viewer: { userId: p.id, nickname: p.nickname, roles: ["CONSUMER"], permissions, supplierId: null, storeId: null },
      login: null,
      phone: phones[i],
      addressId: addressIds[i],
    }));
  }

  // ── creating a sale ──────────────────────────────────────────────────────────────────────────────
  describe("creating a sale", () => {
    const input = (skuId: string, patch: Record<string, unknown> = {}) => ({
      skuId,
      flashPrice,
      totalStock: 100,
      perUserLimit: 1,
      startsAt: at(60_000).toISOString(),
      endsAt: at(HOUR).toISOString(),
      ...patch,
    });
    const create = (viewer: Viewer, inp: Record<string, unknown>) => gql<Created>(rt, viewer, CREATE, { input: inp });

    it("given a SKU with 500 units, when a sale of 100 is created, then the SKU keeps 400, the 100 sit in 16 segments and the close job is due at the end", async () => {
      const sku = await newSku(500);
      const inp = input(sku.id, { totalStock: 100, perUserLimit: 3 });

      const r = await create(store.viewer, inp);

      expect(r.errors).toEqual([]);
      expect(r.data!.createFlashSale.errors).toEqual([]);
      const created = r.data!.createFlashSale.flashSale!;
      expect(created).toMatchObject({ state: "UPCOMING", remaining: 100, totalStock: 100, reserved: 0, sold: 0, perUserLimit: 3 });
      expect(await skuStock(sku.id)).toBe(400);
      const segments = await segmentsOf(created.id);
      expect(segments.map((s) => s.stock)).toEqual(splitStock(100));
      expect(segments.map((s) => s.segmentNo)).toEqual(Array.from({ length: 16 }, (_, i) => i));
      const [close] = await db().select().from(jobs).where(eq(jobs.dedupeKey, `flash.close:${created.id}`));
      expect(close).toMatchObject({ kind: "flash.close", status: "PENDING" });
      expect(close.runAt.toISOString()).toBe(inp.endsAt);
    });

    it("given a sale of fewer units than 16, then one segment per unit", async () => {
      const sale = await newSale({ stock: 5 });
      expect((await segmentsOf(sale.id)).map((s) => s.stock)).toEqual([1, 1, 1, 1, 1]);
    });

    it("given a flash price exactly at the margin minimum, then the sale is created", async () => {
      const sku = await newSku(10);
      const r = await create(store.viewer, input(sku.id, { flashPrice: minimum, totalStock: 10 }));
      expect(r.data!.createFlashSale.errors).toEqual([]);
      expect(await skuStock(sku.id)).toBe(0);
    });

    describe("given a bad input, then its code, no row written and the SKU's stock unchanged", () => {
      it.each<[string, string, (skuId: string) => Record<string, unknown>]>([
        ["PRICE_BELOW_MINIMUM", "flashPrice", (id) => input(id, { flashPrice: 0 })],
        ["PRICE_BELOW_MINIMUM", "flashPrice", (id) => input(id, { flashPrice: 1 })],
        ["PRICE_NOT_BELOW_LIST", "flashPrice", (id) => input(id, { flashPrice: LIST_PRICE })],
        ["PRICE_NOT_BELOW_LIST", "flashPrice", (id) => input(id, { flashPrice: LIST_PRICE + 1 })],
        ["INVALID_STOCK", "totalStock", (id) => input(id, { totalStock: 0 })],
        ["STOCK_EXCEEDS_SKU", "totalStock", (id) => input(id, { totalStock: 501 })],
        ["INVALID_LIMIT", "perUserLimit", (id) => input(id, { perUserLimit: 0 })],
        ["INVALID_LIMIT", "perUserLimit", (id) => input(id, { perUserLimit: 100 })],
        ["INVALID_WINDOW", "startsAt", (id) => input(id, { startsAt: at(HOUR).toISOString(), endsAt: at(60_000).toISOString() })],
        ["INVALID_WINDOW", "startsAt", (id) => input(id, { startsAt: at(-HOUR).toISOString() })],
        ["INVALID_WINDOW", "startsAt", (id) => input(id, { endsAt: at(8 * 24 * HOUR).toISOString() })],
        ["LISTING_NOT_FOUND", "skuId", () => input("00000000-0000-4000-8000-000000000000")],
        ["LISTING_NOT_FOUND", "skuId", () => input("not-a-uuid")],
      ])("%s (%s)", async (code, field, make) => {
        const sku = await newSku(500);
        const before = await footprint();

        const r = await create(store.viewer, make(sku.id));

        expect(r.errors).toEqual([]);
        expect(r.data!.createFlashSale).toEqual({ flashSale: null, errors: [expect.objectContaining({ code, field })] });
        expect(await footprint()).toEqual(before);
        expect(await skuStock(sku.id)).toBe(500);
      });

      it("PRICE_BELOW_MINIMUM one fen under the minimum", async () => {
        const sku = await newSku(500);
        const before = await footprint();
        const r = await create(store.viewer, input(sku.id, { flashPrice: minimum - 1 }));
        expect(r.data!.createFlashSale.errors).toEqual([expect.objectContaining({ code: "PRICE_BELOW_MINIMUM", field: "flashPrice" })]);
        expect(await footprint()).toEqual(before);
        expect(await skuStock(sku.id)).toBe(500);
      });

      it("LISTING_NOT_FOUND for a SKU of a product listed only by another store", async () => {
        const theirs = await newSku(500, otherStore);
        const before = await footprint();
        const r = await create(store.viewer, input(theirs.id));
        expect(r.data!.createFlashSale).toEqual({ flashSale: null, errors: [expect.objectContaining({ code: "LISTING_NOT_FOUND", field: "skuId" })] });
        expect(await footprint()).toEqual(before);
        expect(await skuStock(theirs.id)).toBe(500);
      });

      it("OVERLAPPING_SALE for a second sale of the same SKU in an overlapping window; an adjacent window is fine", async () => {
        const sku = await newSku(500);
        const first = input(sku.id, { totalStock: 100, startsAt: at(HOUR).toISOString(), endsAt: at(3 * HOUR).toISOString() });
        expect((await create(store.viewer, first)).data!.createFlashSale.errors).toEqual([]);
        const before = await footprint();

        const overlapping = await create(store.viewer, input(sku.id, { totalStock: 10, startsAt: at(2 * HOUR).toISOString(), endsAt: at(4 * HOUR).toISOString() }));

        expect(overlapping.data!.createFlashSale).toEqual({ flashSale: null, errors: [expect.objectContaining({ code: "OVERLAPPING_SALE", field: "startsAt" })] });
        expect(await footprint()).toEqual(before);
        expect(await skuStock(sku.id)).toBe(400);

        const adjacent = await create(store.viewer, input(sku.id, { totalStock: 10, startsAt: first.endsAt, endsAt: at(4 * HOUR).toISOString() }));
        expect(adjacent.data!.createFlashSale.errors).toEqual([]);
        expect(await skuStock(sku.id)).toBe(390);
      });
    });

    it("given 6 merchants' tabs creating the same window on one SKU at once, then exactly one sale exists and the SKU gave its units once", async () => {
      const sku = await newSku(500);
      const inp = input(sku.id, { totalStock: 50 });

      const results = await Promise.all(Array.from({ length: 6 }, () => create(store.viewer, inp)));

      expect(results.flatMap((r) => r.errors)).toEqual([]);
      const codes = results.map((r) => r.data!.createFlashSale.errors.map((e) => e.code).join(",") || "OK").sort();
      expect(codes).toEqual(["OK", "OVERLAPPING_SALE", "OVERLAPPING_SALE", "OVERLAPPING_SALE", "OVERLAPPING_SALE", "OVERLAPPING_SALE"]);
      expect(await db().select().from(flashSales).where(eq(flashSales.skuId, sku.id))).toHaveLength(1);
      expect(await skuStock(sku.id)).toBe(450);
    });

    describe("another store's merchant", () => {
      it("cannot create a sale on my listing (LISTING_NOT_FOUND, nothing written)", async () => {
        const mine = await newSku(500);
        const before = await footprint();
        const r = await create(otherStore.viewer, input(mine.id));
        expect(r.data!.createFlashSale).toEqual({ flashSale: null, errors: [expect.objectContaining({ code: "LISTING_NOT_FOUND" })] });
        expect(await footprint()).toEqual(before);
        expect(await skuStock(mine.id)).toBe(500);
      });

      it("cannot cancel my sale (FLASH_SALE_NOT_FOUND, the sale and its units untouched) nor see it in their list", async () => {
        const sale = await newSale({ stock: 20, skuStock: 30, startsIn: HOUR });
        const r = await gql(rt, otherStore.viewer, CANCEL, { id: sale.id });
        expect(r.data!.cancelFlashSale).toEqual({ flashSale: null, errors: [expect.objectContaining({ code: "FLASH_SALE_NOT_FOUND", field: "id" })] });
        expect(await saleRow(sale.id)).toMatchObject({ closedAt: null, closeReason: null });
        expect(await stockLeft(sale.id)).toBe(20);
        expect(await skuStock(sale.skuId)).toBe(10);
        const theirs = await gqlOk<{ merchantFlashSales: { nodes: { id: string }[] } }>(rt, otherStore.viewer, MERCHANT_SALES);
        expect(theirs.merchantFlashSales.nodes.map((n) => n.id)).not.toContain(sale.id);
      });

      it("a consumer may not create sales at all (FORBIDDEN)", async () => {
        const c = await createConsumer(rt);
        const sku = await newSku(10);
        const before = await footprint();
        const r = await create(c.viewer, input(sku.id, { totalStock: 5 }));
        expect(r.errors.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
        expect(await footprint()).toEqual(before);
      });
    });

    describe("cancelling", () => {
      it("given a sale not started yet, when the merchant cancels, then its units go back to the SKU and the same window can be used again", async () => {
        const sale = await newSale({ stock: 20, skuStock: 30, startsIn: HOUR });
        expect(await skuStock(sale.skuId)).toBe(10);

        const r = await gql(rt, store.viewer, CANCEL, { id: sale.id });

        expect(r.data!.cancelFlashSale).toEqual({ flashSale: expect.objectContaining({ id: sale.id, state: "ENDED", remaining: 0, closeReason: "商家取消" }), errors: [] });
        expect(await skuStock(sale.skuId)).toBe(30);
        expect(await stockLeft(sale.id)).toBe(0);
        const again = await gql(rt, store.viewer, CANCEL, { id: sale.id });
        expect(again.data!.cancelFlashSale.errors).toEqual([expect.objectContaining({ code: "ALREADY_STARTED" })]);
        expect(await skuStock(sale.skuId)).toBe(30);

        const reuse = await create(store.viewer, input(sale.skuId, { totalStock: 30, startsAt: sale.startsAt.toISOString(), endsAt: sale.endsAt.toISOString() }));
        expect(reuse.data!.createFlashSale.errors).toEqual([]);
      });

      it("given a running sale, then ALREADY_STARTED and nothing changes", async () => {
        const sale = await newSale({ stock: 20, skuStock: 30 });
        const r = await gql(rt, store.viewer, CANCEL, { id: sale.id });
        expect(r.data!.cancelFlashSale).toEqual({ flashSale: null, errors: [expect.objectContaining({ code: "ALREADY_STARTED", field: "id" })] });
        expect(await saleRow(sale.id)).toMatchObject({ closedAt: null });
        expect(await stockLeft(sale.id)).toBe(20);
        expect(await skuStock(sale.skuId)).toBe(10);
      });
    });
  });

  // ── the spike ────────────────────────────────────────────────────────────────────────────────────
  describe("given 1,000 buyers and a sale of 100 units with 1 per person", () => {
    let buyers: ConsumerFixture[];
    beforeAll(async () => {
      buyers = await bulkConsumers(1_000);
      // The bulk rows are what the services would have written: the viewer is loadViewer's.
      expect(buyers[0].viewer).toEqual(await viewerOf(rt, buyers[0].userId));
    });

    it.each([1, 2, 3])(
      "when all 1,000 order at once, then exactly 100 orders, exactly 900 typed SOLD_OUT, Σ segments = 0 and never below 0 (round %i)",
      async () => {
        const sale = await newSale({ stock: 100, perUserLimit: 1 });
        const initial = splitStock(100);
        const ordersBefore = await countOf(orders);

        // A reader polls the segments while the buyers race: every sum it sees is between 0 and 100
        // and never goes up (nothing is released during the spike), and no row is ever negative.
        const seen: { sum: number; min: number }[] = [];
        let racing = true;
        const sampler = (async () => {
          while (racing) {
            const rows = rowsOf<{ sum: number; min: number }>(
              await db().execute(sql`select coalesce(sum(stock), 0)::int as sum, coalesce(min(stock), 0)::int as min from flash_stock_segments where flash_sale_id = ${sale.id}`),
            );
            seen.push({ sum: Number(rows[0].sum), min: Number(rows[0].min) });
            await new Promise((r) => setTimeout(r, 2));
          }
        })();
        orderInsertKeys.length = 0;
        countingOrderInserts = true;
        const admission = flashAdmissionCounts();
        const results = await Promise.all(buyers.map((b, i) => place(b.viewer, { flashSaleId: sale.id, addressId: b.addressId }, `172.16.${i >> 8}.${i & 255}`)));
        countingOrderInserts = false;
        racing = false;
        await sampler;

        expect(results.flatMap((r) => r.errors)).toEqual([]);
        const won = results.flatMap((r, i) => (r.data!.placeFlashOrder.order ? [{ buyer: buyers[i], order: r.data!.placeFlashOrder.order }] : []));
        const lost = results.filter((r) => !r.data!.placeFlashOrder.order);
        expect(won).toHaveLength(100);
        expect(lost).toHaveLength(900);
        for (const r of lost) expect(r.data!.placeFlashOrder.errors).toEqual([expect.objectContaining({ code: "SOLD_OUT" })]);
        for (const w of won) {
          expect(w.order).toMatchObject({ status: "PENDING_PAYMENT", goodsAmount: { amount: flashPrice }, totalAmount: { amount: flashPrice + freightFor(flashPrice) } });
        }

        // Stock: every segment empty, each gave exactly the units it was created with.
        expect((await segmentsOf(sale.id)).map((s) => s.stock)).toEqual(initial.map(() => 0));
        const lines = await linesOf(sale.id);
        expect(lines).toHaveLength(100);
        expect(lines.every((l) => l.quantity === 1 && Number(l.unitPrice) === flashPrice)).toBe(true);
        const perSegment = initial.map((_, n) => lines.filter((l) => l.flashSegment === n).length);
        expect(perSegment).toEqual(initial);
        expect(seen.length).toBeGreaterThan(0);
        expect(seen.every((s) => s.min >= 0 && s.sum >= 0 && s.sum <= 100)).toBe(true);
        expect(seen.every((s, i) => i === 0 || s.sum <= seen[i - 1].sum)).toBe(true);

        // Orders and per-person counts: one order and one unit per winner, nothing for the others.
        expect(await countOf(orders)).toBe(ordersBefore + 100);
        const saleOrders = await ordersOfSale(sale.id);
        expect(saleOrders).toHaveLength(100);
        expect(saleOrders.every((o) => o.channel === "FLASH" && o.status === "PENDING_PAYMENT")).toBe(true);
        const winners = new Set(won.map((w) => w.buyer.userId));
        expect(new Set(saleOrders.map((o) => o.userId))).toEqual(winners);
        const purchases = await purchasesOf(sale.id);
        expect(purchases).toHaveLength(100);
        expect(purchases.every((p) => p.quantity === 1)).toBe(true);
        expect(new Set(purchases.map((p) => p.userId))).toEqual(winners);
        // Exactly one 5-minute expiry per order.
        const expiry = await db().select().from(jobs).where(inArray(jobs.dedupeKey, saleOrders.map((o) => `order.expire:${o.id}`)));
        expect(expiry).toHaveLength(100);
        for (const o of saleOrders) expect(o.expiresAt.getTime() - o.createdAt.getTime()).toBe(FLASH_PAYMENT_WINDOW_MS);
        // The sale is flagged sold out for everyone, and the SKU itself was never touched.
        expect((await saleRow(sale.id)).soldOutAt).not.toBeNull();
        expect((await gqlOk(rt, null, SHOP_SALE, { id: sale.id })).shopFlashSale).toEqual({ id: sale.id, state: "SOLD_OUT", remaining: 0 });
        expect(await skuStock(sale.skuId)).toBe(0);
        // No buyer's transaction had to be run twice: a deadlock (40P01) is retried with the same key,
        // and on Postgres buyers waiting on segments used to deadlock with the sold-out check by the dozen.
        expect(orderInsertKeys.length).toBeGreaterThanOrEqual(100);
        expect(new Set(orderInsertKeys).size).toBe(orderInsertKeys.length);
        // The buyers went through admission batches, and none failed: a failing batch hands its
        // buyers to the one-order path, which gives the same answers, so only this shows it.
        const after = flashAdmissionCounts();
        expect(after.failedBatches - admission.failedBatches).toBe(0);
        expect(after.answeredByBatch - admission.answeredByBatch).toBeGreaterThanOrEqual(500);
      },
      120_000,
    );
  });

  // ── idempotency and per-person limits ───────────────────────────────────────────────────────────
  describe("idempotency keys", () => {
    it("given the same key and body sent 10 times at once, then one order, every answer is that order, one unit taken", async () => {
      const sale = await newSale({ stock: 20, perUserLimit: 5 });
      const c = await createConsumer(rt);
      const idempotencyKey = newIdempotencyKey();

      const results = await Promise.all(Array.from({ length: 10 }, () => buy(c, sale, { idempotencyKey })));

      expect(results.flatMap((r) => [...r.errors, ...r.data!.placeFlashOrder.errors])).toEqual([]);
      const ids = new Set(results.map((r) => r.data!.placeFlashOrder.order!.id));
      expect(ids.size).toBe(1);
      expect((await db().select().from(orders).where(eq(orders.idempotencyKey, idempotencyKey))).map((o) => o.id)).toEqual([...ids]);
      expect(await stockLeft(sale.id)).toBe(19);
      expect((await purchasesOf(sale.id)).map((p) => [p.userId, p.quantity])).toEqual([[c.userId, 1]]);

      // A retry later is answered with the same order and takes nothing more.
      const retry = await buy(c, sale, { idempotencyKey });
      expect(retry.data!.placeFlashOrder.order!.id).toBe([...ids][0]);
      expect(await stockLeft(sale.id)).toBe(19);
    });

    it("given a used key, when the body differs, then IDEMPOTENCY_KEY_REUSED and nothing is written", async () => {
      const sale = await newSale({ stock: 20, perUserLimit: 5 });
      const c = await createConsumer(rt);
      const idempotencyKey = newIdempotencyKey();
      await bought(c, { id: sale.id });
      const first = await buy(c, sale, { idempotencyKey });
      expect(first.data!.placeFlashOrder.errors).toEqual([]);
      const before = await footprint();

      const other = await buy(c, sale, { idempotencyKey, quantity: 2 });

      expect(other.data!.placeFlashOrder).toEqual({ order: null, errors: [expect.objectContaining({ code: "IDEMPOTENCY_KEY_REUSED", field: "idempotencyKey" })] });
      expect(await footprint()).toEqual(before);
      expect(await stockLeft(sale.id)).toBe(18);
      expect((await purchasesOf(sale.id))[0].quantity).toBe(2);
    });
  });

  describe("per-person limit", () => {
    it("given a limit of 2, when one person fires 10 orders of 1 at once, then exactly 2 orders and LIMIT_EXCEEDED for the other 8", async () => {
      const sale = await newSale({ stock: 20, perUserLimit: 2 });
      const c = await createConsumer(rt);

      const results = await Promise.all(Array.from({ length: 10 }, () => buy(c, sale)));

      const codes = results.map((r) => codesOf(r).join(",") || "OK").sort();
      expect(codes).toEqual(["LIMIT_EXCEEDED", "LIMIT_EXCEEDED", "LIMIT_EXCEEDED", "LIMIT_EXCEEDED", "LIMIT_EXCEEDED", "LIMIT_EXCEEDED", "LIMIT_EXCEEDED", "LIMIT_EXCEEDED", "OK", "OK"]);
      expect(await ordersOfSale(sale.id)).toHaveLength(2);
      expect((await purchasesOf(sale.id)).map((p) => p.quantity)).toEqual([2]);
      expect(await stockLeft(sale.id)).toBe(18);
    });

    /** Moves the app clock to 100 ms into a fresh rate-limit window, so a burst cannot straddle two windows. */
    async function atWindowStart() {
      const w = FLASH_RATE_LIMITS.perUser.windowMs;
      await rt.advanceClock(w - (now().getTime() % w) + 100);
    }

    it("given a person firing 25 orders at once from 25 addresses (limit 99 each), then the per-person rate limit lets exactly 20 through and the other 5 are RATE_LIMITED with nothing written for them", async () => {
      const sale = await newSale({ stock: 50, perUserLimit: 99 });
      const c = await createConsumer(rt);
      await atWindowStart();

      const results = await Promise.all(Array.from({ length: 25 }, () => buy(c, sale)));

      const codes = results.map((r) => codesOf(r).join(",") || "OK");
      expect(codes.filter((x) => x === "OK")).toHaveLength(FLASH_RATE_LIMITS.perUser.limit);
      expect(codes.filter((x) => x === "RATE_LIMITED")).toHaveLength(25 - FLASH_RATE_LIMITS.perUser.limit);
      expect(await ordersOfSale(sale.id)).toHaveLength(20);
      expect((await purchasesOf(sale.id)).map((p) => p.quantity)).toEqual([20]);
      expect(await stockLeft(sale.id)).toBe(30);
    });

    it("given 610 people ordering at once from one address, then the per-IP rate limit lets exactly 600 through and 10 are RATE_LIMITED with nothing written for them", async () => {
      const sale = await newSale({ stock: 1_000, perUserLimit: 1 });
      const people = await bulkConsumers(610);
      await atWindowStart();

      const results = await Promise.all(people.map((b) => place(b.viewer, { flashSaleId: sale.id, addressId: b.addressId }, "203.0.113.7")));

      const codes = results.map((r) => codesOf(r).join(",") || "OK");
      expect(codes.filter((x) => x === "OK")).toHaveLength(FLASH_RATE_LIMITS.perIp.limit);
      expect(codes.filter((x) => x === "RATE_LIMITED")).toHaveLength(610 - FLASH_RATE_LIMITS.perIp.limit);
      expect(await ordersOfSale(sale.id)).toHaveLength(600);
      const purchases = await purchasesOf(sale.id);
      expect(purchases).toHaveLength(600);
      const refused = new Set(people.filter((_, i) => codes[i] === "RATE_LIMITED").map((p) => p.userId));
      expect(purchases.filter((p) => refused.has(p.userId))).toEqual([]);
      expect(await stockLeft(sale.id)).toBe(400);
    }, 120_000);

    // Admission counts a batch's rate limits and units before it has read the addresses (one round
    // trip less); what it counted for buyers it then refuses must come back before anyone's verdict.
    it("given 590 people with their own address and 20 with a made-up one ordering at once from one address, then all 590 go through (the 20 ADDRESS_NOT_FOUND never count against the per-IP limit) and nothing is left of the 20", async () => {
      const sale = await newSale({ stock: 1_000, perUserLimit: 1 });
      const people = await bulkConsumers(610);
      const liars = new Set(people.filter((_, i) => i % 30 === 7 && i < 600).map((p) => p.userId)); // 20, spread through the burst
      const honest = people.filter((p) => !liars.has(p.userId)).slice(0, FLASH_RATE_LIMITS.perIp.limit - 10);
      const burst = people.filter((p) => liars.has(p.userId) || honest.includes(p));
      await atWindowStart();
      const ip = "203.0.113.9";

      const results = await Promise.all(burst.map((b) => place(b.viewer, { flashSaleId: sale.id, addressId: liars.has(b.userId) ? randomUUID() : b.addressId }, ip)));

      const codes = results.map((r) => codesOf(r).join(",") || "OK");
      expect(codes.filter((x, i) => x === "OK" && !liars.has(burst[i].userId))).toHaveLength(honest.length);
      expect(codes.filter((x, i) => x === "ADDRESS_NOT_FOUND" && liars.has(burst[i].userId))).toHaveLength(liars.size);
      expect(await ordersOfSale(sale.id)).toHaveLength(honest.length);
      expect((await purchasesOf(sale.id)).filter((p) => liars.has(p.userId))).toEqual([]);
      expect(await stockLeft(sale.id)).toBe(1_000 - honest.length);
      const hits = await db().select().from(rateLimits).where(eq(rateLimits.key, `flash:ip:${ip}`));
      expect(hits.map((h) => h.hits)).toEqual([honest.length]);
      const liarHits = await db().select().from(rateLimits).where(inArray(rateLimits.key, [...liars].map((id) => `flash:user:${id}`)));
      expect(liarHits.filter((h) => h.hits !== 0)).toEqual([]);
    }, 120_000);

    it("given a quantity above the limit, zero or fractional, then INVALID_QUANTITY and nothing is written", async () => {
      const sale = await newSale({ stock: 20, perUserLimit: 2 });
      const c = await createConsumer(rt);
      const before = await footprint();
      for (const quantity of [3, 0, -1]) {
        const r = await buy(c, sale, { quantity });
        expect(r.data!.placeFlashOrder).toEqual({ order: null, errors: [expect.objectContaining({ code: "INVALID_QUANTITY", field: "quantity" })] });
      }
      expect(await footprint()).toEqual(before);
      expect(await stockLeft(sale.id)).toBe(20);
    });

    it("given a person who bought 1 of 2, then 2 more is LIMIT_EXCEEDED (nothing taken) and 1 more goes through", async () => {
      const sale = await newSale({ stock: 20, perUserLimit: 2 });
      const c = await createConsumer(rt);
      await bought(c, sale, 1);
      const before = await footprint();

      expect(codesOf(await buy(c, sale, { quantity: 2 }))).toEqual(["LIMIT_EXCEEDED"]);
      expect(await footprint()).toEqual(before);
      expect(await stockLeft(sale.id)).toBe(19);

      await bought(c, sale, 1);
      expect((await purchasesOf(sale.id))[0].quantity).toBe(2);
    });
  });

  // ── refusals that must not write ─────────────────────────────────────────────────────────────────
  describe("refusals", () => {
    it("given an anonymous caller, then UNAUTHENTICATED and nothing is written", async () => {
      const sale = await newSale({ stock: 5 });
      const c = await createConsumer(rt);
      const before = await footprint();
      const r = await place(null, { flashSaleId: sale.id, addressId: c.addressId });
      expect(r.errors.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
      expect(r.data).toBeNull();
      expect(await footprint()).toEqual(before);
      expect(await stockLeft(sale.id)).toBe(5);
    });

    it.each<[string, (c: ConsumerFixture, other: ConsumerFixture, sale: FlashSaleRow) => { flashSaleId: string; addressId: string }]>([
      ["FLASH_SALE_NOT_FOUND", (c) => ({ flashSaleId: "00000000-0000-4000-8000-000000000000", addressId: c.addressId })],
      ["FLASH_SALE_NOT_FOUND", (c) => ({ flashSaleId: "nope", addressId: c.addressId })],
      ["ADDRESS_NOT_FOUND", (_, other, sale) => ({ flashSaleId: sale.id, addressId: other.addressId })],
      ["ADDRESS_NOT_FOUND", (_, __, sale) => ({ flashSaleId: sale.id, addressId: "nope" })],
    ])("given a bad reference, then %s and nothing is written", async (code, make) => {
      const sale = await newSale({ stock: 5 });
      const [c, other] = [await createConsumer(rt), await createConsumer(rt)];
      const before = await footprint();
      const r = await place(c.viewer, make(c, other, sale));
      expect(codesOf(r)).toEqual([code]);
      expect(await footprint()).toEqual(before);
      expect(await stockLeft(sale.id)).toBe(5);
    });

    it("given a malformed idempotency key, then INVALID_IDEMPOTENCY_KEY and nothing is written", async () => {
      const sale = await newSale({ stock: 5 });
      const c = await createConsumer(rt);
      const before = await footprint();
      expect(codesOf(await buy(c, sale, { idempotencyKey: "short" }))).toEqual(["INVALID_IDEMPOTENCY_KEY"]);
      expect(await footprint()).toEqual(before);
    });
  });

  // ── sold out ─────────────────────────────────────────────────────────────────────────────────────
  describe("given a sale that sold out", () => {
    let sale: FlashSaleRow;
    beforeAll(async () => {
      sale = await newSale({ stock: 2 });
      await bought(await createConsumer(rt), sale);
      await bought(await createConsumer(rt), sale);
      // The first buyer to find every segment empty flags the sale.
      expect(codesOf(await buy(await createConsumer(rt), sale))).toEqual(["SOLD_OUT"]);
      expect((await saleRow(sale.id)).soldOutAt).not.toBeNull();
    });

    /** Each segment row's version and last locker: a lock or an update (even rolled back) changes them. */
    const segmentVersions = async () =>
      rowsOf<{ segment_no: number; xmin: string; xmax: string; ctid: string; stock: number }>(
        await db().execute(sql`select segment_no, xmin::text, xmax::text, ctid::text, stock from flash_stock_segments where flash_sale_id = ${sale.id} order by segment_no`),
      );

    /**
     * Plan nodes over flash_stock_segments that read or changed them when `text` ran with `params`:
     * the statement is run again under EXPLAIN ANALYZE, in a transaction that is rolled back. A scan
     * that never ran (a one-time filter said no first) shows 0 loops.
     */
    async function segmentNodesThatRan(text: string, params: unknown[]) {
      const ran: string[] = [];
      await db()
        .transaction(async (tx) => {
          const [row] = await runHot<Record<string, unknown>>(tx, `explain (analyze, format json) ${text}`, params);
          const plan = Object.values(row)[0];
          const walk = (node: Record<string, unknown>) => {
            // A scan that ran read segments; the statement's own ModifyTable always runs, and touched
            // them only if it changed a row.
            const touched = node["Node Type"] === "ModifyTable" ? Number(node["Actual Rows"]) > 0 : Number(node["Actual Loops"]) > 0;
            if (node["Relation Name"] === "flash_stock_segments" && touched) ran.push(String(node["Node Type"]));
            for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
          };
          walk(((typeof plan === "string" ? JSON.parse(plan) : plan) as { Plan: Record<string, unknown> }[])[0].Plan);
          tx.rollback();
        })
        .catch((e) => {
          if (!(e instanceof TransactionRollbackError)) throw e;
        });
      return ran;
    }

    async function soldOutWithoutTouchingSegments(c: ConsumerFixture) {
      const versions = await segmentVersions();
      const before = await footprint();
      statements.length = 0;
      statementParams.length = 0;
      recording = true;
      const r = await buy(c, sale);
      recording = false;
      expect(r.data!.placeFlashOrder).toEqual({ order: null, errors: [expect.objectContaining({ code: "SOLD_OUT" })] });
      expect(statements.length).toBeGreaterThan(0); // the logger saw this request's statements…
      // …and none read, locked or wrote a segment: no statement locks anything outside the segments'
      // own text, and any that names them never reached them (its plan's segment nodes did not run).
      expect(statements.filter((q) => /for update/i.test(q) && !/flash_stock_segments/.test(q))).toEqual([]);
      const touching: string[] = [];
      for (const [i, q] of statements.entries()) {
        if (/flash_stock_segments/.test(q)) touching.push(...(await segmentNodesThatRan(q, statementParams[i])).map((n) => `${n}: ${q.slice(0, 60)}`));
      }
      expect(touching).toEqual([]);
      expect(await segmentVersions()).toEqual(versions);
      expect(await footprint()).toEqual(before);
    }

    it("when another buyer orders, then SOLD_OUT from memory: no statement reads or locks a segment, their row versions are unchanged, nothing written", async () => {
      expect(soldOutCache.isSoldOut(sale.id, now())).toBe(true);
      await soldOutWithoutTouchingSegments(await createConsumer(rt));
    });

    it("when this process has not seen it sell out (another app instance), then SOLD_OUT from the sale's flag, still without touching a segment", async () => {
      soldOutCache.forget(sale.id);
      await soldOutWithoutTouchingSegments(await createConsumer(rt));
      expect(soldOutCache.isSoldOut(sale.id, now())).toBe(true);
    });

    it("then the venue shows it SOLD_OUT with 0 remaining", async () => {
      expect((await gqlOk(rt, null, SHOP_SALE, { id: sale.id })).shopFlashSale).toEqual({ id: sale.id, state: "SOLD_OUT", remaining: 0 });
    });
  });

  // ── fragmented stock ─────────────────────────────────────────────────────────────────────────────
  describe("fragmented segments", () => {
    it("given 3 units spread one per segment, when someone orders 2, then the units are gathered (rebalanced) and the order goes through; 2 more is SOLD_OUT with nothing written", async () => {
      const sale = await newSale({ stock: 3, perUserLimit: 2 });
      expect((await segmentsOf(sale.id)).map((s) => s.stock)).toEqual([1, 1, 1]);
      const [a, b] = [await createConsumer(rt), await createConsumer(rt)];

      await bought(a, sale, 2);

      expect((await segmentsOf(sale.id)).map((s) => s.stock)).toEqual([1, 0, 0]);
      const [line] = await linesOf(sale.id);
      expect(line).toMatchObject({ quantity: 2, flashSegment: 0 });

      const before = await footprint();
      const r = await buy(b, sale, { quantity: 2 });
      expect(r.data!.placeFlashOrder).toEqual({ order: null, errors: [expect.objectContaining({ code: "SOLD_OUT", field: "quantity" })] });
      expect(r.data!.placeFlashOrder.errors[0].message).toContain("1");
      expect(await footprint()).toEqual(before);
      expect((await segmentsOf(sale.id)).map((s) => s.stock)).toEqual([1, 0, 0]);
      // One unit is left: the sale is not flagged sold out and the last unit can still be bought.
      expect((await saleRow(sale.id)).soldOutAt).toBeNull();
      await bought(b, sale, 1);
      expect(await stockLeft(sale.id)).toBe(0);
    });

    it.each([1, 2, 3])(
      "given 16 units one per segment, when 8 buyers order 2 each at once (and 4 more order 2 too), then exactly 8 orders and Σ = 0 (round %i)",
      async () => {
        const sale = await newSale({ stock: 16, perUserLimit: 2 });
        expect((await segmentsOf(sale.id)).map((s) => s.stock)).toEqual(Array(16).fill(1));
        const people = await Promise.all(Array.from({ length: 12 }, () => createConsumer(rt)));

        const results = await Promise.all(people.map((c) => buy(c, sale, { quantity: 2 })));

        const codes = results.map((r) => codesOf(r).join(",") || "OK");
        expect(codes.filter((c) => c === "OK")).toHaveLength(8);
        expect(codes.filter((c) => c === "SOLD_OUT")).toHaveLength(4);
        expect(await stockLeft(sale.id)).toBe(0);
        const lines = await linesOf(sale.id);
        expect(lines.reduce((s, l) => s + l.quantity, 0)).toBe(16);
        expect((await purchasesOf(sale.id)).reduce((s, p) => s + p.quantity, 0)).toBe(16);
        // One request each, counted once each — also for those a batch handed to the one-order path.
        const hits = await db().select().from(rateLimits).where(inArray(rateLimits.key, people.map((p) => `flash:user:${p.userId}`)));
        expect(hits.reduce((n, h) => n + h.hits, 0)).toBe(12);
      },
    );
  });

  // ── a release racing the sold-out flag ───────────────────────────────────────────────────────────
  describe("given an unpaid order being released while a buyer finds the sale empty", () => {
    /** Backends of this database waiting for a row lock on flash_sales. */
    const waitersOnSaleRow = async () =>
      Number(
        rowsOf<{ n: number }>(
          await db().execute(sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query ilike '%flash_sales%'`),
        )[0].n,
      );

    // Two transactions interleaved on purpose: PGlite runs one transaction at a time, so this needs Postgres.
    it.skipIf(!process.env.DATABASE_URL)(
      "when the release commits while the buyer's sold-out flag waits for the sale row, then the flag is not set over the released unit and the next buyer gets it",
      async () => {
        const sale = await newSale({ stock: 1 });
        const [holder, unlucky, next] = [await createConsumer(rt), await createConsumer(rt), await createConsumer(rt)];
        const held = await bought(holder, sale);
        const { expiresAt } = (await db().select().from(orders).where(eq(orders.id, held.id)))[0];
        let resume!: () => void;
        const paused = new Promise<void>((r) => (resume = r));
        let rowLocked!: () => void;
        const locked = new Promise<void>((r) => (rowLocked = r));

        // The order's expiry job, paused while it holds the sale row (a lock that lets buyers' foreign-key
        // checks through), before it puts the unit back.
        const release = db().transaction(async (tx) => {
          await tx.execute(sql`select 1 from flash_sales where id = ${sale.id} for no key update`);
          rowLocked();
          await paused;
          await expireOrderJob(tx, { orderId: held.id }, { now: new Date(expiresAt.getTime() + 1_000) });
        });
        await locked;
        // The buyer finds every segment empty (true at that moment) and goes to flag the sale: that write
        // has to wait for the release's lock on the sale row.
        const unluckyAnswer = buy(unlucky, sale);
        for (let i = 0; (await waitersOnSaleRow()) === 0; i++) {
          if (i > 1_000) throw new Error("the buyer never came to wait for the sale row");
          await new Promise((r) => setTimeout(r, 10));
        }
        resume();
        await release;

        expect(codesOf(await unluckyAnswer)).toEqual(["SOLD_OUT"]);
        expect(await stockLeft(sale.id)).toBe(1);
        expect((await saleRow(sale.id)).soldOutAt).toBeNull();
        await bought(next, sale);
        expect(await stockLeft(sale.id)).toBe(0);
      },
    );
  });

  // ── the public venue and the merchant's counters ─────────────────────────────────────────────────
  describe("GraphQL views", () => {
    it("given a running sale, then shopFlashSales answers anyone signed out, with the flash and list prices and no cost field", async () => {
      const sale = await newSale({ stock: 10 });

      const r = await gqlOk<{ shopFlashSales: Record<string, unknown>[] }>(rt, null, SHOP_SALES, { s: store.slug });

      const mine = r.shopFlashSales.find((s) => s.id === sale.id);
      expect(mine).toMatchObject({ skuId: sale.skuId, flashPrice: { amount: flashPrice }, listPrice: { amount: LIST_PRICE }, state: "ACTIVE", remaining: 10, totalStock: 10, perUserLimit: 1 });
      const type = (await getSchema()).getType("ShopFlashSale") as GraphQLObjectType;
      const fields = Object.keys(type.getFields());
      expect(fields.filter((f) => /supply|cost|margin|commission|fee|reserved|sold$/i.test(f))).toEqual([]);
      const probe = await gql(rt, null, `query($s: String!) { shopFlashSales(storeSlug: $s) { id supplyPrice } }`, { s: store.slug });
      expect(probe.errors.map((e) => e.extensions?.code)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
      expect(JSON.stringify(r)).not.toContain(`"amount":${SUPPLY_PRICE}`);
    });

    it("given an unknown store, then an empty list", async () => {
      expect((await gqlOk(rt, null, SHOP_SALES, { s: "no-such-store-anywhere" })).shopFlashSales).toEqual([]);
    });

    it("given 2 paid units, 1 unpaid and 7 left, then merchantFlashSales shows remaining 7, reserved 1, sold 2", async () => {
      const sale = await newSale({ stock: 10, perUserLimit: 2 });
      const [payer, waiter] = [await createConsumer(rt), await createConsumer(rt)];
      const paid = await bought(payer, sale, 2);
      await pay(rt, payer, paid.id);
      await bought(waiter, sale, 1);

      const r = await gqlOk<{ merchantFlashSales: { nodes: Record<string, unknown>[] } }>(rt, store.viewer, MERCHANT_SALES);

      expect(r.merchantFlashSales.nodes.find((n) => n.id === sale.id)).toEqual({
        id: sale.id,
        state: "ACTIVE",
        remaining: 7,
        reserved: 1,
        sold: 2,
        totalStock: 10,
        closeReason: null,
      });
      const consumer = await gql(rt, payer.viewer, MERCHANT_SALES);
      expect(consumer.errors.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    });
  });

  // ── on the moved clock: last, because moving the clock affects every sale and order here ────────
  describe("on the moved clock", () => {
    let releasing: FlashSaleRow;
    let later: FlashSaleRow;
    let laterSkuStock: number;
    const people = {} as Record<"payer" | "waiter" | "latecomer" | "x" | "y" | "z", ConsumerFixture>;
    const orderById = async (id: string) => (await db().select().from(orders).where(eq(orders.id, id)))[0];
    /** Moves the clock to `t` (never backwards) and runs what became due. */
    const advanceTo = (t: Date) => advance(Math.max(0, t.getTime() - now().getTime()));

    beforeAll(async () => {
      for (const k of ["payer", "waiter", "latecomer", "x", "y", "z"] as const) people[k] = await createConsumer(rt);
      releasing = await newSale({ stock: 3, perUserLimit: 2 });
      // Starts in 10 minutes, ends 10 minutes later; the SKU keeps 20 of its 25 units.
      later = await newSale({ stock: 5, skuStock: 25, perUserLimit: 3, startsIn: 10 * 60_000, lastsMs: 10 * 60_000 });
      laterSkuStock = await skuStock(later.skuId);
      expect(laterSkuStock).toBe(20);
    });

    it("given a sale not started, then NOT_STARTED and nothing is written; the venue counts it down as UPCOMING", async () => {
      const before = await footprint();
      expect(codesOf(await buy(people.x, later))).toEqual(["NOT_STARTED"]);
      expect(await footprint()).toEqual(before);
      expect(await stockLeft(later.id)).toBe(5);
      expect((await gqlOk(rt, null, SHOP_SALE, { id: later.id })).shopFlashSale.state).toBe("UPCOMING");
    });

    it("given 40 unpaid orders expiring while their 40 buyers keep buying, then no expiry and no order has to be retried (no deadlock) and every unit is accounted for", async () => {
      // Everything placed earlier in this file expires first, so that the expiries below are these 40.
      await advance(FLASH_PAYMENT_WINDOW_MS + 1_000);
      const sale = await newSale({ stock: 1_000, perUserLimit: 10 });
      const buyers = await bulkConsumers(40);
      const first = await Promise.all(buyers.map((b) => bought(b, sale)));

      orderInsertKeys.length = 0;
      countingOrderInserts = true;
      // While the expiry jobs run, the same people buy again (up to 9 more each): a release puts units
      // back into a segment, and takes a person's count down, that a buyer may be holding right then.
      let expiring = true;
      const expiry = advance(FLASH_PAYMENT_WINDOW_MS + 1_000).finally(() => (expiring = false));
      const more = await Promise.all(
        buyers.map(async (b) => {
          let n = 0;
          while (expiring && n < 9) {
            await bought(b, sale);
            n++;
          }
          return n;
        }),
      );
      await expiry;
      countingOrderInserts = false;

      const expired = await db().select().from(orders).where(inArray(orders.id, first.map((o) => o.id)));
      expect(expired.map((o) => o.status)).toEqual(first.map(() => "CANCELLED"));
      const expiries = await db().select().from(jobs).where(inArray(jobs.dedupeKey, first.map((o) => `order.expire:${o.id}`)));
      expect(expiries.map((j) => [j.status, j.attempts, j.lastError])).toEqual(first.map(() => ["DONE", 1, null]));
      const boughtAgain = more.reduce((a, b) => a + b, 0);
      expect(boughtAgain).toBeGreaterThan(0);
      expect(orderInsertKeys).toHaveLength(boughtAgain);
      expect(new Set(orderInsertKeys).size).toBe(boughtAgain);
      const live = new Set((await ordersOfSale(sale.id)).filter((o) => o.status === "PENDING_PAYMENT").map((o) => o.id));
      const liveUnits = (await linesOf(sale.id)).filter((l) => live.has(l.orderId)).reduce((n, l) => n + l.quantity, 0);
      expect(liveUnits).toBe(boughtAgain);
      expect((await stockLeft(sale.id)) + liveUnits).toBe(1_000);
      const held = Object.fromEntries((await purchasesOf(sale.id)).map((p) => [p.userId, p.quantity]));
      expect(held).toEqual(Object.fromEntries(buyers.map((b, i) => [b.userId, more[i]])));
    });

    it("given one paid and one unpaid order that sold a sale out, when 5 minutes pass, then the unpaid units go back to their segment, the person's count drops, the flag is lifted and others can buy; the paid order stays", async () => {
      const paid = await bought(people.payer, releasing, 1);
      await pay(rt, people.payer, paid.id);
      const unpaid = await bought(people.waiter, releasing, 2);
      expect(codesOf(await buy(people.latecomer, releasing))).toEqual(["SOLD_OUT"]);
      expect((await saleRow(releasing.id)).soldOutAt).not.toBeNull();
      const [unpaidLine] = (await linesOf(releasing.id)).filter((l) => l.orderId === unpaid.id);
      const segmentsBefore = (await segmentsOf(releasing.id)).map((s) => s.stock);
      expect(segmentsBefore.every((n) => n === 0)).toBe(true);
      const { expiresAt } = await orderById(unpaid.id);

      // Not yet: half a minute before the payment window ends.
      await advanceTo(new Date(expiresAt.getTime() - 30_000));
      expect((await orderById(unpaid.id)).status).toBe("PENDING_PAYMENT");
      expect(await stockLeft(releasing.id)).toBe(0);

      await advanceTo(new Date(expiresAt.getTime() + 1_000));

      expect(await orderById(unpaid.id)).toMatchObject({ status: "CANCELLED", cancelReason: "超时未支付" });
      expect(await orderById(paid.id)).toMatchObject({ status: "PAID" });
      const expected = [...segmentsBefore];
      expected[unpaidLine.flashSegment!] += 2;
      expect((await segmentsOf(releasing.id)).map((s) => s.stock)).toEqual(expected);
      const counts = Object.fromEntries((await purchasesOf(releasing.id)).map((p) => [p.userId, p.quantity]));
      expect(counts).toEqual({ [people.payer.userId]: 1, [people.waiter.userId]: 0 });
      expect((await saleRow(releasing.id)).soldOutAt).toBeNull();
      expect(soldOutCache.isSoldOut(releasing.id, now())).toBe(false);
      expect(await skuStock(releasing.skuId)).toBe(0); // the units went back to the sale, not the SKU

      // A new buyer gets one, and the waiter (whose count is back to 0) the last.
      await bought(people.latecomer, releasing, 1);
      await bought(people.waiter, releasing, 1);
      expect(codesOf(await buy(people.payer, releasing))).toEqual(["SOLD_OUT"]);
      expect(await stockLeft(releasing.id)).toBe(0);
      expect((await ordersOfSale(releasing.id)).filter((o) => o.status !== "CANCELLED")).toHaveLength(3);
    });

    it("given the window runs, then orders go through; at the end the close job returns what is left to the SKU, buyers get ENDED, and an unpaid order expiring after the close returns its units to the SKU, not the segments", async () => {
      // 7 minutes into the 10-minute window: an unpaid order now outlives the window by 2 minutes.
      await advanceTo(new Date(later.startsAt.getTime() + 7 * 60_000));
      const paid = await bought(people.x, later, 1);
      await pay(rt, people.x, paid.id);
      const unpaid = await bought(people.y, later, 2);
      expect(await stockLeft(later.id)).toBe(2);
      expect(await skuStock(later.skuId)).toBe(laterSkuStock);
      const { expiresAt } = await orderById(unpaid.id);
      expect(expiresAt.getTime()).toBeGreaterThan(later.endsAt.getTime());

      await advanceTo(new Date(later.endsAt.getTime() + 1_000)); // the close job runs

      const closed = await saleRow(later.id);
      expect(closed.closedAt).not.toBeNull();
      expect(closed.closeReason).toBe("活动结束");
      expect(await stockLeft(later.id)).toBe(0);
      expect(await skuStock(later.skuId)).toBe(laterSkuStock + 2);
      const before = await footprint();
      expect(codesOf(await buy(people.z, later))).toEqual(["ENDED"]);
      expect(await footprint()).toEqual(before);
      expect((await orderById(unpaid.id)).status).toBe("PENDING_PAYMENT");
      const venue = await gqlOk<{ shopFlashSales: { id: string }[] }>(rt, null, SHOP_SALES, { s: store.slug });
      expect(venue.shopFlashSales.map((s) => s.id)).not.toContain(later.id);

      await advanceTo(new Date(expiresAt.getTime() + 1_000)); // the unpaid order expires after the close

      expect(await orderById(unpaid.id)).toMatchObject({ status: "CANCELLED", cancelReason: "超时未支付" });
      expect(await skuStock(later.skuId)).toBe(laterSkuStock + 4);
      expect(await stockLeft(later.id)).toBe(0);
      expect((await purchasesOf(later.id)).find((p) => p.userId === people.y.userId)?.quantity).toBe(0);
      const counters = await gqlOk<{ merchantFlashSales: { nodes: Record<string, unknown>[] } }>(rt, store.viewer, MERCHANT_SALES);
      expect(counters.merchantFlashSales.nodes.find((n) => n.id === later.id)).toMatchObject({ state: "ENDED", remaining: 0, reserved: 0, sold: 1, closeReason: "活动结束" });
      // Running the jobs again changes nothing.
      await advance(60_000);
      expect(await skuStock(later.skuId)).toBe(laterSkuStock + 4);
    });
  });
});
