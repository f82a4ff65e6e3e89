/**
 * 全员禁言 through GraphQL on the real database: the host switches the audience's comments off and
 * on; the room hears MUTE_ALL once per change; while it is on every viewer's comment is refused
 * COMMENTS_MUTED with nothing written, and the host still comments. Other people's lives, lives
 * that are over, and viewers trying it are refused with typed errors and nothing is heard. The
 * supplier's training console has the same switch.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { listings, liveComments, liveEvents, lives } from "@/db/schema";
import { createTestRuntime, gql, gqlOk, type TestRuntime } from "../test/harness";
import { createPerson, createProductFixture, createShop, createSupplier, ctxOf, type Shop, type SupplierFixture } from "../test/fixtures";
import { newIdNumber } from "../test/wallet-fixtures";
import { applyForAnchor, reviewAnchor } from "./anchor.service";
import { endLive, scheduleLive, startLive, type LiveRow } from "./live.service";
import { scheduleTrainingLive } from "./training.service";

const PLAYBACK = "https://cdn.example.com/a.m3u8";
const MUTE = `mutation($l: ID!, $m: Boolean!) { setLiveCommentsMuted(liveId: $l, muted: $m) { live { id commentsMuted } errors { code field } } }`;
const MUTE_TRAINING = `mutation($l: ID!, $m: Boolean!) { setTrainingCommentsMuted(liveId: $l, muted: $m) { live { id commentsMuted } errors { code field } } }`;
const COMMENT = `mutation($l: ID!, $t: String!) { postLiveComment(liveId: $l, text: $t) { comment { id } errors { code field } } }`;
const ROOM = `query($id: ID!) { shopLive(id: $id) { commentsMuted } }`;

describe("全员禁言", () => {
  let rt: TestRuntime;
  let shop: Shop;
  let other: Shop;
  let live: LiveRow;
  const db = () => rt.services.db;
  const muteEvents = async (liveId = live.id) => (await db().select().from(liveEvents).where(eq(liveEvents.liveId, liveId))).filter((e) => e.kind === "MUTE_ALL").map((e) => e.payload);
  const commentCount = async (liveId = live.id) => Number((await db().select({ n: count() }).from(liveComments).where(eq(liveComments.liveId, liveId)))[0].n);
  const comment = (viewer: Shop["consumer"]["viewer"], text: string, liveId = live.id) => gqlOk<any>(rt, viewer, COMMENT, { l: liveId, t: text }).then((d) => d.postLiveComment);

  async function onAir(s: Shop, title: string): Promise<LiveRow> {
    const [listing] = await db().select().from(listings).where(eq(listings.storeId, s.store.storeId));
    const l = await scheduleLive(ctxOf(rt), s.store.storeId, s.store.userId, { title, scheduledAt: rt.services.clock.now(), listingIds: [listing.id], prices: [], playbackUrl: PLAYBACK });
    await startLive(ctxOf(rt), { storeId: s.store.storeId }, s.store.userId, l.id);
    return l;
  }

  beforeAll(async () => {
    rt = await createTestRuntime();
    shop = await createShop(rt);
    other = await createShop(rt);
    const operator = await createPerson(rt, { roles: ["OPERATOR"], login: `op-muteall-${Date.now()}` });
    for (const s of [shop, other]) {
      await applyForAnchor(ctxOf(rt), s.store.userId, { name: "林小满", idNumber: newIdNumber() });
      await reviewAnchor(ctxOf(rt), operator.userId, s.store.userId, { status: "APPROVED", tier: 1 });
    }
    live = await onAir(shop, "禁言测试专场");
  });
  afterAll(() => rt?.dispose());

  it("given a live on air, when the host mutes everyone, then the room hears MUTE_ALL, viewers see it, a viewer's comment is refused COMMENTS_MUTED with nothing written, and the host still comments", async () => {
    const r = await gqlOk<any>(rt, shop.store.viewer, MUTE, { l: live.id, m: true });

    expect(r.setLiveCommentsMuted).toEqual({ live: { id: live.id, commentsMuted: true }, errors: [] });
    expect(await muteEvents()).toEqual([{ muted: true }]);
    expect((await gqlOk<any>(rt, shop.consumer.viewer, ROOM, { id: live.id })).shopLive.commentsMuted).toBe(true);
    const before = await commentCount();
    expect(await comment(shop.consumer.viewer, "主播好")).toEqual({ comment: null, errors: [{ code: "COMMENTS_MUTED", field: "text" }] });
    expect(await commentCount()).toBe(before);
    expect((await comment(shop.store.viewer, "大家稍等，马上开讲")).errors).toEqual([]);
    expect(await commentCount()).toBe(before + 1);
  });

  it("given it is on, when muted again, then nothing more is heard; when switched off, then the room hears it once and viewers comment again", async () => {
    await gqlOk(rt, shop.store.viewer, MUTE, { l: live.id, m: true });
    expect(await muteEvents()).toEqual([{ muted: true }]);

    const r = await gqlOk<any>(rt, shop.store.viewer, MUTE, { l: live.id, m: false });

    expect(r.setLiveCommentsMuted).toEqual({ live: { id: live.id, commentsMuted: false }, errors: [] });
    expect(await muteEvents()).toEqual([{ muted: true }, { muted: false }]);
    expect((await comment(shop.consumer.viewer, "终于可以说话了")).errors).toEqual([]);
  });

  it("given another store's live, a made-up id, or a live that is over, then LIVE_NOT_FOUND or INVALID_STATE and nothing changes or is heard", async () => {
    const theirs = await onAir(other, "别人的专场");
    const over = await onAir(shop, "已结束的专场");
    await endLive(ctxOf(rt), { storeId: shop.store.storeId }, shop.store.userId, over.id);
    const flags = async () => (await db().select({ id: lives.id, m: lives.commentsMutedAt }).from(lives)).filter((l) => l.m !== null);
    const before = await flags();

    const answers = await Promise.all([
      gqlOk<any>(rt, shop.store.viewer, MUTE, { l: theirs.id, m: true }),
      gqlOk<any>(rt, shop.store.viewer, MUTE, { l: "not-an-id", m: true }),
      gqlOk<any>(rt, shop.store.viewer, MUTE, { l: over.id, m: true }),
    ]);

    expect(answers.map((a) => a.setLiveCommentsMuted)).toEqual([
      { live: null, errors: [{ code: "LIVE_NOT_FOUND", field: "liveId" }] },
      { live: null, errors: [{ code: "LIVE_NOT_FOUND", field: "liveId" }] },
      { live: null, errors: [{ code: "INVALID_STATE", field: "liveId" }] },
    ]);
    expect(await flags()).toEqual(before);
    expect([...(await muteEvents(theirs.id)), ...(await muteEvents(over.id))]).toEqual([]);
  });

  it("given a viewer or a guest, when they try the switch, then FORBIDDEN or UNAUTHENTICATED and nothing is heard", async () => {
    const codes = async (viewer: Shop["consumer"]["viewer"] | null) => (await gql(rt, viewer, MUTE, { l: live.id, m: true })).errors?.map((e) => e.extensions?.code);
    expect(await codes(shop.consumer.viewer)).toEqual(["FORBIDDEN"]);
    expect(await codes(null)).toEqual(["UNAUTHENTICATED"]);
    expect(await muteEvents()).toEqual([{ muted: true }, { muted: false }]);
  });

  describe("in a training live", () => {
    let supplier: SupplierFixture;
    let training: LiveRow;
    beforeAll(async () => {
      supplier = await createSupplier(rt);
      const product = await createProductFixture(rt, supplier);
      training = await scheduleTrainingLive(ctxOf(rt), supplier.supplierId, supplier.userId, { title: "新品培训", scheduledAt: rt.services.clock.now(), productIds: [product.product.id], playbackUrl: PLAYBACK });
      await startLive(ctxOf(rt), { supplierId: supplier.supplierId }, supplier.userId, training.id);
    });

    it("given the supplier mutes its training room, then a merchant's question is refused COMMENTS_MUTED; a merchant cannot use the supplier's switch", async () => {
      const r = await gqlOk<any>(rt, supplier.viewer, MUTE_TRAINING, { l: training.id, m: true });

      expect(r.setTrainingCommentsMuted).toEqual({ live: { id: training.id, commentsMuted: true }, errors: [] });
      expect(await comment(shop.store.viewer, "请问起订量多少", training.id)).toEqual({ comment: null, errors: [{ code: "COMMENTS_MUTED", field: "text" }] });
      expect(await commentCount(training.id)).toBe(0);
      expect((await gql(rt, shop.store.viewer, MUTE_TRAINING, { l: training.id, m: false })).errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
      expect(await muteEvents(training.id)).toEqual([{ muted: true }]);
    });
  });
});
