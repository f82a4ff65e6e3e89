import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { rowsOf } from "@/db/client";
import { jobs, orders, shipments } from "@/db/schema";
import { createTestRuntime, gqlOk, type TestRuntime } from "../test/harness";
import { createConsumer, createPerson, createProductFixture, createShop, createSupplier, ctxOf, listInStore, newIdempotencyKey, order, pay, shipmentsOf, type Shop } from "../test/fixtures";
import { adjustPoints, pointsBalance } from "../points/points.service";
import { cancelOrder } from "./fulfilment.service";
import { AUTO_RECEIVE_MS } from "./order.rules";

const SHIP = `mutation($input: ShipShipmentInput!) {
  shipShipment(input: $input) { shipment { id status carrier trackingNo } errors { code field } }
}`;
const CONFIRM = `mutation($input: OrderIdInput!) { confirmReceipt(input: $input) { order { id status } errors { code } } }`;
const MY_ORDER = `query($id: ID!) { myOrder(id: $id) { status shipments { status carrier trackingNo autoReceiveAt } } }`;

describe("fulfilment", () => {
  let rt: TestRuntime;
  let shop: Shop;

  beforeAll(async () => {
    rt = await createTestRuntime();
    shop = await createShop(rt, [{ stock: 1_000 }]);
  });
  afterAll(() => rt?.dispose());

  async function paidOrder() {
    const placed = await order(rt, shop.consumer, shop.store, [{ skuId: shop.product.skus[0].id, quantity: 1 }]);
    await pay(rt, shop.consumer, placed.id);
    const [shipment] = await shipmentsOf(rt, placed.id);
    return { orderId: placed.id, shipmentId: shipment.id };
  }
  const ship = (shipmentId: string, carrier = "顺丰速运", trackingNo = "SF1234567890", viewer = shop.supplier.viewer) =>
    gqlOk(rt, viewer, SHIP, { input: { shipmentId, carrier, trackingNo } });
  const statusOf = async (orderId: string) => (await rt.services.db.select().from(orders).where(eq(orders.id, orderId)))[0].status;

  it.each([
    ["a tracking number with punctuation", "顺丰速运", "SF-12345", "trackingNo"],
    ["a five-character tracking number", "顺丰速运", "SF123", "trackingNo"],
    ["a tracking number in Chinese", "顺丰速运", "顺丰一二三四五六", "trackingNo"],
    ["no carrier", " ", "SF1234567890", "carrier"],
  ])("given a paid order, when the supplier ships with %s, then INVALID_TRACKING and the shipment is untouched", async (_label, carrier, trackingNo, field) => {
    const { orderId, shipmentId } = await paidOrder();

    const r = await ship(shipmentId, carrier, trackingNo);

    expect(r.shipShipment).toEqual({ shipment: null, errors: [{ code: "INVALID_TRACKING", field }] });
    const [s] = await shipmentsOf(rt, orderId);
    expect(s).toMatchObject({ status: "AWAITING_SHIPMENT", carrier: null, trackingNo: null, shippedAt: null });
    expect(await statusOf(orderId)).toBe("PAID");
    expect(await rt.services.db.select().from(jobs).where(eq(jobs.dedupeKey, `shipment.auto_receive:${shipmentId}`))).toEqual([]);
  });

  it("given a paid order, when the supplier ships it, then the consumer sees it shipped; shipping it again is INVALID_STATE", async () => {
    const { orderId, shipmentId } = await paidOrder();

    const first = await ship(shipmentId, "顺丰速运", "sf1234567890");

    expect(first.shipShipment).toEqual({
      shipment: { id: shipmentId, status: "SHIPPED", carrier: "顺丰速运", trackingNo: "SF1234567890" },
      errors: [],
    });
    const seen = await gqlOk(rt, shop.consumer.viewer, MY_ORDER, { id: orderId });
    expect(seen.myOrder.status).toBe("SHIPPED");
    expect(seen.myOrder.shipments).toEqual([
      { status: "SHIPPED", carrier: "顺丰速运", trackingNo: "SF1234567890", autoReceiveAt: expect.any(String) },
    ]);

    const again = await ship(shipmentId, "中通快递", "ZT9999999999");
    expect(again.shipShipment).toEqual({ shipment: null, errors: [{ code: "INVALID_STATE", field: null }] });
    const [s] = await shipmentsOf(rt, orderId);
    expect(s).toMatchObject({ carrier: "顺丰速运", trackingNo: "SF1234567890" });
  });

  it("given a shipment of another supplier, when a supplier tries to ship it, then it is not found and untouched", async () => {
    const { orderId, shipmentId } = await paidOrder();
    const stranger = await createSupplier(rt);

    const r = await ship(shipmentId, "顺丰速运", "SF1234567890", stranger.viewer);

    expect(r.shipShipment).toEqual({ shipment: null, errors: [{ code: "ORDER_NOT_FOUND", field: "shipmentId" }] });
    expect((await shipmentsOf(rt, orderId))[0].status).toBe("AWAITING_SHIPMENT");
  });

  it("given a paid order not yet shipped, when the consumer confirms receipt, then INVALID_STATE and it stays PAID", async () => {
    const { orderId } = await paidOrder();
    const r = await gqlOk(rt, shop.consumer.viewer, CONFIRM, { input: { orderId } });
    expect(r.confirmReceipt).toEqual({ order: null, errors: [{ code: "INVALID_STATE" }] });
    expect(await statusOf(orderId)).toBe("PAID");
  });

  it("given a shipped order, when the consumer confirms receipt, then it is COMPLETED (once)", async () => {
    const { orderId, shipmentId } = await paidOrder();
    await ship(shipmentId);

    const r = await gqlOk(rt, shop.consumer.viewer, CONFIRM, { input: { orderId } });

    expect(r.confirmReceipt).toEqual({ order: { id: orderId, status: "COMPLETED" }, errors: [] });
    expect((await shipmentsOf(rt, orderId))[0]).toMatchObject({ status: "RECEIVED", receivedAt: expect.any(Date) });
    const again = await gqlOk(rt, shop.consumer.viewer, CONFIRM, { input: { orderId } });
    expect(again.confirmReceipt.errors).toEqual([{ code: "INVALID_STATE" }]);
  });

  it("given goods from two suppliers, when only one has shipped, then the order stays PAID until the other ships too", async () => {
    const second = await createSupplier(rt);
    const other = await createProductFixture(rt, second, { skus: [{ stock: 10 }] });
    await listInStore(rt, shop.store, other);
    const placed = await order(rt, shop.consumer, shop.store, [
      { skuId: shop.product.skus[0].id, quantity: 1 },
      { skuId: other.skus[0].id, quantity: 1 },
    ]);
    await pay(rt, shop.consumer, placed.id);
    const both = await shipmentsOf(rt, placed.id);
    const mine = both.find((s) => s.supplierId === shop.supplier.supplierId)!;
    const theirs = both.find((s) => s.supplierId === second.supplierId)!;

    await ship(mine.id);
    expect(await statusOf(placed.id)).toBe("PAID");
    await ship(theirs.id, "中通快递", "ZT1234567890", second.viewer);
    expect(await statusOf(placed.id)).toBe("SHIPPED");
  });

  // Last: moving the clock forward affects every order of this runtime.
  it("given a shipped order nobody confirms, when 10 days and a minute pass, then it is received automatically and COMPLETED", async () => {
    const { orderId, shipmentId } = await paidOrder();
    await ship(shipmentId);

    await rt.advanceClock(AUTO_RECEIVE_MS - 3_600_000);
    expect(await statusOf(orderId)).toBe("SHIPPED");

    await rt.advanceClock(3_600_000 + 60_000);

    expect(await statusOf(orderId)).toBe("COMPLETED");
    const [s] = await rt.services.db.select().from(shipments).where(and(eq(shipments.id, shipmentId)));
    expect(s.status).toBe("RECEIVED");
    const [job] = await rt.services.db.select().from(jobs).where(eq(jobs.dedupeKey, `shipment.auto_receive:${shipmentId}`));
    expect(job).toMatchObject({ status: "DONE", attempts: 1 });
  });
  // Needs real concurrent connections (PGlite has one): Postgres only.
  it.skipIf(!process.env.DATABASE_URL)(
    "given a checkout holding the SKU (it takes SKUs, then coupons, then points), when the buyer cancels an order that spent points on that SKU, then the cancel waits for the SKU before it touches the points account, and both finish",
    async () => {
      const db = rt.services.db;
      const skuId = shop.product.skus[0].id;
      const operator = await createPerson(rt, { roles: ["OPERATOR"], login: `op-${newIdempotencyKey()}` });
      const buyer = await createConsumer(rt);
      await adjustPoints(ctxOf(rt), operator.userId, { phone: buyer.phone, amount: 500, reason: "测试发放", requestId: newIdempotencyKey() });
      const placed = await order(rt, buyer, shop.store, [{ skuId, quantity: 1 }], { pointsToUse: 500 });
      expect(placed.pointsUsed).toBe(500);
      const lockWaiters = async () =>
        Number(rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`))[0].n);
      let holding!: () => void;
      let release!: () => void;
      const held = new Promise<void>((r) => (holding = r));
      const released = new Promise<void>((r) => (release = r));

      // A checkout of the same person: the SKU first, the points account after.
      const checkout = db.transaction(async (tx) => {
        await tx.execute(sql`select id from skus where id = ${skuId} for update`);
        holding();
        await released;
        await tx.execute(sql`select user_id from points_accounts where user_id = ${buyer.userId} for update`);
      });
      await held;
      const cancelled = cancelOrder(ctxOf(rt), buyer.userId, placed.id);
      for (let i = 0; i < 200 && (await lockWaiters()) < 1; i++) await new Promise((r) => setTimeout(r, 10));
      const pointsAccountFree = await db.execute(sql`select user_id from points_accounts where user_id = ${buyer.userId} for update nowait`).then(
        () => true,
        () => false,
      );
      release();
      const outcomes = await Promise.allSettled([checkout, cancelled]);

      expect(pointsAccountFree).toBe(true);
      expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled"]);
      expect(await statusOf(placed.id)).toBe("CANCELLED");
      expect(await pointsBalance(db, buyer.userId)).toBe(500);
    },
  );
});
