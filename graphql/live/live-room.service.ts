import { and, asc, count, eq, gt, sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { liveBans, liveEvents, lives, liveViewers, stores } from "@/db/schema";
import { isUuid } from "../core/ids";
import type { Viewer } from "../core/viewer";
import { recordBehaviour } from "./live-comment.service";
import { creditInvites } from "./live-marketing.service";
import type { RoomMessage } from "./live-bus";

export type LiveRow = typeof lives.$inferSelect;

/** A viewer counts as present while their connection has checked in within this window. */
export const PRESENCE_WINDOW_MS = 45_000;

/**
 * Who may enter a room: a sales live is public (a blocked viewer excepted); a training live only to
 * merchants and to the supplier running it. Returns the live, or null (not found or not allowed —
 * the same answer, so rooms one may not see cannot be probed).
 */
export async function enterableLive(db: Db, liveId: string, viewer: Viewer | null): Promise<LiveRow | null> {
  if (!isUuid(liveId)) return null;
  const [live] = await db.select().from(lives).where(eq(lives.id, liveId));
  if (!live || live.status === "CANCELLED") return null;
  if (live.kind === "TRAINING") {
    const allowed = viewer && (viewer.roles.includes("MERCHANT") || (viewer.roles.includes("SUPPLIER") && viewer.supplierId === live.supplierId) || viewer.roles.includes("OPERATOR"));
    if (!allowed) return null;
  }
  if (viewer) {
    const [blocked] = await db.select().from(liveBans).where(and(eq(liveBans.liveId, liveId), eq(liveBans.userId, viewer.userId), eq(liveBans.kind, "BLOCK")));
    if (blocked) return null;
  }
  return live;
}

/**
 * Records (or refreshes) a viewer's presence; adds the time since their last check-in to their watch
 * time (capped, so a stalled connection is not counted). The first check-in remembers whose share
 * link brought them (a sharer never counts for themselves) and credits that sharer's invite tasks.
 */
export async function checkIn(db: Db, v: { liveId: string; viewerKey: string; userId: string | null; sharerId?: string | null }, now: Date): Promise<void> {
  const sharerId = v.sharerId && v.sharerId !== v.userId ? v.sharerId : null;
  await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(liveViewers)
      .values({ liveId: v.liveId, viewerKey: v.viewerKey, userId: v.userId, sharerId, firstSeenAt: now, lastSeenAt: now })
      .onConflictDoUpdate({
        target: [liveViewers.liveId, liveViewers.viewerKey],
        set: {
          watchMs: sql`${liveViewers.watchMs} + least(greatest(extract(epoch from (${now.toISOString()}::timestamptz - ${liveViewers.lastSeenAt})) * 1000, 0), ${PRESENCE_WINDOW_MS})::bigint`,
          lastSeenAt: now,
          userId: sql`coalesce(${liveViewers.userId}, excluded.user_id)`,
        },
      })
      .returning({ inserted: sql<boolean>`(xmax = 0)` });
    if (row?.inserted && sharerId && v.userId) await creditInvites(tx, v.liveId, sharerId, now);
  });
}

/** Viewers present now (checked in within the presence window), on every instance; and the live's peak so far, raised if passed. */
export async function presentViewers(db: Db, liveId: string, now: Date): Promise<number> {
  const since = new Date(now.getTime() - PRESENCE_WINDOW_MS);
  const [{ n }] = await db.select({ n: count() }).from(liveViewers).where(and(eq(liveViewers.liveId, liveId), gt(liveViewers.lastSeenAt, since)));
  const present = Number(n);
  await db.update(lives).set({ peakViewers: present }).where(and(eq(lives.id, liveId), sql`${lives.peakViewers} < ${present}`));
  return present;
}

/** When a signed-in viewer leaves: their watch time becomes a behaviour event (unless personalisation is off). */
export async function recordWatch(db: Db, liveId: string, userId: string, watchedMs: number, now: Date) {
  if (watchedMs < 1_000) return;
  await recordBehaviour(db, userId, { kind: "WATCH", liveId, value: Math.round(watchedMs / 1000) }, now);
}

