import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { anchors, auditLog, listingPrices, listings, liveEvents, livePrices, liveProducts, liveReservations, lives, products, skus } from "@/db/schema";
import { DomainError } from "../core/errors";
import { isUuid } from "../core/ids";
import { notify } from "../notification/notification.service";
import { readEconomics } from "../platform/settings";
import { minimumRetailPrice } from "../store/store.rules";
import { publishLiveEvent } from "./live-bus";
import { chaptersOf, checkLiveDraft, checkLivePrice, isPlayableUrl, LiveErrorCode, transition, type Chapter, type LiveAction } from "./live.rules";
import { currentMatcher } from "./live-comment.service";
import { moderate } from "./moderation.rules";

type Ctx = { db: Db; now: Date };
export type LiveRow = typeof lives.$inferSelect;

const fail = (code: keyof typeof LiveErrorCode, message: string, field: string | null = null) => new DomainError(code, message, field);
const notFound = () => fail("LIVE_NOT_FOUND", "直播不存在", "liveId");

export type LivePriceInput = { skuId: string; livePrice: number; perUserLimit?: number | null };
export type ScheduleLiveInput = { title: string; scheduledAt: Date; listingIds: string[]; prices: LivePriceInput[]; playbackUrl?: string | null; coverKey?: string | null };

/**
 * A merchant schedules a sales live: title, start time, the shelf (their own listings, on shelf) and
 * live-only prices (each below the list price and never below the listing floor). One transaction:
 * a bad price or listing writes nothing.
 */
export async function scheduleLive(ctx: Ctx, storeId: string, hostUserId: string, input: ScheduleLiveInput): Promise<LiveRow> {
  const listingIds = input.listingIds.map((id) => id.toLowerCase());
  const problem = checkLiveDraft({ title: input.title, scheduledAt: input.scheduledAt, listingIds, now: ctx.now });
  if (problem) throw fail(problem.code, problem.message, problem.field);
  if (!listingIds.every(isUuid)) throw fail("LISTING_NOT_FOUND", "货架商品不存在", "listingIds");
  if (input.playbackUrl && !isPlayableUrl(input.playbackUrl)) throw fail("INVALID_PLAYBACK_URL", "播放地址需为 https 的 HLS（.m3u8）地址", "playbackUrl");
  const shelf = listingIds.length
    ? await ctx.db
        .select({ id: listings.id, productId: listings.productId })
        .from(listings)
        .where(and(inArray(listings.id, listingIds), eq(listings.storeId, storeId), eq(listings.status, "ON_SHELF")))
    : [];
  if (shelf.length !== listingIds.length) throw fail("LISTING_NOT_FOUND", "只能选择本店在售的商品", "listingIds");
  await checkPrices(ctx, listingIds, input.prices);
  return ctx.db.transaction(async (tx) => {
    const [live] = await tx
      .insert(lives)
      .values({
        kind: "SALES",
        storeId,
        hostUserId,
        title: input.title.trim(),
        scheduledAt: input.scheduledAt,
        playbackUrl: input.playbackUrl ?? null,
        coverKey: input.coverKey ?? null,
        createdAt: ctx.now,
      })
      .returning();
    const byId = new Map(shelf.map((s) => [s.id, s.productId]));
    if (listingIds.length) {
      await tx.insert(liveProducts).values(listingIds.map((listingId, i) => ({ liveId: live.id, liveKind: "SALES" as const, listingId, productId: byId.get(listingId)!, position: i, createdAt: ctx.now })));
    }
    if (input.prices.length) await tx.insert(livePrices).values(input.prices.map((p) => ({ liveId: live.id, skuId: p.skuId.toLowerCase(), livePrice: p.livePrice, perUserLimit: p.perUserLimit ?? null })));
    return live;
  });
}

