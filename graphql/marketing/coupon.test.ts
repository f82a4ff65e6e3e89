/**
 * Coupons (优惠券) through the real services and the real GraphQL schema, on PGlite or on the
 * Postgres server of DATABASE_URL: issuing (and what is refused), claiming under concurrency (the
 * last coupon, the per-person limit), the checkout (preselection, explicit choices and their codes,
 * the listing floor, the paid amount as the reward base), one coupon raced by two orders, coupons
 * coming back when an order is called off, the welcome coupon of 邀请有礼, and the coupon pages.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, count, eq } from "drizzle-orm";
import { couponClaims, coupons, invites, orderLines, orders, rewards, skus, userCoupons } from "@/db/schema";
import { createTestRuntime, gql, gqlOk, type TestRuntime } from "../test/harness";
import { createConsumer, createShop, createStore, ctxOf, newIdempotencyKey, newPhone, pay, shipmentsOf, type ConsumerFixture, type Shop, type StoreFixture } from "../test/fixtures";
import { createReferralCast, refundCtxOf, type ReferralCast } from "../order/aftersale-fixtures";
import { decideAfterSale, requestAfterSale } from "../order/aftersale.service";
import { cancelOrder, shipShipment } from "../order/fulfilment.service";
import { freightFor } from "../order/order.rules";
import { latestOutboxMessage, requestSmsCode, signInWithSms } from "../identity/identity.service";
import { ensureMember } from "../referral/binding.service";
import { unbalancedTransactions } from "../ledger/ledger.service";
import { readEconomics } from "../platform/settings";
import { minimumRetailPrice } from "../store/store.rules";
import { claimCoupon, createStoreCoupon, type CouponInput, type CouponRow } from "./coupon.service";

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** The ¥128 SKU (supply ¥50) and the ¥39.90 SKU (supply ¥10), both of one product. */
const BIG_PRICE = 12_800;
const BIG_SUPPLY = 5_000;
const SMALL_PRICE = 3_990;

const CREATE = `mutation($input: CreateCouponInput!) {
  createCoupon(input: $input) {
    coupon { id title face scopeText remaining perUserLimit claimedByMe kind totalQuantity claimed used welcome }
    errors { code message field }
  }
}`;
const CLAIM = `mutation($id: ID!) { claimCoupon(couponId: $id) { coupon { id status source face } errors { code message field } } }`;
const SHOP_COUPONS = `query($s: String!) { shopCoupons(storeSlug: $s) { id title face scopeText remaining perUserLimit claimedByMe } }`;
const MY_COUPONS = `query { myCoupons(first: 50) { nodes { id title face status source storeSlug } } }`;
const MERCHANT_COUPONS = `query { merchantCoupons(first: 50) { nodes { id claimed used remaining } } }`;
const PREVIEW = `query($input: CheckoutPreviewInput!) {
  checkoutPreview(input: $input) {
    preview {
      goodsAmount { amount } freightAmount { amount } discountAmount { amount } totalAmount { amount }
      coupons { id title face applied discount { amount } reason }
    }
    errors { code message field }
  }
}`;
const PLACE = `mutation($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { id status totalAmount { amount } } errors { code message field } }
}`;

type Err = { code: string; message: string; field: string | null };
type Claimed = { claimCoupon: { coupon: { id: string; status: string; source: string; face: string } | null; errors: Err[] } };
type Preview = {
  checkoutPreview: {
    preview: {
      goodsAmount: { amount: number };
      freightAmount: { amount: number };
      discountAmount: { amount: number };
      totalAmount: { amount: number };
      coupons: { id: string; title: string; face: string; applied: boolean; discount: { amount: number }; reason: string | null }[];
    } | null;
    errors: Err[];
  };
};
type Placed = { placeOrder: { order: { id: string; status: string; totalAmount: { amount: number } } | null; errors: Err[] } };

