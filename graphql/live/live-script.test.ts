/**
 * Suppliers' live scripts (讲解话术) through the real services and GraphQL: saved for their own
 * products with the Advertising Law terms marked where they are; bad input refused with nothing
 * written; merchants see the scripts for the products on their own live's shelf, nobody else.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { files, listings, liveScripts, supplierMembers, userRoles, users } from "@/db/schema";
import { createTestRuntime, gql, gqlOk, type TestRuntime } from "../test/harness";
import { createShop, createSupplier, createProductFixture, ctxOf, uploadImage, type Shop } from "../test/fixtures";
import { viewerOf } from "../test/harness";
import { scheduleLive } from "./live.service";

const SAVE = `mutation($input: LiveScriptInput!, $id: ID) { saveLiveScript(input: $input, scriptId: $id) {
  script { id title sellingPoints adHits { term field start end } materials { label kind url fileKey } } errors { code field } } }`;

describe("live scripts", () => {
  let rt: TestRuntime;
  let shop: Shop;
  beforeAll(async () => {
    rt = await createTestRuntime();
    shop = await createShop(rt, [{ stock: 10 }]);
  });
  afterAll(() => rt?.dispose());
  const count = async () => (await rt.services.db.select().from(liveScripts)).length;
  const input = (over: Record<string, unknown> = {}) => ({
    productId: shop.product.product.id,
    title: "云南古树茶讲解",
    sellingPoints: ["三百年古树", "国家级非遗工艺"],
    body: "这款茶是我们卖得最好的一款，口感醇厚回甘，适合日常冲泡。",
    materials: [],
    ...over,
  });

  it("given a script with absolute terms, then it is saved and each term is marked in its field at its place", async () => {
    const r = await gqlOk<any>(rt, shop.supplier.viewer, SAVE, { input: input() });

    expect(r.saveLiveScript.errors).toEqual([]);
    const hits = r.saveLiveScript.script.adHits as { term: string; field: string; start: number; end: number }[];
    const text = (field: string) => (field === "body" ? input().body : field === "title" ? input().title : input().sellingPoints[Number(field.split(".")[1])]);
    for (const h of hits) expect(text(h.field).slice(h.start, h.end).length).toBeGreaterThan(0);
    expect(hits).toContainEqual(expect.objectContaining({ term: "国家级", field: "sellingPoints.1" }));
    expect(hits.some((h) => h.field === "body" && text("body").slice(h.start, h.end).startsWith("最"))).toBe(true);
  });

  it("given the same script rewritten without them, when saved over it, then no hits remain", async () => {
    const first = await gqlOk<any>(rt, shop.supplier.viewer, SAVE, { input: input({ title: "改写前" }) });
    const id = first.saveLiveScript.script.id;
    const r = await gqlOk<any>(rt, shop.supplier.viewer, SAVE, { id, input: input({ title: "改写后", sellingPoints: ["三百年古树", "传统手工工艺"], body: "这款茶口感醇厚回甘，适合日常冲泡，回购的朋友很多。" }) });
    expect(r.saveLiveScript.script).toMatchObject({ id, title: "改写后", adHits: [] });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["a one-character title", { title: "茶" }, "INVALID_TITLE"],
    ["a body under 10 characters", { body: "好喝" }, "INVALID_BODY"],
    ["11 selling points", { sellingPoints: Array.from({ length: 11 }, (_, i) => `卖点${i}`) }, "INVALID_POINTS"],
    ["a material file that was never uploaded", { materials: [{ label: "主图", fileKey: "nope/never.png" }] }, "INVALID_MATERIAL"],
  ])("given %s, then %s and nothing is written", async (_, over, code) => {
    const before = await count();
    const r = await gqlOk<any>(rt, shop.supplier.viewer, SAVE, { input: input(over) });
    expect(r.saveLiveScript).toEqual({ script: null, errors: [expect.objectContaining({ code })] });
    expect(await count()).toBe(before);
  });

  it("given another supplier's product, then PRODUCT_NOT_FOUND; a merchant or consumer cannot save scripts at all", async () => {
    const other = await createSupplier(rt);
    const theirs = await createProductFixture(rt, other, { skus: [{ stock: 1 }] });
    const before = await count();
    const r = await gqlOk<any>(rt, shop.supplier.viewer, SAVE, { input: input({ productId: theirs.product.id }) });
    expect(r.saveLiveScript.errors).toEqual([expect.objectContaining({ code: "PRODUCT_NOT_FOUND" })]);
    for (const viewer of [shop.store.viewer, shop.consumer.viewer]) {
      expect((await gql<any>(rt, viewer, SAVE, { input: input() })).errors.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    }
    expect(await count()).toBe(before);
  });

  it("given a live with the product on its shelf, then its merchant reads the product's scripts; another store reads none", async () => {
    const [listing] = await rt.services.db.select().from(listings).where(eq(listings.storeId, shop.store.storeId));
    const live = await scheduleLive(ctxOf(rt), shop.store.storeId, shop.store.userId, { title: "茶叶专场", scheduledAt: new Date(rt.services.clock.now().getTime() + 3_600_000), listingIds: [listing.id], prices: [] });
    const q = `query($l: ID!) { liveScriptsForLive(liveId: $l) { productId title body } }`;

    const mine = await gqlOk<any>(rt, shop.store.viewer, q, { l: live.id });
    const theirs = await gqlOk<any>(rt, (await createShop(rt)).store.viewer, q, { l: live.id });

    expect(mine.liveScriptsForLive.length).toBeGreaterThan(0);
    expect(mine.liveScriptsForLive.every((s: { productId: string }) => s.productId === shop.product.product.id)).toBe(true);
    expect(theirs.liveScriptsForLive).toEqual([]);
  });
  describe("the material pack (素材包)", () => {
    /** A file this person uploaded through the material endpoint (a `files` row, as the route writes it). */
    async function uploaded(ownerUserId: string, contentType = "application/pdf", ext = "pdf") {
      const key = `materials/${crypto.randomUUID()}.${ext}`;
      await rt.services.db.insert(files).values({ key, contentType, byteSize: 1_024, ownerUserId, createdAt: rt.services.clock.now() });
      return key;
    }
    /** A second member of the same supplier company. */
    async function colleague() {
      const now = rt.services.clock.now();
      const [u] = await rt.services.db.insert(users).values({ nickname: "同事", createdAt: now }).returning();
      await rt.services.db.insert(userRoles).values({ userId: u.id, role: "SUPPLIER", createdAt: now });
      await rt.services.db.insert(supplierMembers).values({ supplierId: shop.supplier.supplierId, userId: u.id, createdAt: now });
      return viewerOf(rt, u.id);
    }

    it("given a PDF and an image the supplier uploaded, when saved with the script, then both are in its pack with their kinds and URLs, and the merchant selling it reads them", async () => {
      const pdf = await uploaded(shop.supplier.userId);
      const img = await uploadImage(rt, shop.supplier.userId);
      const r = await gqlOk<any>(rt, shop.supplier.viewer, SAVE, { input: input({ sellingPoints: [], materials: [{ label: "产品手册", fileKey: pdf }, { label: "主图", fileKey: img }] }) });

      expect(r.saveLiveScript.errors).toEqual([]);
      expect(r.saveLiveScript.script.materials).toEqual([
        { label: "产品手册", kind: "PDF", url: `/api/files/${pdf}`, fileKey: pdf },
        { label: "主图", kind: "IMAGE", url: `/api/files/${img}`, fileKey: img },
      ]);
      const [listing] = await rt.services.db.select().from(listings).where(eq(listings.storeId, shop.store.storeId));
      const live = await scheduleLive(ctxOf(rt), shop.store.storeId, shop.store.userId, { title: "素材包专场", scheduledAt: new Date(rt.services.clock.now().getTime() + 3_600_000), listingIds: [listing.id], prices: [] });
      const forMerchant = await gqlOk<any>(rt, shop.store.viewer, `query($l: ID!) { liveScriptsForLive(liveId: $l) { id materials { label kind url } } }`, { l: live.id });
      expect(forMerchant.liveScriptsForLive.find((s: { id: string }) => s.id === r.saveLiveScript.script.id).materials).toEqual([
        { label: "产品手册", kind: "PDF", url: `/api/files/${pdf}` },
        { label: "主图", kind: "IMAGE", url: `/api/files/${img}` },
      ]);
    });

    it.each<[string, () => Promise<string>]>([
      ["a file somebody else uploaded (a consumer's after-sale photo)", async () => uploadImage(rt, shop.consumer.userId)],
      ["another supplier's material", async () => uploaded((await createSupplier(rt)).userId)],
      ["a file of a type no material may be", async () => uploaded(shop.supplier.userId, "image/svg+xml", "svg")],
    ])("given %s, then INVALID_MATERIAL and nothing is written", async (_, file) => {
      const key = await file();
      const before = await count();
      const r = await gqlOk<any>(rt, shop.supplier.viewer, SAVE, { input: input({ materials: [{ label: "素材", fileKey: key }] }) });
      expect(r.saveLiveScript).toEqual({ script: null, errors: [{ code: "INVALID_MATERIAL", field: "materials" }] });
      expect(await count()).toBe(before);
    });

    it("given a script with a colleague's upload, when another member edits it keeping that file and adding their own, then it saves; a foreign file added in the same edit is refused and the pack is unchanged", async () => {
      const theirs = await uploaded(shop.supplier.userId);
      const first = await gqlOk<any>(rt, shop.supplier.viewer, SAVE, { input: input({ sellingPoints: [], materials: [{ label: "手册", fileKey: theirs }] }) });
      const id = first.saveLiveScript.script.id;
      const me = await colleague();
      const mine = await uploaded(me.userId, "video/mp4", "mp4");

      const kept = await gqlOk<any>(rt, me, SAVE, { id, input: input({ sellingPoints: [], materials: [{ label: "手册", fileKey: theirs }, { label: "讲解视频", fileKey: mine }] }) });
      const foreign = await gqlOk<any>(rt, me, SAVE, { id, input: input({ sellingPoints: [], materials: [{ label: "手册", fileKey: theirs }, { label: "别人的", fileKey: await uploadImage(rt, shop.consumer.userId) }] }) });

      expect(kept.saveLiveScript.script.materials.map((m: { kind: string }) => m.kind)).toEqual(["PDF", "VIDEO"]);
      expect(foreign.saveLiveScript.errors).toEqual([{ code: "INVALID_MATERIAL", field: "materials" }]);
      const [row] = await rt.services.db.select().from(liveScripts).where(eq(liveScripts.id, id));
      expect(row.materials.map((m) => m.fileKey)).toEqual([theirs, mine]);
    });
  });
});
