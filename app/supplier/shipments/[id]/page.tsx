import { notFound } from "next/navigation";
import { requireRole } from "@/components/server/viewer";
import { queryOrNull } from "@/components/server/query";
import { PortalShell } from "@/components/portal-shell";
import { formatFen } from "@/graphql/platform/money";
import { SHIPMENT_STATUS_TEXT, formatTime } from "@/components/format";
import { ShipForm } from "./ship-form";

const SHIPMENT = `query Shipment($id: ID!) {
  supplierShipment(id: $id) {
    id orderNo status createdAt shippedAt storeName carrier trackingNo freightAmount { amount }
    shipTo { recipient phone region detail }
    lines { id title skuLabel quantity unitSupplyPrice { amount } }
  }
}`;

type Data = {
  supplierShipment: {
    id: string; orderNo: string; status: string; createdAt: string; shippedAt: string | null; storeName: string; carrier: string | null; trackingNo: string | null; freightAmount: { amount: number };
    shipTo: { recipient: string; phone: string; region: string; detail: string };
    lines: { id: string; title: string; skuLabel: string; quantity: number; unitSupplyPrice: { amount: number } }[];
  };
};

export default async function ShipmentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const viewer = await requireRole("SUPPLIER", `/supplier/shipments/${id}`);
  const d = await queryOrNull<Data>(SHIPMENT, { id });
  if (!d) notFound();
  const s = d.supplierShipment;
  return (
    <PortalShell kind="supplier" title={`发货单 · 订单 ${s.orderNo}`} who={viewer.nickname}>
      <section className="card">
        <p>状态：<strong data-testid="shipment-status">{SHIPMENT_STATUS_TEXT[s.status]}</strong>　店铺：{s.storeName}　创建：{formatTime(s.createdAt)}</p>
        <p>收货人：{s.shipTo.recipient}　电话：{s.shipTo.phone}</p>
        <p>地址：{s.shipTo.region} {s.shipTo.detail}</p>
        <p className="muted">为保护买家隐私，电话与姓名已脱敏；打印面单时可查看完整姓名（会被记录）。</p>
      </section>
      <table className="table">
        <thead><tr><th>商品</th><th>规格</th><th>数量</th><th>供货价</th></tr></thead>
        <tbody>
          {s.lines.map((l) => (
            <tr key={l.id}><td>{l.title}</td><td>{l.skuLabel}</td><td>{l.quantity}</td><td>{formatFen(l.unitSupplyPrice.amount)}</td></tr>
          ))}
        </tbody>
      </table>
      <section className="card" style={{ marginTop: 12 }}>
        {s.status === "AWAITING_SHIPMENT" ? (
          <ShipForm shipmentId={s.id} />
        ) : (
          <p>{s.carrier} 运单号 {s.trackingNo}　发货时间 {formatTime(s.shippedAt)}</p>
        )}
      </section>
    </PortalShell>
  );
}
