import { and, asc, eq } from "drizzle-orm";
import type { Services } from "@/graphql/core/context";
import { listingPrices, listings, products, skus, stores, supplierMembers, users } from "@/db/schema";
import { readEconomics } from "@/graphql/platform/settings";
import { blindIndex } from "@/graphql/platform/crypto";
import { minimumRetailPrice } from "@/graphql/store/store.rules";
import { applyForAnchor, reviewAnchor } from "@/graphql/live/anchor.service";
import { endLive, pinProduct, scheduleLive, startLive, type LivePriceInput } from "@/graphql/live/live.service";
import { postComment } from "@/graphql/live/live-comment.service";
import { saveLiveScript } from "@/graphql/live/live-script.service";
import { scheduleTrainingLive } from "@/graphql/live/training.service";

/** The demo HLS clip in public/ (48 s; it loops as the "live" stream and serves as the replay). */
export const DEMO_PLAYBACK = "/media/demo-live/index.m3u8";

/** A well-formed resident ID number (GB 11643 check code) for the demo anchor. */
function demoIdNumber(first17 = "33010619900307201"): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * weights[i], 0);
  return first17 + "10X98765432"[sum % 11];
}

/**
 * The first store's lives: its owner certified as an anchor (real name + operator approval); a
 * replay from yesterday, 45 s long with three pinned products (so its chapters fall within the 48 s
 * clip); a live on air now with live prices (one with a per-person limit) and a product 讲解中; and
 * one scheduled for tomorrow. All through the live services, at the times they would have happened.
 */
export async function seedDemoLives(services: Services, storeSlug: string, operatorLogin: string, viewerPhones: string[]) {
  const { db } = services;
  const at = (now: Date) => ({ db, now });
  const now = services.clock.now();
  const [store] = await db.select().from(stores).where(eq(stores.slug, storeSlug));
  const [operator] = await db.select().from(users).where(eq(users.loginName, operatorLogin));
  const host = store.ownerUserId;
  const viewerIds: string[] = [];
  for (const phone of viewerPhones) {
    const [u] = await db.select({ id: users.id }).from(users).where(eq(users.phoneIndex, blindIndex("phone", phone)));
    if (u) viewerIds.push(u.id);
  }

  await applyForAnchor(at(now), host, { name: "林小美", idNumber: demoIdNumber() });
  await reviewAnchor(at(now), operator.id, host, { status: "APPROVED", tier: 3, note: "演示主播" });

  const shelf = await db
    .select({ id: listings.id, productId: listings.productId })
    .from(listings)
    .where(and(eq(listings.storeId, store.id), eq(listings.status, "ON_SHELF")))
    .orderBy(asc(listings.createdAt), asc(listings.id))
    .limit(8);
  const economics = await readEconomics(db, now);
  /** Live prices about 15% off where the floor allows; `limit` on the first priced SKU. */
  async function pricesFor(listingIds: string[], limit: number | null): Promise<LivePriceInput[]> {
    const out: LivePriceInput[] = [];
    for (const listingId of listingIds) {
      const rows = await db
        .select({ skuId: listingPrices.skuId, list: listingPrices.retailPrice, supply: skus.supplyPrice })
        .from(listingPrices)
        .innerJoin(skus, eq(skus.id, listingPrices.skuId))
        .where(eq(listingPrices.listingId, listingId));
      for (const r of rows) {
        const floor = minimumRetailPrice(r.supply, economics);
        const price = Math.max(floor, Math.floor((r.list * 0.85) / 10) * 10);
        if (price < r.list) out.push({ skuId: r.skuId, livePrice: price, perUserLimit: out.length === 0 ? limit : null });
      }
    }
    return out;
  }

  // Yesterday's live, 45 s long: three products explained at 0:03, 0:16 and 0:30.
  const t0 = new Date(now.getTime() - 86_400_000);
  const s = (sec: number) => new Date(t0.getTime() + sec * 1000);
  const pastShelf = shelf.slice(0, 3);
  const past = await scheduleLive(at(new Date(t0.getTime() - 60_000)), store.id, host, {
    title: "小美的好物开箱（回放）",
    scheduledAt: t0,
    listingIds: pastShelf.map((l) => l.id),
    prices: await pricesFor(pastShelf.map((l) => l.id), null),
    playbackUrl: DEMO_PLAYBACK,
  });
  await startLive(at(t0), { storeId: store.id }, host, past.id);
  await pinProduct(at(s(3)), { storeId: store.id }, past.id, pastShelf[0].productId);
  await pinProduct(at(s(16)), { storeId: store.id }, past.id, pastShelf[1].productId);
  await pinProduct(at(s(30)), { storeId: store.id }, past.id, pastShelf[2].productId);
  await endLive(at(s(45)), { storeId: store.id }, host, past.id);

  // On air now: four products with live prices, the first one 讲解中.
  const nowShelf = shelf.slice(0, 4);
  const onAir = await scheduleLive(at(now), store.id, host, {
    title: "小美直播间 · 今日特价",
    scheduledAt: now,
    listingIds: nowShelf.map((l) => l.id),
    prices: await pricesFor(nowShelf.map((l) => l.id), 2),
    playbackUrl: DEMO_PLAYBACK,
  });
  await startLive(at(now), { storeId: store.id }, host, onAir.id);
  await pinProduct(at(now), { storeId: store.id }, onAir.id, nowShelf[0].productId);
  const lines = ["主播好！", "这个有优惠吗？", "已经下单了，期待"];
  for (const [i, userId] of viewerIds.slice(0, lines.length).entries()) await postComment(at(now), userId, onAir.id, lines[i]);

  // Tomorrow at 20:00 Asia/Shanghai (12:00 UTC), or in a day if that is too close.
  const tomorrow = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 12));
  const nextShelf = shelf.slice(4, 6).length ? shelf.slice(4, 6) : shelf.slice(0, 2);
  await scheduleLive(at(now), store.id, host, {
    title: "明晚 8 点 · 秋冬上新专场",
    scheduledAt: tomorrow.getTime() - now.getTime() > 3_600_000 ? tomorrow : new Date(now.getTime() + 86_400_000),
    listingIds: nextShelf.map((l) => l.id),
    prices: await pricesFor(nextShelf.map((l) => l.id), 1),
    playbackUrl: DEMO_PLAYBACK,
  });
}

