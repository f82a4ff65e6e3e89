/**
 * Platform coupons (平台券) through the real services and GraphQL schema: the operator issues and
 * stops them (audited; others are refused), consumers claim them in any store's coupon centre, a
 * store coupon and a platform coupon stack on one order (store first), the platform funds its
 * coupon in the ledger (the merchant is settled as if it were cash), a refund takes the subsidy
 * back, the listing floor binds only store coupons, and 邀请有礼 gives platform welcome coupons.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, count, eq } from "drizzle-orm";
import { auditLog, coupons, orderLines, orders, refunds, skus, userCoupons } from "@/db/schema";
import { createTestRuntime, gql, gqlOk, type TestRuntime } from "../test/harness";
import { createConsumer, createPerson, createProductFixture, createShop, ctxOf, listInStore, newIdempotencyKey, newPhone, pay, shipmentsOf, type ConsumerFixture, type Person, type Shop } from "../test/fixtures";
import { ledgerByAccount, refundCtxOf } from "../order/aftersale-fixtures";
import { decideAfterSale, requestAfterSale } from "../order/aftersale.service";
import { shipShipment } from "../order/fulfilment.service";
import { freightFor, MARKETING_SUBSIDY_ACCOUNT } from "../order/order.rules";
import { latestOutboxMessage, requestSmsCode, signInWithSms } from "../identity/identity.service";
import { ensureMember } from "../referral/binding.service";
import { unbalancedTransactions } from "../ledger/ledger.service";
import { readEconomics } from "../platform/settings";
import { bpFloor } from "../platform/money";
import { minimumRetailPrice } from "../store/store.rules";
import { claimCoupon, createPlatformCoupon, createStoreCoupon, type CouponInput } from "./coupon.service";

const DAY = 86_400_000;
const PRICE = 12_800;
const CANCEL = `mutation($input: OrderIdInput!) { cancelOrder(input: $input) { order { id status } errors { code message field } } }`;
const SUPPLY = 5_000;

const CREATE = `mutation($input: CreateCouponInput!) { createPlatformCoupon(input: $input) { coupon { id title face scopeText issuer totalQuantity claimed used disabled } errors { code message field } } }`;
const DISABLE_PLATFORM = `mutation($id: ID!) { disablePlatformCoupon(couponId: $id) { coupon { id disabled } errors { code message field } } }`;
const DISABLE_STORE = `mutation($id: ID!) { disableCoupon(couponId: $id) { coupon { id disabled } errors { code message field } } }`;
const LIST = `query { platformCoupons(first: 50) { nodes { id claimed used disabled } } }`;
const SHOP_COUPONS = `query($s: String!) { shopCoupons(storeSlug: $s) { id issuer scopeText } }`;
const CLAIM = `mutation($id: ID!) { claimCoupon(couponId: $id) { coupon { id } errors { code message field } } }`;
const PREVIEW = `query($input: CheckoutPreviewInput!) { checkoutPreview(input: $input) {
  preview { discountAmount { amount } totalAmount { amount } coupons { id issuer applied discount { amount } reason } }
  errors { code message field } } }`;
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } errors { code message field } } }`;

describe("platform coupons (平台券)", () => {
  let rt: TestRuntime;
  let shop: Shop;
  let operator: Person;
  let floor: number;
  let feeBp: number;
  const db = () => rt.services.db;
  const now = () => rt.services.clock.now();
  const SKU = () => shop.product.skus[0].id;

  beforeAll(async () => {
    rt = await createTestRuntime();
    shop = await createShop(rt, [{ stock: 10_000, supplyPrice: SUPPLY, suggestedPrice: PRICE }]);
    expect(shop.prices).toEqual([PRICE]);
    operator = await createPerson(rt, { roles: ["OPERATOR"], login: `op-${Date.now()}` });
    const economics = await readEconomics(db(), now());
    floor = minimumRetailPrice(SUPPLY, economics);
    feeBp = economics.platformFeeBp;
  });
  afterAll(() => rt?.dispose());

  const draft = (over: Partial<CouponInput> = {}): CouponInput => {
    const t = now().getTime();
    return {
      title: "平台满100减30",
      kind: "THRESHOLD",
      thresholdFen: 10_000,
      amountFen: 3_000,
      percentBp: 0,
      capFen: null,
      productIds: null,
      totalQuantity: 1_000,
      perUserLimit: 5,
      // Half a minute back: the rule accepts a start up to a minute before the request's now, so this stays valid
      // whether the request's clock reads a little earlier or later than this draft's (a full minute back failed
      // whenever a millisecond passed between the draft and the request).
      claimStartsAt: new Date(t - 30_000),
      claimEndsAt: new Date(t + 7 * DAY),
      usableUntil: new Date(t + 30 * DAY),
      welcome: false,
      ...over,
    };
  };
  const gqlInput = (over: Record<string, unknown> = {}) => {
    const d = draft();
    return { ...d, productIds: undefined, claimStartsAt: d.claimStartsAt.toISOString(), claimEndsAt: d.claimEndsAt.toISOString(), usableUntil: d.usableUntil.toISOString(), ...over };
  };
  const platformCoupon = (over: Partial<CouponInput> = {}) => createPlatformCoupon(ctxOf(rt), operator.userId, draft(over));
  const storeCoupon = (over: Partial<CouponInput> = {}) => createStoreCoupon(ctxOf(rt), shop.store.storeId, shop.store.userId, draft({ title: "店铺满100减20", amountFen: 2_000, ...over }));
  const couponCount = async () => Number((await db().select({ n: count() }).from(coupons)).at(0)!.n);
  const preview = (buyer: ConsumerFixture, couponIds?: string[]) =>
    gqlOk<any>(rt, buyer.viewer, PREVIEW, { input: { storeSlug: shop.store.slug, items: [{ skuId: SKU(), quantity: 1 }], ...(couponIds ? { couponIds } : {}) } }).then((d) => d.checkoutPreview);
  const place = (buyer: ConsumerFixture, couponIds?: string[]) =>
    gqlOk<any>(rt, buyer.viewer, PLACE, {
      input: { storeSlug: shop.store.slug, addressId: buyer.addressId, idempotencyKey: newIdempotencyKey(), items: [{ skuId: SKU(), quantity: 1 }], ...(couponIds ? { couponIds } : {}) },
    }).then((d) => d.placeOrder);
  const lineOf = async (orderId: string) => (await db().select().from(orderLines).where(eq(orderLines.orderId, orderId)).orderBy(asc(orderLines.lineNo)))[0];
  const orderRow = async (orderId: string) => (await db().select().from(orders).where(eq(orders.id, orderId)))[0];

  describe("issuing and stopping", () => {
    it("given the operator, when they issue a platform coupon, then it is PLATFORM, has no store, reads 平台券 · 全平台通用, and the issue is audited", async () => {
      const r = await gqlOk<any>(rt, operator.viewer, CREATE, { input: gqlInput() });

      expect(r.createPlatformCoupon.errors).toEqual([]);
      expect(r.createPlatformCoupon.coupon).toMatchObject({ issuer: "PLATFORM", face: "满100减30", scopeText: "平台券 · 全平台通用", claimed: 0, used: 0, disabled: false });
      const id = r.createPlatformCoupon.coupon.id;
      expect((await db().select().from(coupons).where(eq(coupons.id, id)))[0]).toMatchObject({ issuer: "PLATFORM", storeId: null, createdBy: operator.userId });
      expect(await db().select({ action: auditLog.action, actor: auditLog.actorUserId }).from(auditLog).where(eq(auditLog.subjectId, id))).toEqual([{ action: "coupon.create", actor: operator.userId }]);
    });

    it.each<[string, string, Record<string, unknown>]>([
      ["a 满减 whose amount is not below its threshold", "INVALID_VALUE", { thresholdFen: 3_000, amountFen: 3_000 }],
      ["a product that does not exist", "PRODUCT_NOT_LISTED", { productIds: ["00000000-0000-4000-8000-000000000000"] }],
      ["no coupons to give", "INVALID_QUANTITY", { totalQuantity: 0 }],
    ])("given %s, then %s and nothing (not even an audit row) is written", async (_, code, over) => {
      const before = [await couponCount(), (await db().select().from(auditLog)).length];

      const r = await gqlOk<any>(rt, operator.viewer, CREATE, { input: gqlInput(over) });

      expect(r.createPlatformCoupon).toEqual({ coupon: null, errors: [expect.objectContaining({ code })] });
      expect([await couponCount(), (await db().select().from(auditLog)).length]).toEqual(before);
    });

    it("given a merchant or a consumer, when they try to issue or stop a platform coupon, then FORBIDDEN and nothing changes", async () => {
      const coupon = await platformCoupon();
      const before = await couponCount();

      for (const viewer of [shop.store.viewer, shop.consumer.viewer]) {
        const issued = await gql<any>(rt, viewer, CREATE, { input: gqlInput() });
        const stopped = await gql<any>(rt, viewer, DISABLE_PLATFORM, { id: coupon.id });
        expect(issued.errors.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
        expect(stopped.errors.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
      }
      expect(await couponCount()).toBe(before);
      expect((await db().select().from(coupons).where(eq(coupons.id, coupon.id)))[0].disabledAt).toBeNull();
    });

    it("given a merchant, when they try to stop a platform coupon through their own mutation, then COUPON_NOT_FOUND and it stays claimable", async () => {
      const coupon = await platformCoupon();

      const r = await gqlOk<any>(rt, shop.store.viewer, DISABLE_STORE, { id: coupon.id });

      expect(r.disableCoupon).toEqual({ coupon: null, errors: [expect.objectContaining({ code: "COUPON_NOT_FOUND", field: "couponId" })] });
      expect((await db().select().from(coupons).where(eq(coupons.id, coupon.id)))[0].disabledAt).toBeNull();
    });

    it("given a stopped platform coupon, then it leaves the coupon centre and cannot be claimed, but one already held stays usable at checkout", async () => {
      const coupon = await platformCoupon({ title: "即将停发" });
      const holder = await createConsumer(rt);
      const held = await claimCoupon(ctxOf(rt), holder.userId, coupon.id);

      const stopped = await gqlOk<any>(rt, operator.viewer, DISABLE_PLATFORM, { id: coupon.id });

      expect(stopped.disablePlatformCoupon).toEqual({ coupon: { id: coupon.id, disabled: true }, errors: [] });
      const centre = await gqlOk<any>(rt, null, SHOP_COUPONS, { s: shop.store.slug });
      expect(centre.shopCoupons.map((c: { id: string }) => c.id)).not.toContain(coupon.id);
      const late = await gqlOk<any>(rt, (await createConsumer(rt)).viewer, CLAIM, { id: coupon.id });
      expect(late.claimCoupon).toEqual({ coupon: null, errors: [expect.objectContaining({ code: "NOT_CLAIMABLE" })] });
      const p = await preview(holder);
      expect(p.preview.coupons).toContainEqual(expect.objectContaining({ id: held.id, issuer: "PLATFORM", applied: true }));
      expect(await db().select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.subjectId, coupon.id))).toEqual(
        expect.arrayContaining([{ action: "coupon.create" }, { action: "coupon.disable" }]),
      );
    });
  });

  describe("claiming and checkout", () => {
    it("given a platform coupon, then every store's coupon centre offers it after the store's own, marked as a platform coupon", async () => {
      const own = await storeCoupon({ title: "本店券" });
      const platform = await platformCoupon({ title: "平台通用券" });
      const elsewhere = await createShop(rt, [{ stock: 5 }]);

      const here = (await gqlOk<any>(rt, null, SHOP_COUPONS, { s: shop.store.slug })).shopCoupons as { id: string; issuer: string }[];
      const there = (await gqlOk<any>(rt, null, SHOP_COUPONS, { s: elsewhere.store.slug })).shopCoupons as { id: string; issuer: string }[];

      const ids = here.map((c) => c.id);
      expect(ids).toContain(own.id);
      expect(ids.indexOf(own.id)).toBeLessThan(ids.indexOf(platform.id));
      expect(here.find((c) => c.id === platform.id)).toEqual({ id: platform.id, issuer: "PLATFORM", scopeText: "平台券 · 全平台通用" });
      expect(there.map((c) => c.id)).toContain(platform.id);
      expect(there.map((c) => c.id)).not.toContain(own.id);
    });

    it("given a store 满100减20 and a platform 满100减30, then both are preselected (store first), the platform part is recorded as platform-funded, and the platform pays it in the ledger", async () => {
      const buyer = await createConsumer(rt);
      const store = await claimCoupon(ctxOf(rt), buyer.userId, (await storeCoupon()).id);
      const platform = await claimCoupon(ctxOf(rt), buyer.userId, (await platformCoupon()).id);
      const freight = freightFor(PRICE);

      const p = await preview(buyer);
      expect(p.errors).toEqual([]);
      expect(p.preview.discountAmount.amount).toBe(5_000);
      expect(p.preview.totalAmount.amount).toBe(PRICE - 5_000 + freight);
      expect(p.preview.coupons).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: store.id, issuer: "STORE", applied: true, discount: { amount: 2_000 } }),
          expect.objectContaining({ id: platform.id, issuer: "PLATFORM", applied: true, discount: { amount: 3_000 } }),
        ]),
      );

      const placed = await place(buyer);
      expect(placed.errors).toEqual([]);
      const orderId = placed.order.id;
      expect(await orderRow(orderId)).toMatchObject({ discountAmount: 5_000, platformDiscountAmount: 3_000, totalAmount: PRICE - 5_000 + freight });
      expect(await lineOf(orderId)).toMatchObject({ paidAmount: PRICE - 5_000, discountAmount: 5_000, platformDiscountAmount: 3_000 });
      expect((await db().select().from(userCoupons).where(eq(userCoupons.orderId, orderId))).map((u) => u.id).sort()).toEqual([store.id, platform.id].sort());

      await pay(rt, buyer, orderId);

      const { sums } = await ledgerByAccount(rt, orderId);
      const gross = PRICE - 2_000; // what the merchant sells for after its own coupon; the platform's 30 is paid as cash
      expect(sums[MARKETING_SUBSIDY_ACCOUNT]).toBe(3_000);
      expect(sums["provider:sandbox:clearing"]).toBe(PRICE - 5_000 + freight);
      expect(sums["platform:fee"]).toBe(-bpFloor(gross, feeBp));
      expect(sums[`merchant:${shop.store.storeId}:payable`]).toBe(-(gross - SUPPLY - bpFloor(gross, feeBp)));
      expect(await unbalancedTransactions(db())).toEqual([]);
    });

    it("given a paid order with a platform coupon, when it is refunded in full before shipping, then the coupon comes back and the subsidy, fee and merchant payable all return to zero", async () => {
      const buyer = await createConsumer(rt);
      const held = await claimCoupon(ctxOf(rt), buyer.userId, (await platformCoupon({ amountFen: 4_000, thresholdFen: 9_900 })).id);
      const placed = await place(buyer, [held.id]);
      expect(placed.errors).toEqual([]);
      await pay(rt, buyer, placed.order.id);
      const line = await lineOf(placed.order.id);
      expect(line).toMatchObject({ paidAmount: PRICE - 4_000, platformDiscountAmount: 4_000 });

      const asked = await requestAfterSale(ctxOf(rt), buyer.userId, { orderId: placed.order.id, lines: [{ orderLineId: line.id, amount: PRICE - 4_000 }], reason: "不想要了", photoKeys: [] });
      const decided = await decideAfterSale(refundCtxOf(rt), shop.store.storeId, { afterSaleId: asked.id, approve: true }, shop.store.userId);

      expect(decided.status).toBe("REFUNDED");
      expect((await orderRow(placed.order.id)).status).toBe("CANCELLED");
      expect((await db().select().from(userCoupons).where(eq(userCoupons.id, held.id)))[0]).toMatchObject({ status: "AVAILABLE", orderId: null });
      const { sums } = await ledgerByAccount(rt, placed.order.id);
      for (const account of [MARKETING_SUBSIDY_ACCOUNT, "platform:fee", `merchant:${shop.store.storeId}:payable`, `supplier:${shop.supplier.supplierId}:payable`, "provider:sandbox:clearing"]) {
        expect([account, sums[account] ?? 0]).toEqual([account, 0]);
      }
      expect(await unbalancedTransactions(db())).toEqual([]);
    });

    it("given a paid order with a platform coupon, when half is refunded, then half the subsidy comes back from the merchant", async () => {
      const buyer = await createConsumer(rt);
      const held = await claimCoupon(ctxOf(rt), buyer.userId, (await platformCoupon({ amountFen: 2_800, thresholdFen: 9_900 })).id);
      const placed = await place(buyer, [held.id]);
      await pay(rt, buyer, placed.order.id);
      const line = await lineOf(placed.order.id);
      const paid = Number(line.paidAmount);
      expect(paid).toBe(10_000);

      const asked = await requestAfterSale(ctxOf(rt), buyer.userId, { orderId: placed.order.id, lines: [{ orderLineId: line.id, amount: paid / 2 }], reason: "少件", photoKeys: [] });
      await decideAfterSale(refundCtxOf(rt), shop.store.storeId, { afterSaleId: asked.id, approve: true }, shop.store.userId);

      expect((await ledgerByAccount(rt, placed.order.id)).sums[MARKETING_SUBSIDY_ACCOUNT]).toBe(1_400);
      expect((await db().select().from(userCoupons).where(eq(userCoupons.id, held.id)))[0].status).toBe("USED");
      expect(await unbalancedTransactions(db())).toEqual([]);
    });

    it("given a platform coupon that takes the line below the listing floor, then it still applies (the platform pays it) while a store coupon that would is left out", async () => {
      const buyer = await createConsumer(rt);
      const deepStore = PRICE - floor + 100; // would push the line 100 fen below the floor on its own
      const store = await claimCoupon(ctxOf(rt), buyer.userId, (await storeCoupon({ title: "店铺大额券", thresholdFen: deepStore + 1, amountFen: deepStore })).id);
      const platform = await claimCoupon(ctxOf(rt), buyer.userId, (await platformCoupon({ title: "平台大额券", thresholdFen: PRICE - 1_000, amountFen: PRICE - floor + 500 })).id);

      const p = await preview(buyer);

      expect(p.errors).toEqual([]);
      expect(p.preview.coupons).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: platform.id, applied: true, discount: { amount: PRICE - floor + 500 } }),
          expect.objectContaining({ id: store.id, applied: false }),
        ]),
      );
      const chosen = await preview(buyer, [store.id]);
      expect(chosen).toEqual({ preview: null, errors: [expect.objectContaining({ code: "COUPON_NOT_APPLICABLE", field: "couponIds.0" })] });
    });
  });

  describe("a line the platform coupon paid in full (¥0 cash)", () => {
    // A ¥20-off coupon for one cheap product (¥15) covers that line entirely; the other line is paid in cash.
    async function mixedOrder() {
      const cheap = await createProductFixture(rt, shop.supplier, { skus: [{ stock: 100, supplyPrice: 500, suggestedPrice: 1_500 }] });
      const { prices: [cheapPrice] } = await listInStore(rt, shop.store, cheap);
      const coupon = await platformCoupon({ title: "平台单品券", kind: "NO_THRESHOLD", thresholdFen: 0, amountFen: cheapPrice + 500, productIds: [cheap.product.id] });
      const buyer = await createConsumer(rt);
      const held = await claimCoupon(ctxOf(rt), buyer.userId, coupon.id);
      const placed = await gqlOk<any>(rt, buyer.viewer, PLACE, {
        input: { storeSlug: shop.store.slug, addressId: buyer.addressId, idempotencyKey: newIdempotencyKey(), couponIds: [held.id], items: [{ skuId: SKU(), quantity: 1 }, { skuId: cheap.skus[0].id, quantity: 1 }] },
      }).then((d) => d.placeOrder);
      expect(placed.errors).toEqual([]);
      const orderId = placed.order.id as string;
      await pay(rt, buyer, orderId);
      const lines = await db().select().from(orderLines).where(eq(orderLines.orderId, orderId));
      const cash = lines.find((l) => l.skuId === SKU())!;
      const free = lines.find((l) => l.skuId === cheap.skus[0].id)!;
      expect(cash).toMatchObject({ paidAmount: PRICE, platformDiscountAmount: 0 });
      expect(free).toMatchObject({ paidAmount: 0, platformDiscountAmount: cheapPrice });
      return { buyer, held, orderId, cash, cheap, cheapPrice };
    }
    const refundCashLine = async (m: Awaited<ReturnType<typeof mixedOrder>>) => {
      const asked = await requestAfterSale(ctxOf(rt), m.buyer.userId, { orderId: m.orderId, lines: [{ orderLineId: m.cash.id, amount: PRICE }], reason: "不想要了", photoKeys: [] });
      const decided = await decideAfterSale(refundCtxOf(rt), shop.store.storeId, { afterSaleId: asked.id, approve: true }, shop.store.userId);
      expect(decided.status).toBe("REFUNDED");
      return (await db().select().from(refunds).where(eq(refunds.afterSaleId, asked.id)))[0];
    };
    const stockOf = async (skuId: string) => (await db().select({ stock: skus.stock }).from(skus).where(eq(skus.id, skuId)))[0].stock;

    it("given nothing shipped, when the cash line is refunded in full, then the order is NOT called off: the free line still ships, the coupon stays used, no freight goes back and the platform keeps paying only its subsidy once", async () => {
      const m = await mixedOrder();
      const cheapStock = await stockOf(m.cheap.skus[0].id);

      const refund = await refundCashLine(m);

      expect(refund.amount).toBe(PRICE);
      expect((await orderRow(m.orderId)).status).toBe("PAID");
      expect((await shipmentsOf(rt, m.orderId)).map((s) => s.status)).toEqual(["AWAITING_SHIPMENT"]);
      expect(await stockOf(m.cheap.skus[0].id)).toBe(cheapStock);
      expect((await db().select().from(userCoupons).where(eq(userCoupons.id, m.held.id)))[0]).toMatchObject({ status: "USED", orderId: m.orderId });
      const { sums } = await ledgerByAccount(rt, m.orderId);
      expect(sums[MARKETING_SUBSIDY_ACCOUNT]).toBe(m.cheapPrice);
      expect(sums[`supplier:${shop.supplier.supplierId}:payable`]).toBe(-(SUPPLY + 500));
      expect(await unbalancedTransactions(db())).toEqual([]);
    });

    it("given the cash line refunded in full before shipping, when the buyer then cancels the order, then it is CANCELLED: the coupon and the free line's stock come back, no cash moves and the order's ledger nets to zero on every account", async () => {
      const m = await mixedOrder();
      const cheapStock = await stockOf(m.cheap.skus[0].id);
      const stock = await stockOf(SKU());
      await refundCashLine(m);
      const refundsBefore = await db().select().from(refunds).where(eq(refunds.orderId, m.orderId));

      const r = await gqlOk<any>(rt, m.buyer.viewer, CANCEL, { input: { orderId: m.orderId } }).then((d) => d.cancelOrder);

      expect(r).toEqual({ order: { id: m.orderId, status: "CANCELLED" }, errors: [] });
      expect((await db().select().from(userCoupons).where(eq(userCoupons.id, m.held.id)))[0]).toMatchObject({ status: "AVAILABLE", orderId: null });
      expect(await stockOf(m.cheap.skus[0].id)).toBe(cheapStock + 1);
      expect(await stockOf(SKU())).toBe(stock + 1);
      expect(await db().select().from(refunds).where(eq(refunds.orderId, m.orderId))).toEqual(refundsBefore);
      const { sums } = await ledgerByAccount(rt, m.orderId);
      expect(Object.entries(sums).filter(([, v]) => v !== 0)).toEqual([]);
      expect(await unbalancedTransactions(db())).toEqual([]);
    });

    it("given the cash line only half refunded, when the buyer cancels, then INVALID_STATE (cash is still held: that takes a refund) and nothing changes", async () => {
      const m = await mixedOrder();
      const asked = await requestAfterSale(ctxOf(rt), m.buyer.userId, { orderId: m.orderId, lines: [{ orderLineId: m.cash.id, amount: PRICE / 2 }], reason: "少发了配件", photoKeys: [] });
      await decideAfterSale(refundCtxOf(rt), shop.store.storeId, { afterSaleId: asked.id, approve: true }, shop.store.userId);
      const entries = (await ledgerByAccount(rt, m.orderId)).entries;

      const r = await gqlOk<any>(rt, m.buyer.viewer, CANCEL, { input: { orderId: m.orderId } }).then((d) => d.cancelOrder);

      expect(r).toEqual({ order: null, errors: [expect.objectContaining({ code: "INVALID_STATE" })] });
      expect((await orderRow(m.orderId)).status).toBe("PAID");
      expect((await db().select().from(userCoupons).where(eq(userCoupons.id, m.held.id)))[0].status).toBe("USED");
      expect((await ledgerByAccount(rt, m.orderId)).entries).toBe(entries);
    });

    it("given the parcel shipped, when the cash line is refunded in full, then the coupon stays used (it cannot be used again) and the subsidy stays with the free line", async () => {
      const m = await mixedOrder();
      const [shipment] = await shipmentsOf(rt, m.orderId);
      await shipShipment(ctxOf(rt), shop.supplier.supplierId, { shipmentId: shipment.id, carrier: "顺丰速运", trackingNo: `SF${Date.now()}` });

      await refundCashLine(m);

      expect((await orderRow(m.orderId)).status).toBe("SHIPPED");
      expect((await db().select().from(userCoupons).where(eq(userCoupons.id, m.held.id)))[0]).toMatchObject({ status: "USED", orderId: m.orderId });
      expect((await ledgerByAccount(rt, m.orderId)).sums[MARKETING_SUBSIDY_ACCOUNT]).toBe(m.cheapPrice);
      expect(await unbalancedTransactions(db())).toEqual([]);
    });
  });

  describe("邀请有礼 from the platform", () => {
    async function register(arrival: { inviteCode?: string | null; storeId?: string | null }) {
      const phone = newPhone();
      const ip = `10.77.${phone.slice(-4, -2)}.${Number(phone.slice(-2)) + 1}`;
      await requestSmsCode(ctxOf(rt), { phone, ip });
      const code = (await latestOutboxMessage(db(), phone))!.match(/\d{6}/)![0];
      return signInWithSms(ctxOf(rt), { phone, code, ip, arrival: { inviteCode: arrival.inviteCode ?? null, storeId: arrival.storeId ?? null, channel: "link", deviceId: `device-${phone}` } });
    }

    it("given a platform welcome coupon, when a person registers through any invite (with or without a store), then they hold it; without an invite they do not", async () => {
      const welcome = await platformCoupon({ title: "平台新人券", kind: "NO_THRESHOLD", thresholdFen: 0, amountFen: 500, welcome: true });
      const member = await createConsumer(rt);
      const code = (await db().transaction((tx) => ensureMember(tx, member.userId, now()))).inviteCode;

      const viaStore = await register({ inviteCode: code, storeId: shop.store.storeId });
      const viaLink = await register({ inviteCode: code });
      const uninvited = await register({});

      const heldBy = (userId: string) => db().select({ couponId: userCoupons.couponId, source: userCoupons.source }).from(userCoupons).where(and(eq(userCoupons.userId, userId), eq(userCoupons.couponId, welcome.id)));
      expect(await heldBy(viaStore.id)).toEqual([{ couponId: welcome.id, source: "WELCOME" }]);
      expect(await heldBy(viaLink.id)).toEqual([{ couponId: welcome.id, source: "WELCOME" }]);
      expect(await heldBy(uninvited.id)).toEqual([]);
      const claim = await gqlOk<any>(rt, member.viewer, CLAIM, { id: welcome.id });
      expect(claim.claimCoupon.errors).toEqual([expect.objectContaining({ code: "NOT_CLAIMABLE" })]);
    });
  });

  it("the operator's list counts claims and paid uses", async () => {
    const coupon = await platformCoupon({ title: "计数券" });
    const buyer = await createConsumer(rt);
    const held = await claimCoupon(ctxOf(rt), buyer.userId, coupon.id);
    await claimCoupon(ctxOf(rt), (await createConsumer(rt)).userId, coupon.id);
    const placed = await place(buyer, [held.id]);
    await pay(rt, buyer, placed.order.id);

    const list = await gqlOk<any>(rt, operator.viewer, LIST);

    expect(list.platformCoupons.nodes.find((n: { id: string }) => n.id === coupon.id)).toEqual({ id: coupon.id, claimed: 2, used: 1, disabled: false });
  });
});
