import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { replayChapters, type LiveRow } from "./live.service";

/**
 * Session analytics of a live, read from what the room recorded: viewers' check-ins (live_viewers),
 * comments, likes, behaviour events (product clicks), and the orders placed from the room (orders.live_id,
 * counted once paid and not called off). Minute by minute, "watching" counts viewers whose presence
 * spans the minute (first check-in before its end, last after its start).
 */
export type LiveSummary = {
  uniqueViewers: number;
  peakViewers: number;
  avgWatchSeconds: number;
  comments: number;
  likes: number;
  productClicks: number;
  orders: number;
  buyers: number;
  gmv: number;
  /** Buyers ÷ unique viewers, in basis points. */
  conversionBp: number;
};
export type ChapterStats = { productId: string; startMs: number; endMs: number; clicks: number; orders: number; gmv: number };
export type MinuteStats = { minute: number; watching: number; joined: number; comments: number; orders: number; gmv: number };

const PAID = sql.raw(`o.paid_at is not null and o.status <> 'CANCELLED'`);

export async function liveSummary(db: Db, live: LiveRow): Promise<LiveSummary> {
  const [r] = rowsOf<Record<string, string | number | null>>(
    await db.execute(sql`
      select
        (select count(*) from live_viewers v where v.live_id = ${live.id})::int as viewers,
        (select coalesce(avg(v.watch_ms), 0) from live_viewers v where v.live_id = ${live.id})::float as watch_ms,
        (select count(*) from live_comments c where c.live_id = ${live.id} and c.status in ('VISIBLE', 'DELETED'))::int as comments,
        (select count(*) from behaviour_events b where b.live_id = ${live.id} and b.kind = 'PRODUCT_CLICK')::int as clicks,
        (select count(*) from orders o where o.live_id = ${live.id} and ${PAID})::int as orders,
        (select count(distinct o.user_id) from orders o where o.live_id = ${live.id} and ${PAID})::int as buyers,
        (select coalesce(sum(o.total_amount), 0) from orders o where o.live_id = ${live.id} and ${PAID})::bigint as gmv`),
  );
  const viewers = Number(r.viewers);
  const buyers = Number(r.buyers);
  return {
    uniqueViewers: viewers,
    peakViewers: live.peakViewers,
    avgWatchSeconds: Math.round(Number(r.watch_ms) / 1000),
    comments: Number(r.comments),
    likes: Number(live.likeCount),
    productClicks: Number(r.clicks),
    orders: Number(r.orders),
    buyers,
    gmv: Number(r.gmv),
    conversionBp: viewers ? Math.floor((buyers * 10_000) / viewers) : 0,
  };
}

/** Per product chapter: clicks on the product and paid orders with that product placed while it was being explained. */
export async function chapterStats(db: Db, live: LiveRow): Promise<ChapterStats[]> {
  if (!live.startedAt) return [];
  const chapters = await replayChapters(db, live.endedAt ? live : { ...live, endedAt: new Date() });
  const start = live.startedAt.getTime();
  const out: ChapterStats[] = [];
  for (const c of chapters) {
    const from = new Date(start + c.startMs).toISOString();
    const to = new Date(start + c.endMs).toISOString();
    const [r] = rowsOf<Record<string, string | number>>(
      await db.execute(sql`
        select
          (select count(*) from behaviour_events b where b.live_id = ${live.id} and b.kind = 'PRODUCT_CLICK' and b.product_id = ${c.productId}
             and b.created_at >= ${from}::timestamptz and b.created_at < ${to}::timestamptz)::int as clicks,
          (select count(distinct o.id) from orders o join order_lines l on l.order_id = o.id join skus s on s.id = l.sku_id
             where o.live_id = ${live.id} and ${PAID} and s.product_id = ${c.productId}
               and o.created_at >= ${from}::timestamptz and o.created_at < ${to}::timestamptz)::int as orders,
          (select coalesce(sum(l.paid_amount), 0) from orders o join order_lines l on l.order_id = o.id join skus s on s.id = l.sku_id
             where o.live_id = ${live.id} and ${PAID} and s.product_id = ${c.productId}
               and o.created_at >= ${from}::timestamptz and o.created_at < ${to}::timestamptz)::bigint as gmv`),
    );
    out.push({ ...c, clicks: Number(r.clicks), orders: Number(r.orders), gmv: Number(r.gmv) });
  }
  return out;
}

/** Minute by minute from the start to the end (or now), at most 6 hours. */
export async function minuteStats(db: Db, live: LiveRow, now: Date): Promise<MinuteStats[]> {
  if (!live.startedAt) return [];
  const start = live.startedAt;
  const end = live.endedAt ?? now;
  const minutes = Math.min(360, Math.max(1, Math.ceil((end.getTime() - start.getTime()) / 60_000)));
  const rows = rowsOf<Record<string, string | number>>(
    await db.execute(sql`
      with m as (select g as minute, ${start.toISOString()}::timestamptz + make_interval(mins => g) as t0,
                        ${start.toISOString()}::timestamptz + make_interval(mins => g + 1) as t1
                 from generate_series(0, ${minutes - 1}) g)
      select m.minute,
        (select count(*) from live_viewers v where v.live_id = ${live.id} and v.first_seen_at < m.t1 and v.last_seen_at >= m.t0)::int as watching,
        (select count(*) from live_viewers v where v.live_id = ${live.id} and v.first_seen_at >= m.t0 and v.first_seen_at < m.t1)::int as joined,
        (select count(*) from live_comments c where c.live_id = ${live.id} and c.created_at >= m.t0 and c.created_at < m.t1)::int as comments,
        (select count(*) from orders o where o.live_id = ${live.id} and ${PAID} and o.created_at >= m.t0 and o.created_at < m.t1)::int as orders,
        (select coalesce(sum(o.total_amount), 0) from orders o where o.live_id = ${live.id} and ${PAID} and o.created_at >= m.t0 and o.created_at < m.t1)::bigint as gmv
      from m order by m.minute`),
  );
  return rows.map((r) => ({ minute: Number(r.minute), watching: Number(r.watching), joined: Number(r.joined), comments: Number(r.comments), orders: Number(r.orders), gmv: Number(r.gmv) }));
}

/**
 * For a supplier: the lives (any merchant's) that sold its products, with the units and the goods
 * paid for its products — how its products do in live selling across the merchants.
 */
export async function supplierLiveSales(db: Db, supplierId: string) {
  const rows = rowsOf<Record<string, string | number | Date | null>>(
    await db.execute(sql`
      select lv.id, lv.title, lv.status, lv.started_at, st.name as store_name,
             coalesce(sum(l.quantity), 0)::int as units, coalesce(sum(l.paid_amount), 0)::bigint as goods,
             count(distinct o.id)::int as orders
      from lives lv
      join stores st on st.id = lv.store_id
      join orders o on o.live_id = lv.id and ${PAID}
      join order_lines l on l.order_id = o.id and l.supplier_id = ${supplierId}
      group by lv.id, st.name
      order by lv.started_at desc nulls last
      limit 100`),
  );
  return rows.map((r) => ({
    liveId: String(r.id),
    title: String(r.title),
    status: String(r.status),
    startedAt: r.started_at ? new Date(r.started_at as string) : null,
    storeName: String(r.store_name),
    units: Number(r.units),
    goods: Number(r.goods),
    orders: Number(r.orders),
  }));
}
