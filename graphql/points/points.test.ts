/**
 * Points (积分) through the real services and the real GraphQL schema, on PGlite or on the Postgres
 * server of DATABASE_URL: the append-only ledger and its one write path, spending at checkout (cap,
 * step, concurrency, returns on cancel, expiry and refunds), zero-cash orders, earning on settlement
 * and its reversal, the points mall (racing for the last item, per-person limit, idempotency, the
 * free product order and its ledger), expiry, and the operator's settings. Every test ends with
 * balance = Σ entries for everyone.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { and, asc, count, eq, sql } from "drizzle-orm";
import { auditLog, orderLines, orders, payments, pointsAccounts, pointsEntries, pointsRedemptions, shipments, userCoupons } from "@/db/schema";
import { createTestRuntime, gql, gqlOk, type TestRuntime } from "../test/harness";
import { createConsumer, createPerson, createShop, ctxOf, newIdempotencyKey, order, pay, shipmentsOf, type ConsumerFixture, type Person, type Shop } from "../test/fixtures";
import { refundCtxOf } from "../order/aftersale-fixtures";
import { refundGoodsNow } from "../order/aftersale.service";
import { cancelOrder, confirmReceipt, shipShipment } from "../order/fulfilment.service";
import { startPayment } from "../payment/payment.service";
import { orderPostings, unbalancedTransactions } from "../ledger/ledger.service";
import { MARKETING_SUBSIDY_ACCOUNT } from "../order/order.rules";
import { createPlatformCoupon } from "../marketing/coupon.service";
import { claimCoupon } from "../marketing/coupon.service";
import { adjustPoints, pointsBalance, postPoints, readPointsSettings, updatePointsSettings, verifyPoints } from "./points.service";
import { expirePointsOf } from "./points-expiry.service";
import { createMallItem, redeemMallItem } from "./points-mall.service";
import { DEFAULT_POINTS_SETTINGS, type PointsSettings } from "./points.rules";

const MIN = 60_000;
const DAY = 86_400_000;
const PRICE = 12_800;

const PREVIEW = `query($input: CheckoutPreviewInput!) {
  checkoutPreview(input: $input) {
    preview { totalAmount { amount } discountAmount { amount } pointsAvailable pointsMaxUsable pointsUsed pointsDiscount { amount } }
    errors { code message field }
  }
}`;
const PLACE = `mutation($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { id status pointsUsed totalAmount { amount } discountAmount { amount } } errors { code message field } }
}`;
const REDEEM = `mutation($input: RedeemPointsItemInput!) {
  redeemPointsItem(input: $input) { redemption { id points orderId userCouponId balance } errors { code message field } }
}`;
const MY_POINTS = `query { myPoints { balance expiringSoon expiringAt rateText earnText } myPointsEntries(first: 50) { nodes { kind kindText amount memo } } }`;
const SETTINGS = `mutation($input: PointsSettingsInput!) {
  updatePointsSettings(input: $input) { settings { enabled earnPerYuan spendPoints spendFen maxDeductBp expiryDays } errors { code message field } }
}`;

type Err = { code: string; message: string; field: string | null };

describe("points (积分)", () => {
  let rt: TestRuntime;
  let shop: Shop;
  let operator: Person;
  const db = () => rt.services.db;
  const now = () => rt.services.clock.now();
  const SKU = () => shop.product.skus[0].id;

  beforeAll(async () => {
    rt = await createTestRuntime();
    shop = await createShop(rt, [{ stock: 10_000, supplyPrice: 5_000, suggestedPrice: PRICE }]);
    expect(shop.prices).toEqual([PRICE]);
    operator = await createPerson(rt, { roles: ["OPERATOR"], login: `op-${randomBytes(3).toString("hex")}` });
  });
  afterEach(async () => {
    // The invariant after everything: every balance is the sum of its entries, the money ledger balances.
    expect(await verifyPoints(db())).toMatchObject({ ok: true });
    expect(await unbalancedTransactions(db())).toEqual([]);
  });
  afterAll(() => rt?.dispose());

  const setSettings = (over: Partial<PointsSettings>) => updatePointsSettings(ctxOf(rt), operator.userId, { ...DEFAULT_POINTS_SETTINGS, ...over });
  const grant = (c: ConsumerFixture, amount: number) => adjustPoints(ctxOf(rt), operator.userId, { phone: c.phone, amount, reason: "测试发放", requestId: newIdempotencyKey() });
  const entriesOf = (userId: string) => db().select().from(pointsEntries).where(eq(pointsEntries.userId, userId)).orderBy(asc(pointsEntries.createdAt), asc(pointsEntries.id));
  const kinds = async (userId: string) => (await entriesOf(userId)).map((e) => [e.kind, e.amount]);
  const orderRow = async (id: string) => (await db().select().from(orders).where(eq(orders.id, id)))[0];
  const place = (c: ConsumerFixture, extra: Record<string, unknown> = {}) =>
    gqlOk<{ placeOrder: { order: { id: string; status: string; pointsUsed: number; totalAmount: { amount: number } } | null; errors: Err[] } }>(rt, c.viewer, PLACE, {
      input: { storeSlug: shop.store.slug, addressId: c.addressId, idempotencyKey: newIdempotencyKey(), items: [{ skuId: SKU(), quantity: 1 }], ...extra },
    }).then((d) => d.placeOrder);

  describe("the ledger", () => {
    it("given an entry, when anyone tries to UPDATE or DELETE it, then the database refuses", async () => {
      const c = await createConsumer(rt);
      await grant(c, 10);
      const [e] = await entriesOf(c.userId);
      await expect(db().execute(sql`update points_entries set amount = 1000 where id = ${e.id}`)).rejects.toThrow();
      await expect(db().execute(sql`delete from points_entries where id = ${e.id}`)).rejects.toThrow();
      expect((await entriesOf(c.userId))[0].amount).toBe(10);
    });

    it("given a debit past the balance, then INSUFFICIENT_POINTS and nothing written; a repeated event is a no-op", async () => {
      const c = await createConsumer(rt);
      await grant(c, 100);
      const spend = (reference: string, amount: number) =>
        db().transaction((tx) => postPoints(tx, { userId: c.userId, kind: "SPEND", amount: -amount, reference, memo: "t", now: now() }));
      await expect(spend("r-too-much", 101)).rejects.toMatchObject({ code: "INSUFFICIENT_POINTS" });
      expect(await kinds(c.userId)).toEqual([["ADJUST", 100]]);
      expect(await spend("r-1", 60)).toBe(true);
      expect(await spend("r-1", 60)).toBe(false);
      expect(await pointsBalance(db(), c.userId)).toBe(40);
      // A broken balance is found.
      await db().update(pointsAccounts).set({ balance: 41 }).where(eq(pointsAccounts.userId, c.userId));
      expect((await verifyPoints(db(), c.userId)).mismatched).toEqual([{ userId: c.userId, balance: 41, entries: 40 }]);
      await db().update(pointsAccounts).set({ balance: 40 }).where(eq(pointsAccounts.userId, c.userId));
    });
  });

  describe("spending at checkout", () => {
    it("given 10000 points, then the preview offers 20% of ¥128 in whole ¥1 steps (2500 points) and the order spends them", async () => {
      const c = await createConsumer(rt);
      await grant(c, 10_000);
      const pv = await gqlOk(rt, c.viewer, PREVIEW, { input: { storeSlug: shop.store.slug, items: [{ skuId: SKU(), quantity: 1 }] } });
      expect(pv.checkoutPreview.preview).toMatchObject({ pointsAvailable: 10_000, pointsMaxUsable: 2_500, pointsUsed: 2_500, pointsDiscount: { amount: 2_500 }, totalAmount: { amount: PRICE - 2_500 } });
      const off = await gqlOk(rt, c.viewer, PREVIEW, { input: { storeSlug: shop.store.slug, items: [{ skuId: SKU(), quantity: 1 }], pointsToUse: 0 } });
      expect(off.checkoutPreview.preview).toMatchObject({ pointsUsed: 0, totalAmount: { amount: PRICE } });
      const placed = await place(c, { pointsToUse: 1_234, expectedTotal: PRICE - 1_200 });
      expect(placed.errors).toEqual([]);
      expect(placed.order).toMatchObject({ pointsUsed: 1_200, totalAmount: { amount: PRICE - 1_200 } });
      const row = await orderRow(placed.order!.id);
      expect(row).toMatchObject({ pointsUsed: 1_200, platformDiscountAmount: 1_200, discountAmount: 1_200 });
      expect(await kinds(c.userId)).toEqual([["ADJUST", 10_000], ["SPEND", -1_200]]);
    });

    it("given a negative request, then INVALID_POINTS on pointsToUse and no order", async () => {
      const c = await createConsumer(rt);
      const placed = await place(c, { pointsToUse: -1 });
      expect(placed.errors).toEqual([{ code: "INVALID_POINTS", message: "积分数量无效", field: "pointsToUse" }]);
      expect(await db().select().from(orders).where(eq(orders.userId, c.userId))).toEqual([]);
    });

    // Each buyer confirms the total they saw (2,000 points off). Which refusal a loser gets depends on
    // when it was priced: before the winners committed, its debit fails at the account lock
    // (INSUFFICIENT_POINTS); after, its quote can use only the 1,000 left and the total it confirmed
    // no longer holds (PRICE_CHANGED). Without a confirmed total such a late order is placed with
    // the 1,000 points left, as a request above the balance is clamped — which made this test depend
    // on timing when it expected INSUFFICIENT_POINTS for both.
    it("given 5000 points and four orders of 2000 at once, then exactly two are placed and the rest are refused (INSUFFICIENT_POINTS or PRICE_CHANGED) with nothing spent", async () => {
      const c = await createConsumer(rt);
      await grant(c, 5_000);
      const results = await Promise.all([1, 2, 3, 4].map(() => place(c, { pointsToUse: 2_000, expectedTotal: PRICE - 2_000 })));
      const placed = results.filter((r) => r.order);
      expect(placed).toHaveLength(2);
      expect(placed.map((r) => r.order!.pointsUsed)).toEqual([2_000, 2_000]);
      const refused = results.filter((r) => !r.order).map((r) => r.errors[0]?.code);
      expect(refused).toHaveLength(2);
      expect(refused.every((code) => code === "INSUFFICIENT_POINTS" || code === "PRICE_CHANGED")).toBe(true);
      expect(await pointsBalance(db(), c.userId)).toBe(1_000);
      expect(await db().select().from(orders).where(eq(orders.userId, c.userId))).toHaveLength(2);
    });

    it("given 1000 points left, when an order asks for 2000 with the total the buyer saw for 2000, then PRICE_CHANGED and nothing is spent; without that total, it uses the 1000", async () => {
      const c = await createConsumer(rt);
      await grant(c, 5_000);
      for (let i = 0; i < 2; i++) expect((await place(c, { pointsToUse: 2_000, expectedTotal: PRICE - 2_000 })).order?.pointsUsed).toBe(2_000);

      const late = await place(c, { pointsToUse: 2_000, expectedTotal: PRICE - 2_000 });
      expect(late).toMatchObject({ order: null, errors: [{ code: "PRICE_CHANGED", field: "expectedTotal" }] });
      expect(await pointsBalance(db(), c.userId)).toBe(1_000);
      expect(await db().select().from(orders).where(eq(orders.userId, c.userId))).toHaveLength(2);

      const clamped = await place(c, { pointsToUse: 2_000 });
      expect(clamped.order).toMatchObject({ pointsUsed: 1_000, totalAmount: { amount: PRICE - 1_000 } });
      expect(await pointsBalance(db(), c.userId)).toBe(0);
    });

    it("given orders with points, when one is cancelled and one expires unpaid, then each gets its points back once", async () => {
      const c = await createConsumer(rt);
      await grant(c, 5_000);
      const a = (await place(c, { pointsToUse: 1_000 })).order!;
      const b = (await place(c, { pointsToUse: 2_000 })).order!;
      await cancelOrder(ctxOf(rt), c.userId, a.id);
      expect(await pointsBalance(db(), c.userId)).toBe(3_000);
      await rt.advanceClock(16 * MIN);
      expect((await orderRow(b.id)).status).toBe("CANCELLED");
      expect(await pointsBalance(db(), c.userId)).toBe(5_000);
      expect((await kinds(c.userId)).filter(([k]) => k === "SPEND_RETURN")).toEqual([["SPEND_RETURN", 1_000], ["SPEND_RETURN", 2_000]]);
    });

    it("given a paid order with points, when it is refunded in two parts, then points come back pro rata and never more than spent", async () => {
      const c = await createConsumer(rt);
      await grant(c, 2_500);
      const o = (await place(c, {})).order!;
      expect(o.pointsUsed).toBe(2_500);
      await pay(rt, c, o.id);
      const [line] = await db().select().from(orderLines).where(eq(orderLines.orderId, o.id));
      expect(line.paidAmount).toBe(PRICE - 2_500);
      await refundGoodsNow(refundCtxOf(rt), o.id, [{ orderLineId: line.id, amount: 5_150 }]);
      expect(await pointsBalance(db(), c.userId)).toBe(1_250);
      await refundGoodsNow(refundCtxOf(rt), o.id, [{ orderLineId: line.id, amount: line.paidAmount - 5_150 }]);
      expect(await pointsBalance(db(), c.userId)).toBe(2_500);
      const returned = (await entriesOf(c.userId)).filter((e) => e.kind === "SPEND_RETURN").reduce((s, e) => s + e.amount, 0);
      expect(returned).toBe(2_500);
      expect((await orderRow(o.id)).status).toBe("CANCELLED");
    });
  });

  describe("zero-cash orders", () => {
    it("given points may cover 100% at 1 point = 1 fen, when the points cover the whole order, then it is paid at once without a provider and the ledger books the subsidy", async () => {
      await setSettings({ maxDeductBp: 10_000, spendRate: { points: 1, fen: 1 } });
      try {
        const c = await createConsumer(rt);
        await grant(c, PRICE);
        const placed = await place(c, { expectedTotal: 0 });
        expect(placed.errors).toEqual([]);
        expect(placed.order).toMatchObject({ status: "PAID", pointsUsed: PRICE, totalAmount: { amount: 0 } });
        const [payment] = await db().select().from(payments).where(eq(payments.orderId, placed.order!.id));
        expect(payment).toMatchObject({ provider: "none", amount: 0, status: "SUCCEEDED" });
        expect(await shipmentsOf(rt, placed.order!.id)).toHaveLength(1);
        const postings = await orderPostings(db(), placed.order!.id);
        expect(postings.find((p) => p.account === MARKETING_SUBSIDY_ACCOUNT)?.amount).toBe(PRICE);
        expect(postings.some((p) => p.account.startsWith("provider:"))).toBe(false);
        // Nothing is left to pay through a provider.
        await expect(startPayment(ctxOf(rt), c.userId, placed.order!.id, rt.sandbox)).rejects.toMatchObject({ code: "NOT_PAYABLE" });
      } finally {
        await setSettings({});
      }
    });
  });

  describe("earning", () => {
    async function receivedOrder(c: ConsumerFixture) {
      const o = await order(rt, c, shop.store, [{ skuId: SKU(), quantity: 1 }], { pointsToUse: 0 });
      await pay(rt, c, o.id);
      const [s] = await shipmentsOf(rt, o.id);
      await shipShipment(ctxOf(rt), shop.supplier.supplierId, { shipmentId: s.id, carrier: "顺丰速运", trackingNo: `SF${randomBytes(5).toString("hex")}` });
      await confirmReceipt(ctxOf(rt), c.userId, o.id);
      const [line] = await db().select().from(orderLines).where(eq(orderLines.orderId, o.id));
      return { orderId: o.id, line };
    }

    // The clock only moves forward: these come last but one.
    it("given orders refunded before and after settlement, then settlement earns on the cash kept and a later refund takes back pro rata, never below zero", async () => {
      const kept = await createConsumer(rt);
      const early = await createConsumer(rt);
      const late = await createConsumer(rt);
      const spentIt = await createConsumer(rt);
      const a = await receivedOrder(kept);
      const b = await receivedOrder(early);
      const cc = await receivedOrder(late);
      const d = await receivedOrder(spentIt);
      await refundGoodsNow(refundCtxOf(rt), b.orderId, [{ orderLineId: b.line.id, amount: 2_800 }]);

      await rt.advanceClock(7 * DAY + MIN);

      expect((await orderRow(a.orderId)).settledAt).toBeInstanceOf(Date);
      expect(await kinds(kept.userId)).toEqual([["EARN", 128]]);
      expect(await kinds(early.userId)).toEqual([["EARN", 100]]);
      const [earn] = await entriesOf(kept.userId);
      expect(earn.expiresAt!.getTime() - earn.createdAt.getTime()).toBe(365 * DAY);

      // A platform-arbitrated refund after settlement takes back half of what was earned.
      await refundGoodsNow(refundCtxOf(rt), cc.orderId, [{ orderLineId: cc.line.id, amount: 6_400 }], { overrideWindow: true });
      expect(await kinds(late.userId)).toEqual([["EARN", 128], ["EARN_REVERSAL", -64]]);
      // The points were spent already: what is there is taken, the shortfall is written down.
      await db().transaction((tx) => postPoints(tx, { userId: spentIt.userId, kind: "SPEND", amount: -100, reference: `test-${spentIt.userId}`, memo: "t", now: now() }));
      await refundGoodsNow(refundCtxOf(rt), d.orderId, [{ orderLineId: d.line.id, amount: PRICE }], { overrideWindow: true });
      const entries = await entriesOf(spentIt.userId);
      expect(entries.map((e) => [e.kind, e.amount])).toEqual([["EARN", 128], ["SPEND", -100], ["EARN_REVERSAL", -28]]);
      expect(entries[2].memo).toContain("应扣 128");
      expect(await pointsBalance(db(), spentIt.userId)).toBe(0);
    });
  });

  describe("the points mall", () => {
    async function couponItem(over: { totalQuantity?: number; perUserLimit?: number; pointsCost?: number } = {}) {
      const t = now().getTime();
      const coupon = await createPlatformCoupon(ctxOf(rt), operator.userId, {
        title: "平台无门槛5元",
        kind: "NO_THRESHOLD",
        thresholdFen: 0,
        amountFen: 500,
        percentBp: 0,
        capFen: null,
        productIds: null,
        totalQuantity: 1_000,
        perUserLimit: 10,
        claimStartsAt: new Date(t),
        claimEndsAt: new Date(t + 30 * DAY),
        usableUntil: new Date(t + 60 * DAY),
        welcome: false,
      });
      const item = await createMallItem(ctxOf(rt), operator.userId, {
        kind: "COUPON",
        title: "5元无门槛券",
        pointsCost: over.pointsCost ?? 500,
        totalQuantity: over.totalQuantity ?? 100,
        perUserLimit: over.perUserLimit ?? 1,
        startsAt: new Date(t),
        endsAt: new Date(t + 7 * DAY),
        couponId: coupon.id,
      });
      return { coupon, item };
    }
    const redeemGql = (c: ConsumerFixture, input: Record<string, unknown>) =>
      gqlOk<{ redeemPointsItem: { redemption: { id: string; points: number; orderId: string | null; userCouponId: string | null; balance: number } | null; errors: Err[] } }>(rt, c.viewer, REDEEM, {
        input: { idempotencyKey: newIdempotencyKey(), ...input },
      }).then((d) => d.redeemPointsItem);

    it("given one item left and five people racing for it, then exactly one gets it and the others OUT_OF_STOCK with their points untouched", async () => {
      const { item } = await couponItem({ totalQuantity: 1 });
      const people = await Promise.all([1, 2, 3, 4, 5].map(() => createConsumer(rt)));
      for (const p of people) await grant(p, 1_000);
      const results = await Promise.all(people.map((p) => redeemGql(p, { itemId: item.id })));
      expect(results.filter((r) => r.redemption)).toHaveLength(1);
      expect(results.filter((r) => r.errors[0]?.code === "OUT_OF_STOCK")).toHaveLength(4);
      const balances = await Promise.all(people.map((p) => pointsBalance(db(), p.userId)));
      expect(balances.sort()).toEqual([1_000, 1_000, 1_000, 1_000, 500]);
      expect(Number((await db().select({ n: count() }).from(pointsRedemptions).where(eq(pointsRedemptions.itemId, item.id)))[0].n)).toBe(1);
    });

    it("given a limit of one per person, then a second redemption is LIMIT_REACHED, a retry with the same key returns the first, and the coupon is held from the mall only", async () => {
      const { item, coupon } = await couponItem({ perUserLimit: 1 });
      const c = await createConsumer(rt);
      await grant(c, 2_000);
      const key = newIdempotencyKey();
      const first = await redeemGql(c, { itemId: item.id, idempotencyKey: key });
      expect(first.errors).toEqual([]);
      expect(first.redemption).toMatchObject({ points: 500, balance: 1_500 });
      const again = await redeemGql(c, { itemId: item.id, idempotencyKey: key });
      expect(again.redemption!.id).toBe(first.redemption!.id);
      const twice = await Promise.all([redeemGql(c, { itemId: item.id }), redeemGql(c, { itemId: item.id })]);
      expect(twice.map((r) => r.errors[0]?.code)).toEqual(["LIMIT_REACHED", "LIMIT_REACHED"]);
      expect(await pointsBalance(db(), c.userId)).toBe(1_500);
      const held = await db().select().from(userCoupons).where(eq(userCoupons.userId, c.userId));
      expect(held.map((h) => [h.couponId, h.source])).toEqual([[coupon.id, "POINTS_MALL"]]);
      // Sold for points: not claimable for free.
      await expect(claimCoupon(ctxOf(rt), c.userId, coupon.id)).rejects.toMatchObject({ code: "NOT_CLAIMABLE" });
      // Not enough points, a bad key: typed errors, nothing written.
      const poor = await createConsumer(rt);
      const { item: dear } = await couponItem({ pointsCost: 10_000 });
      expect((await redeemGql(poor, { itemId: dear.id })).errors[0].code).toBe("INSUFFICIENT_POINTS");
      expect((await redeemGql(poor, { itemId: dear.id, idempotencyKey: "x" })).errors[0].code).toBe("INVALID_IDEMPOTENCY_KEY");
      expect(await db().select().from(pointsRedemptions).where(eq(pointsRedemptions.userId, poor.userId))).toEqual([]);
      expect(await db().select().from(userCoupons).where(eq(userCoupons.userId, poor.userId))).toEqual([]);
    });

    it("given a product item, when redeemed, then a free-shipping order is paid at once with the goods booked as the platform's subsidy", async () => {
      const t = now().getTime();
      const item = await createMallItem(ctxOf(rt), operator.userId, {
        kind: "PRODUCT",
        title: "积分兑好物",
        pointsCost: 3_000,
        totalQuantity: 5,
        perUserLimit: 2,
        startsAt: new Date(t),
        endsAt: new Date(t + 7 * DAY),
        storeSlug: shop.store.slug,
        skuId: SKU(),
      });
      const c = await createConsumer(rt);
      await grant(c, 3_000);
      expect((await redeemGql(c, { itemId: item.id })).errors[0].code).toBe("ADDRESS_NOT_FOUND");
      const r = await redeemGql(c, { itemId: item.id, addressId: c.addressId });
      expect(r.errors).toEqual([]);
      const o = await orderRow(r.redemption!.orderId!);
      expect(o).toMatchObject({ status: "PAID", channel: "POINTS", totalAmount: 0, freightAmount: 0, goodsAmount: PRICE, platformDiscountAmount: PRICE, pointsUsed: 3_000 });
      const [s] = await shipmentsOf(rt, o.id);
      expect(s.freightAmount).toBe(0);
      const postings = await orderPostings(db(), o.id);
      expect(postings.find((p) => p.account === MARKETING_SUBSIDY_ACCOUNT)?.amount).toBe(PRICE);
      expect(postings.find((p) => p.account === `supplier:${shop.supplier.supplierId}:payable`)?.amount).toBe(-5_000);
      expect(await kinds(c.userId)).toEqual([["ADJUST", 3_000], ["REDEEM", -3_000]]);
    });
  });

  describe("operator settings", () => {
    it("given invalid rates, then typed errors and nothing saved; valid ones are saved and audit-logged", async () => {
      const input = { enabled: true, earnPerYuan: 2, spendPoints: 100, spendFen: 100, maxDeductBp: 3_000, expiryDays: 365 };
      const bad = await gqlOk(rt, operator.viewer, SETTINGS, { input: { ...input, maxDeductBp: 20_000 } });
      expect(bad.updatePointsSettings).toMatchObject({ settings: null, errors: [{ code: "INVALID_CAP", field: "maxDeductBp" }] });
      expect((await readPointsSettings(db())).maxDeductBp).toBe(DEFAULT_POINTS_SETTINGS.maxDeductBp);
      const good = await gqlOk(rt, operator.viewer, SETTINGS, { input });
      expect(good.updatePointsSettings.settings).toEqual(input);
      const logged = await db().select().from(auditLog).where(and(eq(auditLog.action, "points.settings"), eq(auditLog.actorUserId, operator.userId)));
      expect(logged.length).toBeGreaterThan(0);
      await setSettings({});
      // Consumers cannot.
      const c = await createConsumer(rt);
      expect((await gql(rt, c.viewer, SETTINGS, { input })).errors[0].extensions?.code).toBe("FORBIDDEN");
    });
  });

  describe("expiry", () => {
    // Moves the clock a year: last.
    it("given points earned a year ago and partly spent, when the daily job runs (and again), then the rest expires once", async () => {
      const c = await createConsumer(rt);
      await grant(c, 1_000);
      await db().transaction((tx) => postPoints(tx, { userId: c.userId, kind: "SPEND", amount: -300, reference: `t-${c.userId}`, memo: "t", now: now() }));
      const soon = await gqlOk(rt, c.viewer, MY_POINTS);
      expect(soon.myPoints).toMatchObject({ balance: 700, expiringSoon: 0 });
      await rt.advanceClock(340 * DAY);
      expect((await gqlOk(rt, c.viewer, MY_POINTS)).myPoints).toMatchObject({ balance: 700, expiringSoon: 700 });
      await rt.advanceClock(26 * DAY);
      expect(await kinds(c.userId)).toEqual([["ADJUST", 1_000], ["SPEND", -300], ["EXPIRE", -700]]);
      expect(await db().transaction((tx) => expirePointsOf(tx, c.userId, now()))).toBe(0);
      expect(await kinds(c.userId)).toHaveLength(3);
      const page = await gqlOk(rt, c.viewer, MY_POINTS);
      expect(page.myPoints.balance).toBe(0);
      expect(page.myPointsEntries.nodes.map((n: { kindText: string }) => n.kindText)).toEqual(["积分过期", "下单抵扣", "平台调整"]);
    });
  });
});
