import { and, asc, count, countDistinct, desc, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { liveComments, liveEvents, liveProducts, liveReservations, liveScripts, liveViewers, products, skus, users } from "@/db/schema";
import type { TrainingShelfItem } from "./training.service";

/**
 * Batched reads behind the training-live DataLoaders: each takes every id a page asked for and
 * answers in one statement, in the order of the ids (so a list of 30 lives costs the same handful
 * of queries as one live).
 */

/** Each training live's shelf: products in order, each SKU's supply and suggested price, the latest script. */
export async function trainingShelvesByLiveIds(db: Db, liveIds: readonly string[]): Promise<TrainingShelfItem[][]> {
  const rows = await db
    .select({ shelf: liveProducts, product: products, sku: skus })
    .from(liveProducts)
    .innerJoin(products, sql`${products.id} = ${liveProducts.productId}`)
    .innerJoin(skus, sql`${skus.productId} = ${products.id}`)
    .where(and(inArray(liveProducts.liveId, [...liveIds]), sql`${liveProducts.liveKind} = 'TRAINING'`))
    .orderBy(asc(liveProducts.position), asc(skus.createdAt), asc(skus.label));
  const productIds = [...new Set(rows.map((r) => r.product.id))];
  const scripts = productIds.length ? await db.select().from(liveScripts).where(inArray(liveScripts.productId, productIds)).orderBy(desc(liveScripts.updatedAt)) : [];
  const byLive = new Map<string, Map<string, TrainingShelfItem>>(liveIds.map((id) => [id, new Map()]));
  for (const r of rows) {
    const items = byLive.get(r.shelf.liveId)!;
    let item = items.get(r.product.id);
    if (!item) {
      // Only the product's own supplier's script: a script is the supplier's word on its product.
      const script = scripts.find((s) => s.productId === r.product.id && s.supplierId === r.product.supplierId) ?? null;
      item = { productId: r.product.id, title: r.product.title, imageKey: r.product.imageKeys[0] ?? null, onShelf: r.shelf.onShelf, position: r.shelf.position, skus: [], script };
      items.set(r.product.id, item);
    }
    item.skus.push({ skuId: r.sku.id, label: r.sku.label, supplyPrice: r.sku.supplyPrice, suggestedPrice: r.sku.suggestedPrice, stock: r.sku.stock });
  }
  return liveIds.map((id) => [...byLive.get(id)!.values()]);
}

/** The product pinned now in each live (its last PIN not followed by an UNPIN or END), or null. */
export async function pinnedProductIdsByLiveIds(db: Db, liveIds: readonly string[]): Promise<(string | null)[]> {
  const rows = await db
    .selectDistinctOn([liveEvents.liveId], { liveId: liveEvents.liveId, kind: liveEvents.kind, payload: liveEvents.payload })
    .from(liveEvents)
    .where(and(inArray(liveEvents.liveId, [...liveIds]), inArray(liveEvents.kind, ["PIN", "UNPIN", "END"])))
    .orderBy(liveEvents.liveId, desc(liveEvents.id));
  const last = new Map(rows.map((r) => [r.liveId, r]));
  return liveIds.map((id) => {
    const r = last.get(id);
    return r?.kind === "PIN" ? String(r.payload.productId) : null;
  });
}

export async function nicknamesByUserIds(db: Db, ids: readonly string[]): Promise<(string | null)[]> {
  const rows = await db.select({ id: users.id, nickname: users.nickname }).from(users).where(inArray(users.id, [...ids]));
  const byId = new Map(rows.map((r) => [r.id, r.nickname]));
  return ids.map((id) => byId.get(id) ?? null);
}

export async function reservationCountsByLiveIds(db: Db, liveIds: readonly string[]): Promise<number[]> {
  const rows = await db
    .select({ liveId: liveReservations.liveId, n: count() })
    .from(liveReservations)
    .where(inArray(liveReservations.liveId, [...liveIds]))
    .groupBy(liveReservations.liveId);
  const byId = new Map(rows.map((r) => [r.liveId, Number(r.n)]));
  return liveIds.map((id) => byId.get(id) ?? 0);
}

/** Keys are `${liveId}:${userId}`: whether that person reserved (预约) that live. */
export async function reservedByKeys(db: Db, keys: readonly string[]): Promise<boolean[]> {
  const pairs = keys.map((k) => k.split(":") as [string, string]);
  const rows = await db
    .select({ liveId: liveReservations.liveId, userId: liveReservations.userId })
    .from(liveReservations)
    .where(and(inArray(liveReservations.liveId, [...new Set(pairs.map((p) => p[0]))]), inArray(liveReservations.userId, [...new Set(pairs.map((p) => p[1]))])));
  const found = new Set(rows.map((r) => `${r.liveId}:${r.userId}`));
  return keys.map((k) => found.has(k));
}

/** Distinct viewers and comments of each live, for the host's counters. */
export async function roomCountsByLiveIds(db: Db, liveIds: readonly string[]): Promise<{ uniqueViewers: number; commentCount: number }[]> {
  const ids = [...liveIds];
  const [viewers, comments] = await Promise.all([
    db.select({ liveId: liveViewers.liveId, n: countDistinct(liveViewers.viewerKey) }).from(liveViewers).where(inArray(liveViewers.liveId, ids)).groupBy(liveViewers.liveId),
    db.select({ liveId: liveComments.liveId, n: count() }).from(liveComments).where(inArray(liveComments.liveId, ids)).groupBy(liveComments.liveId),
  ]);
  const v = new Map(viewers.map((r) => [r.liveId, Number(r.n)]));
  const c = new Map(comments.map((r) => [r.liveId, Number(r.n)]));
  return ids.map((id) => ({ uniqueViewers: v.get(id) ?? 0, commentCount: c.get(id) ?? 0 }));
}
