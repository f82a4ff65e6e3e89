import Link from "next/link";
import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { PortalShell } from "@/components/portal-shell";
import { formatFen } from "@/graphql/platform/money";

const DASHBOARD = `query MerchantHome {
  myStore { name slug tagline }
  merchantListings(first: 100) { nodes { id status } }
  paid: merchantOrders(status: PAID, first: 100) { nodes { id totalAmount { amount } grossMargin { amount } } }
  recent: merchantOrders(first: 5) { nodes { id orderNo statusText totalAmount { amount } grossMargin { amount } } }
}`;

type Data = {
  myStore: { name: string; slug: string; tagline: string };
  merchantListings: { nodes: { id: string; status: string }[] };
  paid: { nodes: { id: string; totalAmount: { amount: number }; grossMargin: { amount: number } }[] };
  recent: { nodes: { id: string; orderNo: string; statusText: string; totalAmount: { amount: number }; grossMargin: { amount: number } }[] };
};

export default async function MerchantHome() {
  const viewer = await requireRole("MERCHANT", "/merchant");
  const d = await query<Data>(DASHBOARD);
  const onShelf = d.merchantListings.nodes.filter((l) => l.status === "ON_SHELF").length;
  return (
    <PortalShell kind="merchant" title={d.myStore.name} who={viewer.nickname} actions={<Link className="btn btn-sm" href={`/s/${d.myStore.slug}`} target="_blank">查看店铺</Link>}>
      <div className="stats">
        <div className="stat"><div className="muted">在售商品</div><div className="value">{onShelf}</div></div>
        <div className="stat"><div className="muted">待发货订单</div><div className="value">{d.paid.nodes.length}</div></div>
        <div className="stat"><div className="muted">待发货订单金额</div><div className="value">{formatFen(d.paid.nodes.reduce((s, o) => s + o.totalAmount.amount, 0))}</div></div>
      </div>
      <section className="card">
        <div className="row between"><h3>最近订单</h3><Link className="btn btn-sm" href="/merchant/orders">全部订单</Link></div>
        <table className="table">
          <thead><tr><th>订单号</th><th>状态</th><th>实付</th><th>毛利</th></tr></thead>
          <tbody>
            {d.recent.nodes.map((o) => (
              <tr key={o.id}><td><Link href={`/merchant/orders/${o.id}`}>{o.orderNo}</Link></td><td>{o.statusText}</td><td>{formatFen(o.totalAmount.amount)}</td><td>{formatFen(o.grossMargin.amount)}</td></tr>
            ))}
          </tbody>
        </table>
      </section>
      <p className="muted">店铺地址：/s/{d.myStore.slug}</p>
    </PortalShell>
  );
}
