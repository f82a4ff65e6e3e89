import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq, inArray, sql } from "drizzle-orm";
import { jobs, orderLines, orders, skus } from "@/db/schema";
import { createTestRuntime, gql, type TestRuntime } from "../test/harness";
import {
  createConsumer,
  createProductFixture,
  createShop,
  ctxOf,
  listInStore,
  newIdempotencyKey,
  order,
  type ConsumerFixture,
  type Shop,
} from "../test/fixtures";
import { startPayment } from "../payment/payment.service";
import { PAYMENT_WINDOW_MS } from "./order.rules";

const PLACE_ORDER = `mutation($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { id status totalAmount { amount } } errors { code message field } }
}`;

type PlaceResult = { placeOrder: { order: { id: string; status: string; totalAmount: { amount: number } } | null; errors: { code: string; field: string | null }[] } };

describe("checkout", () => {
  let rt: TestRuntime;
  let shop: Shop;

  beforeAll(async () => {
    rt = await createTestRuntime();
    shop = await createShop(rt, [{ stock: 100 }]);
  });
  afterAll(() => rt?.dispose());

  const place = (consumer: ConsumerFixture, input: Record<string, unknown>) =>
    gql<PlaceResult>(rt, consumer.viewer, PLACE_ORDER, {
      input: { storeSlug: shop.store.slug, addressId: consumer.addressId, idempotencyKey: newIdempotencyKey(), ...input },
    });
  const stockOf = async (skuId: string) => (await rt.services.db.select().from(skus).where(eq(skus.id, skuId)))[0];
  const orderCount = async () => Number((await rt.services.db.select({ n: count() }).from(orders))[0].n);
  const jobCount = async () => Number((await rt.services.db.select({ n: count() }).from(jobs))[0].n);

  /** A new product in the shop's store whose SKUs have the given stock. */
  async function newListedProduct(stocks: number[]) {
    const p = await createProductFixture(rt, shop.supplier, { skus: stocks.map((stock) => ({ stock })) });
    const { prices } = await listInStore(rt, shop.store, p);
    return { ...p, prices };
  }

  describe("given a SKU with 10 units, when 50 buyers order concurrently", () => {
    let buyers: ConsumerFixture[];
    beforeAll(async () => {
      buyers = [];
      for (let i = 0; i < 50; i++) buyers.push(await createConsumer(rt));
    });

    it.each([1, 2, 3])("then exactly 10 orders succeed, 40 get SOLD_OUT and stock never goes below 0 (round %i)", async () => {
      const p = await newListedProduct([10]);
      const sku = p.skus[0];
      const ordersBefore = await orderCount();

      const results = await Promise.all(buyers.map((b) => place(b, { items: [{ skuId: sku.id, quantity: 1 }] })));

      expect(results.every((r) => r.errors.length === 0)).toBe(true);
      const won = results.filter((r) => r.data?.placeOrder.order);
      const lost = results.filter((r) => !r.data?.placeOrder.order);
      expect(won).toHaveLength(10);
      expect(lost).toHaveLength(40);
      for (const r of lost) expect(r.data!.placeOrder.errors).toEqual([expect.objectContaining({ code: "SOLD_OUT", field: "items.0.quantity" })]);
      for (const r of won) expect(r.data!.placeOrder.errors).toEqual([]);

      const after = await stockOf(sku.id);
      expect(after.stock).toBe(0);
      expect(after.sold).toBe(10);
      expect(await orderCount()).toBe(ordersBefore + 10);
      const lines = await rt.services.db.select().from(orderLines).where(eq(orderLines.skuId, sku.id));
      expect(lines.reduce((n, l) => n + l.quantity, 0)).toBe(10);
      // One expiry job per order that exists, none for the refused ones.
      const wonIds = won.map((r) => r.data!.placeOrder.order!.id);
      const expiry = await rt.services.db.select().from(jobs).where(inArray(jobs.dedupeKey, wonIds.map((id) => `order.expire:${id}`)));
      expect(expiry).toHaveLength(10);
    });

    it("given two SKUs with 20 units each, when 30 buyers order both in opposite orders, then no deadlock: exactly 20 succeed and stock + sold stays 20", async () => {
      const p = await newListedProduct([20, 20]);
      const [a, b] = p.skus;

      const results = await Promise.all(
        buyers.slice(0, 30).map((buyer, i) =>
          place(buyer, {
            items: i % 2 ? [{ skuId: a.id, quantity: 1 }, { skuId: b.id, quantity: 1 }] : [{ skuId: b.id, quantity: 1 }, { skuId: a.id, quantity: 1 }],
          }),
        ),
      );

      expect(results.flatMap((r) => r.errors)).toEqual([]);
      expect(results.filter((r) => r.data?.placeOrder.order)).toHaveLength(20);
      const refused = results.filter((r) => !r.data?.placeOrder.order).map((r) => r.data!.placeOrder.errors.map((e) => e.code));
      expect(refused).toEqual(Array.from({ length: 10 }, () => ["SOLD_OUT"]));
      for (const sku of [a, b]) expect(await stockOf(sku.id)).toMatchObject({ stock: 0, sold: 20 });
    });
  });

  describe("idempotency keys", () => {
    it("given the same key and body sent 10 times in parallel, then one order is created and every answer is that order", async () => {
      const p = await newListedProduct([20]);
      const idempotencyKey = newIdempotencyKey();
      const input = { items: [{ skuId: p.skus[0].id, quantity: 2 }], idempotencyKey };

      const results = await Promise.all(Array.from({ length: 10 }, () => place(shop.consumer, input)));

      const ids = results.map((r) => r.data?.placeOrder.order?.id);
      expect(results.flatMap((r) => [...r.errors, ...(r.data?.placeOrder.errors ?? [])])).toEqual([]);
      expect(new Set(ids).size).toBe(1);
      const rows = await rt.services.db.select().from(orders).where(eq(orders.idempotencyKey, idempotencyKey));
      expect(rows.map((r) => r.id)).toEqual([ids[0]]);
      expect((await stockOf(p.skus[0].id)).stock).toBe(18);

      // A retry much later still gets the same answer and reserves nothing more.
      const retry = await place(shop.consumer, input);
      expect(retry.data?.placeOrder.order?.id).toBe(ids[0]);
      expect((await stockOf(p.skus[0].id)).stock).toBe(18);
    });

    it("given a key already used, when the body differs, then IDEMPOTENCY_KEY_REUSED and nothing is written", async () => {
      const p = await newListedProduct([20]);
      const idempotencyKey = newIdempotencyKey();
      const first = await place(shop.consumer, { items: [{ skuId: p.skus[0].id, quantity: 1 }], idempotencyKey });
      expect(first.data?.placeOrder.order).toBeTruthy();
      const [ordersBefore, jobsBefore] = [await orderCount(), await jobCount()];

      const second = await place(shop.consumer, { items: [{ skuId: p.skus[0].id, quantity: 3 }], idempotencyKey });

      expect(second.errors).toEqual([]);
      expect(second.data?.placeOrder).toEqual({ order: null, errors: [expect.objectContaining({ code: "IDEMPOTENCY_KEY_REUSED", field: "idempotencyKey" })] });
      expect(await orderCount()).toBe(ordersBefore);
      expect(await jobCount()).toBe(jobsBefore);
      expect((await stockOf(p.skus[0].id)).stock).toBe(19);
    });

    it("given another buyer using the same key, then it is their own, separate order", async () => {
      const p = await newListedProduct([5]);
      const other = await createConsumer(rt);
      const idempotencyKey = newIdempotencyKey();
      const a = await place(shop.consumer, { items: [{ skuId: p.skus[0].id, quantity: 1 }], idempotencyKey });
      const b = await place(other, { items: [{ skuId: p.skus[0].id, quantity: 1 }], idempotencyKey });
      expect(a.data?.placeOrder.order?.id).toBeTruthy();
      expect(b.data?.placeOrder.order?.id).toBeTruthy();
      expect(a.data?.placeOrder.order?.id).not.toBe(b.data?.placeOrder.order?.id);
    });
  });

  describe("given a two-SKU order whose second SKU (in locking order) is sold out", () => {
    it("then SOLD_OUT, the first SKU's stock is unchanged and no order, line or job is written", async () => {
      const p = await newListedProduct([5, 5]);
      // Stock is reserved in SKU id order: empty the one locked second, so the first is decremented
      // before the failure and must be rolled back.
      const [first, second] = [...p.skus].sort((a, b) => a.id.localeCompare(b.id));
      await rt.services.db.update(skus).set({ stock: 0 }).where(eq(skus.id, second.id));
      const [ordersBefore, jobsBefore] = [await orderCount(), await jobCount()];

      const r = await place(shop.consumer, {
        items: [
          { skuId: second.id, quantity: 1 },
          { skuId: first.id, quantity: 2 },
        ],
      });

      expect(r.data?.placeOrder).toEqual({ order: null, errors: [expect.objectContaining({ code: "SOLD_OUT", field: "items.0.quantity" })] });
      expect(await stockOf(first.id)).toMatchObject({ stock: 5, sold: 0 });
      expect(await stockOf(second.id)).toMatchObject({ stock: 0, sold: 0 });
      expect(await orderCount()).toBe(ordersBefore);
      expect(await jobCount()).toBe(jobsBefore);
      const lines = await rt.services.db.select().from(orderLines).where(inArray(orderLines.skuId, [first.id, second.id]));
      expect(lines).toEqual([]);
    });
  });

  describe("given the price changed since the buyer saw it", () => {
    it("then PRICE_CHANGED names the new total and nothing is reserved; the right total goes through", async () => {
      const p = await newListedProduct([5]);
      const total = p.prices[0] * 2 + (p.prices[0] * 2 >= 9_900 ? 0 : 1_000);
      const ordersBefore = await orderCount();

      const stale = await place(shop.consumer, { items: [{ skuId: p.skus[0].id, quantity: 2 }], expectedTotal: total - 100 });

      expect(stale.data?.placeOrder).toEqual({ order: null, errors: [expect.objectContaining({ code: "PRICE_CHANGED", field: "expectedTotal" })] });
      expect((await stockOf(p.skus[0].id)).stock).toBe(5);
      expect(await orderCount()).toBe(ordersBefore);

      const fresh = await place(shop.consumer, { items: [{ skuId: p.skus[0].id, quantity: 2 }], expectedTotal: total });
      expect(fresh.data?.placeOrder.order?.totalAmount.amount).toBe(total);
    });
  });

  describe("the database itself", () => {
    it("given a direct UPDATE that would make stock negative, then the CHECK constraint refuses it", async () => {
      const sku = shop.product.skus[0];
      const before = await stockOf(sku.id);
      const checkViolation = { cause: expect.objectContaining({ code: "23514", message: expect.stringContaining("skus_stock_non_negative") }) };
      await expect(rt.services.db.execute(sql`update skus set stock = -1 where id = ${sku.id}`)).rejects.toMatchObject(checkViolation);
      await expect(rt.services.db.execute(sql`update skus set stock = stock - ${before.stock + 1} where id = ${sku.id}`)).rejects.toMatchObject(checkViolation);
      expect((await stockOf(sku.id)).stock).toBe(before.stock);
    });
  });

  // Last: moving the clock forward affects every pending order of this runtime.
  describe("given an unpaid order", () => {
    it("when 14 minutes pass it is still payable; when 16 have passed it is CANCELLED and its stock is back", async () => {
      const p = await newListedProduct([3]);
      const placed = await order(rt, shop.consumer, shop.store, [{ skuId: p.skus[0].id, quantity: 2 }]);
      expect(await stockOf(p.skus[0].id)).toMatchObject({ stock: 1, sold: 2 });

      await rt.advanceClock(PAYMENT_WINDOW_MS - 60_000);
      expect((await rt.services.db.select().from(orders).where(eq(orders.id, placed.id)))[0].status).toBe("PENDING_PAYMENT");

      const { jobsRun } = await rt.advanceClock(2 * 60_000);

      expect(jobsRun).toBeGreaterThanOrEqual(1);
      const [row] = await rt.services.db.select().from(orders).where(eq(orders.id, placed.id));
      expect(row).toMatchObject({ status: "CANCELLED", cancelReason: "超时未支付" });
      expect(await stockOf(p.skus[0].id)).toMatchObject({ stock: 3, sold: 0 });
      await expect(startPayment(ctxOf(rt), shop.consumer.userId, placed.id, rt.sandbox)).rejects.toMatchObject({ code: "NOT_PAYABLE" });

      // Running the jobs again changes nothing (the expiry is idempotent).
      await rt.advanceClock(60_000);
      expect(await stockOf(p.skus[0].id)).toMatchObject({ stock: 3, sold: 0 });
    });
  });
});
