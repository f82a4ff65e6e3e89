/**
 * Live rooms through the real services on PGlite or the Postgres server of DATABASE_URL: scheduling
 * (live prices never below the floor, only the store's own listings), anchor certification gating
 * the start, 预约 notifications, the host console (pin, shelf, live price), comments through the
 * filter (delivered, masked, held, released), mutes and blocks, replay chapters from pins, and the
 * LISTEN/NOTIFY fan-out: events reach a hub after commit, never after a rollback, and — on Postgres
 * — reach a hub on a second connection as a second app instance would.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, count, eq } from "drizzle-orm";
import { openDatabase, type Database } from "@/db/client";
import { anchors, listings, liveComments, liveEvents, livePrices, liveProducts, lives, liveTasks, notifications, orderLines, orders, skus, userCoupons } from "@/db/schema";
import { createTestRuntime, gql, gqlOk, type TestRuntime } from "../test/harness";
import { createConsumer, createPerson, createShop, ctxOf, newIdempotencyKey, type ConsumerFixture, type Person, type Shop } from "../test/fixtures";
import { newIdNumber } from "../test/wallet-fixtures";
import { readEconomics } from "../platform/settings";
import { minimumRetailPrice } from "../store/store.rules";
import { LiveHub, publishLiveEvent, type RoomMessage } from "./live-bus";
import { openRoomStream } from "./live-sse";
import { checkIn, presentViewers } from "./live-room.service";
import { createLiveCoupon, createLiveTask, liveCoupons, sharerOf, tasksFor } from "./live-marketing.service";
import { claimCoupon, createStoreCoupon } from "../marketing/coupon.service";
import { ensureMember } from "../referral/binding.service";
import { applyForAnchor, reviewAnchor } from "./anchor.service";
import { announceLive, changeLivePrice, endLive, pinProduct, pinnedProductId, replayChapters, reserveLive, scheduleLive, setOnShelf, startLive, type LiveRow } from "./live.service";
import { addModerationWord, banViewer, moderateComment, postComment, recentComments, reviewHeldComment } from "./live-comment.service";

const MIN = 60_000;
const PRICE = 12_800;
const SUPPLY = 5_000;
const PLAYBACK = "https://cdn.example.com/live/room.m3u8";
const PREVIEW = `query($input: CheckoutPreviewInput!) { checkoutPreview(input: $input) {
  preview { totalAmount { amount } lines { unitPrice { amount } listUnitPrice { amount } } } errors { code message field } } }`;
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } errors { code message field } } }`;

describe("live rooms", () => {
  let rt: TestRuntime;
  let shop: Shop;
  let operator: Person;
  let hub: LiveHub;
  let floor: number;
  const received: RoomMessage[] = [];
  const db = () => rt.services.db;
  const now = () => rt.services.clock.now();
  const owner = () => ({ storeId: shop.store.storeId });

  beforeAll(async () => {
    rt = await createTestRuntime();
    shop = await createShop(rt, [{ stock: 100, supplyPrice: SUPPLY, suggestedPrice: PRICE }]);
    operator = await createPerson(rt, { roles: ["OPERATOR"], login: `op-live-${Date.now()}` });
    floor = minimumRetailPrice(SUPPLY, await readEconomics(db(), now()));
    hub = new LiveHub(db());
    await hub.start(rt.database);
  });
  afterAll(async () => {
    await hub?.close();
    await rt?.dispose();
  });

  async function listingOf(s: Shop) {
    const [row] = await db().select().from(listings).where(eq(listings.storeId, s.store.storeId));
    return row.id;
  }
  const schedule = async (over: Partial<Parameters<typeof scheduleLive>[3]> = {}) =>
    scheduleLive(ctxOf(rt), shop.store.storeId, shop.store.userId, {
      title: "秋冬上新专场",
      scheduledAt: new Date(now().getTime() + 10 * MIN),
      listingIds: [await listingOf(shop)],
      prices: [{ skuId: shop.product.skus[0].id, livePrice: floor + 100 }],
      playbackUrl: PLAYBACK,
      ...over,
    });
  const liveCount = async () => Number((await db().select({ n: count() }).from(lives))[0].n);
  async function certify(userId: string) {
    await applyForAnchor(ctxOf(rt), userId, { name: "林小满", idNumber: newIdNumber() });
    await reviewAnchor(ctxOf(rt), operator.userId, userId, { status: "APPROVED", tier: 2 });
  }
  /** Waits for the hub to have received a message matching `pred` (NOTIFY arrives asynchronously). */
  async function heard(pred: (m: RoomMessage) => boolean, timeoutMs = 3_000): Promise<RoomMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = received.find(pred);
      if (m) return m;
      if (Date.now() > deadline) throw new Error(`not heard within ${timeoutMs} ms; heard ${JSON.stringify(received.map((r) => r.kind))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  const settle = () => new Promise((r) => setTimeout(r, 150));

  describe("scheduling", () => {
    it("given a valid shelf and live price, then the live, its shelf and price are stored, SCHEDULED", async () => {
      const live = await schedule();
      expect(live).toMatchObject({ kind: "SALES", status: "SCHEDULED", storeId: shop.store.storeId, playbackUrl: PLAYBACK });
      expect(await db().select().from(liveProducts).where(eq(liveProducts.liveId, live.id))).toHaveLength(1);
      expect(await db().select().from(livePrices).where(eq(livePrices.liveId, live.id))).toEqual([{ liveId: live.id, skuId: shop.product.skus[0].id, livePrice: floor + 100, perUserLimit: null }]);
    });

    it.each<[string, string, string, () => Promise<Partial<Parameters<typeof scheduleLive>[3]>>]>([
      ["a live price below the floor", "PRICE_BELOW_FLOOR", "prices.0.livePrice", async () => ({ prices: [{ skuId: shop.product.skus[0].id, livePrice: floor - 1 }] })],
      ["a live price not below the list price", "PRICE_NOT_BELOW_LIST", "prices.0.livePrice", async () => ({ prices: [{ skuId: shop.product.skus[0].id, livePrice: PRICE }] })],
      ["another store's listing", "LISTING_NOT_FOUND", "listingIds", async () => ({ listingIds: [await listingOf(await createShop(rt))] })],
      ["an http playback URL", "INVALID_PLAYBACK_URL", "playbackUrl", async () => ({ playbackUrl: "http://cdn.example.com/a.m3u8" })],
      ["a one-character title", "INVALID_TITLE", "title", async () => ({ title: "播" })],
    ])("given %s, then %s on %s and nothing is written", async (_, code, field, over) => {
      const input = await over();
      const before = await liveCount();
      await expect(schedule(input)).rejects.toMatchObject({ code, field });
      expect(await liveCount()).toBe(before);
    });
  });

  describe("going live", () => {
    let live: LiveRow;
    let fan: ConsumerFixture;
    beforeAll(async () => {
      live = await schedule();
      fan = await createConsumer(rt);
      await reserveLive(ctxOf(rt), fan.userId, live.id);
      await reserveLive(ctxOf(rt), fan.userId, live.id); // twice: one reservation
    });

    it("given a host who is not a certified anchor, then ANCHOR_NOT_CERTIFIED and the live stays SCHEDULED with no START event", async () => {
      await expect(startLive(ctxOf(rt), owner(), shop.store.userId, live.id)).rejects.toMatchObject({ code: "ANCHOR_NOT_CERTIFIED" });
      const [row] = await db().select().from(lives).where(eq(lives.id, live.id));
      expect(row.status).toBe("SCHEDULED");
      expect(await db().select().from(liveEvents).where(eq(liveEvents.liveId, live.id))).toEqual([]);
    });

    it("given an anchor application without a verified real name, then REAL_NAME_REQUIRED; a pending anchor still cannot start", async () => {
      const stranger = await createConsumer(rt);
      await expect(applyForAnchor(ctxOf(rt), stranger.userId)).rejects.toMatchObject({ code: "REAL_NAME_REQUIRED" });
      await applyForAnchor(ctxOf(rt), shop.store.userId, { name: "林小满", idNumber: newIdNumber() });
      expect((await db().select().from(anchors).where(eq(anchors.userId, shop.store.userId)))[0].status).toBe("PENDING");
      await expect(startLive(ctxOf(rt), owner(), shop.store.userId, live.id)).rejects.toMatchObject({ code: "ANCHOR_NOT_CERTIFIED" });
    });

    it("given an approved anchor, when the host starts, then the live is LIVE, the room hears START after commit and the reserved fan is notified once", async () => {
      await reviewAnchor(ctxOf(rt), operator.userId, shop.store.userId, { status: "APPROVED", tier: 2 });
      const unsubscribe = hub.subscribe(live.id, (m) => received.push(m));

      const started = await startLive(ctxOf(rt), owner(), shop.store.userId, live.id);

      expect(started).toMatchObject({ status: "LIVE", startedAt: expect.any(Date) });
      await heard((m) => m.liveId === live.id && m.kind === "START");
      const told = await db().select().from(notifications).where(and(eq(notifications.userId, fan.userId), eq(notifications.kind, "LIVE_STARTED")));
      expect(told).toHaveLength(1);
      expect(told[0].link).toBe(`/live/${live.id}`);
      await expect(startLive(ctxOf(rt), owner(), shop.store.userId, live.id)).rejects.toMatchObject({ code: "INVALID_STATE" });
      unsubscribe();
    });

    it("given another store, when it tries to start, pin or end this live, then LIVE_NOT_FOUND and nothing changes", async () => {
      const other = { storeId: (await createShop(rt)).store.storeId };
      const events = (await db().select().from(liveEvents).where(eq(liveEvents.liveId, live.id))).length;
      await expect(pinProduct(ctxOf(rt), other, live.id, shop.product.product.id)).rejects.toMatchObject({ code: "LIVE_NOT_FOUND" });
      await expect(endLive(ctxOf(rt), other, shop.store.userId, live.id)).rejects.toMatchObject({ code: "LIVE_NOT_FOUND" });
      expect((await db().select().from(liveEvents).where(eq(liveEvents.liveId, live.id))).length).toBe(events);
    });
  });

  describe("in the room", () => {
    let live: LiveRow;
    let viewer: ConsumerFixture;
    let unsubscribe: () => void;
    beforeAll(async () => {
      const anchor = (await db().select().from(anchors).where(eq(anchors.userId, shop.store.userId)))[0];
      if (anchor?.status !== "APPROVED") await certify(shop.store.userId);
      live = await schedule({ title: "晚间福利场" });
      await startLive(ctxOf(rt), owner(), shop.store.userId, live.id);
      viewer = await createConsumer(rt);
      unsubscribe = hub.subscribe(live.id, (m) => received.push(m));
    });
    afterAll(() => unsubscribe?.());

    it("given the host pins a shelf product, then viewers hear PIN and it is the pinned product; a product off the shelf cannot be pinned", async () => {
      await pinProduct(ctxOf(rt), owner(), live.id, shop.product.product.id);
      await heard((m) => m.liveId === live.id && m.kind === "PIN" && m.payload.productId === shop.product.product.id);
      expect(await pinnedProductId(db(), live.id)).toBe(shop.product.product.id);
      const other = await createShop(rt);
      await expect(pinProduct(ctxOf(rt), owner(), live.id, other.product.product.id)).rejects.toMatchObject({ code: "PRODUCT_NOT_ON_SHELF" });
    });

    it("given a live price change, then viewers hear PRICE; one below the floor is refused and the old price stays", async () => {
      const sku = shop.product.skus[0].id;
      await changeLivePrice(ctxOf(rt), owner(), live.id, { skuId: sku, livePrice: floor + 50 });
      await heard((m) => m.kind === "PRICE" && m.payload.livePrice === floor + 50);
      await expect(changeLivePrice(ctxOf(rt), owner(), live.id, { skuId: sku, livePrice: floor - 1 })).rejects.toMatchObject({ code: "PRICE_BELOW_FLOOR" });
      expect((await db().select().from(livePrices).where(eq(livePrices.liveId, live.id)))[0].livePrice).toBe(floor + 50);
    });

    it("given the host takes a product off the shelf, then viewers hear SHELF_OFF", async () => {
      await setOnShelf(ctxOf(rt), owner(), live.id, shop.product.product.id, false);
      await heard((m) => m.kind === "SHELF_OFF" && m.payload.productId === shop.product.product.id);
      await setOnShelf(ctxOf(rt), owner(), live.id, shop.product.product.id, true);
    });

    it("given an ordinary comment, then it is broadcast as written", async () => {
      const c = await postComment(ctxOf(rt), viewer.userId, live.id, "这件毛衣有米色吗");
      expect(c).toMatchObject({ status: "VISIBLE", verdict: "DELIVER", body: "这件毛衣有米色吗" });
      await heard((m) => m.kind === "COMMENT" && m.payload.id === c.id && m.payload.body === "这件毛衣有米色吗");
    });

    it("given an abusive comment, then it is broadcast masked and the original is kept for review", async () => {
      const c = await postComment(ctxOf(rt), viewer.userId, live.id, "主播是傻.逼");
      expect(c).toMatchObject({ status: "VISIBLE", verdict: "MASK", body: "主播是＊＊＊", original: "主播是傻.逼" });
      await heard((m) => m.kind === "COMMENT" && m.payload.id === c.id && m.payload.body === "主播是＊＊＊");
    });

    it("given a comment diverting buyers off the platform (even in pinyin), then it is HELD and nobody hears it until an operator releases it", async () => {
      const c = await postComment(ctxOf(rt), viewer.userId, live.id, "便宜卖 jia wei xin");
      expect(c).toMatchObject({ status: "HELD", verdict: "HOLD" });
      await settle();
      expect(received.some((m) => m.kind === "COMMENT" && m.payload.id === c.id)).toBe(false);
      expect((await recentComments(db(), live.id)).map((r) => r.comment.id)).not.toContain(c.id);

      const rejected = await reviewHeldComment(ctxOf(rt), operator.userId, c.id, false);
      expect(rejected.status).toBe("REJECTED");
      await expect(reviewHeldComment(ctxOf(rt), operator.userId, c.id, true)).rejects.toMatchObject({ code: "COMMENT_NOT_FOUND" });
      await settle();
      expect(received.some((m) => m.kind === "COMMENT" && m.payload.id === c.id)).toBe(false);
    });

    it("given a word an operator added, then comments containing it are held from then on", async () => {
      await addModerationWord(ctxOf(rt), operator.userId, "HOLD", "内部价群");
      const c = await postComment(ctxOf(rt), viewer.userId, live.id, "进 内部 价群");
      expect(c.status).toBe("HELD");
    });

    it("given bad comments, then typed errors and nothing written", async () => {
      const before = Number((await db().select({ n: count() }).from(liveComments))[0].n);
      await expect(postComment(ctxOf(rt), viewer.userId, live.id, "   ")).rejects.toMatchObject({ code: "EMPTY_COMMENT" });
      await expect(postComment(ctxOf(rt), viewer.userId, live.id, "字".repeat(101))).rejects.toMatchObject({ code: "TOO_LONG" });
      await expect(postComment(ctxOf(rt), viewer.userId, "not-a-live", "hi")).rejects.toMatchObject({ code: "LIVE_NOT_FOUND" });
      const scheduled = await schedule({ title: "明天的直播" });
      await expect(postComment(ctxOf(rt), viewer.userId, scheduled.id, "hi")).rejects.toMatchObject({ code: "NOT_LIVE" });
      expect(Number((await db().select({ n: count() }).from(liveComments))[0].n)).toBe(before);
    });

    it("given a muted viewer, then MUTED; a blocked one, BLOCKED", async () => {
      const loud = await createConsumer(rt);
      await banViewer(ctxOf(rt), owner(), live.id, loud.userId, "MUTE", shop.store.userId);
      await expect(postComment(ctxOf(rt), loud.userId, live.id, "hello")).rejects.toMatchObject({ code: "MUTED" });
      await banViewer(ctxOf(rt), owner(), live.id, loud.userId, "BLOCK", shop.store.userId);
      await expect(postComment(ctxOf(rt), loud.userId, live.id, "hello")).rejects.toMatchObject({ code: "BLOCKED" });
    });

    it("given a viewer posting faster than one every two seconds, then RATE_LIMITED after 20 in the window", async () => {
      const chatty = await createConsumer(rt);
      const results = [];
      for (let i = 0; i < 22; i++) results.push(await postComment(ctxOf(rt), chatty.userId, live.id, `第${i}条`).then(() => "ok", (e) => e.code));
      expect(results.filter((r) => r === "ok")).toHaveLength(20);
      expect(results.slice(20)).toEqual(["RATE_LIMITED", "RATE_LIMITED"]);
    });

    it("given an announcement, then the room hears it and shopLive shows it; one with Advertising Law terms is refused naming them, and nothing is heard", async () => {
      await announceLive(ctxOf(rt), owner(), live.id, "今晚九点抽免单");
      await heard((m) => m.kind === "ANNOUNCE" && m.payload.text === "今晚九点抽免单");
      expect((await gqlOk<any>(rt, null, `query($id: ID!) { shopLive(id: $id) { announcement } }`, { id: live.id })).shopLive.announcement).toBe("今晚九点抽免单");

      const events = (await db().select().from(liveEvents).where(eq(liveEvents.liveId, live.id))).length;
      await expect(announceLive(ctxOf(rt), owner(), live.id, "全网最低价，国家级品质")).rejects.toMatchObject({ code: "INVALID_ANNOUNCEMENT", message: expect.stringContaining("国家级") });
      await expect(announceLive(ctxOf(rt), owner(), live.id, "好")).rejects.toMatchObject({ code: "INVALID_ANNOUNCEMENT" });
      expect((await db().select().from(liveEvents).where(eq(liveEvents.liveId, live.id))).length).toBe(events);
    });

    it("given an event published in a transaction that rolls back, then nobody hears it", async () => {
      await db()
        .transaction(async (tx) => {
          await publishLiveEvent(tx, live.id, "ANNOUNCE", { text: "never" }, now());
          throw new Error("rolled back");
        })
        .catch(() => {});
      await settle();
      expect(received.some((m) => m.kind === "ANNOUNCE" && m.payload.text === "never")).toBe(false);
    });
  });

  describe("ordering from the room", () => {
    let live: LiveRow;
    const sku = () => shop.product.skus[0].id;
    const place = (buyer: ConsumerFixture, extra: Record<string, unknown> = {}) =>
      gqlOk<any>(rt, buyer.viewer, PLACE, {
        input: { storeSlug: shop.store.slug, addressId: buyer.addressId, idempotencyKey: newIdempotencyKey(), items: [{ skuId: sku(), quantity: 1 }], couponIds: [], ...extra },
      }).then((d) => d.placeOrder);
    const ordersOf = (userId: string) => db().select().from(orders).where(eq(orders.userId, userId));
    beforeAll(async () => {
      const anchor = (await db().select().from(anchors).where(eq(anchors.userId, shop.store.userId)))[0];
      if (anchor?.status !== "APPROVED") await certify(shop.store.userId);
      live = await schedule({ title: "直播下单测试", prices: [{ skuId: shop.product.skus[0].id, livePrice: floor + 200 }] });
      await startLive(ctxOf(rt), owner(), shop.store.userId, live.id);
    });

    it("given a live with a live price, when a viewer previews and orders from the room, then the live price applies (list price shown struck), the order is LIVE and tied to the room", async () => {
      const buyer = await createConsumer(rt);
      const preview = await gqlOk<any>(rt, buyer.viewer, PREVIEW, { input: { storeSlug: shop.store.slug, items: [{ skuId: sku(), quantity: 1 }], couponIds: [], liveId: live.id } });
      expect(preview.checkoutPreview.errors).toEqual([]);
      expect(preview.checkoutPreview.preview.lines[0]).toMatchObject({ unitPrice: { amount: floor + 200 }, listUnitPrice: { amount: PRICE } });

      const placed = await place(buyer, { liveId: live.id, expectedTotal: preview.checkoutPreview.preview.totalAmount.amount });

      expect(placed.errors).toEqual([]);
      const [order] = await ordersOf(buyer.userId);
      expect(order).toMatchObject({ channel: "LIVE", liveId: live.id, goodsAmount: floor + 200 });
      const [line] = await db().select().from(orderLines).where(eq(orderLines.orderId, order.id));
      expect(line).toMatchObject({ unitPrice: floor + 200, paidAmount: floor + 200 });
    });

    it("given the same product ordered outside the room, then the list price applies", async () => {
      const buyer = await createConsumer(rt);
      expect((await place(buyer)).errors).toEqual([]);
      expect((await ordersOf(buyer.userId))[0]).toMatchObject({ channel: "NORMAL", liveId: null, goodsAmount: PRICE });
    });

    it("given the product taken off the live shelf, then an order from the room pays the list price", async () => {
      await setOnShelf(ctxOf(rt), owner(), live.id, shop.product.product.id, false);
      const buyer = await createConsumer(rt);
      expect((await place(buyer, { liveId: live.id })).errors).toEqual([]);
      expect((await ordersOf(buyer.userId))[0]).toMatchObject({ channel: "LIVE", goodsAmount: PRICE });
      await setOnShelf(ctxOf(rt), owner(), live.id, shop.product.product.id, true);
    });

    it("given a per-person limit of 2 on the live price, when one viewer fires 4 orders at once, then exactly 2 are placed and 2 get LIMIT_EXCEEDED", async () => {
      await db().update(livePrices).set({ perUserLimit: 2 }).where(eq(livePrices.liveId, live.id));
      const buyer = await createConsumer(rt);

      const results = await Promise.all(Array.from({ length: 4 }, () => place(buyer, { liveId: live.id })));

      expect(results.filter((r) => r.order)).toHaveLength(2);
      expect(results.filter((r) => !r.order).map((r) => r.errors[0].code)).toEqual(["LIMIT_EXCEEDED", "LIMIT_EXCEEDED"]);
      expect(await ordersOf(buyer.userId)).toHaveLength(2);
      await db().update(livePrices).set({ perUserLimit: null }).where(eq(livePrices.liveId, live.id));
    });

    it("given the live has ended, when a viewer orders with the room's id, then LIVE_NOT_LIVE and nothing is written (the live price no longer applies)", async () => {
      const other = await schedule({ title: "已结束的直播" });
      await startLive(ctxOf(rt), owner(), shop.store.userId, other.id);
      await endLive(ctxOf(rt), owner(), shop.store.userId, other.id);
      const buyer = await createConsumer(rt);
      const stock = (await db().select().from(skus).where(eq(skus.id, sku())))[0].stock;

      const placed = await place(buyer, { liveId: other.id });

      expect(placed).toEqual({ order: null, errors: [expect.objectContaining({ code: "LIVE_NOT_LIVE", field: "liveId" })] });
      expect(await ordersOf(buyer.userId)).toEqual([]);
      expect((await db().select().from(skus).where(eq(skus.id, sku())))[0].stock).toBe(stock);
    });

    it("given the last unit of a SKU bought from the room, then the room hears SOLD_OUT for it (after the order commits)", async () => {
      const small = await createShop(rt, [{ stock: 1, supplyPrice: 2_000, suggestedPrice: 5_990 }]);
      await db().insert(anchors).values({ userId: small.store.userId, status: "APPROVED", tier: 1, createdAt: now() }).onConflictDoNothing();
      const [listing] = await db().select().from(listings).where(eq(listings.storeId, small.store.storeId));
      const room = await scheduleLive(ctxOf(rt), small.store.storeId, small.store.userId, { title: "最后一件", scheduledAt: now(), listingIds: [listing.id], prices: [], playbackUrl: PLAYBACK });
      await startLive(ctxOf(rt), { storeId: small.store.storeId }, small.store.userId, room.id);
      const off = hub.subscribe(room.id, (m) => received.push(m));
      const buyer = await createConsumer(rt);
      const r = await gqlOk<any>(rt, buyer.viewer, PLACE, { input: { storeSlug: small.store.slug, addressId: buyer.addressId, idempotencyKey: newIdempotencyKey(), items: [{ skuId: small.product.skus[0].id, quantity: 1 }], liveId: room.id } });
      expect(r.placeOrder.errors).toEqual([]);
      await heard((m) => m.liveId === room.id && m.kind === "SOLD_OUT" && m.payload.skuId === small.product.skus[0].id);
      off();
    });

    it("given another store's live id, then LIVE_NOT_LIVE (a room's prices never apply in another store)", async () => {
      const buyer = await createConsumer(rt);
      const elsewhere = await createShop(rt, [{ stock: 5 }]);
      const r = await gqlOk<any>(rt, buyer.viewer, PLACE, {
        input: { storeSlug: elsewhere.store.slug, addressId: buyer.addressId, idempotencyKey: newIdempotencyKey(), items: [{ skuId: elsewhere.product.skus[0].id, quantity: 1 }], liveId: live.id },
      });
      expect(r.placeOrder.errors).toEqual([expect.objectContaining({ code: "LIVE_NOT_LIVE" })]);
    });
  });

  describe("live-only coupons and invite-to-watch tasks", () => {
    let live: LiveRow;
    const couponInput = (over: Record<string, unknown> = {}) => {
      const t = now().getTime();
      return {
        title: "直播专享券",
        kind: "NO_THRESHOLD" as const,
        thresholdFen: 0,
        amountFen: 500,
        percentBp: 0,
        capFen: null,
        productIds: null,
        totalQuantity: 100,
        perUserLimit: 1,
        claimStartsAt: new Date(t),
        claimEndsAt: new Date(t + 86_400_000),
        usableUntil: new Date(t + 7 * 86_400_000),
        welcome: false,
        ...over,
      };
    };
    beforeAll(async () => {
      const anchor = (await db().select().from(anchors).where(eq(anchors.userId, shop.store.userId)))[0];
      if (anchor?.status !== "APPROVED") await certify(shop.store.userId);
      live = await schedule({ title: "专享券直播" });
      await startLive(ctxOf(rt), owner(), shop.store.userId, live.id);
    });

    it("given a live-only coupon, then the coupon centre never lists it, it cannot be claimed there, and in the room it can while the live is on — not after", async () => {
      const coupon = await createLiveCoupon(ctxOf(rt), shop.store.storeId, shop.store.userId, live.id, couponInput());
      const viewer = await createConsumer(rt);

      const centre = await gqlOk<any>(rt, null, `query($s: String!) { shopCoupons(storeSlug: $s) { id } }`, { s: shop.store.slug });
      expect(centre.shopCoupons.map((c: { id: string }) => c.id)).not.toContain(coupon.id);
      await expect(claimCoupon(ctxOf(rt), viewer.userId, coupon.id, "CENTRE")).rejects.toMatchObject({ code: "NOT_CLAIMABLE" });
      expect((await liveCoupons(db(), live.id)).map((c) => c.id)).toContain(coupon.id);

      const held = await claimCoupon(ctxOf(rt), viewer.userId, coupon.id, "LIVE");
      expect(held).toMatchObject({ source: "LIVE", status: "AVAILABLE" });

      const ended = await schedule({ title: "已结束的专享券直播" });
      await startLive(ctxOf(rt), owner(), shop.store.userId, ended.id);
      const late = await createLiveCoupon(ctxOf(rt), shop.store.storeId, shop.store.userId, ended.id, couponInput());
      await endLive(ctxOf(rt), owner(), shop.store.userId, ended.id);
      await expect(claimCoupon(ctxOf(rt), viewer.userId, late.id, "LIVE")).rejects.toMatchObject({ code: "NOT_CLAIMABLE" });
      await expect(createLiveCoupon(ctxOf(rt), shop.store.storeId, shop.store.userId, ended.id, couponInput())).rejects.toMatchObject({ code: "INVALID_STATE" });
    });

    it("given a task 'bring 2 friends', when two distinct signed-in people arrive through the sharer's link, then the sharer gets the coupon once (source TASK) and is notified; anonymous devices, repeats, the sharer's own visit and a third friend change nothing", async () => {
      const reward = await createLiveCoupon(ctxOf(rt), shop.store.storeId, shop.store.userId, live.id, couponInput({ title: "邀请奖励券" }));
      const task = await createLiveTask(ctxOf(rt), shop.store.storeId, live.id, { couponId: reward.id, inviteTarget: 2 });
      const sharer = await createConsumer(rt);
      const code = (await db().transaction((tx) => ensureMember(tx, sharer.userId, now()))).inviteCode;
      const sharerId = await sharerOf(db(), code);
      expect(sharerId).toBe(sharer.userId);
      const arrive = (viewerKey: string, userId: string | null = null) => checkIn(db(), { liveId: live.id, viewerKey, userId, sharerId }, now());
      const friend = async () => {
        const f = await createConsumer(rt);
        return () => arrive(`u:${f.userId}`, f.userId);
      };
      const [friend1, friend2, friend3] = [await friend(), await friend(), await friend()];
      const heldBySharer = () => db().select().from(userCoupons).where(and(eq(userCoupons.userId, sharer.userId), eq(userCoupons.couponId, reward.id)));

      await arrive(`u:${sharer.userId}`, sharer.userId); // the sharer opening their own link
      for (let i = 0; i < 5; i++) await arrive(`d:script-${i}`); // cookie-less connections: not people
      await friend1();
      await friend1(); // the same friend again
      expect(await heldBySharer()).toEqual([]);
      expect((await tasksFor(db(), live.id, sharer.userId)).find((t) => t.task.id === task.id)).toMatchObject({ invited: 1, rewarded: false });

      await friend2();
      await friend3();

      expect((await heldBySharer()).map((h) => h.source)).toEqual(["TASK"]);
      expect((await tasksFor(db(), live.id, sharer.userId)).find((t) => t.task.id === task.id)).toMatchObject({ invited: 3, rewarded: true });
      expect(await db().select().from(notifications).where(and(eq(notifications.userId, sharer.userId), eq(notifications.kind, "LIVE_TASK")))).toHaveLength(1);
      // A task's coupon is only a reward: not claimable in the room, and a client cannot pretend to be the task.
      const other = await createConsumer(rt);
      await expect(claimCoupon(ctxOf(rt), other.userId, reward.id, "LIVE")).rejects.toMatchObject({ code: "NOT_CLAIMABLE" });
      const viaApi = await gqlOk<any>(rt, other.viewer, `mutation($id: ID!) { claimCoupon(couponId: $id, source: "TASK") { coupon { id } errors { code } } }`, { id: reward.id });
      expect(viaApi.claimCoupon).toEqual({ coupon: null, errors: [{ code: "NOT_CLAIMABLE" }] });
    });

    it("given bad task input, then typed errors and nothing written", async () => {
      const plain = await createStoreCouponFor();
      const before = (await db().select().from(liveTasks)).length;
      await expect(createLiveTask(ctxOf(rt), shop.store.storeId, live.id, { couponId: plain.id, inviteTarget: 2 })).rejects.toMatchObject({ code: "COUPON_NOT_FOUND" });
      const reward = await createLiveCoupon(ctxOf(rt), shop.store.storeId, shop.store.userId, live.id, couponInput());
      await expect(createLiveTask(ctxOf(rt), shop.store.storeId, live.id, { couponId: reward.id, inviteTarget: 0 })).rejects.toMatchObject({ code: "INVALID_TARGET" });
      const otherStore = (await createShop(rt)).store.storeId;
      await expect(createLiveTask(ctxOf(rt), otherStore, live.id, { couponId: reward.id, inviteTarget: 2 })).rejects.toMatchObject({ code: "LIVE_NOT_FOUND" });
      expect((await db().select().from(liveTasks)).length).toBe(before);
    });

    it("given the room's live coupons and tasks, then a signed-in viewer sees the claimable coupons (not the task's) and their task progress; the merchant creates both through GraphQL", async () => {
      const viewer = await createConsumer(rt);
      const made = await gqlOk<any>(rt, shop.store.viewer, `mutation($l: ID!, $i: CreateCouponInput!) { createLiveCoupon(liveId: $l, input: $i) { id errors { code } } }`, {
        l: live.id,
        i: { ...couponInput({ title: "直播间5元券" }), productIds: undefined, capFen: undefined, claimStartsAt: now().toISOString(), claimEndsAt: new Date(now().getTime() + 86_400_000).toISOString(), usableUntil: new Date(now().getTime() + 7 * 86_400_000).toISOString() },
      });
      expect(made.createLiveCoupon.errors).toEqual([]);
      const task = await gqlOk<any>(rt, shop.store.viewer, `mutation($l: ID!, $c: ID!) { createLiveTask(liveId: $l, couponId: $c, inviteTarget: 3) { id errors { code } } }`, { l: live.id, c: made.createLiveCoupon.id });
      expect(task.createLiveTask.errors).toEqual([]);
      const denied = await gql<any>(rt, viewer.viewer, `mutation($l: ID!, $c: ID!) { createLiveTask(liveId: $l, couponId: $c, inviteTarget: 3) { id } }`, { l: live.id, c: made.createLiveCoupon.id });
      expect(denied.errors.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);

      const room = await gqlOk<any>(rt, viewer.viewer, `query($id: ID!) { shopLive(id: $id) { coupons { id scopeText } tasks { id inviteTarget couponTitle invited rewarded } } }`, { id: live.id });

      expect(room.shopLive.coupons.map((c: { id: string }) => c.id)).not.toContain(made.createLiveCoupon.id); // a task's coupon is a reward only
      expect(room.shopLive.coupons.every((c: { scopeText: string }) => c.scopeText.startsWith("直播专享"))).toBe(true);
      expect(room.shopLive.tasks).toContainEqual({ id: task.createLiveTask.id, inviteTarget: 3, couponTitle: "直播间5元券", invited: 0, rewarded: false });
    });

    const createStoreCouponFor = () => createStoreCoupon(ctxOf(rt), shop.store.storeId, shop.store.userId, couponInput({ title: "普通店铺券" }));
  });

  describe("the SSE stream a viewer reads", () => {
    /** Reads frames from a stream until `until` matches one (or times out). */
    async function readUntil(stream: ReadableStream<Uint8Array>, until: (text: string) => boolean, timeoutMs = 3_000) {
      const reader = stream.getReader();
      const decoder = new TextDecoder();
      let text = "";
      const deadline = Date.now() + timeoutMs;
      while (!until(text)) {
        const next = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), Math.max(1, deadline - Date.now())))]);
        if (next === null || next.done) break;
        text += decoder.decode(next.value);
      }
      reader.releaseLock();
      return text;
    }

    it("given a fresh viewer, then HELLO carries the log position; a comment arrives as a COMMENT frame; a viewer resuming from that position gets what it missed; presence is recorded", async () => {
      const anchor = (await db().select().from(anchors).where(eq(anchors.userId, shop.store.userId)))[0];
      if (anchor?.status !== "APPROVED") await certify(shop.store.userId);
      const live = await schedule({ title: "SSE 测试" });
      await startLive(ctxOf(rt), owner(), shop.store.userId, live.id);
      const [row] = await db().select().from(lives).where(eq(lives.id, live.id));
      const deps = { db: db(), clock: rt.services.clock, hub: rt.liveHub };
      const abort = new AbortController();
      const stream = openRoomStream(deps, { live: row, viewer: null, viewerKey: "d:sse-test", resumeFrom: null, signal: abort.signal });

      const hello = await readUntil(stream, (t) => t.includes("event: HELLO"));
      const position = Number(/id: (\d+)\nevent: HELLO/.exec(hello)![1]);
      expect(position).toBeGreaterThan(0);

      const c = await postComment(ctxOf(rt), (await createConsumer(rt)).userId, live.id, "流里见");
      const got = await readUntil(stream, (t) => t.includes(c.id));
      expect(got).toMatch(new RegExp(`id: \\d+\nevent: COMMENT\ndata: \\{"id":"${c.id}","nickname":"[^"]+","body":"流里见"`));
      abort.abort();

      const resumed = openRoomStream(deps, { live: row, viewer: null, viewerKey: "d:sse-test-2", resumeFrom: position, signal: new AbortController().signal });
      expect(await readUntil(resumed, (t) => t.includes(c.id))).toContain("event: COMMENT");
      expect(await presentViewers(db(), live.id, now())).toBe(2);
    });
  });

  it("given a blocked viewer, then only their own stream hears it (no user id), and it closes; other viewers hear nothing; a deleted comment is not replayed to a resuming viewer; a held comment cannot be pinned", async () => {
    const anchor = (await db().select().from(anchors).where(eq(anchors.userId, shop.store.userId)))[0];
    if (anchor?.status !== "APPROVED") await certify(shop.store.userId);
    const live = await schedule({ title: "封禁测试" });
    await startLive(ctxOf(rt), owner(), shop.store.userId, live.id);
    const [row] = await db().select().from(lives).where(eq(lives.id, live.id));
    const deps = { db: db(), clock: rt.services.clock, hub: rt.liveHub };
    const [rude, other] = [await createConsumer(rt), await createConsumer(rt)];
    const open = (v: ConsumerFixture, resumeFrom: number | null = null) =>
      openRoomStream(deps, { live: row, viewer: v.viewer, viewerKey: `u:${v.userId}`, resumeFrom, signal: new AbortController().signal }).getReader();
    const read = async (reader: ReadableStreamDefaultReader<Uint8Array>, until: (t: string) => boolean) => {
      let text = "";
      let done = false;
      const deadline = Date.now() + 3_000;
      while (!until(text) && !done && Date.now() < deadline) {
        const next = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), 200))]);
        if (next?.done) done = true;
        else if (next) text += new TextDecoder().decode(next.value);
      }
      return { text, done };
    };
    const rudeStream = open(rude);
    const otherStream = open(other);
    const start = await read(otherStream, (t) => t.includes("HELLO"));
    const position = Number(/id: (\d+)\nevent: HELLO/.exec(start.text)![1]);
    await read(rudeStream, (t) => t.includes("HELLO"));

    const shown = await postComment(ctxOf(rt), rude.userId, live.id, "这条稍后会被删除");
    await moderateComment(ctxOf(rt), owner(), shown.id, "DELETE", shop.store.userId);
    await banViewer(ctxOf(rt), owner(), live.id, rude.userId, "BLOCK", shop.store.userId);

    const rudeSaw = await read(rudeStream, (t) => t.includes("VIEWER_BLOCKED"));
    expect(rudeSaw.text).toMatch(/event: VIEWER_BLOCKED\ndata: \{"at":"[^"]+"\}/);
    expect((await read(rudeStream, () => false)).done).toBe(true);
    const otherSaw = await read(otherStream, (t) => t.includes("COMMENT_DELETED"));
    expect(otherSaw.text).toContain(`event: COMMENT_DELETED\ndata: {"id":"${shown.id}"`);
    expect(otherSaw.text).not.toContain("VIEWER_");
    expect(otherSaw.text).not.toContain(rude.userId);

    const resumed = await read(open(other, position), (t) => t.includes("COMMENT_DELETED"));
    expect(resumed.text).not.toContain("这条稍后会被删除");
    expect(resumed.text).not.toContain(rude.userId);

    const held = await postComment(ctxOf(rt), other.userId, live.id, "加我微信聊");
    expect(held.status).toBe("HELD");
    await expect(moderateComment(ctxOf(rt), owner(), held.id, "PIN", shop.store.userId)).rejects.toMatchObject({ code: "INVALID_STATE" });
  });

  it("given a viewer the host blocked, then they can neither claim the room's coupons nor order at its live prices", async () => {
    const anchor = (await db().select().from(anchors).where(eq(anchors.userId, shop.store.userId)))[0];
    if (anchor?.status !== "APPROVED") await certify(shop.store.userId);
    const live = await schedule({ title: "封禁后领券下单" });
    await startLive(ctxOf(rt), owner(), shop.store.userId, live.id);
    const t = now().getTime();
    const coupon = await createLiveCoupon(ctxOf(rt), shop.store.storeId, shop.store.userId, live.id, {
      title: "封禁测试券", kind: "NO_THRESHOLD", thresholdFen: 0, amountFen: 300, percentBp: 0, capFen: null, productIds: null,
      totalQuantity: 10, perUserLimit: 1, claimStartsAt: new Date(t), claimEndsAt: new Date(t + 86_400_000), usableUntil: new Date(t + 7 * 86_400_000), welcome: false,
    });
    const blocked = await createConsumer(rt);
    await banViewer(ctxOf(rt), owner(), live.id, blocked.userId, "BLOCK", shop.store.userId);

    await expect(claimCoupon(ctxOf(rt), blocked.userId, coupon.id, "LIVE")).rejects.toMatchObject({ code: "NOT_CLAIMABLE" });
    const placed = await gqlOk<any>(rt, blocked.viewer, PLACE, { input: { storeSlug: shop.store.slug, addressId: blocked.addressId, idempotencyKey: newIdempotencyKey(), items: [{ skuId: shop.product.skus[0].id, quantity: 1 }], liveId: live.id } });
    expect(placed.placeOrder.errors).toEqual([expect.objectContaining({ code: "LIVE_NOT_LIVE" })]);
  });

  it.runIf(Boolean(process.env.DATABASE_URL))("given two writers committing out of id order, then a viewer's stream still gets both events (no running-maximum dedupe)", async () => {
    const anchor = (await db().select().from(anchors).where(eq(anchors.userId, shop.store.userId)))[0];
    if (anchor?.status !== "APPROVED") await certify(shop.store.userId);
    const live = await schedule({ title: "乱序提交" });
    await startLive(ctxOf(rt), owner(), shop.store.userId, live.id);
    const [row] = await db().select().from(lives).where(eq(lives.id, live.id));
    const stream = openRoomStream({ db: db(), clock: rt.services.clock, hub: rt.liveHub }, { live: row, viewer: null, viewerKey: "d:order", resumeFrom: null, signal: new AbortController().signal });
    const reader = stream.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const until = async (pred: () => boolean) => {
      const deadline = Date.now() + 3_000;
      while (!pred() && Date.now() < deadline) {
        const next = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), 200))]);
        if (next && !next.done) text += decoder.decode(next.value);
      }
    };
    await until(() => text.includes("HELLO"));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let firstInserted!: () => void;
    const inserted = new Promise<void>((r) => (firstInserted = r));
    // T1 takes the lower id and commits last.
    const t1 = db().transaction(async (tx) => {
      await publishLiveEvent(tx, live.id, "ANNOUNCE", { text: "first-id" }, now());
      firstInserted();
      await gate;
    });
    await inserted;
    await db().transaction((tx) => publishLiveEvent(tx, live.id, "ANNOUNCE", { text: "second-id" }, now()));
    release();
    await t1;
    await until(() => text.includes("first-id") && text.includes("second-id"));
    expect(text).toContain("second-id");
    expect(text).toContain("first-id");
    reader.releaseLock();
  });

  it("given pins at different times, when the live ends, then the replay has a chapter per pin measured from the start", async () => {
    const anchor = (await db().select().from(anchors).where(eq(anchors.userId, shop.store.userId)))[0];
    if (anchor?.status !== "APPROVED") await certify(shop.store.userId);
    const live = await schedule({ title: "回放章节测试" });
    const t0 = now();
    const at = (ms: number) => ({ db: db(), now: new Date(t0.getTime() + ms) });
    await startLive(at(0), owner(), shop.store.userId, live.id);
    await pinProduct(at(60_000), owner(), live.id, shop.product.product.id);
    await pinProduct(at(300_000), owner(), live.id, null);
    const ended = await endLive(at(600_000), owner(), shop.store.userId, live.id);

    expect(ended).toMatchObject({ status: "ENDED", replayUrl: PLAYBACK });
    expect(await replayChapters(db(), ended)).toEqual([{ productId: shop.product.product.id, startMs: 60_000, endMs: 300_000 }]);
    await expect(pinProduct(at(700_000), owner(), live.id, shop.product.product.id)).rejects.toMatchObject({ code: "INVALID_STATE" });
  });

  it("given an operator ending a live, then a reason is required, recorded, and the room hears END with it", async () => {
    const anchor = (await db().select().from(anchors).where(eq(anchors.userId, shop.store.userId)))[0];
    if (anchor?.status !== "APPROVED") await certify(shop.store.userId);
    const live = await schedule({ title: "违规直播" });
    await startLive(ctxOf(rt), owner(), shop.store.userId, live.id);
    const unsubscribe = hub.subscribe(live.id, (m) => received.push(m));

    await expect(endLive(ctxOf(rt), { operator: true }, operator.userId, live.id, "违规")).rejects.toMatchObject({ code: "INVALID_STATE", field: "reason" });
    const ended = await endLive(ctxOf(rt), { operator: true }, operator.userId, live.id, "直播内容违规：虚假宣传");

    expect(ended).toMatchObject({ status: "ENDED", endedBy: operator.userId, endReason: "直播内容违规：虚假宣传" });
    await heard((m) => m.liveId === live.id && m.kind === "END" && m.payload.reason === "直播内容违规：虚假宣传");
    unsubscribe();
  });

  it.runIf(Boolean(process.env.DATABASE_URL))("given a second app instance (its own connection and hub), then a comment posted on the first reaches viewers on the second", async () => {
    const anchor = (await db().select().from(anchors).where(eq(anchors.userId, shop.store.userId)))[0];
    if (anchor?.status !== "APPROVED") await certify(shop.store.userId);
    const live = await schedule({ title: "双实例直播" });
    await startLive(ctxOf(rt), owner(), shop.store.userId, live.id);
    const u = new URL(process.env.DATABASE_URL!);
    u.pathname = `/${rt.dbName}`;
    const second: Database = await openDatabase({ url: u.toString(), poolSize: 2 });
    const otherHub = new LiveHub(second.db);
    await otherHub.start(second);
    const onSecond: RoomMessage[] = [];
    otherHub.subscribe(live.id, (m) => onSecond.push(m));
    try {
      const c = await postComment(ctxOf(rt), (await createConsumer(rt)).userId, live.id, "从一号实例发来");
      const deadline = Date.now() + 3_000;
      while (!onSecond.some((m) => m.payload.id === c.id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(onSecond.find((m) => m.payload.id === c.id)).toMatchObject({ kind: "COMMENT", liveId: live.id, payload: { body: "从一号实例发来" } });
    } finally {
      await otherHub.close();
      await second.close();
    }
  });
});
