/**
 * Zero-cash orders (nothing paid in cash: points and a platform coupon cover everything, or a
 * points-mall product) through the real services and GraphQL schema, on PGlite or on the Postgres
 * server of DATABASE_URL. Before any parcel ships the buyer may cancel: the order is CANCELLED and
 * stock, points and coupons come back, and the ledger of the order nets to zero on every account
 * (the marketing subsidy comes back). After shipping nothing can be refunded — a typed error, nothing
 * written — and the order settles like any other.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterSales, ledgerEntries, orderLines, orders, pointsMallItems, pointsRedemptions, skus, userCoupons } from "@/db/schema";
import { createTestRuntime, gqlOk, type TestRuntime } from "../test/harness";
import { createConsumer, createPerson, createShop, ctxOf, newIdempotencyKey, shipmentsOf, type ConsumerFixture, type Person, type Shop } from "../test/fixtures";
import { ledgerByAccount } from "../order/aftersale-fixtures";
import { requestAfterSale } from "../order/aftersale.service";
import { cancelOrder, confirmReceipt, shipShipment } from "../order/fulfilment.service";
import { unbalancedTransactions } from "../ledger/ledger.service";
import { claimCoupon, createPlatformCoupon } from "../marketing/coupon.service";
import { adjustPoints, pointsBalance, updatePointsSettings, verifyPoints } from "./points.service";
import { createMallItem, redeemMallItem, redeemedCounts } from "./points-mall.service";
import { DEFAULT_POINTS_SETTINGS } from "./points.rules";

const DAY = 86_400_000;
const PRICE = 12_800;
const COUPON = 3_000;

const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id status totalAmount { amount } } errors { code message field } } }`;
const CANCEL = `mutation($input: OrderIdInput!) { cancelOrder(input: $input) { order { id status } errors { code message field } } }`;

describe("zero-cash orders", () => {
  let rt: TestRuntime;
  let shop: Shop;
  let operator: Person;
  const db = () => rt.services.db;
  const now = () => rt.services.clock.now();
  const SKU = () => shop.product.skus[0].id;

  beforeAll(async () => {
    rt = await createTestRuntime();
    shop = await createShop(rt, [{ stock: 1_000, supplyPrice: 5_000, suggestedPrice: PRICE }]);
    operator = await createPerson(rt, { roles: ["OPERATOR"], login: `op-${randomBytes(3).toString("hex")}` });
    // Points may pay everything, 1 point = 1 fen.
    await updatePointsSettings(ctxOf(rt), operator.userId, { ...DEFAULT_POINTS_SETTINGS, maxDeductBp: 10_000, spendRate: { points: 1, fen: 1 } });
  });
  afterEach(async () => {
    expect(await verifyPoints(db())).toMatchObject({ ok: true });
    expect(await unbalancedTransactions(db())).toEqual([]);
  });
  afterAll(() => rt?.dispose());

  const grant = (c: ConsumerFixture, amount: number) => adjustPoints(ctxOf(rt), operator.userId, { phone: c.phone, amount, reason: "测试发放", requestId: newIdempotencyKey() });
  const orderRow = async (id: string) => (await db().select().from(orders).where(eq(orders.id, id)))[0];
  const stockOf = async (skuId: string) => (await db().select({ stock: skus.stock }).from(skus).where(eq(skus.id, skuId)))[0].stock;
  const entryCount = async (orderId: string) => (await db().select({ id: ledgerEntries.id }).from(ledgerEntries).where(eq(ledgerEntries.orderId, orderId))).length;
  const cancelGql = (c: ConsumerFixture, orderId: string) => gqlOk<any>(rt, c.viewer, CANCEL, { input: { orderId } }).then((d) => d.cancelOrder);
  /** Every account the order touched is back to zero. */
  const expectLedgerNetsToZero = async (orderId: string) => {
    const { entries, sums } = await ledgerByAccount(rt, orderId);
    expect(entries).toBeGreaterThan(0);
    expect(Object.entries(sums).filter(([, v]) => v !== 0)).toEqual([]);
  };

  /** A ¥30 platform coupon and points pay the whole ¥128 order: total 0, paid at once. */
  async function pointsAndCouponOrder() {
    const c = await createConsumer(rt);
    const t = now().getTime();
    const coupon = await createPlatformCoupon(ctxOf(rt), operator.userId, {
      title: "平台满100减30", kind: "THRESHOLD", thresholdFen: 10_000, amountFen: COUPON, percentBp: 0, capFen: null, productIds: null,
      totalQuantity: 100, perUserLimit: 1, claimStartsAt: new Date(t), claimEndsAt: new Date(t + 7 * DAY), usableUntil: new Date(t + 30 * DAY), welcome: false,
    });
    const held = await claimCoupon(ctxOf(rt), c.userId, coupon.id);
    await grant(c, PRICE - COUPON);
    const placed = await gqlOk<any>(rt, c.viewer, PLACE, {
      input: { storeSlug: shop.store.slug, addressId: c.addressId, idempotencyKey: newIdempotencyKey(), items: [{ skuId: SKU(), quantity: 1 }], couponIds: [held.id], expectedTotal: 0 },
    }).then((d) => d.placeOrder);
    expect(placed.errors).toEqual([]);
    expect(placed.order).toMatchObject({ status: "PAID", totalAmount: { amount: 0 } });
    expect(await pointsBalance(db(), c.userId)).toBe(0);
    return { c, held, orderId: placed.order.id as string };
  }

  async function ship(orderId: string) {
    const [s] = await shipmentsOf(rt, orderId);
    await shipShipment(ctxOf(rt), shop.supplier.supplierId, { shipmentId: s.id, carrier: "顺丰速运", trackingNo: `SF${randomBytes(5).toString("hex")}` });
  }

  describe("before any parcel ships", () => {
    it("given an order paid by points and a platform coupon, when the buyer cancels it, then it is CANCELLED, the points, coupon and stock come back and its ledger nets to zero on every account", async () => {
      const stockBefore = await stockOf(SKU());
      const { c, held, orderId } = await pointsAndCouponOrder();
      expect(await stockOf(SKU())).toBe(stockBefore - 1);

      const r = await cancelGql(c, orderId);

      expect(r).toEqual({ order: { id: orderId, status: "CANCELLED" }, errors: [] });
      expect(await orderRow(orderId)).toMatchObject({ status: "CANCELLED", cancelReason: "买家取消" });
      expect(await pointsBalance(db(), c.userId)).toBe(PRICE - COUPON);
      expect((await db().select().from(userCoupons).where(eq(userCoupons.id, held.id)))[0]).toMatchObject({ status: "AVAILABLE", orderId: null });
      expect(await stockOf(SKU())).toBe(stockBefore);
      await expectLedgerNetsToZero(orderId);

      // Once is enough: a second cancel is refused and writes nothing.
      const entries = await entryCount(orderId);
      const again = await cancelGql(c, orderId);
      expect(again).toEqual({ order: null, errors: [expect.objectContaining({ code: "INVALID_STATE" })] });
      expect(await entryCount(orderId)).toBe(entries);
      expect(await pointsBalance(db(), c.userId)).toBe(PRICE - COUPON);
    });

    it("given a points-mall product order, when the buyer cancels it, then the points spent on it and the unit come back and its ledger nets to zero", async () => {
      const t = now().getTime();
      const item = await createMallItem(ctxOf(rt), operator.userId, {
        kind: "PRODUCT", title: "积分兑好物", pointsCost: 3_000, totalQuantity: 5, perUserLimit: 2,
        startsAt: new Date(t), endsAt: new Date(t + 7 * DAY), storeSlug: shop.store.slug, skuId: SKU(),
      });
      const c = await createConsumer(rt);
      await grant(c, 3_000);
      const stockBefore = await stockOf(SKU());
      const redemption = await redeemMallItem(ctxOf(rt), c.userId, { itemId: item.id, idempotencyKey: newIdempotencyKey(), addressId: c.addressId });
      expect(await pointsBalance(db(), c.userId)).toBe(0);

      const r = await cancelGql(c, redemption.orderId!);

      expect(r.errors).toEqual([]);
      expect((await orderRow(redemption.orderId!)).status).toBe("CANCELLED");
      expect(await pointsBalance(db(), c.userId)).toBe(3_000);
      expect(await stockOf(SKU())).toBe(stockBefore);
      await expectLedgerNetsToZero(redemption.orderId!);
    });

    it("given the last unit of a points-mall item redeemed by someone at their limit, when they cancel its order, then the item's counter and their count come back: they (or anyone) may redeem it again, and a second cancel gives nothing more", async () => {
      const t = now().getTime();
      const item = await createMallItem(ctxOf(rt), operator.userId, {
        kind: "PRODUCT", title: "限量兑换", pointsCost: 1_000, totalQuantity: 1, perUserLimit: 1,
        startsAt: new Date(t), endsAt: new Date(t + 7 * DAY), storeSlug: shop.store.slug, skuId: SKU(),
      });
      const c = await createConsumer(rt);
      const other = await createConsumer(rt);
      await grant(c, 2_000);
      await grant(other, 1_000);
      const first = await redeemMallItem(ctxOf(rt), c.userId, { itemId: item.id, idempotencyKey: newIdempotencyKey(), addressId: c.addressId });
      await expect(redeemMallItem(ctxOf(rt), other.userId, { itemId: item.id, idempotencyKey: newIdempotencyKey(), addressId: other.addressId })).rejects.toMatchObject({ code: "OUT_OF_STOCK" });
      expect(await redeemedCounts(db(), c.userId, [item.id])).toEqual(new Map([[item.id, 1]]));

      expect((await cancelGql(c, first.orderId!)).errors).toEqual([]);

      expect((await db().select().from(pointsMallItems).where(eq(pointsMallItems.id, item.id)))[0].redeemedCount).toBe(0);
      expect((await db().select().from(pointsRedemptions).where(eq(pointsRedemptions.id, first.id)))[0].returnedAt).toBeInstanceOf(Date);
      expect(await redeemedCounts(db(), c.userId, [item.id])).toEqual(new Map());
      expect((await cancelGql(c, first.orderId!)).errors).toEqual([expect.objectContaining({ code: "INVALID_STATE" })]);
      expect((await db().select().from(pointsMallItems).where(eq(pointsMallItems.id, item.id)))[0].redeemedCount).toBe(0);

      // The same person, at their limit before the cancel, may redeem it again; then it is gone for the other.
      const again = await redeemMallItem(ctxOf(rt), c.userId, { itemId: item.id, idempotencyKey: newIdempotencyKey(), addressId: c.addressId });
      expect((await orderRow(again.orderId!)).status).toBe("PAID");
      await expect(redeemMallItem(ctxOf(rt), other.userId, { itemId: item.id, idempotencyKey: newIdempotencyKey(), addressId: other.addressId })).rejects.toMatchObject({ code: "OUT_OF_STOCK" });
      expect(await pointsBalance(db(), c.userId)).toBe(1_000);
      expect(await pointsBalance(db(), other.userId)).toBe(1_000);
    });

    it("given a zero-cash order, when the buyer asks a refund instead, then NOT_REFUNDABLE points them to cancelling and nothing is written", async () => {
      const { c, orderId } = await pointsAndCouponOrder();
      const [line] = await db().select().from(orderLines).where(eq(orderLines.orderId, orderId));

      await expect(requestAfterSale(ctxOf(rt), c.userId, { orderId, lines: [{ orderLineId: line.id, amount: 1 }], reason: "不想要了", photoKeys: [] })).rejects.toMatchObject({
        code: "NOT_REFUNDABLE",
        field: "orderId",
        message: expect.stringContaining("取消订单"),
      });
      expect(await db().select().from(afterSales).where(eq(afterSales.orderId, orderId))).toEqual([]);
    });
  });

  describe("after a parcel shipped", () => {
    it("given a shipped zero-cash order, then a refund request is NOT_REFUNDABLE (积分兑换/全额抵扣订单发货后不支持退款), cancelling is INVALID_STATE, and nothing is written", async () => {
      const { c, held, orderId } = await pointsAndCouponOrder();
      await ship(orderId);
      const [line] = await db().select().from(orderLines).where(eq(orderLines.orderId, orderId));
      const entries = await entryCount(orderId);

      await expect(requestAfterSale(ctxOf(rt), c.userId, { orderId, lines: [{ orderLineId: line.id, amount: 1 }], reason: "不想要了", photoKeys: [] })).rejects.toMatchObject({
        code: "NOT_REFUNDABLE",
        message: "积分兑换/全额抵扣订单发货后不支持退款",
        field: "orderId",
      });
      const cancelled = await cancelGql(c, orderId);

      expect(cancelled).toEqual({ order: null, errors: [expect.objectContaining({ code: "INVALID_STATE" })] });
      expect(await db().select().from(afterSales).where(eq(afterSales.orderId, orderId))).toEqual([]);
      expect((await orderRow(orderId)).status).toBe("SHIPPED");
      expect(await entryCount(orderId)).toBe(entries);
      expect(await pointsBalance(db(), c.userId)).toBe(0);
      expect((await db().select().from(userCoupons).where(eq(userCoupons.id, held.id)))[0].status).toBe("USED");
    });

    // Moves the clock: last.
    it("given a received zero-cash order, when the return window passes, then it settles like any other order", async () => {
      const { c, orderId } = await pointsAndCouponOrder();
      await ship(orderId);
      await confirmReceipt(ctxOf(rt), c.userId, orderId);

      await rt.advanceClock(7 * DAY + 60_000);

      expect((await orderRow(orderId)).settledAt).toBeInstanceOf(Date);
    });
  });
});
