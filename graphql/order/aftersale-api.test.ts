import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GraphQLObjectType } from "graphql";
import { buildSchema, getMetadataStorage } from "type-graphql";
import { createTestRuntime, type TestRuntime } from "../test/harness";
import { createConsumer, createShop, createStore, order, pay, uploadImage, type ConsumerFixture, type Shop } from "../test/fixtures";
import { authChecker, resolvers } from "../schema";
import { MerchantAfterSaleResolver, ShopAfterSaleResolver } from "./aftersale.resolver";
import { createReferralCast, gqlAfterSale, orderEffects, type ReferralCast } from "./aftersale-fixtures";

const REQUEST = `mutation($input: RequestAfterSaleInput!) {
  requestAfterSale(input: $input) {
    afterSale { id status statusText reason photos amount { amount } lines { orderLineId title amount { amount } } refund { refundNo } }
    errors { code field }
  }
}`;
const CANCEL = `mutation($input: AfterSaleIdInput!) { cancelAfterSale(input: $input) { afterSale { id status } errors { code field } } }`;
const DECIDE = `mutation($input: DecideAfterSaleInput!) {
  decideAfterSale(input: $input) { afterSale { id status merchantNote refund { amount { amount } status } } errors { code field } }
}`;
const MINE = `query($orderId: ID) { myAfterSales(orderId: $orderId, first: 10) { nodes { id status amount { amount } } pageInfo { hasNextPage } } }`;
const STORE = `query { merchantAfterSales(first: 100) { nodes { id status } } }`;
const MY_ORDER = `query($id: ID!) { myOrder(id: $id) { lines { amount { amount } refundedAmount { amount } } } }`;

