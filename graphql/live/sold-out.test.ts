/**
 * The host's 标记售罄 in a sales room, through GraphQL on the real database: marking broadcasts the
 * existing SOLD_OUT event (with the product and its SKUs) and shows the product sold out in the room
 * until it is unmarked (SOLD_OUT_CLEARED); stock is never touched. Products not on the shelf, lives
 * not on air and other people's lives are refused with typed errors and nothing is heard.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { listings, liveEvents, liveProducts, orders, skus } from "@/db/schema";
import { createTestRuntime, gql, gqlOk, type TestRuntime } from "../test/harness";
import { createPerson, createShop, ctxOf, newIdempotencyKey, type Shop } from "../test/fixtures";
import { newIdNumber } from "../test/wallet-fixtures";
import { applyForAnchor, reviewAnchor } from "./anchor.service";
import { scheduleLive, startLive, type LiveRow } from "./live.service";

const MARK = `mutation($l: ID!, $p: ID!, $s: Boolean!) { markLiveSoldOut(liveId: $l, productId: $p, soldOut: $s) { live { shelf { productId soldOut } } errors { code field } } }`;
const ROOM = `query($id: ID!) { shopLive(id: $id) { shelf { productId soldOut skus { inStock } } } }`;

describe("标记售罄 in the host console", () => {
  let rt: TestRuntime;
  let shop: Shop;
  let live: LiveRow;
  const db = () => rt.services.db;
  const events = async (liveId = live.id) => (await db().select().from(liveEvents).where(eq(liveEvents.liveId, liveId))).map((e) => ({ kind: e.kind, payload: e.payload }));
  const product = () => shop.product.product.id;

  async function onAir(s: Shop): Promise<LiveRow> {
    const [listing] = await db().select().from(listings).where(eq(listings.storeId, s.store.storeId));
    const l = await scheduleLive(ctxOf(rt), s.store.storeId, s.store.userId, { title: "售罄测试专场", scheduledAt: rt.services.clock.now(), listingIds: [listing.id], prices: [], playbackUrl: "https://cdn.example.com/a.m3u8" });
    await startLive(ctxOf(rt), { storeId: s.store.storeId }, s.store.userId, l.id);
    return l;
  }

  beforeAll(async () => {
    rt = await createTestRuntime();
    shop = await createShop(rt, [{ stock: 30 }, { stock: 5 }]);
    const operator = await createPerson(rt, { roles: ["OPERATOR"], login: `op-soldout-${Date.now()}` });
    await applyForAnchor(ctxOf(rt), shop.store.userId, { name: "林小满", idNumber: newIdNumber() });
    await reviewAnchor(ctxOf(rt), operator.userId, shop.store.userId, { status: "APPROVED", tier: 1 });
    live = await onAir(shop);
  });
  afterAll(() => rt?.dispose());

  it("given a shelf product on air, when the host marks it sold out, then the room hears SOLD_OUT with the product and its SKUs, viewers see it sold out, and stock is unchanged", async () => {
    const stockBefore = (await db().select().from(skus).where(eq(skus.productId, product()))).map((s) => s.stock).sort();

    const r = await gqlOk<any>(rt, shop.store.viewer, MARK, { l: live.id, p: product(), s: true });

    expect(r.markLiveSoldOut).toEqual({ live: { shelf: [{ productId: product(), soldOut: true }] }, errors: [] });
    const heard = (await events()).filter((e) => e.kind === "SOLD_OUT");
    expect(heard).toEqual([{ kind: "SOLD_OUT", payload: { productId: product(), skuIds: expect.arrayContaining(shop.product.skus.map((s) => s.id)), byHost: true } }]);
    expect((await gqlOk<any>(rt, shop.consumer.viewer, ROOM, { id: live.id })).shopLive.shelf[0].soldOut).toBe(true);
    expect((await db().select().from(skus).where(eq(skus.productId, product()))).map((s) => s.stock).sort()).toEqual(stockBefore);
  });

  it("given it is already marked, when marked again, then nothing more is heard", async () => {
    const before = (await events()).length;
    const r = await gqlOk<any>(rt, shop.store.viewer, MARK, { l: live.id, p: product(), s: true });
    expect(r.markLiveSoldOut.errors).toEqual([]);
    expect((await events()).length).toBe(before);
  });

  const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } errors { code field } } }`;
  const orderFromRoom = (skuId: string) =>
    gqlOk<any>(rt, shop.consumer.viewer, PLACE, {
      input: { storeSlug: shop.store.slug, addressId: shop.consumer.addressId, idempotencyKey: newIdempotencyKey(), items: [{ skuId, quantity: 1 }], liveId: live.id },
    }).then((d) => d.placeOrder);
  const ordersOf = async () => (await db().select().from(orders).where(eq(orders.userId, shop.consumer.userId))).length;

  it("given a marked product, when a viewer orders it from the room anyway (a stale page), then SOLD_OUT on the item and no order is written", async () => {
    const before = await ordersOf();

    const r = await orderFromRoom(shop.product.skus[1].id);

    expect(r).toEqual({ order: null, errors: [{ code: "SOLD_OUT", field: "items.0.skuId" }] });
    expect(await ordersOf()).toBe(before);
  });

  it("given a marked product, when the host unmarks it, then the room hears SOLD_OUT_CLEARED and viewers can buy it again", async () => {
    const r = await gqlOk<any>(rt, shop.store.viewer, MARK, { l: live.id, p: product(), s: false });

    expect(r.markLiveSoldOut.live.shelf[0].soldOut).toBe(false);
    expect((await events()).at(-1)).toEqual({ kind: "SOLD_OUT_CLEARED", payload: { productId: product() } });
    const [row] = await db().select().from(liveProducts).where(eq(liveProducts.liveId, live.id));
    expect(row.soldOutAt).toBeNull();
    expect((await orderFromRoom(shop.product.skus[1].id)).errors).toEqual([]);
  });

  it.each<[string, () => Promise<{ viewer: Shop["store"]["viewer"]; liveId: string; productId: string }>, { code: string; field: string }]>([
    ["a product that is not on the live's shelf", async () => ({ viewer: shop.store.viewer, liveId: live.id, productId: (await createShop(rt)).product.product.id }), { code: "PRODUCT_NOT_ON_SHELF", field: "productId" }],
    ["a live that has not started", async () => {
      const [listing] = await db().select().from(listings).where(eq(listings.storeId, shop.store.storeId));
      const later = await scheduleLive(ctxOf(rt), shop.store.storeId, shop.store.userId, { title: "明晚专场", scheduledAt: new Date(rt.services.clock.now().getTime() + 3_600_000), listingIds: [listing.id], prices: [] });
      return { viewer: shop.store.viewer, liveId: later.id, productId: product() };
    }, { code: "INVALID_STATE", field: "liveId" }],
    ["another store's host", async () => ({ viewer: (await createShop(rt)).store.viewer, liveId: live.id, productId: product() }), { code: "LIVE_NOT_FOUND", field: "liveId" }],
  ])("given %s, then the typed error and nothing is marked or heard", async (_, setup, error) => {
    const { viewer, liveId, productId } = await setup();
    const before = await events(liveId);

    const r = await gqlOk<any>(rt, viewer, MARK, { l: liveId, p: productId, s: true });

    expect(r.markLiveSoldOut).toEqual({ live: null, errors: [error] });
    expect(await events(liveId)).toEqual(before);
    expect((await db().select().from(liveProducts).where(eq(liveProducts.liveId, liveId))).every((p) => p.soldOutAt === null)).toBe(true);
  });

  it("given two changes in one operation (mark, then unmark; pin, then unpin), then each answers the room as it stands after it, not what the request read first", async () => {
    const r = await gqlOk<any>(
      rt,
      shop.store.viewer,
      `mutation($l: ID!, $p: ID!) {
        marked: markLiveSoldOut(liveId: $l, productId: $p, soldOut: true) { live { shelf { soldOut } } errors { code } }
        cleared: markLiveSoldOut(liveId: $l, productId: $p, soldOut: false) { live { shelf { soldOut } } errors { code } }
        pinned: pinLiveProduct(liveId: $l, productId: $p) { live { pinnedProductId } errors { code } }
        unpinned: pinLiveProduct(liveId: $l, productId: null) { live { pinnedProductId } errors { code } }
      }`,
      { l: live.id, p: product() },
    );

    expect(r).toEqual({
      marked: { live: { shelf: [{ soldOut: true }] }, errors: [] },
      cleared: { live: { shelf: [{ soldOut: false }] }, errors: [] },
      pinned: { live: { pinnedProductId: product() }, errors: [] },
      unpinned: { live: { pinnedProductId: null }, errors: [] },
    });
  });

  it("given a consumer or a supplier, then the host tool is FORBIDDEN", async () => {
    for (const viewer of [shop.consumer.viewer, shop.supplier.viewer]) {
      expect((await gql(rt, viewer, MARK, { l: live.id, p: product(), s: true })).errors.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    }
  });
});
