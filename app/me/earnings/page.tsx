import Link from "next/link";
import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { Price, ShopShell } from "@/components/shop-shell";
import { formatTime } from "@/components/format";

export const metadata = { title: "我的收益" };

const EARNINGS = `query Earnings($status: RewardStatus, $after: String) {
  myReferral { pending { amount } settled { amount } reversed { amount } }
  myRewards(status: $status, first: 30, after: $after) {
    nodes { id typeText status depth base { amount } amount { amount } reversedAmount { amount } productTitle buyer createdAt settledAt ruleSetVersion }
    pageInfo { hasNextPage endCursor }
  }
}`;

type M = { amount: number };
type Data = {
  myReferral: { pending: M; settled: M; reversed: M };
  myRewards: { nodes: { id: string; typeText: string; status: string; depth: number; base: M; amount: M; reversedAmount: M; productTitle: string; buyer: string; createdAt: string; settledAt: string | null; ruleSetVersion: number }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
};

const STATUS = { PENDING: "待结算", SETTLED: "已结算", REVERSED: "已退回" } as Record<string, string>;
const TABS = [["", "全部"], ["PENDING", "待结算"], ["SETTLED", "已结算"], ["REVERSED", "已退回"]] as const;

export default async function EarningsPage({ searchParams }: { searchParams: Promise<{ status?: string; after?: string }> }) {
  await requireRole("CONSUMER", "/me/earnings");
  const sp = await searchParams;
  const status = TABS.some(([k]) => k === sp.status) ? sp.status : "";
  const d = await query<Data>(EARNINGS, { status: status || null, after: sp.after || null });
  const r = d.myReferral;
  return (
    <ShopShell title="我的收益" back="/me/invite" active="orders">
      <div className="shop-body">
        <section className="card row between" style={{ textAlign: "center" }}>
          <div className="grow"><div className="muted">待结算</div><Price fen={r.pending.amount} /></div>
          <div className="grow"><div className="muted">已结算</div><Price fen={r.settled.amount} /></div>
          <div className="grow"><div className="muted">已退回</div><Price fen={r.reversed.amount} /></div>
        </section>
        <p className="muted">收益在订单确认收货且退货期满后结算；订单退款时相应收益按比例退回。 <Link href="/me/wallet" style={{ color: "#ff4d4f" }}>去提现</Link></p>
        <div className="chips">
          {TABS.map(([k, label]) => <Link key={k} className={`chip ${status === k ? "active" : ""}`} href={k ? `/me/earnings?status=${k}` : "/me/earnings"}>{label}</Link>)}
        </div>
        {d.myRewards.nodes.length === 0 && <p className="muted">暂无收益记录</p>}
        {d.myRewards.nodes.map((x) => (
          <section className="card" key={x.id} data-testid="reward">
            <div className="row between"><strong>{x.typeText}</strong><span className="tag">{STATUS[x.status]}</span></div>
            <div className="row between"><span className="ellipsis grow">{x.productTitle}</span><Price fen={x.amount.amount} /></div>
            <div className="muted">买家 {x.buyer} · 第 {x.depth} 层 · 计算基数 ¥{(x.base.amount / 100).toFixed(2)} · 规则 v{x.ruleSetVersion}</div>
            {x.reversedAmount.amount > 0 && <div className="muted">已退回 ¥{(x.reversedAmount.amount / 100).toFixed(2)}</div>}
            <div className="muted">{formatTime(x.createdAt)}{x.settledAt ? ` · 结算于 ${formatTime(x.settledAt)}` : ""}</div>
          </section>
        ))}
        {d.myRewards.pageInfo.hasNextPage && (
          <div className="pager"><Link className="btn" href={`/me/earnings?${new URLSearchParams({ ...(status ? { status } : {}), after: d.myRewards.pageInfo.endCursor! })}`}>下一页</Link></div>
        )}
      </div>
    </ShopShell>
  );
}