describe("after-sales through GraphQL: consumer asks, merchant decides, typed errors change nothing", () => {
  let rt: TestRuntime;
  let shop: Shop;
  let cast: ReferralCast;

  beforeAll(async () => {
    rt = await createTestRuntime();
    shop = await createShop(rt, [{ stock: 1_000, supplyPrice: 5_000, suggestedPrice: 12_800 }]);
    cast = await createReferralCast(rt);
  });
  afterAll(() => rt?.dispose());

  async function paidOrder(buyer?: ConsumerFixture) {
    const who = buyer ?? (await cast.boundBuyer());
    const placed = await order(rt, who, shop.store, [{ skuId: shop.product.skus[0].id, quantity: 1 }]);
    await pay(rt, who, placed.id);
    const lines = (await orderEffects(rt, placed.id)).lines;
    return { buyer: who, orderId: placed.id, lineId: lines[0].id };
  }
  const ask = (buyer: ConsumerFixture, orderId: string, lines: { orderLineId: string; amount: number }[], extra: Record<string, unknown> = {}) =>
    gqlAfterSale(rt, buyer.viewer, REQUEST, { input: { orderId, lines, reason: "收到的商品有破损", ...extra } });

  it("given a consumer's paid order, when they ask part of it back with a photo and the merchant approves, then both see it and the refund is done", async () => {
    const { buyer, orderId, lineId } = await paidOrder();
    const photo = await uploadImage(rt, buyer.userId);

    const asked = await ask(buyer, orderId, [{ orderLineId: lineId, amount: 2_000 }], { photoKeys: [photo] });

    expect(asked.errors).toEqual([]);
    const afterSale = asked.data!.requestAfterSale.afterSale;
    expect(asked.data!.requestAfterSale.errors).toEqual([]);
    expect(afterSale).toMatchObject({ status: "REQUESTED", statusText: "待商家处理", amount: { amount: 2_000 }, photos: [`/api/files/${photo}`], refund: null });
    expect(afterSale.lines).toEqual([{ orderLineId: lineId, title: expect.any(String), amount: { amount: 2_000 } }]);
    expect((await gqlAfterSale(rt, buyer.viewer, MINE, { orderId })).data!.myAfterSales.nodes).toEqual([{ id: afterSale.id, status: "REQUESTED", amount: { amount: 2_000 } }]);
    expect((await gqlAfterSale(rt, shop.store.viewer, STORE)).data!.merchantAfterSales.nodes).toContainEqual({ id: afterSale.id, status: "REQUESTED" });

    const decided = await gqlAfterSale(rt, shop.store.viewer, DECIDE, { input: { afterSaleId: afterSale.id, approve: true } });

    expect(decided.data!.decideAfterSale).toEqual({
      afterSale: { id: afterSale.id, status: "REFUNDED", merchantNote: null, refund: { amount: { amount: 2_000 }, status: "SUCCEEDED" } },
      errors: [],
    });
    const seen = await gqlAfterSale(rt, buyer.viewer, MY_ORDER, { id: orderId });
    expect(seen.data!.myOrder.lines).toEqual([{ amount: { amount: 12_800 }, refundedAmount: { amount: 2_000 } }]);
  });

  it("given a merchant of another store, when they list or decide the request, then they see nothing, get AFTER_SALE_NOT_FOUND, and nothing changes", async () => {
    const { buyer, orderId, lineId } = await paidOrder();
    const id = (await ask(buyer, orderId, [{ orderLineId: lineId, amount: 1_000 }])).data!.requestAfterSale.afterSale.id;
    const stranger = await createStore(rt);
    const before = await orderEffects(rt, orderId);

    const listed = await gqlAfterSale(rt, stranger.viewer, STORE);
    const decided = await gqlAfterSale(rt, stranger.viewer, DECIDE, { input: { afterSaleId: id, approve: true } });

    expect(listed.data!.merchantAfterSales.nodes).toEqual([]);
    expect(decided.data!.decideAfterSale).toEqual({ afterSale: null, errors: [{ code: "AFTER_SALE_NOT_FOUND", field: "afterSaleId" }] });
    expect(await orderEffects(rt, orderId)).toEqual(before);
    expect(before.requests.map((r) => r.status)).toEqual(["REQUESTED"]);
  });

  it.each([
    ["a one-character reason", "INVALID_REASON", "reason", { reason: "坏" }],
    ["7 photos", "TOO_MANY_PHOTOS", "photoKeys", { photoKeys: ["a", "b", "c", "d", "e", "f", "g"] }],
    ["a photo somebody else uploaded", "INVALID_PHOTO", "photoKeys", { photoKeys: ["uploads/not-mine.png"] }],
    ["more than was paid", "AMOUNT_EXCEEDS_REFUNDABLE", "lines.0.amount", { amount: 12_801 }],
    ["a zero amount", "INVALID_AMOUNT", "lines.0.amount", { amount: 0 }],
    ["a line of another order", "INVALID_LINES", "lines.0.orderLineId", { otherLine: true }],
  ])("given a request with %s, then exactly one %s error on %s and nothing is written", async (_label, code, field, change) => {
    const { buyer, orderId, lineId } = await paidOrder();
    const other = (change as { otherLine?: boolean }).otherLine ? (await paidOrder()).lineId : lineId;
    const { amount = 100, otherLine: _o, ...extra } = change as { amount?: number; otherLine?: boolean };
    const before = await orderEffects(rt, orderId);

    const r = await ask(buyer, orderId, [{ orderLineId: other, amount }], extra);

    expect(r.data!.requestAfterSale).toEqual({ afterSale: null, errors: [{ code, field }] });
    expect(await orderEffects(rt, orderId)).toEqual(before);
  });

  it("given an unpaid order, or somebody else's order, then NOT_REFUNDABLE or ORDER_NOT_FOUND and nothing is written", async () => {
    const buyer = await cast.boundBuyer();
    const unpaid = await order(rt, buyer, shop.store, [{ skuId: shop.product.skus[0].id, quantity: 1 }]);
    const unpaidLine = (await orderEffects(rt, unpaid.id)).lines[0].id;
    const { orderId, lineId } = await paidOrder();
    const stranger = await createConsumer(rt);

    const notPaid = await ask(buyer, unpaid.id, [{ orderLineId: unpaidLine, amount: 100 }]);
    const notMine = await ask(stranger, orderId, [{ orderLineId: lineId, amount: 100 }]);

    expect(notPaid.data!.requestAfterSale.errors).toEqual([{ code: "NOT_REFUNDABLE", field: "orderId" }]);
    expect(notMine.data!.requestAfterSale.errors).toEqual([{ code: "ORDER_NOT_FOUND", field: "orderId" }]);
    expect((await orderEffects(rt, unpaid.id)).requests).toEqual([]);
    expect((await orderEffects(rt, orderId)).requests).toEqual([]);
  });

  it("given a request, when the consumer cancels it, then it is CANCELLED, the amount can be asked again, and nobody else can cancel or decide it", async () => {
    const { buyer, orderId, lineId } = await paidOrder();
    const id = (await ask(buyer, orderId, [{ orderLineId: lineId, amount: 12_800 }])).data!.requestAfterSale.afterSale.id;
    const stranger = await createConsumer(rt);

    expect((await gqlAfterSale(rt, stranger.viewer, CANCEL, { input: { afterSaleId: id } })).data!.cancelAfterSale.errors).toEqual([
      { code: "AFTER_SALE_NOT_FOUND", field: "afterSaleId" },
    ]);
    expect((await gqlAfterSale(rt, buyer.viewer, CANCEL, { input: { afterSaleId: id } })).data!.cancelAfterSale).toEqual({ afterSale: { id, status: "CANCELLED" }, errors: [] });
    expect((await gqlAfterSale(rt, buyer.viewer, CANCEL, { input: { afterSaleId: id } })).data!.cancelAfterSale.errors).toEqual([{ code: "INVALID_STATE", field: "afterSaleId" }]);
    expect((await gqlAfterSale(rt, shop.store.viewer, DECIDE, { input: { afterSaleId: id, approve: true } })).data!.decideAfterSale.errors).toEqual([
      { code: "INVALID_STATE", field: "afterSaleId" },
    ]);
    expect((await ask(buyer, orderId, [{ orderLineId: lineId, amount: 12_800 }])).data!.requestAfterSale.errors).toEqual([]);
    expect((await orderEffects(rt, orderId)).refunds).toEqual([]);
  });

  it("given a request, when the merchant rejects it without a reason, then INVALID_NOTE; with one, REJECTED, no refund, and the amount can be asked again", async () => {
    const { buyer, orderId, lineId } = await paidOrder();
    const id = (await ask(buyer, orderId, [{ orderLineId: lineId, amount: 12_800 }])).data!.requestAfterSale.afterSale.id;

    const bare = await gqlAfterSale(rt, shop.store.viewer, DECIDE, { input: { afterSaleId: id, approve: false } });
    expect(bare.data!.decideAfterSale).toEqual({ afterSale: null, errors: [{ code: "INVALID_NOTE", field: "note" }] });
    const rejected = await gqlAfterSale(rt, shop.store.viewer, DECIDE, { input: { afterSaleId: id, approve: false, note: "商品完好，不支持退款" } });

    expect(rejected.data!.decideAfterSale).toEqual({ afterSale: { id, status: "REJECTED", merchantNote: "商品完好，不支持退款", refund: null }, errors: [] });
    const effects = await orderEffects(rt, orderId);
    expect(effects.refunds).toEqual([]);
    expect(effects.rewards.every((r) => r.reversed === 0)).toBe(true);
    expect((await ask(buyer, orderId, [{ orderLineId: lineId, amount: 12_800 }])).data!.requestAfterSale.errors).toEqual([]);
  });

  it("given no session, a consumer or a merchant, then each after-sale operation is refused to whoever lacks its permission", async () => {
    const consumer = await createConsumer(rt);
    expect((await gqlAfterSale(rt, null, MINE)).errors.map((e) => e.code)).toEqual(["UNAUTHENTICATED"]);
    expect((await gqlAfterSale(rt, consumer.viewer, STORE)).errors.map((e) => e.code)).toEqual(["FORBIDDEN"]);
    const onlyMerchant = { ...shop.store.viewer, roles: ["MERCHANT" as const], permissions: new Set(["SIGNED_IN", "STORE_MANAGE"] as const) };
    expect((await gqlAfterSale(rt, onlyMerchant as never, MINE)).errors.map((e) => e.code)).toEqual(["FORBIDDEN"]);
  });

  it("given the after-sale resolvers, then every operation names its permission and the consumer's types carry no cost, margin or commission", async () => {
    const schema = await buildSchema({ resolvers: [ShopAfterSaleResolver, MerchantAfterSaleResolver] as unknown as typeof resolvers, authChecker, validate: false });
    const storage = getMetadataStorage();
    const ours = new Set<Function>([ShopAfterSaleResolver, MerchantAfterSaleResolver]);
    const operations = [...storage.queries, ...storage.mutations, ...storage.fieldResolvers].filter((d) => ours.has(d.target));
    expect(operations.map((d) => [d.schemaName, d.roles])).toEqual(
      expect.arrayContaining([
        ["myAfterSales", ["SHOP_BUY"]],
        ["requestAfterSale", ["SHOP_BUY"]],
        ["cancelAfterSale", ["SHOP_BUY"]],
        ["merchantAfterSales", ["STORE_MANAGE"]],
        ["decideAfterSale", ["STORE_MANAGE"]],
      ]),
    );
    expect(operations.filter((d) => !d.roles?.length)).toEqual([]);
    const leaks = ["ShopAfterSale", "AfterSaleLine", "AfterSaleRefund"].flatMap((name) =>
      Object.keys((schema.getType(name) as GraphQLObjectType).getFields()).filter((f) => /supply|cost|margin|commission/i.test(f)).map((f) => `${name}.${f}`),
    );
    expect(leaks).toEqual([]);
  });
});
