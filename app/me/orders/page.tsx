import Link from "next/link";
import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { LineItem, Price, ShopShell } from "@/components/shop-shell";
import { ORDER_STATUS_TABS, formatTime } from "@/components/format";
import { signOutAction } from "@/app/login/actions";

export const metadata = { title: "我的订单" };

const ORDERS = `query MyOrders($status: OrderStatus, $after: String) {
  me { nickname }
  myOrders(status: $status, first: 20, after: $after) {
    nodes { id orderNo status statusText groupBuy { orderStatusText } totalAmount { amount } createdAt store { name slug }
      lines { id title skuLabel image quantity } }
    pageInfo { hasNextPage endCursor }
  }
}`;

type Data = {
  me: { nickname: string };
  myOrders: {
    nodes: { id: string; orderNo: string; status: string; statusText: string; groupBuy: { orderStatusText: string | null } | null; totalAmount: { amount: number }; createdAt: string; store: { name: string; slug: string }; lines: { id: string; title: string; skuLabel: string; image: string | null; quantity: number }[] }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};

export default async function MyOrders({ searchParams }: { searchParams: Promise<{ status?: string; after?: string }> }) {
  const { status, after } = await searchParams;
  await requireRole("CONSUMER", "/me/orders");
  const valid = ORDER_STATUS_TABS.some((t) => t.key === status) ? status : "";
  const data = await query<Data>(ORDERS, { status: valid || null, after: after || null });
  return (
    <ShopShell title="我的订单" active="orders">
      <nav className="status-tabs">
        {ORDER_STATUS_TABS.map((t) => (
          <Link key={t.key} className={valid === t.key ? "active" : ""} href={t.key ? `/me/orders?status=${t.key}` : "/me/orders"}>{t.label}</Link>
        ))}
      </nav>
      <div className="shop-body">
        <div className="row between" style={{ marginBottom: 8 }}>
          <span className="muted">{data.me.nickname}　<Link href="/me/invite" style={{ color: "#ff4d4f" }}>邀请好友</Link>　<Link href="/me/earnings" style={{ color: "#ff4d4f" }}>我的收益</Link>　<Link href="/me/coupons" style={{ color: "#ff4d4f" }}>优惠券</Link>　<Link href="/me/points" style={{ color: "#ff4d4f" }}>积分</Link>　<Link href="/me/privacy" style={{ color: "#ff4d4f" }}>隐私与数据</Link></span>
          <form action={signOutAction}><button className="btn btn-sm">退出登录</button></form>
        </div>
        {data.myOrders.nodes.length === 0 && <p className="muted">暂无订单</p>}
        {data.myOrders.nodes.map((o) => (
          <Link key={o.id} href={`/me/orders/${o.id}`} className="card" style={{ display: "block" }} data-testid="order-card">
            <div className="row between">
              <span>{o.store.name}</span>
              <span className="tag">{o.groupBuy?.orderStatusText ?? o.statusText}</span>
            </div>
            {o.lines.map((l) => <LineItem key={l.id} line={l} />)}
            <div className="row between">
              <span className="muted">{formatTime(o.createdAt)}</span>
              <span>实付 <Price fen={o.totalAmount.amount} /></span>
            </div>
          </Link>
        ))}
        {data.myOrders.pageInfo.hasNextPage && (
          <div className="pager">
            <Link className="btn" href={`/me/orders?${new URLSearchParams({ ...(valid ? { status: valid } : {}), after: data.myOrders.pageInfo.endCursor! })}`}>下一页</Link>
          </div>
        )}
      </div>
    </ShopShell>
  );
}
