import Link from "next/link";
import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { PortalShell } from "@/components/portal-shell";
import { SHIPMENT_STATUS_TEXT, formatTime } from "@/components/format";

const SHIPMENTS = `query Shipments($status: ShipmentStatus, $after: String) {
  supplierShipments(status: $status, first: 30, after: $after) {
    nodes { id orderNo status createdAt storeName carrier trackingNo shipTo { recipient phone region detail } lines { id title skuLabel quantity } }
    pageInfo { hasNextPage endCursor }
  }
}`;

type Data = {
  supplierShipments: {
    nodes: { id: string; orderNo: string; status: string; createdAt: string; storeName: string; carrier: string | null; trackingNo: string | null; shipTo: { recipient: string; phone: string; region: string; detail: string }; lines: { id: string; title: string; skuLabel: string; quantity: number }[] }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};

const TABS = [
  { key: "AWAITING_SHIPMENT", label: "待发货" },
  { key: "SHIPPED", label: "已发货" },
  { key: "RECEIVED", label: "已签收" },
  { key: "", label: "全部" },
];

export default async function SupplierShipments({ searchParams }: { searchParams: Promise<{ status?: string; after?: string }> }) {
  const viewer = await requireRole("SUPPLIER", "/supplier/shipments");
  const sp = await searchParams;
  const status = sp.status === undefined ? "AWAITING_SHIPMENT" : TABS.some((t) => t.key === sp.status) ? sp.status : "";
  const d = await query<Data>(SHIPMENTS, { status: status || null, after: sp.after || null });
  return (
    <PortalShell kind="supplier" title="发货管理" who={viewer.nickname}>
      <div className="chips">
        {TABS.map((t) => (
          <Link key={t.key} className={`chip ${status === t.key ? "active" : ""}`} href={`/supplier/shipments?status=${t.key}`}>{t.label}</Link>
        ))}
      </div>
      <table className="table">
        <thead><tr><th>订单号</th><th>商品</th><th>收货信息</th><th>店铺</th><th>状态</th><th>时间</th><th></th></tr></thead>
        <tbody>
          {d.supplierShipments.nodes.map((s) => (
            <tr key={s.id} data-testid="shipment-row">
              <td>{s.orderNo}</td>
              <td>{s.lines.map((l) => <div key={l.id}>{l.title} · {l.skuLabel} ×{l.quantity}</div>)}</td>
              <td data-testid="ship-to">{s.shipTo.recipient} {s.shipTo.phone}<div className="muted">{s.shipTo.region} {s.shipTo.detail}</div></td>
              <td className="muted">{s.storeName}</td>
              <td>{SHIPMENT_STATUS_TEXT[s.status]}{s.trackingNo && <div className="muted">{s.carrier} {s.trackingNo}</div>}</td>
              <td className="muted">{formatTime(s.createdAt)}</td>
              <td><Link className={`btn btn-sm ${s.status === "AWAITING_SHIPMENT" ? "btn-primary" : ""}`} href={`/supplier/shipments/${s.id}`}>{s.status === "AWAITING_SHIPMENT" ? "发货" : "详情"}</Link></td>
            </tr>
          ))}
        </tbody>
      </table>
      {d.supplierShipments.nodes.length === 0 && <p className="muted">暂无发货单</p>}
      {d.supplierShipments.pageInfo.hasNextPage && (
        <div className="pager"><Link className="btn" href={`/supplier/shipments?status=${status}&after=${d.supplierShipments.pageInfo.endCursor}`}>下一页</Link></div>
      )}
    </PortalShell>
  );
}