describe("coupons (优惠券)", () => {
  let rt: TestRuntime;
  let shop: Shop;
  let cast: ReferralCast;
  /** The lowest a ¥128 line may be paid down to by a store coupon (the listing floor). */
  let bigFloor: number;
  const db = () => rt.services.db;
  const now = () => rt.services.clock.now();
  const BIG = () => shop.product.skus[0].id;
  const SMALL = () => shop.product.skus[1].id;

  beforeAll(async () => {
    rt = await createTestRuntime();
    shop = await createShop(rt, [
      { stock: 10_000, supplyPrice: BIG_SUPPLY, suggestedPrice: BIG_PRICE },
      { stock: 10_000, supplyPrice: 1_000, suggestedPrice: SMALL_PRICE },
    ]);
    expect(shop.prices).toEqual([BIG_PRICE, SMALL_PRICE]);
    cast = await createReferralCast(rt);
    bigFloor = minimumRetailPrice(BIG_SUPPLY, await readEconomics(db(), now()));
    expect(bigFloor).toBeLessThan(BIG_PRICE - 2_000);
  });
  afterAll(() => rt?.dispose());

  /** A store coupon issued through the service: by default 满100减20, claimable for a week, 5 per person. */
  function issue(store: StoreFixture, over: Partial<CouponInput> = {}): Promise<CouponRow> {
    const t = now().getTime();
    return createStoreCoupon(ctxOf(rt), store.storeId, store.userId, {
      title: "满100减20",
      kind: "THRESHOLD",
      thresholdFen: 10_000,
      amountFen: 2_000,
      percentBp: 0,
      capFen: null,
      productIds: null,
      totalQuantity: 1_000,
      perUserLimit: 5,
      claimStartsAt: new Date(t),
      claimEndsAt: new Date(t + 7 * DAY),
      usableUntil: new Date(t + 30 * DAY),
      welcome: false,
      ...over,
    });
  }
  /** Issues a coupon in the shop's store and has the consumer claim one; returns the held coupon's id. */
  async function holding(consumer: ConsumerFixture, over: Partial<CouponInput> = {}) {
    const coupon = await issue(shop.store, over);
    const held = await claimCoupon(ctxOf(rt), consumer.userId, coupon.id);
    return { coupon, heldId: held.id };
  }
  const claimGql = (consumer: ConsumerFixture, id: string) => gqlOk<Claimed>(rt, consumer.viewer, CLAIM, { id });
  const preview = (consumer: ConsumerFixture, items: { skuId: string; quantity: number }[], couponIds?: string[]) =>
    gqlOk<Preview>(rt, consumer.viewer, PREVIEW, { input: { storeSlug: shop.store.slug, items, ...(couponIds ? { couponIds } : {}) } });
  const place = (consumer: ConsumerFixture, input: Record<string, unknown>) =>
    gqlOk<Placed>(rt, consumer.viewer, PLACE, {
      input: { storeSlug: shop.store.slug, addressId: consumer.addressId, idempotencyKey: newIdempotencyKey(), items: [{ skuId: BIG(), quantity: 1 }], ...input },
    }).then((d) => d.placeOrder);

  const heldRow = async (id: string) => (await db().select().from(userCoupons).where(eq(userCoupons.id, id)))[0];
  const couponRow = async (id: string) => (await db().select().from(coupons).where(eq(coupons.id, id)))[0];
  const claimsOf = (couponId: string) => db().select().from(couponClaims).where(eq(couponClaims.couponId, couponId));
  const heldOf = (userId: string) => db().select().from(userCoupons).where(eq(userCoupons.userId, userId)).orderBy(asc(userCoupons.createdAt), asc(userCoupons.id));
  const ordersOf = (userId: string) => db().select().from(orders).where(eq(orders.userId, userId));
  const linesOf = (orderId: string) => db().select().from(orderLines).where(eq(orderLines.orderId, orderId)).orderBy(asc(orderLines.lineNo));
  const stockOf = async (skuId: string) => (await db().select().from(skus).where(eq(skus.id, skuId)))[0].stock;
  const couponCount = async () => Number((await db().select({ n: count() }).from(coupons))[0].n);
  /** What a refused checkout must leave untouched: the person's orders and coupons, and the stock. */
  const effects = async (userId: string) => ({
    orders: (await ordersOf(userId)).length,
    coupons: (await heldOf(userId)).map((h) => [h.id, h.status, h.orderId]),
    stock: [await stockOf(BIG()), await stockOf(SMALL())],
  });

  describe("issuing a coupon", () => {
    const input = (over: Record<string, unknown> = {}) => {
      const t = now().getTime();
      return {
        title: "新人满减券",
        kind: "THRESHOLD",
        thresholdFen: 9_900,
        amountFen: 1_000,
        totalQuantity: 100,
        perUserLimit: 1,
        claimStartsAt: new Date(t).toISOString(),
        claimEndsAt: new Date(t + 7 * DAY).toISOString(),
        usableUntil: new Date(t + 14 * DAY).toISOString(),
        ...over,
      };
    };
    const create = (viewer: StoreFixture["viewer"] | null, over: Record<string, unknown> = {}) => gql<any>(rt, viewer, CREATE, { input: input(over) });

    it("given a valid 满99减10, when the merchant creates it, then it reads 满99减10, is store-wide, and nobody has claimed it", async () => {
      const r = await create(shop.store.viewer);

      expect(r.errors).toEqual([]);
      expect(r.data.createCoupon).toEqual({
        coupon: expect.objectContaining({ title: "新人满减券", face: "满99减10", scopeText: "全店通用", remaining: 100, perUserLimit: 1, kind: "THRESHOLD", totalQuantity: 100, claimed: 0, used: 0, welcome: false }),
        errors: [],
      });
      const row = await couponRow(r.data.createCoupon.coupon.id);
      expect(row).toMatchObject({ issuer: "STORE", storeId: shop.store.storeId, createdBy: shop.store.userId, productIds: null, claimedCount: 0 });
    });

    it("given a 9折 最高减20 for one of the store's own products, then it is scoped to that product and the merchant-set amount is ignored", async () => {
      const r = await create(shop.store.viewer, { kind: "PERCENT", thresholdFen: 0, amountFen: 500, percentBp: 1_000, capFen: 2_000, productIds: [shop.product.product.id.toUpperCase()] });

      expect(r.data.createCoupon.errors).toEqual([]);
      expect(r.data.createCoupon.coupon).toMatchObject({ face: "9折 最高减20", scopeText: "指定商品可用" });
      const row = await couponRow(r.data.createCoupon.coupon.id);
      expect(row).toMatchObject({ kind: "PERCENT", percentBp: 1_000, capFen: 2_000, amountFen: 0, productIds: [shop.product.product.id] });
    });

    it.each<[string, string, Record<string, unknown>]>([
      ["a one-character title", "INVALID_TITLE", { title: "券" }],
      ["a 满减 whose amount is not below its threshold", "INVALID_VALUE", { thresholdFen: 1_000, amountFen: 1_000 }],
      ["a 折扣 of 95%", "INVALID_VALUE", { kind: "PERCENT", thresholdFen: 0, amountFen: 0, percentBp: 9_500 }],
      ["no coupons to give", "INVALID_QUANTITY", { totalQuantity: 0 }],
      ["11 per person", "INVALID_LIMIT", { perUserLimit: 11 }],
      ["a claim window that started yesterday", "INVALID_WINDOW", { claimStartsAt: new Date(Date.now() - DAY).toISOString() }],
      ["a product id that is not an id", "PRODUCT_NOT_LISTED", { productIds: ["not-a-product"] }],
    ])("given %s, then %s and nothing is written", async (_, code, over) => {
      const before = await couponCount();

      const r = await create(shop.store.viewer, over);

      expect(r.errors).toEqual([]);
      expect(r.data.createCoupon).toEqual({ coupon: null, errors: [expect.objectContaining({ code })] });
      expect(await couponCount()).toBe(before);
    });

    it("given a product scope naming another store's product, then PRODUCT_NOT_LISTED on productIds and nothing is written", async () => {
      const other = await createShop(rt, [{ stock: 10 }]);
      const before = await couponCount();

      const mixed = await create(shop.store.viewer, { productIds: [shop.product.product.id, other.product.product.id] });
      const foreign = await create(shop.store.viewer, { productIds: [other.product.product.id] });

      for (const r of [mixed, foreign]) expect(r.data.createCoupon).toEqual({ coupon: null, errors: [expect.objectContaining({ code: "PRODUCT_NOT_LISTED", field: "productIds" })] });
      expect(await couponCount()).toBe(before);
    });

    it("given a consumer or nobody, when they try to create a coupon, then FORBIDDEN / UNAUTHENTICATED and nothing is written", async () => {
      const before = await couponCount();

      const consumer = await create(shop.consumer.viewer);
      const anonymous = await create(null);

      expect(consumer.data).toBeNull();
      expect(consumer.errors.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
      expect(anonymous.errors.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
      expect(await couponCount()).toBe(before);
    });
  });

  describe("claiming", () => {
    let people: ConsumerFixture[];
    beforeAll(async () => {
      people = [];
      for (let i = 0; i < 8; i++) people.push(await createConsumer(rt));
    });

    it.each([1, 2, 3])("given one coupon left, when 8 people claim it at once, then exactly one holds it, 7 get OUT_OF_COUPONS and the losers' counters roll back (round %i)", async () => {
      const coupon = await issue(shop.store, { totalQuantity: 1, perUserLimit: 1 });

      const results = await Promise.all(people.map((p) => claimGql(p, coupon.id)));

      const won = results.filter((r) => r.claimCoupon.coupon);
      const lost = results.filter((r) => !r.claimCoupon.coupon);
      expect(won).toHaveLength(1);
      expect(won[0].claimCoupon).toEqual({ coupon: expect.objectContaining({ status: "AVAILABLE", source: "CENTRE", face: "满100减20" }), errors: [] });
      expect(lost.map((r) => r.claimCoupon.errors.map((e) => e.code))).toEqual(Array.from({ length: 7 }, () => ["OUT_OF_COUPONS"]));
      expect((await couponRow(coupon.id)).claimedCount).toBe(1);
      const held = await db().select().from(userCoupons).where(eq(userCoupons.couponId, coupon.id));
      expect(held).toHaveLength(1);
      expect(await claimsOf(coupon.id)).toEqual([{ couponId: coupon.id, userId: held[0].userId, count: 1 }]);
    });

    it.each([1, 2, 3])("given a limit of 2 per person, when one person claims 6 times at once, then they hold exactly 2 and 4 get LIMIT_REACHED (round %i)", async () => {
      const person = people[0];
      const coupon = await issue(shop.store, { totalQuantity: 100, perUserLimit: 2 });

      const results = await Promise.all(Array.from({ length: 6 }, () => claimGql(person, coupon.id)));

      expect(results.filter((r) => r.claimCoupon.coupon)).toHaveLength(2);
      expect(results.filter((r) => !r.claimCoupon.coupon).map((r) => r.claimCoupon.errors.map((e) => e.code))).toEqual(Array.from({ length: 4 }, () => ["LIMIT_REACHED"]));
      expect((await couponRow(coupon.id)).claimedCount).toBe(2);
      expect(await db().select().from(userCoupons).where(eq(userCoupons.couponId, coupon.id))).toHaveLength(2);
      expect(await claimsOf(coupon.id)).toEqual([{ couponId: coupon.id, userId: person.userId, count: 2 }]);
    });

    it("given a coupon whose claim window opens in an hour, or has closed, then NOT_CLAIMABLE and nothing is written", async () => {
      const t = now().getTime();
      const later = await issue(shop.store, { claimStartsAt: new Date(t + HOUR), claimEndsAt: new Date(t + 2 * HOUR), usableUntil: new Date(t + DAY) });
      const closing = await issue(shop.store, { claimEndsAt: new Date(t + HOUR), usableUntil: new Date(t + DAY) });

      const early = await claimGql(people[1], later.id);
      const afterEnd = await claimCoupon({ db: db(), now: new Date(t + HOUR) }, people[1].userId, closing.id).then(
        () => null,
        (e) => e,
      );

      expect(early.claimCoupon).toEqual({ coupon: null, errors: [expect.objectContaining({ code: "NOT_CLAIMABLE" })] });
      expect(afterEnd).toMatchObject({ code: "NOT_CLAIMABLE" });
      for (const c of [later, closing]) {
        expect((await couponRow(c.id)).claimedCount).toBe(0);
        expect(await claimsOf(c.id)).toEqual([]);
      }
    });

    it("given an unknown coupon id or a malformed one, then COUPON_NOT_FOUND", async () => {
      for (const id of ["00000000-0000-4000-8000-000000000000", "not-an-id"]) {
        expect((await claimGql(people[2], id)).claimCoupon).toEqual({ coupon: null, errors: [expect.objectContaining({ code: "COUPON_NOT_FOUND" })] });
      }
    });

    it("given a person at their limit, when they claim once more, then LIMIT_REACHED and the counters stay", async () => {
      const coupon = await issue(shop.store, { perUserLimit: 1 });
      await claimGql(people[3], coupon.id);

      const again = await claimGql(people[3], coupon.id);

      expect(again.claimCoupon).toEqual({ coupon: null, errors: [expect.objectContaining({ code: "LIMIT_REACHED" })] });
      expect((await couponRow(coupon.id)).claimedCount).toBe(1);
      expect(await claimsOf(coupon.id)).toEqual([{ couponId: coupon.id, userId: people[3].userId, count: 1 }]);
    });
  });

  describe("checkout", () => {
    it("given a 满100减20 store coupon and ¥128 of goods, then the preview preselects it, the order uses it, each line knows what was paid, and the rewards are on the paid amount", async () => {
      const buyer = await cast.boundBuyer();
      const { coupon, heldId } = await holding(buyer);
      const freight = freightFor(BIG_PRICE);

      const p = (await preview(buyer, [{ skuId: BIG(), quantity: 1 }])).checkoutPreview;
      expect(p.errors).toEqual([]);
      expect(p.preview).toMatchObject({
        goodsAmount: { amount: BIG_PRICE },
        freightAmount: { amount: freight },
        discountAmount: { amount: 2_000 },
        totalAmount: { amount: BIG_PRICE + freight - 2_000 },
      });
      expect(p.preview!.coupons).toEqual([{ id: heldId, title: "满100减20", face: "满100减20", applied: true, discount: { amount: 2_000 }, reason: null }]);

      const placed = await place(buyer, { expectedTotal: p.preview!.totalAmount.amount });

      expect(placed.errors).toEqual([]);
      const [row] = await ordersOf(buyer.userId);
      expect(row).toMatchObject({ id: placed.order!.id, goodsAmount: BIG_PRICE, freightAmount: freight, discountAmount: 2_000, totalAmount: BIG_PRICE + freight - 2_000 });
      const lines = await linesOf(row.id);
      expect(lines.reduce((s, l) => s + Number(l.discountAmount), 0)).toBe(2_000);
      for (const l of lines) expect(Number(l.paidAmount)).toBe(Number(l.unitPrice) * l.quantity - Number(l.discountAmount));
      expect(await heldRow(heldId)).toMatchObject({ status: "USED", orderId: row.id, usedAt: expect.any(Date) });

      await pay(rt, buyer, row.id);

      const granted = await db().select().from(rewards).where(eq(rewards.orderId, row.id)).orderBy(asc(rewards.type));
      expect(granted.map((r) => [r.type, r.receiverId])).toEqual([
        ["DIRECT", cast.sharer.userId],
        ["TEAM", cast.leader.userId],
      ]);
      for (const r of granted) {
        expect(r.orderLineId).toBe(lines[0].id);
        expect(Number(r.base)).toBe(Number(lines[0].paidAmount));
      }
      expect(granted.map((r) => Number(r.amount))).toEqual([1_080, 540]); // 10% and 5% of ¥108, not of ¥128
      expect(await unbalancedTransactions(db())).toEqual([]);
      // The merchant sees it claimed and used (in a paid order).
      const mine = await gqlOk<any>(rt, shop.store.viewer, MERCHANT_COUPONS);
      expect(mine.merchantCoupons.nodes.find((n: { id: string }) => n.id === coupon.id)).toEqual({ id: coupon.id, claimed: 1, used: 1, remaining: 999 });
    });

    it("given a 无门槛减5 on 2 × ¥39.90 (below ¥99, so freight is charged), then freight is not discounted", async () => {
      const buyer = await createConsumer(rt);
      await holding(buyer, { title: "无门槛减5", kind: "NO_THRESHOLD", thresholdFen: 0, amountFen: 500 });

      const placed = await place(buyer, { items: [{ skuId: SMALL(), quantity: 2 }] });

      expect(placed.errors).toEqual([]);
      expect(freightFor(2 * SMALL_PRICE)).toBe(1_000);
      const [row] = await ordersOf(buyer.userId);
      expect(row).toMatchObject({ goodsAmount: 2 * SMALL_PRICE, freightAmount: 1_000, discountAmount: 500, totalAmount: 2 * SMALL_PRICE + 1_000 - 500 });
      expect((await linesOf(row.id)).map((l) => [Number(l.discountAmount), Number(l.paidAmount)])).toEqual([[500, 2 * SMALL_PRICE - 500]]);
    });

    it("given ¥128 + ¥39.90 and a 满100减20, then the ¥20 is split over the lines by largest remainder and each line's rewards are on its own paid amount", async () => {
      const buyer = await cast.boundBuyer();
      await holding(buyer);

      const placed = await place(buyer, { items: [{ skuId: BIG(), quantity: 1 }, { skuId: SMALL(), quantity: 1 }] });
      expect(placed.errors).toEqual([]);
      await pay(rt, buyer, placed.order!.id);

      const lines = await linesOf(placed.order!.id);
      // 2000 × 12800 / 16790 = 1524.7…, 2000 × 3990 / 16790 = 475.2…: the extra fen goes to the larger remainder.
      expect(lines.map((l) => [l.skuId, Number(l.discountAmount), Number(l.paidAmount)])).toEqual([
        [BIG(), 1_525, BIG_PRICE - 1_525],
        [SMALL(), 475, SMALL_PRICE - 475],
      ]);
      const granted = await db().select().from(rewards).where(eq(rewards.orderId, placed.order!.id));
      expect(granted).toHaveLength(4);
      for (const r of granted) expect(Number(r.base)).toBe(Number(lines.find((l) => l.id === r.orderLineId)!.paidAmount));
      expect(await unbalancedTransactions(db())).toEqual([]);
    });

    it("given couponIds [], then nothing is discounted and the coupon stays AVAILABLE", async () => {
      const buyer = await createConsumer(rt);
      const { heldId } = await holding(buyer);

      const p = (await preview(buyer, [{ skuId: BIG(), quantity: 1 }], [])).checkoutPreview.preview!;
      const placed = await place(buyer, { couponIds: [] });

      expect(p.discountAmount.amount).toBe(0);
      expect(p.coupons).toEqual([expect.objectContaining({ id: heldId, applied: false, discount: { amount: 0 }, reason: null })]);
      expect(placed.errors).toEqual([]);
      const [row] = await ordersOf(buyer.userId);
      expect(row).toMatchObject({ discountAmount: 0, totalAmount: BIG_PRICE + freightFor(BIG_PRICE) });
      expect((await linesOf(row.id)).map((l) => [Number(l.discountAmount), Number(l.paidAmount)])).toEqual([[0, BIG_PRICE]]);
      expect(await heldRow(heldId)).toMatchObject({ status: "AVAILABLE", orderId: null });
    });

    it("given someone else's coupon id, then COUPON_NOT_FOUND, no order, and neither person's coupons change", async () => {
      const buyer = await createConsumer(rt);
      const owner = await createConsumer(rt);
      const { heldId } = await holding(owner);
      const before = [await effects(buyer.userId), await effects(owner.userId)];

      const placed = await place(buyer, { couponIds: [heldId] });
      const previewed = (await preview(buyer, [{ skuId: BIG(), quantity: 1 }], [heldId])).checkoutPreview;

      expect(placed).toEqual({ order: null, errors: [expect.objectContaining({ code: "COUPON_NOT_FOUND", field: "couponIds.0" })] });
      expect(previewed).toEqual({ preview: null, errors: [expect.objectContaining({ code: "COUPON_NOT_FOUND", field: "couponIds.0" })] });
      expect([await effects(buyer.userId), await effects(owner.userId)]).toEqual(before);
      expect(await heldRow(heldId)).toMatchObject({ userId: owner.userId, status: "AVAILABLE", orderId: null });
    });

    it("given two store coupons chosen together, then COUPON_CONFLICT and nothing is written", async () => {
      const buyer = await createConsumer(rt);
      const a = await holding(buyer);
      const b = await holding(buyer, { title: "无门槛减5", kind: "NO_THRESHOLD", thresholdFen: 0, amountFen: 500 });
      const before = await effects(buyer.userId);

      const placed = await place(buyer, { couponIds: [a.heldId, b.heldId] });

      expect(placed).toEqual({ order: null, errors: [expect.objectContaining({ code: "COUPON_CONFLICT", field: "couponIds.1" })] });
      expect(await effects(buyer.userId)).toEqual(before);
    });

    it("given a 满200减30 below its threshold, then the preview says why it does not apply and choosing it is COUPON_NOT_APPLICABLE with nothing written", async () => {
      const buyer = await createConsumer(rt);
      const { heldId } = await holding(buyer, { title: "满200减30", thresholdFen: 20_000, amountFen: 3_000 });
      const before = await effects(buyer.userId);

      const p = (await preview(buyer, [{ skuId: BIG(), quantity: 1 }])).checkoutPreview.preview!;
      const placed = await place(buyer, { couponIds: [heldId] });

      expect(p.discountAmount.amount).toBe(0);
      expect(p.coupons).toEqual([expect.objectContaining({ id: heldId, applied: false, reason: "未满足使用门槛" })]);
      expect(placed).toEqual({ order: null, errors: [{ code: "COUPON_NOT_APPLICABLE", message: "未满足使用门槛", field: "couponIds.0" }] });
      expect(await effects(buyer.userId)).toEqual(before);
    });

    it("given a coupon so large the ¥128 line would fall below its listing floor, then it is not preselected, the next best is, and choosing it is COUPON_NOT_APPLICABLE", async () => {
      const buyer = await createConsumer(rt);
      const tooMuch = BIG_PRICE - bigFloor + 1;
      const big = await holding(buyer, { title: "满120大额券", thresholdFen: 12_000, amountFen: tooMuch });

      const alone = (await preview(buyer, [{ skuId: BIG(), quantity: 1 }])).checkoutPreview.preview!;
      expect(alone.discountAmount.amount).toBe(0);
      expect(alone.coupons).toEqual([expect.objectContaining({ id: big.heldId, applied: false, reason: "会使商品低于最低售价，本单不可用" })]);

      const before = await effects(buyer.userId);
      const chosen = await place(buyer, { couponIds: [big.heldId] });
      expect(chosen).toEqual({ order: null, errors: [expect.objectContaining({ code: "COUPON_NOT_APPLICABLE", field: "couponIds.0" })] });
      expect(await effects(buyer.userId)).toEqual(before);

      const small = await holding(buyer);
      const both = (await preview(buyer, [{ skuId: BIG(), quantity: 1 }])).checkoutPreview.preview!;
      expect(both.discountAmount.amount).toBe(2_000);
      expect(both.coupons.filter((c) => c.applied).map((c) => c.id)).toEqual([small.heldId]);
      expect(both.coupons.find((c) => c.id === big.heldId)).toMatchObject({ applied: false, reason: "会使商品低于最低售价，本单不可用" });
      const placed = await place(buyer, {});
      expect(placed.errors).toEqual([]);
      expect(await heldRow(big.heldId)).toMatchObject({ status: "AVAILABLE", orderId: null });
      expect(await heldRow(small.heldId)).toMatchObject({ status: "USED", orderId: placed.order!.id });

      // A coupon exactly down to the floor is fine.
      const buyer2 = await createConsumer(rt);
      const exact = await holding(buyer2, { title: "满120到底价", thresholdFen: 12_000, amountFen: BIG_PRICE - bigFloor });
      const atFloor = await place(buyer2, { couponIds: [exact.heldId] });
      expect(atFloor.errors).toEqual([]);
      expect((await linesOf(atFloor.order!.id)).map((l) => Number(l.paidAmount))).toEqual([bigFloor]);
    });

    it("given an expected total that no longer matches (the coupon takes ¥20 off), then PRICE_CHANGED and nothing is written", async () => {
      const buyer = await createConsumer(rt);
      const { heldId } = await holding(buyer);
      const before = await effects(buyer.userId);

      const placed = await place(buyer, { expectedTotal: BIG_PRICE + freightFor(BIG_PRICE) });

      expect(placed).toEqual({ order: null, errors: [expect.objectContaining({ code: "PRICE_CHANGED", field: "expectedTotal" })] });
      expect(await effects(buyer.userId)).toEqual(before);
      expect(await heldRow(heldId)).toMatchObject({ status: "AVAILABLE" });
    });

    it.each([1, 2, 3])("given one coupon, when the same person places two orders with it at once, then exactly one gets it and the other is COUPON_NOT_AVAILABLE with nothing written (round %i)", async () => {
      const buyer = await createConsumer(rt);
      const { heldId } = await holding(buyer);
      const stockBefore = await stockOf(BIG());

      const results = await Promise.all([place(buyer, { couponIds: [heldId] }), place(buyer, { couponIds: [heldId] })]);

      const won = results.filter((r) => r.order);
      const lost = results.filter((r) => !r.order);
      expect(won).toHaveLength(1);
      expect(lost.map((r) => r.errors.map((e) => [e.code, e.field]))).toEqual([[["COUPON_NOT_AVAILABLE", "couponIds"]]]);
      const rows = await ordersOf(buyer.userId);
      expect(rows.map((o) => [o.id, Number(o.discountAmount)])).toEqual([[won[0].order!.id, 2_000]]);
      expect(await stockOf(BIG())).toBe(stockBefore - 1);
      expect(await heldRow(heldId)).toMatchObject({ status: "USED", orderId: won[0].order!.id });
    });
  });

  describe("a coupon already used", () => {
    it("given a coupon one order used, when the same person orders again with it, then COUPON_NOT_AVAILABLE (as when the two race) and nothing is written", async () => {
      const buyer = await createConsumer(rt);
      const { heldId } = await holding(buyer);
      expect((await place(buyer, { couponIds: [heldId] })).errors).toEqual([]);
      const before = await effects(buyer.userId);

      const again = await place(buyer, { couponIds: [heldId] });

      expect(again).toEqual({ order: null, errors: [expect.objectContaining({ code: "COUPON_NOT_AVAILABLE", field: "couponIds" })] });
      expect(await effects(buyer.userId)).toEqual(before);
    });
  });

  describe("coupons come back when the order is called off", () => {
    it("given an unpaid order with a coupon, when it is cancelled by the buyer, then the coupon is AVAILABLE again", async () => {
      const buyer = await createConsumer(rt);
      const { heldId } = await holding(buyer);
      const placed = await place(buyer, {});
      expect(await heldRow(heldId)).toMatchObject({ status: "USED" });

      await cancelOrder(ctxOf(rt), buyer.userId, placed.order!.id);

      expect(await heldRow(heldId)).toMatchObject({ status: "AVAILABLE", orderId: null, usedAt: null });
    });

    it("given an unpaid order with a coupon, when it expires, then the coupon is AVAILABLE again and the next order uses it", async () => {
      const buyer = await createConsumer(rt);
      const { heldId } = await holding(buyer);
      const first = await place(buyer, {});
      expect(first.errors).toEqual([]);
      const stockAfterFirst = await stockOf(BIG());
      // Moving the clock expires every unpaid order of this file, not only this one.
      const unpaidBig = await db()
        .select({ quantity: orderLines.quantity })
        .from(orderLines)
        .innerJoin(orders, eq(orders.id, orderLines.orderId))
        .where(and(eq(orders.status, "PENDING_PAYMENT"), eq(orderLines.skuId, BIG())));
      expect(unpaidBig.length).toBeGreaterThan(0);

      await rt.advanceClock(16 * MIN);

      const [expired] = await ordersOf(buyer.userId);
      expect(expired).toMatchObject({ id: first.order!.id, status: "CANCELLED" });
      expect(await stockOf(BIG())).toBe(stockAfterFirst + unpaidBig.reduce((n, l) => n + l.quantity, 0));
      expect(await heldRow(heldId)).toMatchObject({ status: "AVAILABLE", orderId: null, usedAt: null });
      const second = await place(buyer, {});
      expect(second.errors).toEqual([]);
      expect(await heldRow(heldId)).toMatchObject({ status: "USED", orderId: second.order!.id });
      expect((await ordersOf(buyer.userId)).find((o) => o.id === second.order!.id)).toMatchObject({ discountAmount: 2_000 });
    });

    async function paidWithCoupon() {
      const buyer = await cast.boundBuyer();
      const { heldId } = await holding(buyer);
      const placed = await place(buyer, {});
      await pay(rt, buyer, placed.order!.id);
      const [line] = await linesOf(placed.order!.id);
      return { buyer, heldId, orderId: placed.order!.id, line };
    }
    const refund = async (buyer: ConsumerFixture, orderId: string, lineId: string, amount: number) => {
      const asked = await requestAfterSale(ctxOf(rt), buyer.userId, { orderId, lines: [{ orderLineId: lineId, amount }], reason: "不想要了", photoKeys: [] });
      return decideAfterSale(refundCtxOf(rt), shop.store.storeId, { afterSaleId: asked.id, approve: true }, shop.store.userId);
    };

    it("given a paid order with a coupon, when it is refunded in full before shipping, then the order is called off and the coupon is AVAILABLE again", async () => {
      const { buyer, heldId, orderId, line } = await paidWithCoupon();
      expect(Number(line.paidAmount)).toBe(BIG_PRICE - 2_000);

      const decided = await refund(buyer, orderId, line.id, Number(line.paidAmount));

      expect(decided.status).toBe("REFUNDED");
      expect((await ordersOf(buyer.userId))[0].status).toBe("CANCELLED");
      expect(await heldRow(heldId)).toMatchObject({ status: "AVAILABLE", orderId: null });
      expect(await unbalancedTransactions(db())).toEqual([]);
    });

    it("given a shipped order with a coupon, when it is refunded in full in two parts, then the coupon is AVAILABLE again only after the second", async () => {
      const { buyer, heldId, orderId, line } = await paidWithCoupon();
      for (const s of await shipmentsOf(rt, orderId)) {
        await shipShipment(ctxOf(rt), s.supplierId, { shipmentId: s.id, carrier: "中通快递", trackingNo: `ZT${Date.now()}` });
      }
      const paid = Number(line.paidAmount);

      await refund(buyer, orderId, line.id, 3_000);
      expect(await heldRow(heldId)).toMatchObject({ status: "USED", orderId });
      await refund(buyer, orderId, line.id, paid - 3_000);

      expect((await ordersOf(buyer.userId))[0].status).toBe("SHIPPED");
      expect(await heldRow(heldId)).toMatchObject({ status: "AVAILABLE", orderId: null });
      expect(await unbalancedTransactions(db())).toEqual([]);
    });

    it("given a paid order with a coupon, when part of it is refunded, then the coupon stays USED by that order", async () => {
      const { buyer, heldId, orderId, line } = await paidWithCoupon();

      const decided = await refund(buyer, orderId, line.id, 3_000);

      expect(decided.status).toBe("REFUNDED");
      expect((await ordersOf(buyer.userId))[0].status).toBe("PAID");
      expect(await heldRow(heldId)).toMatchObject({ status: "USED", orderId });
    });
  });

  describe("邀请有礼: the welcome coupon", () => {
    let ipSeq = 1;
    const freshIp = () => `10.91.${Math.floor(ipSeq / 250)}.${(ipSeq++ % 250) + 1}`;
    /** A brand-new person signing up by SMS, through an invite code into a store (or not). */
    async function register(arrival: { inviteCode?: string | null; storeId?: string | null }) {
      const phone = newPhone();
      const ip = freshIp();
      await requestSmsCode(ctxOf(rt), { phone, ip });
      const code = (await latestOutboxMessage(db(), phone))!.match(/\d{6}/)![0];
      return signInWithSms(ctxOf(rt), { phone, code, ip, arrival: { inviteCode: arrival.inviteCode ?? null, storeId: arrival.storeId ?? null, channel: "link", deviceId: `device-${phone}` } });
    }
    const codeOf = async (userId: string) => (await db().transaction((tx) => ensureMember(tx, userId, now()))).inviteCode;
    const invitedBy = async (userId: string) => (await db().select().from(invites).where(eq(invites.userId, userId)))[0]?.inviterId ?? null;

    it("given a store with a welcome coupon, when a new person registers through a member's invite into that store, then they hold it with source WELCOME", async () => {
      const store = await createStore(rt);
      const welcome = await issue(store, { title: "新人礼券", kind: "NO_THRESHOLD", thresholdFen: 0, amountFen: 500, welcome: true });
      const other = await issue(store, { title: "普通券" });
      const member = await createConsumer(rt);

      const user = await register({ inviteCode: await codeOf(member.userId), storeId: store.storeId });

      expect(await invitedBy(user.id)).toBe(member.userId);
      expect((await heldOf(user.id)).map((h) => [h.couponId, h.source, h.status])).toEqual([[welcome.id, "WELCOME", "AVAILABLE"]]);
      expect((await couponRow(welcome.id)).claimedCount).toBe(1);
      expect((await couponRow(other.id)).claimedCount).toBe(0);
    });

    it("given a store with a welcome coupon, when a person registers without an invite (or with an invite but no store), then they get no coupon", async () => {
      const store = await createStore(rt);
      const welcome = await issue(store, { title: "新人礼券", welcome: true });
      const member = await createConsumer(rt);

      const plain = await register({ storeId: store.storeId });
      const noStore = await register({ inviteCode: await codeOf(member.userId) });

      expect(await heldOf(plain.id)).toEqual([]);
      expect(await heldOf(noStore.id)).toEqual([]);
      expect(await invitedBy(noStore.id)).toBe(member.userId);
      expect((await couponRow(welcome.id)).claimedCount).toBe(0);
    });

    it("given a store's welcome coupon, then it is not in the coupon centre and claiming it directly is NOT_CLAIMABLE with nothing written", async () => {
      const store = await createStore(rt);
      const welcome = await issue(store, { title: "新人礼券", welcome: true });
      const person = await createConsumer(rt);

      const centre = await gqlOk<{ shopCoupons: { id: string }[] }>(rt, null, `query($slug: String!) { shopCoupons(storeSlug: $slug) { id } }`, { slug: store.slug });
      expect(centre.shopCoupons.map((c) => c.id)).not.toContain(welcome.id);
      await expect(claimCoupon(ctxOf(rt), person.userId, welcome.id)).rejects.toMatchObject({ code: "NOT_CLAIMABLE" });
      expect(await heldOf(person.userId)).toEqual([]);
      expect((await couponRow(welcome.id)).claimedCount).toBe(0);
    });

    it("given the welcome coupon has run out, when a new person registers through an invite, then registration and binding still succeed without a coupon", async () => {
      const store = await createStore(rt);
      const welcome = await issue(store, { title: "新人礼券", totalQuantity: 1, welcome: true });
      const member = await createConsumer(rt);
      const inviteCode = await codeOf(member.userId);
      const first = await register({ inviteCode, storeId: store.storeId });
      expect(await heldOf(first.id)).toHaveLength(1);

      const second = await register({ inviteCode, storeId: store.storeId });

      expect(second.id).toEqual(expect.any(String));
      expect(await invitedBy(second.id)).toBe(member.userId);
      expect(await heldOf(second.id)).toEqual([]);
      expect((await couponRow(welcome.id)).claimedCount).toBe(1);
      expect(await claimsOf(welcome.id)).toEqual([{ couponId: welcome.id, userId: first.id, count: 1 }]);
    });
  });

  describe("coupon pages", () => {
    it("given a store's coupon centre, then anyone sees what can be claimed now (claimedByMe 0 signed out), and a signed-in person sees how many they hold", async () => {
      const store = await createStore(rt);
      const t = now().getTime();
      const open = await issue(store, { title: "店铺满减券", totalQuantity: 10, perUserLimit: 3 });
      await issue(store, { title: "明天开抢", claimStartsAt: new Date(t + DAY), claimEndsAt: new Date(t + 2 * DAY) });
      const person = await createConsumer(rt);
      await claimGql(person, open.id);
      await claimGql(person, open.id);

      const anonymous = await gqlOk<any>(rt, null, SHOP_COUPONS, { s: store.slug });
      const signedIn = await gqlOk<any>(rt, person.viewer, SHOP_COUPONS, { s: store.slug });
      const stranger = await gqlOk<any>(rt, shop.consumer.viewer, SHOP_COUPONS, { s: store.slug });

      const card = { id: open.id, title: "店铺满减券", face: "满100减20", scopeText: "全店通用", remaining: 8, perUserLimit: 3 };
      expect(anonymous.shopCoupons).toEqual([{ ...card, claimedByMe: 0 }]);
      expect(signedIn.shopCoupons).toEqual([{ ...card, claimedByMe: 2 }]);
      expect(stranger.shopCoupons).toEqual([{ ...card, claimedByMe: 0 }]);
      expect((await gqlOk<any>(rt, null, SHOP_COUPONS, { s: "no-such-store" })).shopCoupons).toEqual([]);
    });

    // Moves the clock two hours: kept last.
    it("given coupons unused, used in a paid order and past their use-by time, then myCoupons shows AVAILABLE, USED and EXPIRED", async () => {
      const buyer = await createConsumer(rt);
      const t = now().getTime();
      const shortLived = await holding(buyer, { title: "限时券", kind: "NO_THRESHOLD", thresholdFen: 0, amountFen: 300, claimEndsAt: new Date(t + HOUR), usableUntil: new Date(t + HOUR) });
      const toUse = await holding(buyer, { title: "满100减20" });
      const placed = await place(buyer, { couponIds: [toUse.heldId] });
      await pay(rt, buyer, placed.order!.id);
      const kept = await holding(buyer, { title: "留着用", kind: "NO_THRESHOLD", thresholdFen: 0, amountFen: 100 });

      const before = await gqlOk<any>(rt, buyer.viewer, MY_COUPONS);
      await rt.advanceClock(2 * HOUR);
      const after = await gqlOk<any>(rt, buyer.viewer, MY_COUPONS);

      const statusOf = (page: any) => Object.fromEntries(page.myCoupons.nodes.map((n: { id: string; status: string }) => [n.id, n.status]));
      expect(statusOf(before)).toEqual({ [shortLived.heldId]: "AVAILABLE", [toUse.heldId]: "USED", [kept.heldId]: "AVAILABLE" });
      expect(statusOf(after)).toEqual({ [shortLived.heldId]: "EXPIRED", [toUse.heldId]: "USED", [kept.heldId]: "AVAILABLE" });
      expect(after.myCoupons.nodes.find((n: { id: string }) => n.id === shortLived.heldId)).toMatchObject({ face: "无门槛减3", source: "CENTRE", storeSlug: shop.store.slug });
      // An expired coupon is no longer offered at checkout.
      const p = (await preview(buyer, [{ skuId: SMALL(), quantity: 1 }])).checkoutPreview.preview!;
      expect(p.coupons.map((c) => c.id)).toEqual([kept.heldId]);
    });
  });
});
