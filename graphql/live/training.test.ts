/**
 * Supplier training lives (培训直播) through the real services and GraphQL: a supplier schedules one
 * with its own products (no listing, no price), goes live without anchor certification, pins,
 * moderates and ends it into a replay with chapters; any merchant can enter and sees supply prices
 * and the supplier's scripts; consumers, other suppliers and other merchants' host tools cannot get
 * in. The database refuses a shelf row of the wrong shape for its live's kind.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { listings, liveEvents, liveProducts, lives } from "@/db/schema";
import { createTestRuntime, gql, gqlOk, type TestRuntime } from "../test/harness";
import { createConsumer, createProductFixture, createShop, createSupplier, ctxOf, uploadImage, type ConsumerFixture, type ProductFixture, type Shop, type SupplierFixture } from "../test/fixtures";
import { saveLiveScript } from "./live-script.service";
import { enterableLive } from "./live-room.service";
import { endLive, markSoldOut, pinProduct, scheduleLive, startLive, type LiveRow } from "./live.service";
import { postComment } from "./live-comment.service";
import { scheduleTrainingLive } from "./training.service";

const MIN = 60_000;
const PLAYBACK = "https://cdn.example.com/training/room.m3u8";
const SCHEDULE = `mutation($input: ScheduleTrainingLiveInput!) { scheduleTrainingLive(input: $input) { live { id status shelf { productId } } errors { code field } } }`;
const ROOM = `query($id: ID!) { trainingLive(id: $id) { id status supplierName pinnedProductId
  shelf { productId title skus { label supplyPrice { amount } suggestedPrice { amount } } script { title sellingPoints } }
  comments { body } chapters { productId title startMs endMs } } }`;
const SHOP_ROOM = `query($id: ID!) { shopLive(id: $id) { id } }`;
const LIST = `{ trainingLives(first: 100) { nodes { id title supplierName status } } }`;
const START = `mutation($id: ID!) { startTrainingLive(liveId: $id, playbackUrl: "${PLAYBACK}") { live { status } errors { code } } }`;
const PIN = `mutation($id: ID!, $p: ID) { pinTrainingProduct(liveId: $id, productId: $p) { live { pinnedProductId } errors { code field } } }`;
const COMMENT = `mutation($id: ID!, $t: String!) { postLiveComment(liveId: $id, text: $t) { comment { id } errors { code } } }`;

describe("training lives", () => {
  let rt: TestRuntime;
  let supplier: SupplierFixture;
  let tea: ProductFixture;
  let rice: ProductFixture;
  let merchant: Shop;
  let consumer: ConsumerFixture;
  const db = () => rt.services.db;
  const now = () => rt.services.clock.now();
  const owner = () => ({ supplierId: supplier.supplierId });
  const counts = async () => ({
    lives: Number((await db().select({ n: count() }).from(lives))[0].n),
    shelf: Number((await db().select({ n: count() }).from(liveProducts))[0].n),
  });
  const schedule = (over: Partial<Parameters<typeof scheduleTrainingLive>[3]> = {}) =>
    scheduleTrainingLive(ctxOf(rt), supplier.supplierId, supplier.userId, {
      title: "新品培训：古树茶卖点讲解",
      scheduledAt: new Date(now().getTime() + 30 * MIN),
      productIds: [tea.product.id, rice.product.id],
      playbackUrl: PLAYBACK,
      ...over,
    });
  const eventsOf = async (liveId: string) => db().select().from(liveEvents).where(eq(liveEvents.liveId, liveId));

  beforeAll(async () => {
    rt = await createTestRuntime();
    supplier = await createSupplier(rt);
    tea = await createProductFixture(rt, supplier, { title: "云南古树普洱", skus: [{ stock: 20, supplyPrice: 6_800, suggestedPrice: 12_800 }] });
    rice = await createProductFixture(rt, supplier, { title: "五常稻花香大米" });
    await saveLiveScript(ctxOf(rt), supplier.supplierId, supplier.userId, { productId: tea.product.id, title: "古树茶讲解", sellingPoints: ["三百年古树", "手工杀青"], body: "先讲产地和树龄，再讲冲泡方法与口感。", materials: [] });
    merchant = await createShop(rt);
    consumer = await createConsumer(rt);
  });
  afterAll(() => rt?.dispose());

  describe("scheduling", () => {
    it("given the supplier's own products, when it schedules through GraphQL, then a SCHEDULED TRAINING live of the supplier is stored with a shelf of products and no listings", async () => {
      const cover = await uploadImage(rt, supplier.userId);
      const r = await gqlOk<any>(rt, supplier.viewer, SCHEDULE, { input: { title: "大米培训", scheduledAt: new Date(now().getTime() + 60 * MIN).toISOString(), productIds: [rice.product.id, tea.product.id], coverKey: cover } });

      expect(r.scheduleTrainingLive.errors).toEqual([]);
      expect(r.scheduleTrainingLive.live).toMatchObject({ status: "SCHEDULED", shelf: [{ productId: rice.product.id }, { productId: tea.product.id }] });
      const [row] = await db().select().from(lives).where(eq(lives.id, r.scheduleTrainingLive.live.id));
      expect(row).toMatchObject({ kind: "TRAINING", supplierId: supplier.supplierId, storeId: null, coverKey: cover });
      const shelf = await db().select().from(liveProducts).where(eq(liveProducts.liveId, row.id));
      expect(shelf.map((s) => ({ kind: s.liveKind, listingId: s.listingId }))).toEqual([{ kind: "TRAINING", listingId: null }, { kind: "TRAINING", listingId: null }]);
    });

    it.each<[string, string, string, () => Promise<Partial<Parameters<typeof scheduleTrainingLive>[3]>>]>([
      ["another supplier's product", "PRODUCT_NOT_FOUND", "productIds", async () => ({ productIds: [(await createProductFixture(rt, await createSupplier(rt))).product.id] })],
      ["a product id that is not an id", "PRODUCT_NOT_FOUND", "productIds", async () => ({ productIds: ["not-an-id"] })],
      ["the same product twice", "INVALID_SHELF", "productIds", async () => ({ productIds: [tea.product.id, tea.product.id] })],
      ["a cover someone else uploaded", "INVALID_COVER", "coverKey", async () => ({ coverKey: await uploadImage(rt, consumer.userId) })],
      ["an http playback URL", "INVALID_PLAYBACK_URL", "playbackUrl", async () => ({ playbackUrl: "http://cdn.example.com/a.m3u8" })],
      ["a one-character title", "INVALID_TITLE", "title", async () => ({ title: "训" })],
    ])("given %s, then %s on %s and nothing is written", async (_, code, field, over) => {
      const input = await over();
      const before = await counts();
      await expect(schedule(input)).rejects.toMatchObject({ code, field });
      expect(await counts()).toEqual(before);
    });

    it("given a merchant or a consumer, when they try to schedule a training live, then FORBIDDEN and nothing is written", async () => {
      const before = await counts();
      const input = { title: "冒充培训", scheduledAt: new Date(now().getTime() + 60 * MIN).toISOString(), productIds: [tea.product.id] };
      for (const viewer of [merchant.store.viewer, consumer.viewer]) {
        expect((await gql(rt, viewer, SCHEDULE, { input })).errors.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
      }
      expect(await counts()).toEqual(before);
    });

    it("given a shelf row of the wrong shape for its live's kind, then the database refuses it (a training row with a listing, a sales row without one)", async () => {
      const training = await schedule();
      const sales = await scheduleLive(ctxOf(rt), merchant.store.storeId, merchant.store.userId, { title: "店铺专场", scheduledAt: new Date(now().getTime() + 10 * MIN), listingIds: [], prices: [] });
      const [listing] = await db().select().from(listings).where(eq(listings.storeId, merchant.store.storeId));
      const refusal = async (p: Promise<unknown>) => p.then(() => "written", (e: Error & { cause?: Error }) => `${e.message} ${e.cause?.message ?? ""}`);
      expect(await refusal(db().insert(liveProducts).values({ liveId: training.id, liveKind: "TRAINING", listingId: listing.id, productId: merchant.product.product.id, position: 9, createdAt: now() }))).toContain("live_products_source");
      expect(await refusal(db().insert(liveProducts).values({ liveId: sales.id, liveKind: "SALES", listingId: null, productId: merchant.product.product.id, position: 0, createdAt: now() }))).toContain("live_products_source");
      // Nor can a row claim another kind than its live's.
      expect(await refusal(db().insert(liveProducts).values({ liveId: sales.id, liveKind: "TRAINING", listingId: null, productId: merchant.product.product.id, position: 0, createdAt: now() }))).toContain("live_products_live_fk");
      expect(await db().select().from(liveProducts).where(eq(liveProducts.liveId, sales.id))).toEqual([]);
    });
  });

  describe("who can enter", () => {
    let live: LiveRow;
    beforeAll(async () => {
      live = await schedule({ title: "入场权限测试" });
    });

    it("given any merchant, then the room is theirs to enter: supply and suggested prices, the supplier's script; it is listed in their training lives", async () => {
      const stranger = await createShop(rt); // a merchant who sells nothing of this supplier
      const room = await gqlOk<any>(rt, stranger.store.viewer, ROOM, { id: live.id });
      const list = await gqlOk<any>(rt, stranger.store.viewer, LIST);

      expect(room.trainingLive).toMatchObject({ id: live.id, status: "SCHEDULED", supplierName: expect.any(String) });
      expect(room.trainingLive.shelf[0]).toMatchObject({
        productId: tea.product.id,
        skus: [{ supplyPrice: { amount: 6_800 }, suggestedPrice: { amount: 12_800 } }],
        script: { title: "古树茶讲解", sellingPoints: ["三百年古树", "手工杀青"] },
      });
      expect(room.trainingLive.shelf[1]).toMatchObject({ productId: rice.product.id, script: null });
      expect(list.trainingLives.nodes.map((l: { id: string }) => l.id)).toContain(live.id);
      expect(await enterableLive(db(), live.id, stranger.store.viewer)).not.toBeNull();
    });

    it("given a consumer or a guest, then there is no room: shopLive is null, trainingLive and trainingLives are FORBIDDEN or UNAUTHENTICATED, the stream refuses them, and commenting answers LIVE_NOT_FOUND", async () => {
      expect((await gqlOk<any>(rt, consumer.viewer, SHOP_ROOM, { id: live.id })).shopLive).toBeNull();
      expect((await gqlOk<any>(rt, null, SHOP_ROOM, { id: live.id })).shopLive).toBeNull();
      expect((await gql(rt, consumer.viewer, ROOM, { id: live.id })).errors.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
      expect((await gql(rt, consumer.viewer, LIST)).errors.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
      expect((await gql(rt, null, ROOM, { id: live.id })).errors.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
      expect(await enterableLive(db(), live.id, consumer.viewer)).toBeNull();
      expect(await enterableLive(db(), live.id, null)).toBeNull();
      const r = await gqlOk<any>(rt, consumer.viewer, COMMENT, { id: live.id, t: "我也想听" });
      expect(r.postLiveComment.errors).toEqual([expect.objectContaining({ code: "LIVE_NOT_FOUND" })]);
    });

    it("given another supplier, then the room is null to them and they cannot list training lives; the running supplier sees it", async () => {
      const rival = await createSupplier(rt);
      expect((await gqlOk<any>(rt, rival.viewer, ROOM, { id: live.id })).trainingLive).toBeNull();
      expect((await gql(rt, rival.viewer, LIST)).errors.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
      expect((await gqlOk<any>(rt, supplier.viewer, ROOM, { id: live.id })).trainingLive.id).toBe(live.id);
    });

    it("given a merchant viewing a training live through the shop's room type, then it is null (training rooms are never described by ShopLive)", async () => {
      expect((await gqlOk<any>(rt, merchant.store.viewer, SHOP_ROOM, { id: live.id })).shopLive).toBeNull();
    });
  });

  describe("hosting", () => {
    let live: LiveRow;
    beforeAll(async () => {
      live = await schedule({ title: "主持测试" });
    });

    it("given a supplier member who is no certified anchor, when they go live, then it is LIVE and the room hears START", async () => {
      const r = await gqlOk<any>(rt, supplier.viewer, START, { id: live.id });
      expect(r.startTrainingLive).toEqual({ live: { status: "LIVE" }, errors: [] });
      expect((await eventsOf(live.id)).map((e) => e.kind)).toEqual(["START"]);
    });

    it("given the host pins a shelf product, then it is 讲解中 for merchants; a product not on the shelf is PRODUCT_NOT_ON_SHELF and nothing is heard", async () => {
      const r = await gqlOk<any>(rt, supplier.viewer, PIN, { id: live.id, p: tea.product.id });
      expect(r.pinTrainingProduct).toEqual({ live: { pinnedProductId: tea.product.id }, errors: [] });
      expect((await gqlOk<any>(rt, merchant.store.viewer, ROOM, { id: live.id })).trainingLive.pinnedProductId).toBe(tea.product.id);

      const before = (await eventsOf(live.id)).length;
      const bad = await gqlOk<any>(rt, supplier.viewer, PIN, { id: live.id, p: merchant.product.product.id });
      expect(bad.pinTrainingProduct).toEqual({ live: null, errors: [{ code: "PRODUCT_NOT_ON_SHELF", field: "productId" }] });
      expect((await eventsOf(live.id)).length).toBe(before);
    });

    it("given another supplier or a merchant using their own host tools on it, then LIVE_NOT_FOUND and nothing is heard", async () => {
      const rival = await createSupplier(rt);
      const before = (await eventsOf(live.id)).length;
      const r = await gqlOk<any>(rt, rival.viewer, PIN, { id: live.id, p: rice.product.id });
      expect(r.pinTrainingProduct.errors).toEqual([{ code: "LIVE_NOT_FOUND", field: "liveId" }]);
      await expect(pinProduct(ctxOf(rt), { supplierId: rival.supplierId }, live.id, rice.product.id)).rejects.toMatchObject({ code: "LIVE_NOT_FOUND" });
      await expect(endLive(ctxOf(rt), { supplierId: rival.supplierId }, rival.userId, live.id)).rejects.toMatchObject({ code: "LIVE_NOT_FOUND" });
      const merchantPin = await gqlOk<any>(rt, merchant.store.viewer, `mutation($id: ID!, $p: ID) { pinLiveProduct(liveId: $id, productId: $p) { errors { code } } }`, { id: live.id, p: rice.product.id });
      expect(merchantPin.pinLiveProduct.errors).toEqual([{ code: "LIVE_NOT_FOUND" }]);
      // A consumer cannot reach the supplier's host tools at all.
      expect((await gql(rt, consumer.viewer, PIN, { id: live.id, p: rice.product.id })).errors.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
      expect((await eventsOf(live.id)).length).toBe(before);
    });

    it("given a merchant's comment, when the host deletes it and mutes its writer, then the room hears both and the writer can no longer comment", async () => {
      const posted = await gqlOk<any>(rt, merchant.store.viewer, COMMENT, { id: live.id, t: "这款茶的起订量是多少？" });
      const commentId = posted.postLiveComment.comment.id;
      const del = await gqlOk<any>(rt, supplier.viewer, `mutation($c: ID!) { moderateTrainingComment(commentId: $c, action: "DELETE") }`, { c: commentId });
      const mute = await gqlOk<any>(rt, supplier.viewer, `mutation($l: ID!, $c: ID!) { banTrainingViewer(liveId: $l, commentId: $c, kind: MUTE) { ok errors { code } } }`, { l: live.id, c: commentId });

      expect(del.moderateTrainingComment).toBe(true);
      expect(mute.banTrainingViewer).toEqual({ ok: true, errors: [] });
      const kinds = (await eventsOf(live.id)).map((e) => e.kind);
      expect(kinds).toEqual(expect.arrayContaining(["COMMENT", "COMMENT_DELETED", "VIEWER_MUTED"]));
      await expect(postComment(ctxOf(rt), merchant.store.userId, live.id, "再问一句")).rejects.toMatchObject({ code: "MUTED" });
      const rival = await createSupplier(rt);
      const theirs = await gqlOk<any>(rt, rival.viewer, `mutation($l: ID!, $c: ID!) { banTrainingViewer(liveId: $l, commentId: $c, kind: BLOCK) { ok errors { code } } }`, { l: live.id, c: commentId });
      expect(theirs.banTrainingViewer).toEqual({ ok: false, errors: [{ code: "LIVE_NOT_FOUND" }] });
    });

    it("given a training live, when anyone tries to mark a product sold out, then INVALID_STATE (nothing is sold in a training room)", async () => {
      await expect(markSoldOut(ctxOf(rt), owner(), live.id, tea.product.id, true)).rejects.toMatchObject({ code: "INVALID_STATE" });
    });
  });

  it("given pins during a training live, when it ends, then merchants get the replay with a chapter per pin, titled by product", async () => {
    const t0 = now();
    const at = (sec: number) => ({ db: db(), now: new Date(t0.getTime() + sec * 1000) });
    const live = await scheduleTrainingLive(at(0), supplier.supplierId, supplier.userId, { title: "回放章节测试", scheduledAt: t0, productIds: [tea.product.id, rice.product.id], playbackUrl: PLAYBACK });
    await startLive(at(0), owner(), supplier.userId, live.id);
    await pinProduct(at(5), owner(), live.id, tea.product.id);
    await pinProduct(at(20), owner(), live.id, rice.product.id);
    await endLive(at(40), owner(), supplier.userId, live.id);

    const room = (await gqlOk<any>(rt, merchant.store.viewer, ROOM, { id: live.id })).trainingLive;

    expect(room.status).toBe("ENDED");
    expect(room.chapters).toEqual([
      { productId: tea.product.id, title: "云南古树普洱", startMs: 5_000, endMs: 20_000 },
      { productId: rice.product.id, title: "五常稻花香大米", startMs: 20_000, endMs: 40_000 },
    ]);
  });
});
