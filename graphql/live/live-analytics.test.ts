/**
 * Session analytics from what a room recorded, on a live scripted at fixed times: unique viewers,
 * average watch time, comments, likes, product clicks, orders, GMV and conversion; per product
 * chapter (only what happened while the product was explained); minute by minute. And the
 * supplier's view of its products across merchants' lives.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { anchors, listings, lives } from "@/db/schema";
import { createTestRuntime, gqlOk, type TestRuntime } from "../test/harness";
import { createConsumer, createShop, newIdempotencyKey, pay, type Shop } from "../test/fixtures";
import { placeOrder } from "../order/checkout.service";
import { endLive, pinProduct, scheduleLive, startLive } from "./live.service";
import { checkIn } from "./live-room.service";
import { postComment, recordBehaviour } from "./live-comment.service";

const ANALYTICS = `query($l: ID!) { liveAnalytics(liveId: $l) {
  summary { uniqueViewers avgWatchSeconds comments productClicks orders buyers gmv { amount } conversionBp }
  chapters { productId title startMs endMs clicks orders gmv { amount } }
  minutes { minute watching joined comments orders gmv { amount } } } }`;

describe("live analytics", () => {
  let rt: TestRuntime;
  let shop: Shop;
  let liveId: string;
  let orderTotal: number;
  let linePaid: number;
  beforeAll(async () => {
    rt = await createTestRuntime();
    shop = await createShop(rt, [{ stock: 50, supplyPrice: 2_000, suggestedPrice: 5_990 }]);
    const db = rt.services.db;
    await db.insert(anchors).values({ userId: shop.store.userId, status: "APPROVED", tier: 1, createdAt: rt.services.clock.now() });
    const t0 = new Date(rt.services.clock.now().getTime() - 10 * 60_000);
    const at = (s: number) => ({ db, now: new Date(t0.getTime() + s * 1000) });
    const owner = { storeId: shop.store.storeId };
    const [listing] = await db.select().from(listings).where(eq(listings.storeId, shop.store.storeId));
    const live = await scheduleLive(at(0), shop.store.storeId, shop.store.userId, { title: "数据复盘场", scheduledAt: at(0).now, listingIds: [listing.id], prices: [], playbackUrl: "/media/demo-live/index.m3u8" });
    liveId = live.id;
    await startLive(at(0), owner, shop.store.userId, live.id);
    const [a, b, buyer] = [await createConsumer(rt), await createConsumer(rt), await createConsumer(rt)];
    for (const v of [a, b, buyer]) await checkIn(db, { liveId, viewerKey: `u:${v.userId}`, userId: v.userId }, at(30).now);
    await checkIn(db, { liveId, viewerKey: `u:${a.userId}`, userId: a.userId }, at(45).now); // a watched 15 s
    await pinProduct(at(60), owner, liveId, shop.product.product.id);
    await recordBehaviour(db, buyer.userId, { kind: "PRODUCT_CLICK", liveId, productId: shop.product.product.id }, at(70).now);
    const order = await placeOrder(at(90), buyer.userId, { storeSlug: shop.store.slug, items: [{ skuId: shop.product.skus[0].id, quantity: 2 }], addressId: buyer.addressId, idempotencyKey: newIdempotencyKey(), liveId, couponIds: [] });
    await pay(rt, buyer, order.id);
    orderTotal = Number(order.totalAmount);
    linePaid = Number(order.goodsAmount);
    await postComment(at(100), a.userId, liveId, "好看");
    // The buyer's connection checks in every 30 s or so until 130 s: 100 s watched.
    for (const s of [60, 90, 120, 130]) await checkIn(db, { liveId, viewerKey: `u:${buyer.userId}`, userId: buyer.userId }, at(s).now);
    await pinProduct(at(150), owner, liveId, null);
    await endLive(at(180), owner, shop.store.userId, liveId);
  });
  afterAll(() => rt?.dispose());

  it("given the scripted live, then the summary counts its viewers, watch time, comment, click, order, GMV and conversion", async () => {
    const { liveAnalytics: a } = await gqlOk<any>(rt, shop.store.viewer, ANALYTICS, { l: liveId });
    expect(a.summary).toEqual({
      uniqueViewers: 3,
      avgWatchSeconds: Math.round((15 + 0 + 100) / 3),
      comments: 1,
      productClicks: 1,
      orders: 1,
      buyers: 1,
      gmv: { amount: orderTotal },
      conversionBp: 3333,
    });
  });

  it("given one pin from 60 s to 150 s, then its chapter carries the click and the order placed within it", async () => {
    const { liveAnalytics: a } = await gqlOk<any>(rt, shop.store.viewer, ANALYTICS, { l: liveId });
    expect(a.chapters).toEqual([{ productId: shop.product.product.id, title: shop.product.product.title, startMs: 60_000, endMs: 150_000, clicks: 1, orders: 1, gmv: { amount: linePaid } }]);
  });

  it("minute by minute: who was watching (present across the minute) and joined; the comment and the order land in the minute they happened", async () => {
    const { liveAnalytics: a } = await gqlOk<any>(rt, shop.store.viewer, ANALYTICS, { l: liveId });
    expect(a.minutes).toEqual([
      { minute: 0, watching: 3, joined: 3, comments: 0, orders: 0, gmv: { amount: 0 } },
      { minute: 1, watching: 1, joined: 0, comments: 1, orders: 1, gmv: { amount: orderTotal } },
      { minute: 2, watching: 1, joined: 0, comments: 0, orders: 0, gmv: { amount: 0 } },
    ]);
  });

  it("given another merchant, then no analytics for this live; the supplier sees the live among those that sold its products", async () => {
    const other = await createShop(rt);
    expect((await gqlOk<any>(rt, other.store.viewer, ANALYTICS, { l: liveId })).liveAnalytics).toBeNull();
    const sales = await gqlOk<any>(rt, shop.supplier.viewer, `{ supplierLiveSales { liveId title units orders goods { amount } } }`);
    expect(sales.supplierLiveSales).toEqual([{ liveId, title: "数据复盘场", units: 2, orders: 1, goods: { amount: linePaid } }]);
    expect((await rt.services.db.select().from(lives).where(eq(lives.id, liveId)))[0].status).toBe("ENDED");
  });
});
