import Link from "next/link";
import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { PortalShell } from "@/components/portal-shell";
import { formatFen } from "@/graphql/platform/money";
import { ORDER_STATUS_TABS, formatTime } from "@/components/format";

const ORDERS = `query MerchantOrders($status: OrderStatus, $after: String) {
  merchantOrders(status: $status, first: 30, after: $after) {
    nodes { id orderNo statusText createdAt totalAmount { amount } grossMargin { amount } shipTo { recipient phone region } lines { id title quantity } }
    pageInfo { hasNextPage endCursor }
  }
}`;

type Data = {
  merchantOrders: {
    nodes: { id: string; orderNo: string; statusText: string; createdAt: string; totalAmount: { amount: number }; grossMargin: { amount: number }; shipTo: { recipient: string; phone: string; region: string }; lines: { id: string; title: string; quantity: number }[] }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};

export default async function MerchantOrders({ searchParams }: { searchParams: Promise<{ status?: string; after?: string }> }) {
  const viewer = await requireRole("MERCHANT", "/merchant/orders");
  const { status, after } = await searchParams;
  const valid = ORDER_STATUS_TABS.some((t) => t.key === status) ? status : "";
  const d = await query<Data>(ORDERS, { status: valid || null, after: after || null });
  return (
    <PortalShell kind="merchant" title="店铺订单" who={viewer.nickname}>
      <div className="chips">
        {ORDER_STATUS_TABS.map((t) => (
          <Link key={t.key} className={`chip ${valid === t.key ? "active" : ""}`} href={t.key ? `/merchant/orders?status=${t.key}` : "/merchant/orders"}>{t.label}</Link>
        ))}
      </div>
      <table className="table">
        <thead><tr><th>订单号</th><th>商品</th><th>买家</th><th>实付</th><th>毛利</th><th>状态</th><th>下单时间</th></tr></thead>
        <tbody>
          {d.merchantOrders.nodes.map((o) => (
            <tr key={o.id} data-testid="merchant-order-row">
              <td><Link href={`/merchant/orders/${o.id}`}>{o.orderNo}</Link></td>
              <td>{o.lines.map((l) => `${l.title} ×${l.quantity}`).join("；")}</td>
              <td>{o.shipTo.recipient} {o.shipTo.phone}<div className="muted">{o.shipTo.region}</div></td>
              <td>{formatFen(o.totalAmount.amount)}</td>
              <td>{formatFen(o.grossMargin.amount)}</td>
              <td>{o.statusText}</td>
              <td className="muted">{formatTime(o.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {d.merchantOrders.pageInfo.hasNextPage && (
        <div className="pager"><Link className="btn" href={`/merchant/orders?${new URLSearchParams({ ...(valid ? { status: valid } : {}), after: d.merchantOrders.pageInfo.endCursor! })}`}>下一页</Link></div>
      )}
    </PortalShell>
  );
}
