import Link from "next/link";
import { notFound } from "next/navigation";
import { requireRole } from "@/components/server/viewer";
import { queryOrNull } from "@/components/server/query";
import { LineItem, Price, ShopShell } from "@/components/shop-shell";
import { SHIPMENT_STATUS_TEXT, formatTime } from "@/components/format";
import { OrderActions } from "./order-actions";

const ORDER = `query MyOrder($id: ID!) {
  myOrder(id: $id) {
    id orderNo status statusText createdAt paidAt expiresAt
    groupBuy { status statusText orderStatusText groupSize paidCount deadline path }
    goodsAmount { amount } freightAmount { amount } totalAmount { amount } discountAmount { amount } pointsUsed
    store { name slug }
    shipTo { recipient phone region detail }
    lines { id title skuLabel image quantity unitPrice { amount } amount { amount } refundedAmount { amount } }
    shipments { id status carrier trackingNo shippedAt receivedAt autoReceiveAt }
  }
}`;

type Order = {
  id: string; orderNo: string; status: string; statusText: string; createdAt: string; paidAt: string | null; expiresAt: string | null;
  groupBuy: { status: string; statusText: string; orderStatusText: string | null; groupSize: number; paidCount: number; deadline: string; path: string } | null;
  goodsAmount: { amount: number }; freightAmount: { amount: number }; totalAmount: { amount: number }; discountAmount: { amount: number }; pointsUsed: number;
  store: { name: string; slug: string };
  shipTo: { recipient: string; phone: string; region: string; detail: string };
  lines: { id: string; title: string; skuLabel: string; image: string | null; quantity: number; unitPrice: { amount: number }; amount: { amount: number }; refundedAmount: { amount: number } }[];
  shipments: { id: string; status: string; carrier: string | null; trackingNo: string | null; shippedAt: string | null; receivedAt: string | null; autoReceiveAt: string | null }[];
};

export default async function OrderDetail({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ paid?: string }> }) {
  const { id } = await params;
  const { paid } = await searchParams;
  await requireRole("CONSUMER", `/me/orders/${id}`);
  const data = await queryOrNull<{ myOrder: Order }>(ORDER, { id });
  if (!data) notFound();
  const o = data.myOrder;
  // Nothing was paid in cash (积分兑换 / 全额抵扣): cancelled before shipping, final after.
  const zeroCash = o.totalAmount.amount === 0 && ["PAID", "SHIPPED", "COMPLETED"].includes(o.status);
  const shipped = o.shipments.some((s) => s.status !== "AWAITING_SHIPMENT");
  // Paid in cash, but every cash line refunded already: what is left was paid by a platform coupon
  // (¥0 cash) and may still be called off before shipping (a paid order keeps its freight until then).
  const cashLeft = o.lines.reduce((s, l) => s + l.amount.amount - l.refundedAmount.amount, 0) + o.freightAmount.amount;
  const restIsFree = !zeroCash && o.status === "PAID" && cashLeft === 0;
  return (
    <ShopShell title="订单详情" back="/me/orders" active="orders">
      <div className="shop-body">
        {paid && o.status !== "PENDING_PAYMENT" && <p className="success">{o.groupBuy?.orderStatusText ? "支付成功，邀请好友参团，成团后商家发货" : "支付成功，商家将尽快发货"}</p>}
        <section className="card">
          <h2 data-testid="order-status">{o.groupBuy?.orderStatusText ?? o.statusText}</h2>
          {o.status === "PENDING_PAYMENT" && o.expiresAt && <p className="muted">请在 {formatTime(o.expiresAt)} 前完成支付，超时订单将自动取消</p>}
          <p className="muted">订单号 {o.orderNo}　下单时间 {formatTime(o.createdAt)}</p>
        </section>
        {o.groupBuy && (
          <Link className="card row between" href={o.groupBuy.path} data-testid="order-group">
            <span>
              <span className="tag">{o.groupBuy.groupSize}人团</span> {o.groupBuy.statusText}
              {o.groupBuy.status === "OPEN" && <span className="muted">　已付 {o.groupBuy.paidCount}/{o.groupBuy.groupSize}，{formatTime(o.groupBuy.deadline)} 截止</span>}
            </span>
            <span className="muted">{o.groupBuy.status === "OPEN" ? "邀请好友 ›" : "查看拼团 ›"}</span>
          </Link>
        )}
        <section className="card">
          <div>{o.shipTo.recipient}　{o.shipTo.phone}</div>
          <div className="muted">{o.shipTo.region} {o.shipTo.detail}</div>
        </section>
        {o.shipments.map((s) => (
          <section className="card" key={s.id} data-testid="shipment">
            <div className="row between">
              <strong>包裹</strong>
              <span className="tag tag-gray">{SHIPMENT_STATUS_TEXT[s.status]}</span>
            </div>
            {s.trackingNo && <p>{s.carrier}　运单号 {s.trackingNo}</p>}
            {s.shippedAt && <p className="muted">发货时间 {formatTime(s.shippedAt)}</p>}
            {s.autoReceiveAt && <p className="muted">将于 {formatTime(s.autoReceiveAt)} 自动确认收货</p>}
            {s.receivedAt && <p className="muted">签收时间 {formatTime(s.receivedAt)}</p>}
          </section>
        ))}
        <section className="card">
          <h3>{o.store.name}</h3>
          {o.lines.map((l) => <LineItem key={l.id} line={l} aside={<Price fen={l.amount.amount} />} />)}
          <div className="row between"><span>商品金额</span><Price fen={o.goodsAmount.amount} /></div>
          <div className="row between"><span>运费</span><Price fen={o.freightAmount.amount} /></div>
          {o.discountAmount.amount > 0 && <div className="row between"><span>优惠</span><span className="price">-¥{(o.discountAmount.amount / 100).toFixed(2)}</span></div>}
          {o.pointsUsed > 0 && <div className="row between" data-testid="order-points"><span>积分抵扣</span><span>使用 {o.pointsUsed} 积分</span></div>}
          <div className="row between"><strong>实付</strong><Price fen={o.totalAmount.amount} /></div>
          {zeroCash && (
            <p className="muted" data-testid="zero-cash-note">
              {shipped ? "积分兑换/全额抵扣订单发货后不支持退款" : "积分兑换/全额抵扣订单：发货前可取消订单，积分、优惠券与库存将退回"}
            </p>
          )}
          {restIsFree && !shipped && (
            <p className="muted" data-testid="free-rest-note">现金商品已全部退款，剩余由平台券抵扣的商品发货前可取消订单，优惠券与库存将退回</p>
          )}
        </section>
        <OrderActions orderId={o.id} status={o.status} cancelPaid={(zeroCash || restIsFree) && o.status === "PAID" && !shipped} />
      </div>
    </ShopShell>
  );
}