/** Every live price names a SKU on the shelf and sits between the listing floor and the list price. */
async function checkPrices(ctx: Ctx, listingIds: string[], prices: LivePriceInput[]) {
  if (!prices.length) return;
  const skuIds = prices.map((p) => p.skuId.toLowerCase());
  if (!skuIds.every(isUuid) || new Set(skuIds).size !== skuIds.length || !listingIds.length) throw fail("LISTING_NOT_FOUND", "直播价只能设置在货架商品上", "prices");
  const offered = await ctx.db
    .select({ skuId: skus.id, supply: skus.supplyPrice, list: listingPrices.retailPrice })
    .from(listingPrices)
    .innerJoin(skus, eq(skus.id, listingPrices.skuId))
    .where(and(inArray(listingPrices.listingId, listingIds), inArray(listingPrices.skuId, skuIds)));
  const bySku = new Map(offered.map((o) => [o.skuId, o]));
  const economics = await readEconomics(ctx.db, ctx.now);
  for (const [i, p] of prices.entries()) {
    const o = bySku.get(skuIds[i]);
    if (!o) throw fail("LISTING_NOT_FOUND", "直播价只能设置在货架商品上", `prices.${i}.skuId`);
    const problem = checkLivePrice({ livePrice: p.livePrice, listPrice: o.list, floor: minimumRetailPrice(o.supply, economics) });
    if (problem) throw fail(problem.code, problem.message, `prices.${i}.livePrice`);
    if (p.perUserLimit != null && (!Number.isInteger(p.perUserLimit) || p.perUserLimit < 1 || p.perUserLimit > 99)) throw fail("INVALID_SHELF", "每人限购需为 1–99 件", `prices.${i}.perUserLimit`);
  }
}

/** Locks a live of this store (or supplier) for a state change; LIVE_NOT_FOUND for anyone else's. */
async function lockOwnLive(tx: Db, owner: LiveOwner, liveId: string): Promise<LiveRow> {
  if (!isUuid(liveId)) throw notFound();
  const [live] = await tx.select().from(lives).where(eq(lives.id, liveId)).for("update");
  if (!live || !owns(owner, live)) throw notFound();
  return live;
}

export type LiveOwner = { storeId: string } | { supplierId: string } | { operator: true };
const owns = (owner: LiveOwner, live: LiveRow) =>
  "operator" in owner ? true : "storeId" in owner ? live.storeId === owner.storeId : live.supplierId === owner.supplierId;

function next(live: LiveRow, action: LiveAction) {
  const to = transition(live.status, action);
  if (!to) throw fail("INVALID_STATE", { START: "直播已开始或已结束", END: "直播未在进行中", CANCEL: "只能取消未开始的直播" }[action], "liveId");
  return to;
}

/**
 * Goes live: a sales live only with a certified anchor (real name + operator approval); a training
 * live with any member of its supplier. Everyone who reserved (预约) is notified in the same
 * transaction; the room hears START when it commits.
 */
export async function startLive(ctx: Ctx, owner: LiveOwner, userId: string, liveId: string, playbackUrl?: string | null): Promise<LiveRow> {
  if (playbackUrl && !isPlayableUrl(playbackUrl)) throw fail("INVALID_PLAYBACK_URL", "播放地址需为 https 的 HLS（.m3u8）地址", "playbackUrl");
  return ctx.db.transaction(async (tx) => {
    const live = await lockOwnLive(tx, owner, liveId);
    const status = next(live, "START");
    // Anchor certification (real name + operator approval) is what lets a person sell to consumers
    // on camera (网络直播营销). A training live is not that: only merchants can enter it, it sells
    // nothing, and its host speaks for a supplier company the platform itself onboarded (suppliers
    // cannot sign themselves up), so a supplier's staff need no anchor certification to train
    // merchants. Comments still pass the filter and operators can still end it.
    if (live.kind === "SALES") {
      const [anchor] = await tx.select().from(anchors).where(eq(anchors.userId, userId));
      if (anchor?.status !== "APPROVED") throw fail("ANCHOR_NOT_CERTIFIED", "需先完成主播认证（实名 + 平台审核）才能开播", "liveId");
    }
    const url = playbackUrl ?? live.playbackUrl;
    if (!url) throw fail("INVALID_PLAYBACK_URL", "请填写推流后的播放地址", "playbackUrl");
    const [started] = await tx.update(lives).set({ status, startedAt: ctx.now, playbackUrl: url, hostUserId: userId }).where(eq(lives.id, live.id)).returning();
    await publishLiveEvent(tx, live.id, "START", { title: live.title }, ctx.now);
    const reserved = await tx.select({ userId: liveReservations.userId }).from(liveReservations).where(eq(liveReservations.liveId, live.id));
    const link = live.kind === "SALES" ? `/live/${live.id}` : `/merchant/training/${live.id}`;
    await notify(tx, reserved.map((r) => ({ userId: r.userId, kind: "LIVE_STARTED" as const, title: "你预约的直播开始了", body: live.title, link })), ctx.now);
    if (reserved.length) await tx.update(liveReservations).set({ notifiedAt: ctx.now }).where(eq(liveReservations.liveId, live.id));
    return started;
  });
}

