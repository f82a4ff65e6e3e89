/**
 * Points earned at settlement wait for the order's open after-sales (REQUESTED or APPROVED): a buyer
 * cannot ask a refund just before settlement, spend the points it earns, and then get the cash back
 * while the points reversal finds nothing left to take. The points are earned when the last open
 * after-sale is decided (refunded, rejected or withdrawn), on the cash the order kept. Real
 * services on PGlite or on the Postgres server of DATABASE_URL.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { orderLines, orders, pointsEntries } from "@/db/schema";
import { createTestRuntime, type TestRuntime } from "../test/harness";
import { createShop, ctxOf, order, pay, shipmentsOf, createConsumer, type ConsumerFixture, type Shop } from "../test/fixtures";
import { refundCtxOf } from "../order/aftersale-fixtures";
import { cancelAfterSale, decideAfterSale, requestAfterSale } from "../order/aftersale.service";
import { confirmReceipt, shipShipment } from "../order/fulfilment.service";
import { unbalancedTransactions } from "../ledger/ledger.service";
import { verifyPoints } from "./points.service";

const DAY = 86_400_000;
const PRICE = 12_800;

describe("points earned at settlement and open after-sales", () => {
  let rt: TestRuntime;
  let shop: Shop;
  const db = () => rt.services.db;

  beforeAll(async () => {
    rt = await createTestRuntime();
    shop = await createShop(rt, [{ stock: 1_000, supplyPrice: 5_000, suggestedPrice: PRICE }]);
  });
  afterEach(async () => {
    expect(await verifyPoints(db())).toMatchObject({ ok: true });
    expect(await unbalancedTransactions(db())).toEqual([]);
  });
  afterAll(() => rt?.dispose());

  const kinds = async (userId: string) =>
    (await db().select().from(pointsEntries).where(eq(pointsEntries.userId, userId)).orderBy(asc(pointsEntries.createdAt), asc(pointsEntries.id))).map((e) => [e.kind, e.amount]);
  const settledAt = async (orderId: string) => (await db().select({ at: orders.settledAt }).from(orders).where(eq(orders.id, orderId)))[0].at;

  /** A received order of ¥128 (no points spent) with `asks` refund requests open on its line. */
  async function receivedWithOpenRequests(asks: number[]) {
    const c: ConsumerFixture = await createConsumer(rt);
    const o = await order(rt, c, shop.store, [{ skuId: shop.product.skus[0].id, quantity: 1 }], { pointsToUse: 0 });
    await pay(rt, c, o.id);
    const [s] = await shipmentsOf(rt, o.id);
    await shipShipment(ctxOf(rt), shop.supplier.supplierId, { shipmentId: s.id, carrier: "顺丰速运", trackingNo: `SF${randomBytes(5).toString("hex")}` });
    await confirmReceipt(ctxOf(rt), c.userId, o.id);
    const [line] = await db().select().from(orderLines).where(eq(orderLines.orderId, o.id));
    const requests = [];
    for (const amount of asks) {
      requests.push(await requestAfterSale(ctxOf(rt), c.userId, { orderId: o.id, lines: [{ orderLineId: line.id, amount }], reason: "少发配件", photoKeys: [] }));
    }
    return { c, orderId: o.id, requests };
  }
  const approve = (afterSaleId: string) => decideAfterSale(refundCtxOf(rt), shop.store.storeId, { afterSaleId, approve: true }, shop.store.userId);
  const reject = (afterSaleId: string) => decideAfterSale(refundCtxOf(rt), shop.store.storeId, { afterSaleId, approve: false, note: "商品完好无损" }, shop.store.userId);

  // One clock move settles every order below at once; the decisions come after it.
  it("given requests still open when the return window passes, then the orders settle without points, and each earns once its last request is decided — on the cash it kept", async () => {
    const refunded = await receivedWithOpenRequests([6_400]);
    const rejected = await receivedWithOpenRequests([6_400]);
    const withdrawn = await receivedWithOpenRequests([6_400]);
    const twoOpen = await receivedWithOpenRequests([1_000, 2_800]);
    const none = await receivedWithOpenRequests([]);

    await rt.advanceClock(7 * DAY + 60_000);

    for (const o of [refunded, rejected, withdrawn, twoOpen, none]) expect(await settledAt(o.orderId)).toBeInstanceOf(Date);
    expect(await kinds(none.c.userId)).toEqual([["EARN", 128]]);
    for (const o of [refunded, rejected, withdrawn, twoOpen]) expect(await kinds(o.c.userId)).toEqual([]);

    // Refunded: earns on the ¥64 kept, and nothing is reversed (nothing was earned before).
    expect((await approve(refunded.requests[0].id)).status).toBe("REFUNDED");
    expect(await kinds(refunded.c.userId)).toEqual([["EARN", 64]]);
    // Rejected: earns on the whole ¥128.
    await reject(rejected.requests[0].id);
    expect(await kinds(rejected.c.userId)).toEqual([["EARN", 128]]);
    // Withdrawn by the buyer: the same.
    await cancelAfterSale(ctxOf(rt), withdrawn.c.userId, withdrawn.requests[0].id);
    expect(await kinds(withdrawn.c.userId)).toEqual([["EARN", 128]]);
    // Two open: the first decision leaves one open, so nothing yet; the second earns on ¥128 − ¥10 − ¥28.
    await approve(twoOpen.requests[0].id);
    expect(await kinds(twoOpen.c.userId)).toEqual([]);
    await approve(twoOpen.requests[1].id);
    expect(await kinds(twoOpen.c.userId)).toEqual([["EARN", 90]]);
    // Deciding again changes nothing (the earning is once per order).
    await expect(reject(rejected.requests[0].id)).rejects.toMatchObject({ code: "INVALID_STATE" });
    expect(await kinds(rejected.c.userId)).toEqual([["EARN", 128]]);
  });
});
