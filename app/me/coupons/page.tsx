import Link from "next/link";
import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { ShopShell } from "@/components/shop-shell";
import { formatTime } from "@/components/format";

export const metadata = { title: "我的优惠券" };

const MINE = `query Mine($after: String) { myCoupons(first: 30, after: $after) { nodes { id title face storeName storeSlug usableUntil status source } pageInfo { hasNextPage endCursor } } }`;
type Row = { id: string; title: string; face: string; storeName: string | null; storeSlug: string | null; usableUntil: string; status: string; source: string };
const STATUS: Record<string, string> = { AVAILABLE: "可使用", USED: "已使用", EXPIRED: "已过期" };
const SOURCE: Record<string, string> = { CENTRE: "领券中心", PRODUCT: "商品页", LIVE: "直播间", TASK: "任务奖励", WELCOME: "邀请有礼" };

export default async function MyCoupons({ searchParams }: { searchParams: Promise<{ after?: string }> }) {
  await requireRole("CONSUMER", "/me/coupons");
  const { after } = await searchParams;
  const { myCoupons } = await query<{ myCoupons: { nodes: Row[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>(MINE, { after: after || null });
  return (
    <ShopShell title="我的优惠券" back="/me/orders" active="orders">
      <div className="shop-body">
        {myCoupons.nodes.length === 0 && <p className="muted">还没有优惠券，去店铺的领券中心看看</p>}
        {myCoupons.nodes.map((c) => (
          <section className={`card coupon ${c.status === "AVAILABLE" ? "" : "coupon-off"}`} key={c.id} data-testid="my-coupon">
            <div className="coupon-face">{c.face}</div>
            <div className="grow">
              <strong>{c.title}</strong>
              <div className="muted">{c.storeName ?? "平台券"} · {formatTime(c.usableUntil)} 前可用 · 来自{SOURCE[c.source] ?? c.source}</div>
            </div>
            {c.status === "AVAILABLE" && c.storeSlug ? <Link className="btn btn-sm" href={`/s/${c.storeSlug}`}>去使用</Link> : <span className="tag tag-gray">{STATUS[c.status]}</span>}
          </section>
        ))}
        {myCoupons.pageInfo.hasNextPage && <Link className="btn btn-sm" href={`/me/coupons?after=${myCoupons.pageInfo.endCursor}`}>更多</Link>}
      </div>
    </ShopShell>
  );
}