/** Ends a live (its host, or an operator with a recorded reason); it becomes a replay of the same stream. */
export async function endLive(ctx: Ctx, owner: LiveOwner, userId: string, liveId: string, reason?: string): Promise<LiveRow> {
  return ctx.db.transaction(async (tx) => {
    const live = await lockOwnLive(tx, owner, liveId);
    const status = next(live, "END");
    const byOperator = "operator" in owner;
    if (byOperator && !(reason && reason.trim().length >= 4)) throw fail("INVALID_STATE", "请填写结束直播的原因（至少 4 个字）", "reason");
    const [ended] = await tx
      .update(lives)
      .set({ status, endedAt: ctx.now, replayUrl: live.playbackUrl, endedBy: byOperator ? userId : null, endReason: byOperator ? reason!.trim() : null })
      .where(eq(lives.id, live.id))
      .returning();
    await publishLiveEvent(tx, live.id, "END", byOperator ? { reason: reason!.trim() } : {}, ctx.now);
    if (byOperator) await tx.insert(auditLog).values({ actorUserId: userId, action: "live.end", subjectType: "live", subjectId: live.id, detail: reason!.trim(), createdAt: ctx.now });
    return ended;
  });
}

/** The host pins a shelf product (讲解中) or unpins (productId null). Each pin becomes a replay chapter. */
export async function pinProduct(ctx: Ctx, owner: LiveOwner, liveId: string, productId: string | null): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const live = await lockOwnLive(tx, owner, liveId);
    if (live.status !== "LIVE") throw fail("INVALID_STATE", "直播未在进行中", "liveId");
    if (productId === null) {
      await publishLiveEvent(tx, live.id, "UNPIN", {}, ctx.now);
      return;
    }
    const onShelf = isUuid(productId)
      ? await tx.select().from(liveProducts).where(and(eq(liveProducts.liveId, live.id), eq(liveProducts.productId, productId), eq(liveProducts.onShelf, true)))
      : [];
    if (!onShelf.length) throw fail("PRODUCT_NOT_ON_SHELF", "该商品不在直播货架上", "productId");
    await publishLiveEvent(tx, live.id, "PIN", { productId }, ctx.now);
  });
}

/** The host puts a shelf product on or off the shelf during the live; viewers' shelves follow. */
export async function setOnShelf(ctx: Ctx, owner: LiveOwner, liveId: string, productId: string, onShelf: boolean): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const live = await lockOwnLive(tx, owner, liveId);
    if (live.status === "ENDED" || live.status === "CANCELLED") throw fail("INVALID_STATE", "直播已结束", "liveId");
    const changed = isUuid(productId)
      ? await tx.update(liveProducts).set({ onShelf }).where(and(eq(liveProducts.liveId, live.id), eq(liveProducts.productId, productId))).returning()
      : [];
    if (!changed.length) throw fail("PRODUCT_NOT_ON_SHELF", "该商品不在直播货架上", "productId");
    await publishLiveEvent(tx, live.id, onShelf ? "SHELF_ON" : "SHELF_OFF", { productId }, ctx.now);
  });
}

/** The host changes a live price during the live (same floor rules); viewers see the new price at once. */
export async function changeLivePrice(ctx: Ctx, owner: LiveOwner, liveId: string, price: LivePriceInput): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const live = await lockOwnLive(tx, owner, liveId);
    if (live.status === "ENDED" || live.status === "CANCELLED") throw fail("INVALID_STATE", "直播已结束", "liveId");
    const shelf = await tx.select({ listingId: liveProducts.listingId }).from(liveProducts).where(eq(liveProducts.liveId, live.id));
    // A training shelf has no listings, so no price can name one of its SKUs (LISTING_NOT_FOUND).
    await checkPrices({ db: tx, now: ctx.now }, shelf.flatMap((s) => (s.listingId ? [s.listingId] : [])), [price]);
    const skuId = price.skuId.toLowerCase();
    await tx
      .insert(livePrices)
      .values({ liveId: live.id, skuId, livePrice: price.livePrice })
      .onConflictDoUpdate({ target: [livePrices.liveId, livePrices.skuId], set: { livePrice: price.livePrice } });
    await publishLiveEvent(tx, live.id, "PRICE", { skuId, livePrice: price.livePrice }, ctx.now);
  });
}

/**
 * The host's announcement (公告) to the room, shown above the chat. It is the anchor's own copy, so
 * it passes the same filter as scripts: anything the lists hold back or the Advertising Law forbids
 * is refused with the words named (nothing is broadcast).
 */