/** Stored events after `afterId` (a reconnecting viewer's Last-Event-ID), oldest first. */
export async function eventsAfter(db: Db, liveId: string, afterId: number, limit = 500): Promise<RoomMessage[]> {
  const rows = await db
    .select()
    .from(liveEvents)
    // A comment deleted since it was shown is not sent again (its COMMENT_DELETED still is).
    .where(
      and(
        eq(liveEvents.liveId, liveId),
        gt(liveEvents.id, afterId),
        sql`not (${liveEvents.kind} = 'COMMENT' and exists (select 1 from live_comments c where c.id = (${liveEvents.payload}->>'id')::uuid and c.status <> 'VISIBLE'))`,
      ),
    )
    .orderBy(asc(liveEvents.id))
    .limit(limit);
  return rows.map((r) => ({ id: Number(r.id), liveId: r.liveId, kind: r.kind, payload: r.payload, at: r.at.toISOString() }));
}

/** The id of the room's latest stored event (0 when none): where a fresh viewer's stream starts. */
export async function lastEventId(db: Db, liveId: string): Promise<number> {
  const [row] = await db.select({ id: sql<number>`coalesce(max(${liveEvents.id}), 0)` }).from(liveEvents).where(eq(liveEvents.liveId, liveId));
  return Number(row?.id ?? 0);
}

/** A store's lives for its storefront: live now and upcoming first, then recent replays. */
export async function storeLives(db: Db, storeSlug: string) {
  const [store] = await db.select({ id: stores.id }).from(stores).where(eq(stores.slug, storeSlug));
  if (!store) return null;
  return db
    .select()
    .from(lives)
    .where(and(eq(lives.storeId, store.id), sql`${lives.status} <> 'CANCELLED'`, sql`${lives.replayHiddenAt} is null`))
    .orderBy(sql`case ${lives.status} when 'LIVE' then 0 when 'SCHEDULED' then 1 else 2 end`, sql`case when ${lives.status} = 'ENDED' then -extract(epoch from ${lives.endedAt}) else extract(epoch from ${lives.scheduledAt}) end`)
    .limit(20);
}

export type ShelfSku = { skuId: string; label: string; listPrice: number; livePrice: number | null; perUserLimit: number | null; stock: number };
export type ShelfItem = { productId: string; listingId: string; title: string; imageKey: string | null; onShelf: boolean; soldOut: boolean; position: number; skus: ShelfSku[] };

/**
 * A sales room's shelf as viewers see it: products in order with each SKU's list and live price
 * (never a cost), and the host's sold-out mark. A training shelf has no listings and so no consumer
 * prices: it is served only by training.service trainingShelfView, and here comes back empty.
 */
export async function shelfView(db: Db, liveId: string): Promise<ShelfItem[]> {
  return (await shelvesByLiveIds(db, [liveId]))[0];
}

/** shelfView for several lives in one statement (the DataLoader behind ShopLive.shelf), in the order of the ids. */
export async function shelvesByLiveIds(db: Db, liveIds: readonly string[]): Promise<ShelfItem[][]> {
  const rows = await db.execute(sql`
    select lp.live_id, lp.product_id, lp.listing_id, lp.position, lp.on_shelf, lp.sold_out_at, p.title, p.image_keys,
           s.id as sku_id, s.label, s.stock, pr.retail_price, lv.live_price, lv.per_user_limit
    from live_products lp
    join products p on p.id = lp.product_id
    join listing_prices pr on pr.listing_id = lp.listing_id
    join skus s on s.id = pr.sku_id
    left join live_prices lv on lv.live_id = lp.live_id and lv.sku_id = s.id
    where lp.live_id in (${sql.join(liveIds.map((id) => sql`${id}::uuid`), sql`, `)}) and lp.live_kind = 'SALES'
    order by lp.position, s.id`);
  const byLive = new Map<string, Map<string, ShelfItem>>(liveIds.map((id) => [id, new Map()]));
  for (const r of rowsOf<Record<string, unknown>>(rows)) {
    const items = byLive.get(String(r.live_id));
    if (!items) continue;
    const productId = String(r.product_id);
    let item = items.get(productId);
    if (!item) {
      const keys = (r.image_keys as string[] | null) ?? [];
      item = { productId, listingId: String(r.listing_id), title: String(r.title), imageKey: keys[0] ?? null, onShelf: Boolean(r.on_shelf), soldOut: r.sold_out_at != null, position: Number(r.position), skus: [] };
      items.set(productId, item);
    }
    item.skus.push({ skuId: String(r.sku_id), label: String(r.label), listPrice: Number(r.retail_price), livePrice: r.live_price === null ? null : Number(r.live_price), perUserLimit: r.per_user_limit == null ? null : Number(r.per_user_limit), stock: Number(r.stock) });
  }
  return liveIds.map((id) => [...byLive.get(id)!.values()]);
}
