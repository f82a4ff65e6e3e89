/**
 * The platform's live console and the host's viewer bans through the real schema (PGlite, or the
 * Postgres server of DATABASE_URL): only operators reach the operator operations; the anchor queue
 * shows masked names with sessions, live GMV and violations; a replay taken down loses its video
 * and chapters (reason required, audited); operator takedowns, held-comment review and word lists
 * are audited; a host mutes a viewer by one of their comments; ad copy is checked with positions.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditLog, listings, lives } from "@/db/schema";
import { createTestRuntime, gql, gqlOk, type TestRuntime } from "../test/harness";
import { createConsumer, createPerson, createShop, ctxOf, order, pay, type ConsumerFixture, type Person, type Shop } from "../test/fixtures";
import { newIdNumber } from "../test/wallet-fixtures";
import { readEconomics } from "../platform/settings";
import { minimumRetailPrice } from "../store/store.rules";
import { applyForAnchor, reviewAnchor } from "./anchor.service";
import { endLive, pinProduct, scheduleLive, startLive, type LiveRow } from "./live.service";
import { postComment } from "./live-comment.service";

const SEC = 1_000;
const PLAYBACK = "https://cdn.example.com/live/room.m3u8";
const ERRORS = "errors { code message field }";

describe("live admin", () => {
  let rt: TestRuntime;
  let shop: Shop;
  let other: Shop;
  let operator: Person;
  let fan: ConsumerFixture;
  let replay: LiveRow;
  let onAir: LiveRow;
  let listingId: string;
  const db = () => rt.services.db;
  let t0: number;
  /** A moment `ms` after the fixtures' start, so the replay's chapter offsets are exact. */
  const at = (ms: number) => ({ db: db(), now: new Date(t0 + ms) });
  const audits = async (action: string, subjectId: string) => db().select().from(auditLog).where(and(eq(auditLog.action, action), eq(auditLog.subjectId, subjectId)));

  beforeAll(async () => {
    rt = await createTestRuntime();
    t0 = rt.services.clock.now().getTime();
    shop = await createShop(rt, [{ stock: 100, supplyPrice: 5_000, suggestedPrice: 12_800 }]);
    other = await createShop(rt);
    operator = await createPerson(rt, { roles: ["OPERATOR"], login: `op-admin-${Date.now()}` });
    fan = await createConsumer(rt);
    const floor = minimumRetailPrice(5_000, await readEconomics(db(), rt.services.clock.now()));
    const [listing] = await db().select().from(listings).where(eq(listings.storeId, shop.store.storeId));
    listingId = listing.id;
    const owner = { storeId: shop.store.storeId };
    await applyForAnchor(ctxOf(rt), shop.store.userId, { name: "林小满", idNumber: newIdNumber() });
    await reviewAnchor(ctxOf(rt), operator.userId, shop.store.userId, { status: "APPROVED", tier: 2 });
    const input = { title: "回放专场", scheduledAt: rt.services.clock.now(), listingIds: [listing.id], prices: [{ skuId: shop.product.skus[0].id, livePrice: floor + 100 }], playbackUrl: PLAYBACK };

    // A live that explained the product from 0:02 to its end at 0:10, with one paid order from the room.
    replay = await scheduleLive(at(0), shop.store.storeId, shop.store.userId, input);
    await startLive(at(0), owner, shop.store.userId, replay.id);
    await pinProduct(at(2 * SEC), owner, replay.id, shop.product.product.id);
    const bought = await order(rt, fan, shop.store, [{ skuId: shop.product.skus[0].id, quantity: 1 }], { liveId: replay.id });
    await pay(rt, fan, bought.id);
    replay = await endLive(at(10 * SEC), owner, shop.store.userId, replay.id);

    onAir = await scheduleLive(at(0), shop.store.storeId, shop.store.userId, { ...input, title: "正在直播" });
    await startLive(at(0), owner, shop.store.userId, onAir.id);
  });
  afterAll(async () => {
    await rt?.dispose();
  });

  describe("who may", () => {
    it.each([
      ["anchorApplications", `{ anchorApplications { userId } }`],
      ["heldLiveComments", `{ heldLiveComments { id } }`],
      ["moderationWords", `{ moderationWords { id } }`],
      ["operatorEndLive", `mutation($id: ID!) { operatorEndLive(liveId: $id, reason: "违规内容展示") { ${ERRORS} } }`],
      ["hideReplay", `mutation($id: ID!) { hideReplay(liveId: $id, reason: "违规内容展示") { ${ERRORS} } }`],
      ["reviewAnchor", `mutation($id: ID!) { reviewAnchor(userId: $id, status: APPROVED, tier: 5) { ${ERRORS} } }`],
      ["addModerationWord", `mutation { addModerationWord(category: HOLD, term: "测试词") { ${ERRORS} } }`],
    ])("given a merchant, when they call %s, then FORBIDDEN and nothing changes", async (_, query) => {
      const result = await gql(rt, shop.store.viewer, query, { id: query.includes("userId") ? shop.store.userId : onAir.id });
      expect(result.errors.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
      const [row] = await db().select().from(lives).where(eq(lives.id, onAir.id));
      expect(row.status).toBe("LIVE");
    });

    it("given a consumer, when they check ad copy, then FORBIDDEN; a merchant gets the hits with their positions", async () => {
      const query = `query($t: String!) { checkAdCopy(text: $t) { ok hits { term category start end text } } }`;
      const text = "这款是全网最低价，国家级品质";
      expect((await gql(rt, fan.viewer, query, { t: text })).errors.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
      const { checkAdCopy } = await gqlOk<{ checkAdCopy: { ok: boolean; hits: { term: string; category: string; start: number; end: number; text: string }[] } }>(rt, shop.store.viewer, query, { t: text });
      expect(checkAdCopy.ok).toBe(false);
      expect(checkAdCopy.hits.length).toBeGreaterThan(0);
      for (const h of checkAdCopy.hits) expect(text.slice(h.start, h.end)).toBe(h.text);
      expect(checkAdCopy.hits.some((h) => h.category === "AD_LAW" && h.text.includes("国家级"))).toBe(true);
      const clean = await gqlOk<{ checkAdCopy: { ok: boolean; hits: unknown[] } }>(rt, shop.store.viewer, query, { t: "新鲜赣南脐橙，果肉饱满" });
      expect(clean.checkAdCopy).toEqual({ ok: true, hits: [] });
    });
  });

  describe("anchor queue", () => {
    it("given an approved anchor with a paid live order, then the row shows the masked name, sessions, GMV and no violations", async () => {
      const { anchorApplications } = await gqlOk<{ anchorApplications: { userId: string; realName: string; status: string; tier: number; sessions: number; gmv: { amount: number }; violations: number }[] }>(
        rt,
        operator.viewer,
        `query($s: String) { anchorApplications(status: $s) { userId realName status tier sessions gmv { amount } violations } }`,
        { s: "APPROVED" },
      );
      const row = anchorApplications.find((a) => a.userId === shop.store.userId)!;
      expect(row).toMatchObject({ realName: "林**", status: "APPROVED", tier: 2, sessions: 2, violations: 0 });
      expect(row.gmv.amount).toBeGreaterThan(0);
    });

    it("given a pending applicant, when the operator rejects without a note, then INVALID_NOTE; with a note, REJECTED and audited", async () => {
      await applyForAnchor(ctxOf(rt), other.store.userId, { name: "王大锤", idNumber: newIdNumber() });
      const mutation = `mutation($id: ID!, $note: String) { reviewAnchor(userId: $id, status: REJECTED, note: $note) { anchor { status realName } ${ERRORS} } }`;
      const bad = await gqlOk<{ reviewAnchor: { anchor: unknown; errors: { code: string }[] } }>(rt, operator.viewer, mutation, { id: other.store.userId, note: null });
      expect(bad.reviewAnchor).toMatchObject({ anchor: null, errors: [{ code: "INVALID_NOTE" }] });
      const ok = await gqlOk<{ reviewAnchor: { anchor: { status: string; realName: string }; errors: unknown[] } }>(rt, operator.viewer, mutation, { id: other.store.userId, note: "资料不完整，请补充" });
      expect(ok.reviewAnchor).toEqual({ anchor: { status: "REJECTED", realName: "王**" }, errors: [] });
      expect(await audits("anchor.rejected", other.store.userId)).toHaveLength(1);
    });
  });

  describe("replays", () => {
    const ROOM = `query($id: ID!) { shopLive(id: $id) { videoUrl chapters { productId startMs endMs } replayHidden } }`;
    const CHAPTERS = `query($slug: String!, $p: ID!) { shopProductChapters(storeSlug: $slug, id: $p) { liveId startMs endMs } }`;

    it("given an ended live, then its replay plays with the product's chapter, also listed on the product page", async () => {
      const { shopLive } = await gqlOk(rt, null, ROOM, { id: replay.id });
      expect(shopLive).toEqual({ videoUrl: PLAYBACK, chapters: [{ productId: shop.product.product.id, startMs: 2_000, endMs: 10_000 }], replayHidden: false });
      const { shopProductChapters } = await gqlOk(rt, null, CHAPTERS, { slug: shop.store.slug, p: listingId });
      expect(shopProductChapters).toEqual([{ liveId: replay.id, startMs: 2_000, endMs: 10_000 }]);
    });

    it("given no reason, when the operator hides the replay, then INVALID_REASON and it still plays", async () => {
      const { hideReplay } = await gqlOk(rt, operator.viewer, `mutation($id: ID!) { hideReplay(liveId: $id, reason: "  ") { live { id } ${ERRORS} } }`, { id: replay.id });
      expect(hideReplay).toEqual({ live: null, errors: [{ code: "INVALID_REASON", message: expect.any(String), field: "reason" }] });
      expect((await gqlOk(rt, null, ROOM, { id: replay.id })).shopLive.videoUrl).toBe(PLAYBACK);
      expect(await audits("live.hide_replay", replay.id)).toEqual([]);
    });

    it("given a live still on air, then its replay cannot be hidden (INVALID_STATE)", async () => {
      const { hideReplay } = await gqlOk(rt, operator.viewer, `mutation($id: ID!) { hideReplay(liveId: $id, reason: "违规内容展示") { ${ERRORS} } }`, { id: onAir.id });
      expect(hideReplay.errors.map((e: { code: string }) => e.code)).toEqual(["INVALID_STATE"]);
    });

    it("given a reason, when the operator hides the replay, then the video and chapters are gone for viewers and product pages, and one audit row records why", async () => {
      const { hideReplay } = await gqlOk(rt, operator.viewer, `mutation($id: ID!) { hideReplay(liveId: $id, reason: "含有违规宣传内容") { live { replayHidden } ${ERRORS} } }`, { id: replay.id });
      expect(hideReplay).toEqual({ live: { replayHidden: true }, errors: [] });
      expect((await gqlOk(rt, fan.viewer, ROOM, { id: replay.id })).shopLive).toEqual({ videoUrl: null, chapters: [], replayHidden: true });
      expect((await gqlOk(rt, null, CHAPTERS, { slug: shop.store.slug, p: listingId })).shopProductChapters).toEqual([]);
      const rows = await audits("live.hide_replay", replay.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ actorUserId: operator.userId, detail: "含有违规宣传内容" });
    });
  });

  describe("moderation", () => {
    it("given a comment by a viewer, when the host mutes them by that comment, then their next comment is refused (MUTED); another store's host gets LIVE_NOT_FOUND", async () => {
      const viewer = await createConsumer(rt);
      const comment = await postComment(ctxOf(rt), viewer.userId, onAir.id, "主播好");
      const mutation = `mutation($live: ID!, $c: ID!) { banLiveViewer(liveId: $live, commentId: $c, kind: MUTE) { ok ${ERRORS} } }`;
      const stranger = await gqlOk(rt, other.store.viewer, mutation, { live: onAir.id, c: comment.id });
      expect(stranger.banLiveViewer).toMatchObject({ ok: false, errors: [{ code: "LIVE_NOT_FOUND" }] });
      const { banLiveViewer } = await gqlOk(rt, shop.store.viewer, mutation, { live: onAir.id, c: comment.id });
      expect(banLiveViewer).toEqual({ ok: true, errors: [] });
      await expect(postComment(ctxOf(rt), viewer.userId, onAir.id, "再说一句")).rejects.toMatchObject({ code: "MUTED" });
    });

    it("given another store's live, when a host bans a viewer by id there, then LIVE_NOT_FOUND", async () => {
      const { banLiveViewer } = await gqlOk(rt, other.store.viewer, `mutation($live: ID!, $u: ID!) { banLiveViewer(liveId: $live, userId: $u, kind: BLOCK) { ok ${ERRORS} } }`, { live: onAir.id, u: fan.userId });
      expect(banLiveViewer).toMatchObject({ ok: false, errors: [{ code: "LIVE_NOT_FOUND" }] });
    });

    it("given an operator-added HOLD word, then a comment with it is held, listed for review, and released to the room with an audit row", async () => {
      const { addModerationWord } = await gqlOk(rt, operator.viewer, `mutation { addModerationWord(category: HOLD, term: "暗号九九八") { ok ${ERRORS} } }`);
      expect(addModerationWord).toEqual({ ok: true, errors: [] });
      expect((await gqlOk(rt, operator.viewer, `{ moderationWords { category term } }`)).moderationWords).toContainEqual({ category: "HOLD", term: "暗号九九八" });
      expect(await audits("moderation.add_word", "HOLD")).toHaveLength(1);

      const held = await postComment(ctxOf(rt), fan.userId, onAir.id, "暗号九九八来了");
      expect(held.status).toBe("HELD");
      const { heldLiveComments } = await gqlOk(rt, operator.viewer, `{ heldLiveComments { id liveTitle original terms } }`);
      expect(heldLiveComments).toContainEqual({ id: held.id, liveTitle: "正在直播", original: "暗号九九八来了", terms: ["暗号九九八"] });

      const { reviewHeldComment } = await gqlOk(rt, operator.viewer, `mutation($id: ID!) { reviewHeldComment(commentId: $id, release: true) { ok ${ERRORS} } }`, { id: held.id });
      expect(reviewHeldComment).toEqual({ ok: true, errors: [] });
      const again = await gqlOk(rt, operator.viewer, `mutation($id: ID!) { reviewHeldComment(commentId: $id, release: true) { ok ${ERRORS} } }`, { id: held.id });
      expect(again.reviewHeldComment).toMatchObject({ ok: false, errors: [{ code: "COMMENT_NOT_FOUND" }] });
      expect(await audits("comment.release", held.id)).toHaveLength(1);
      const { shopLive } = await gqlOk(rt, null, `query($id: ID!) { shopLive(id: $id) { comments { id } } }`, { id: onAir.id });
      expect(shopLive.comments.map((c: { id: string }) => c.id)).toContain(held.id);
    });

    it("given a live on air, when the operator ends it with a reason, then viewers see the reason, the live counts as a violation and an audit row is written", async () => {
      const short = await gqlOk(rt, operator.viewer, `mutation($id: ID!) { operatorEndLive(liveId: $id, reason: "违规") { ${ERRORS} } }`, { id: onAir.id });
      expect(short.operatorEndLive.errors.map((e: { field: string }) => e.field)).toEqual(["reason"]);
      const { operatorEndLive } = await gqlOk(rt, operator.viewer, `mutation($id: ID!) { operatorEndLive(liveId: $id, reason: "直播中出现违规宣传") { live { status endReason } ${ERRORS} } }`, { id: onAir.id });
      expect(operatorEndLive).toEqual({ live: { status: "ENDED", endReason: "直播中出现违规宣传" }, errors: [] });
      expect((await gqlOk(rt, null, `query($id: ID!) { shopLive(id: $id) { endReason } }`, { id: onAir.id })).shopLive.endReason).toBe("直播中出现违规宣传");
      expect(await audits("live.end", onAir.id)).toHaveLength(1);
      const { anchorApplications } = await gqlOk(rt, operator.viewer, `{ anchorApplications { userId violations } }`);
      expect(anchorApplications.find((a: { userId: string }) => a.userId === shop.store.userId).violations).toBe(1);
    });
  });
});
