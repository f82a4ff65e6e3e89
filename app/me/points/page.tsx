import Link from "next/link";
import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { ShopShell } from "@/components/shop-shell";
import { formatTime } from "@/components/format";

export const metadata = { title: "我的积分" };

const POINTS = `query MyPoints($after: String) {
  myPoints { balance expiringSoon expiringAt rateText earnText enabled }
  myPointsEntries(first: 30, after: $after) { nodes { id kind kindText amount memo expiresAt createdAt } pageInfo { hasNextPage endCursor } }
}`;
type Entry = { id: string; kind: string; kindText: string; amount: number; memo: string; expiresAt: string | null; createdAt: string };
type Data = {
  myPoints: { balance: number; expiringSoon: number; expiringAt: string | null; rateText: string; earnText: string; enabled: boolean };
  myPointsEntries: { nodes: Entry[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
};

/** My points: balance, what expires soon, how points are earned and used, and the history. */
export default async function MyPointsPage({ searchParams }: { searchParams: Promise<{ after?: string }> }) {
  await requireRole("CONSUMER", "/me/points");
  const { after } = await searchParams;
  const { myPoints: p, myPointsEntries: entries } = await query<Data>(POINTS, { after: after || null });
  return (
    <ShopShell title="我的积分" back="/me/orders" active="orders">
      <div className="shop-body">
        <section className="card">
          <div className="row between">
            <div>
              <div className="muted">可用积分</div>
              <strong style={{ fontSize: 28 }} data-testid="points-balance">{p.balance}</strong>
            </div>
            <Link className="btn btn-primary btn-sm" href="/me/points/mall">积分商城</Link>
          </div>
          {p.expiringSoon > 0 && (
            <p className="error" data-testid="points-expiring">{p.expiringSoon} 积分将于 {formatTime(p.expiringAt)} 起陆续过期，请尽快使用</p>
          )}
          <p className="muted">{p.enabled ? `${p.earnText}（订单完成且过了售后期后到账）；下单时${p.rateText}` : "积分抵扣与获取暂停中，已有积分仍可在积分商城使用"}</p>
        </section>
        <section className="card">
          <h3>积分明细</h3>
          {entries.nodes.length === 0 && <p className="muted">还没有积分记录</p>}
          {entries.nodes.map((e) => (
            <div className="row between" key={e.id} style={{ padding: "8px 0", borderBottom: "1px solid #f0f0f0" }} data-testid="points-entry">
              <div className="grow">
                <div>{e.kindText}</div>
                <div className="muted">{e.memo} · {formatTime(e.createdAt)}{e.expiresAt && e.amount > 0 ? ` · ${formatTime(e.expiresAt)} 过期` : ""}</div>
              </div>
              <strong style={{ color: e.amount > 0 ? "#ff4d4f" : undefined }}>{e.amount > 0 ? `+${e.amount}` : e.amount}</strong>
            </div>
          ))}
          {entries.pageInfo.hasNextPage && <Link className="btn btn-sm" href={`/me/points?after=${entries.pageInfo.endCursor}`}>更多</Link>}
        </section>
      </div>
    </ShopShell>
  );
}
