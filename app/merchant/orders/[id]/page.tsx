import { notFound } from "next/navigation";
import { requireRole } from "@/components/server/viewer";
import { queryOrNull } from "@/components/server/query";
import { PortalShell } from "@/components/portal-shell";
import { formatFen } from "@/graphql/platform/money";
import { SHIPMENT_STATUS_TEXT, formatTime } from "@/components/format";

const ORDER = `query MerchantOrder($id: ID!) {
  merchantOrder(id: $id) {
    id orderNo statusText createdAt paidAt goodsAmount { amount } freightAmount { amount } totalAmount { amount } grossMargin { amount }
    shipTo { recipient phone region }
    lines { id title skuLabel quantity unitPrice { amount } unitSupplyPrice { amount } paidAmount { amount } grossMargin { amount } }
    shipments { id status carrier trackingNo shippedAt }
    rewards { type depth status amount { amount } reversedAmount { amount } receiver } rewardsCost { amount }
  }
}`;

type M = { amount: number };
type Data = {
  merchantOrder: {
    id: string; orderNo: string; statusText: string; createdAt: string; paidAt: string | null; goodsAmount: M; freightAmount: M; totalAmount: M; grossMargin: M;
    shipTo: { recipient: string; phone: string; region: string };
    lines: { id: string; title: string; skuLabel: string; quantity: number; unitPrice: M; unitSupplyPrice: M; paidAmount: M; grossMargin: M }[];
    shipments: { id: string; status: string; carrier: string | null; trackingNo: string | null; shippedAt: string | null }[];
    rewards: { type: string; depth: number; status: string; amount: M; reversedAmount: M; receiver: string }[];
    rewardsCost: M;
  };
};

export default async function MerchantOrderPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const viewer = await requireRole("MERCHANT", `/merchant/orders/${id}`);
  const d = await queryOrNull<Data>(ORDER, { id });
  if (!d) notFound();
  const o = d.merchantOrder;
  return (
    <PortalShell kind="merchant" title={`订单 ${o.orderNo}`} who={viewer.nickname}>
      <section className="card">
        <p>状态：<strong>{o.statusText}</strong>　下单：{formatTime(o.createdAt)}　{o.paidAt && `支付：${formatTime(o.paidAt)}`}</p>
        <p>买家：{o.shipTo.recipient}　{o.shipTo.phone}　{o.shipTo.region}</p>
      </section>
      <table className="table">
        <thead><tr><th>商品</th><th>数量</th><th>售价</th><th>供货价</th><th>实付</th><th>毛利</th></tr></thead>
        <tbody>
          {o.lines.map((l) => (
            <tr key={l.id}><td>{l.title}<div className="muted">{l.skuLabel}</div></td><td>{l.quantity}</td><td>{formatFen(l.unitPrice.amount)}</td><td>{formatFen(l.unitSupplyPrice.amount)}</td><td>{formatFen(l.paidAmount.amount)}</td><td>{formatFen(l.grossMargin.amount)}</td></tr>
          ))}
        </tbody>
      </table>
      <section className="card" style={{ marginTop: 12 }}>
        <p>商品 {formatFen(o.goodsAmount.amount)}　运费 {formatFen(o.freightAmount.amount)}　实付 <strong>{formatFen(o.totalAmount.amount)}</strong>　毛利 <strong>{formatFen(o.grossMargin.amount)}</strong></p>
        <p className="muted">毛利为实付减供货成本，平台服务费与分享佣金在结算时扣除。</p>
        {o.rewards.length > 0 && (
          <>
            <h3 style={{ marginTop: 12 }}>分享奖励（从毛利中支出 {formatFen(o.rewardsCost.amount)}）</h3>
            {o.rewards.map((r, i) => (
              <p key={i} className="muted">{r.type} · 第 {r.depth} 层 · {r.receiver} · {formatFen(r.amount.amount)} · {r.status}{r.reversedAmount.amount ? `（退回 ${formatFen(r.reversedAmount.amount)}）` : ""}</p>
            ))}
          </>
        )}
        {o.shipments.map((s) => (
          <p key={s.id}>包裹：{SHIPMENT_STATUS_TEXT[s.status]} {s.carrier ?? ""} {s.trackingNo ?? ""} {s.shippedAt ? formatTime(s.shippedAt) : ""}</p>
        ))}
      </section>
    </PortalShell>
  );
}