export async function announceLive(ctx: Ctx, owner: LiveOwner, liveId: string, text: string): Promise<void> {
  const body = text.trim();
  if ([...body].length < 2 || [...body].length > 60) throw fail("INVALID_ANNOUNCEMENT", "公告需 2–60 个字", "text");
  const verdict = moderate(body, await currentMatcher(ctx.db, ctx.now), "AD_COPY");
  if (verdict.hits.length) throw fail("INVALID_ANNOUNCEMENT", `公告含不可使用的词：${[...new Set(verdict.hits.map((h) => h.text))].join("、")}`, "text");
  await ctx.db.transaction(async (tx) => {
    const live = await lockOwnLive(tx, owner, liveId);
    if (live.status !== "LIVE") throw fail("INVALID_STATE", "直播未在进行中", "liveId");
    await publishLiveEvent(tx, live.id, "ANNOUNCE", { text: body }, ctx.now);
  });
}

/**
 * The host marks a shelf product sold out in the room (标记售罄), or clears the mark. The room hears
 * SOLD_OUT (the product and its SKUs) or SOLD_OUT_CLEARED, shows 已售罄 and offers no checkout for
 * it until cleared. Stock is not touched: it is the supplier's, shared by every store selling the
 * product, and a merchant may not zero it — the mark is the host's word for this room only (e.g.
 * the live allotment is gone). Marking twice changes nothing and is heard once.
 */
export async function markSoldOut(ctx: Ctx, owner: LiveOwner, liveId: string, productId: string, soldOut: boolean): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const live = await lockOwnLive(tx, owner, liveId);
    if (live.kind !== "SALES") throw fail("INVALID_STATE", "培训直播不售卖商品", "liveId");
    if (live.status !== "LIVE") throw fail("INVALID_STATE", "直播未在进行中", "liveId");
    const [row] = isUuid(productId) ? await tx.select().from(liveProducts).where(and(eq(liveProducts.liveId, live.id), eq(liveProducts.productId, productId))) : [];
    if (!row) throw fail("PRODUCT_NOT_ON_SHELF", "该商品不在直播货架上", "productId");
    if ((row.soldOutAt !== null) === soldOut) return;
    await tx.update(liveProducts).set({ soldOutAt: soldOut ? ctx.now : null }).where(and(eq(liveProducts.liveId, live.id), eq(liveProducts.productId, productId)));
    if (soldOut) {
      const skuIds = (await tx.select({ id: skus.id }).from(skus).where(eq(skus.productId, productId))).map((s) => s.id);
      await publishLiveEvent(tx, live.id, "SOLD_OUT", { productId, skuIds, byHost: true }, ctx.now);
    } else {
      await publishLiveEvent(tx, live.id, "SOLD_OUT_CLEARED", { productId }, ctx.now);
    }
  });
}

/**
 * 全员禁言: the host (or its store's or supplier's colleague) switches the audience's comments off
 * or on, for a live not yet over. The room hears MUTE_ALL; postComment refuses everyone but the
 * host with COMMENTS_MUTED while it is on. Setting what is already set changes nothing.
 */
export async function setCommentsMuted(ctx: Ctx, owner: LiveOwner, liveId: string, muted: boolean): Promise<LiveRow> {
  return ctx.db.transaction(async (tx) => {
    const live = await lockOwnLive(tx, owner, liveId);
    if (live.status !== "SCHEDULED" && live.status !== "LIVE") throw fail("INVALID_STATE", "直播已结束", "liveId");
    if ((live.commentsMutedAt !== null) === muted) return live;
    const [row] = await tx.update(lives).set({ commentsMutedAt: muted ? ctx.now : null }).where(eq(lives.id, live.id)).returning();
    await publishLiveEvent(tx, live.id, "MUTE_ALL", { muted }, ctx.now);
    return row;
  });
}

/** The latest announcement of a live on air, or null. */
export async function latestAnnouncement(db: Db, liveId: string): Promise<string | null> {
  const [last] = await db.select({ payload: liveEvents.payload }).from(liveEvents).where(and(eq(liveEvents.liveId, liveId), eq(liveEvents.kind, "ANNOUNCE"))).orderBy(desc(liveEvents.id)).limit(1);
  return last ? String(last.payload.text) : null;
}

/**
 * After an order from the room took stock: every SKU of it now at 0 is announced SOLD_OUT to the
 * room, in the order's transaction (so only if the order commits).
 */