/**
 * The first supplier's training lives (培训直播) for merchants: a live script with selling points for
 * its first product, a training live on air now with that product 讲解中, and one for tomorrow.
 * Training needs no anchor certification (see startLive).
 */
export async function seedDemoTraining(services: Services, supplierLogin: string) {
  const { db } = services;
  const now = services.clock.now();
  const at = { db, now };
  const [user] = await db.select().from(users).where(eq(users.loginName, supplierLogin));
  const [member] = await db.select().from(supplierMembers).where(eq(supplierMembers.userId, user.id));
  const own = await db.select({ id: products.id }).from(products).where(eq(products.supplierId, member.supplierId)).orderBy(asc(products.createdAt), asc(products.id)).limit(4);
  await saveLiveScript(at, member.supplierId, user.id, {
    productId: own[0].id,
    title: "当季鲜果讲解要点",
    sellingPoints: ["产地直发，坏果包赔", "现摘现发，48 小时内发货", "5 斤装适合家庭，10 斤装适合送礼"],
    body: "开场先展示果园实拍，再现场切开看果肉和汁水；讲清楚规格和发货时效，提醒观众收货后检查，坏果拍照即可申请售后。",
    materials: [],
  });
  const onAir = await scheduleTrainingLive(at, member.supplierId, user.id, { title: "鲜果源 · 当季新品卖点培训", scheduledAt: now, productIds: own.slice(0, 3).map((p) => p.id), playbackUrl: DEMO_PLAYBACK });
  await startLive(at, { supplierId: member.supplierId }, user.id, onAir.id);
  await pinProduct(at, { supplierId: member.supplierId }, onAir.id, own[0].id);
  await scheduleTrainingLive(at, member.supplierId, user.id, { title: "明天下午 · 售后与发货规则培训", scheduledAt: new Date(now.getTime() + 86_400_000), productIds: own.slice(1, 4).map((p) => p.id), playbackUrl: DEMO_PLAYBACK });
}
