"use client";

import { useRef, useState } from "react";
import { mutate, newIdempotencyKey } from "@/components/client/gql";
import { AddressPicker, defaultAddressId, type AddressData } from "@/components/address-picker";
import { formatTime } from "@/components/format";

export type MallItem = {
  id: string;
  kind: "COUPON" | "PRODUCT";
  title: string;
  pointsPrice: number;
  remaining: number;
  perUserLimit: number;
  redeemedByMe: number;
  endsAt: string;
  couponFace: string | null;
  couponUsableUntil: string | null;
  productTitle: string | null;
  skuLabel: string | null;
  image: string | null;
  price: { amount: number } | null;
};

const REDEEM = `mutation($input: RedeemPointsItemInput!) { redeemPointsItem(input: $input) { redemption { id orderId userCouponId balance } errors { code message field } } }`;

/** Items with a redeem button; a product asks where to ship it first. */
export function MallList({ items, balance: initialBalance, addresses }: { items: MallItem[]; balance: number; addresses: AddressData[] }) {
  const [balance, setBalance] = useState(initialBalance);
  const [mine, setMine] = useState(() => new Map(items.map((i) => [i.id, i.redeemedByMe])));
  const [shipping, setShipping] = useState<MallItem | null>(null);
  const [addressId, setAddressId] = useState(() => defaultAddressId(addresses));
  const [message, setMessage] = useState<{ ok: boolean; text: string; link?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  // One key per item being redeemed: a double click cannot redeem twice.
  const keys = useRef(new Map<string, string>());

  async function redeem(item: MallItem) {
    if (item.kind === "PRODUCT" && shipping?.id !== item.id) return setShipping(item);
    if (item.kind === "PRODUCT" && !addressId) return setMessage({ ok: false, text: "请先添加收货地址" });
    setBusy(true);
    setMessage(null);
    const key = keys.current.get(item.id) ?? newIdempotencyKey();
    keys.current.set(item.id, key);
    const result = await mutate<{ redemption: { orderId: string | null; balance: number }; errors: [] }>(
      REDEEM,
      { input: { itemId: item.id, idempotencyKey: key, addressId: item.kind === "PRODUCT" ? addressId : null } },
      "redeemPointsItem",
    );
    setBusy(false);
    keys.current.delete(item.id);
    if (!result.ok) return setMessage({ ok: false, text: result.message });
    setBalance(result.payload.redemption.balance);
    setMine((m) => new Map(m).set(item.id, (m.get(item.id) ?? 0) + 1));
    setShipping(null);
    const orderId = result.payload.redemption.orderId;
    setMessage(orderId ? { ok: true, text: "兑换成功，商品将尽快发货", link: `/me/orders/${orderId}` } : { ok: true, text: "兑换成功，券已放入我的优惠券", link: "/me/coupons" });
  }

  return (
    <div className="shop-body">
      <section className="card row between">
        <span>我的积分</span>
        <strong data-testid="mall-balance">{balance}</strong>
      </section>
      {message && (
        <p className={message.ok ? "success" : "error"} role="alert">
          {message.text} {message.link && <a href={message.link}>查看</a>}
        </p>
      )}
      {items.length === 0 && <p className="muted">积分商城暂无可兑换的商品</p>}
      {items.map((i) => {
        const used = mine.get(i.id) ?? 0;
        const blocked = i.remaining <= 0 ? "已兑完" : used >= i.perUserLimit ? "已达兑换上限" : balance < i.pointsPrice ? "积分不足" : null;
        return (
          <section className="card" key={i.id} data-testid="mall-item">
            <div className="row">
              {i.image ? <img src={i.image} alt="" style={{ width: 64, height: 64, borderRadius: 8, objectFit: "cover" }} /> : <div className="coupon-face">{i.couponFace}</div>}
              <div className="grow">
                <strong>{i.title}</strong>
                <div className="muted">
                  {i.kind === "COUPON" ? `平台券 · ${formatTime(i.couponUsableUntil)} 前可用` : `${i.productTitle ?? ""} ${i.skuLabel ?? ""}${i.price ? ` · 价值 ¥${(i.price.amount / 100).toFixed(2)} · 包邮` : ""}`}
                </div>
                <div className="muted">剩余 {i.remaining} · 每人限兑 {i.perUserLimit} · {formatTime(i.endsAt)} 截止</div>
              </div>
              <div style={{ textAlign: "right" }}>
                <div className="price">{i.pointsPrice} 积分</div>
                <button className="btn btn-primary btn-sm" disabled={busy || blocked !== null} onClick={() => redeem(i)}>
                  {blocked ?? (shipping?.id === i.id ? "确认兑换" : "兑换")}
                </button>
              </div>
            </div>
            {shipping?.id === i.id && <AddressPicker initial={addresses} value={addressId} onChange={setAddressId} disabled={busy} />}
          </section>
        );
      })}
    </div>
  );
}