export async function announceSoldOut(tx: Db, liveId: string, skuIds: string[], now: Date): Promise<void> {
  if (!skuIds.length) return;
  const empty = await tx.select({ id: skus.id }).from(skus).where(and(inArray(skus.id, skuIds), eq(skus.stock, 0)));
  for (const s of empty) await publishLiveEvent(tx, liveId, "SOLD_OUT", { skuId: s.id }, now);
}

/**
 * 预约: a consumer (a sales live) or a merchant (a supplier's training live) asks to be notified
 * when a scheduled live starts. The caller has checked the person may enter it. Idempotent.
 */
export async function reserveLive(ctx: Ctx, userId: string, liveId: string, kind: LiveRow["kind"] = "SALES"): Promise<void> {
  if (!isUuid(liveId)) throw notFound();
  await ctx.db.transaction(async (tx) => {
    // FOR SHARE against startLive's FOR UPDATE: a reservation either commits before the start reads
    // who reserved (and is notified) or sees the live already started (and is refused) — never
    // kept yet unnotified.
    const [live] = await tx.select().from(lives).where(eq(lives.id, liveId)).for("share");
    if (!live || live.kind !== kind) throw notFound();
    if (live.status !== "SCHEDULED") throw fail("INVALID_STATE", "只能预约未开始的直播", "liveId");
    await tx.insert(liveReservations).values({ liveId, userId, createdAt: ctx.now }).onConflictDoNothing();
  });
}

/** The product pinned now (the last PIN not followed by an UNPIN), or null. */
export async function pinnedProductId(db: Db, liveId: string): Promise<string | null> {
  const [last] = await db
    .select({ kind: liveEvents.kind, payload: liveEvents.payload })
    .from(liveEvents)
    .where(and(eq(liveEvents.liveId, liveId), inArray(liveEvents.kind, ["PIN", "UNPIN", "END"])))
    .orderBy(desc(liveEvents.id))
    .limit(1);
  return last?.kind === "PIN" ? String(last.payload.productId) : null;
}

/** The shelf in display order, with each SKU's live price. */
export async function shelfOf(db: Db, liveId: string) {
  const rows = await db
    .select({ product: products, listingId: liveProducts.listingId, position: liveProducts.position, onShelf: liveProducts.onShelf })
    .from(liveProducts)
    .innerJoin(products, eq(products.id, liveProducts.productId))
    .where(eq(liveProducts.liveId, liveId))
    .orderBy(asc(liveProducts.position));
  const prices = await db.select().from(livePrices).where(eq(livePrices.liveId, liveId));
  return { rows, livePriceOf: new Map(prices.map((p) => [p.skuId, p.livePrice])) };
}

/** Replay chapters of an ended live: one per stretch a product was pinned. */
export async function replayChapters(db: Db, live: LiveRow): Promise<Chapter[]> {
  if (!live.startedAt || !live.endedAt) return [];
  const events = await db
    .select({ kind: liveEvents.kind, at: liveEvents.at, payload: liveEvents.payload })
    .from(liveEvents)
    .where(and(eq(liveEvents.liveId, live.id), inArray(liveEvents.kind, ["PIN", "UNPIN", "END"])))
    .orderBy(asc(liveEvents.id));
  return chaptersOf(live.startedAt, live.endedAt, events.map((e) => ({ kind: e.kind, at: e.at, payload: { productId: e.payload.productId as string | undefined } })));
}

/**
 * An operator takes a replay down (the video and its chapters stop being served), with a recorded
 * reason; audited. Only an ended live has a replay; hiding it twice keeps the first reason.
 */
export async function hideReplay(ctx: Ctx, operatorId: string, liveId: string, reason: string): Promise<LiveRow> {
  const why = reason.trim();
  if (why.length < 4 || why.length > 200) throw fail("INVALID_REASON", "请填写下架原因（4–200 个字）", "reason");
  return ctx.db.transaction(async (tx) => {
    const live = await lockOwnLive(tx, { operator: true }, liveId);
    if (live.status !== "ENDED") throw fail("INVALID_STATE", "只有已结束的直播有回放", "liveId");
    if (live.replayHiddenAt) return live;
    const [hidden] = await tx.update(lives).set({ replayHiddenAt: ctx.now, replayHiddenReason: why }).where(eq(lives.id, live.id)).returning();
    await tx.insert(auditLog).values({ actorUserId: operatorId, action: "live.hide_replay", subjectType: "live", subjectId: live.id, detail: why, createdAt: ctx.now });
    return hidden;
  });
}
