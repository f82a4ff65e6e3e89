"use client";

import { useRef, useState } from "react";
import { gqlFetch, mutate, newIdempotencyKey, payAndGo } from "@/components/client/gql";
import { AddressPicker, defaultAddressId, type AddressData } from "@/components/address-picker";
import { LineItem, Price } from "@/components/shop-parts";
import { CouponPicker, type CheckoutCoupon } from "./coupon-picker";

export type { AddressData };

export type PreviewData = {
  goodsAmount: { amount: number };
  freightAmount: { amount: number };
  discountAmount: { amount: number };
  totalAmount: { amount: number };
  pointsAvailable: number;
  pointsMaxUsable: number;
  pointsUsed: number;
  pointsDiscount: { amount: number };
  coupons: CheckoutCoupon[];
  lines: { skuId: string; title: string; skuLabel: string; image: string | null; quantity: number; unitPrice: { amount: number }; amount: { amount: number }; stock: number }[];
};

const PREVIEW = `query($input: CheckoutPreviewInput!) { checkoutPreview(input: $input) {
  preview { goodsAmount { amount } freightAmount { amount } discountAmount { amount } totalAmount { amount }
    pointsAvailable pointsMaxUsable pointsUsed pointsDiscount { amount }
    coupons { id issuer title face usableUntil applied discount { amount } reason }
    lines { skuId title skuLabel image quantity unitPrice { amount } amount { amount } stock } }
  errors { code message field } } }`;
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id status } errors { code message field } } }`;

/** Review, pick an address, place the order (once per key) and go to the payment page. */
export function CheckoutForm({
  slug,
  items,
  fromCart,
  preview: initialPreview,
  addresses,
}: {
  slug: string;
  items: { skuId: string; quantity: number }[];
  fromCart: boolean;
  preview: PreviewData;
  addresses: AddressData[];
}) {
  const [addressId, setAddressId] = useState(() => defaultAddressId(addresses));
  // The best coupon is preselected by the server; choosing another re-prices through the same path.
  const [preview, setPreview] = useState(initialPreview);
  const chosen = preview.coupons.filter((c) => c.applied).map((c) => c.id);
  // The radio follows the click at once; the prices follow when the re-priced preview arrives.
  const [picking, setPicking] = useState<string[] | null>(null);
  const shown = picking ?? chosen;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // 积分抵扣 is on by default (the server preselects the most allowed); the switch re-prices.
  const [usePoints, setUsePoints] = useState(initialPreview.pointsUsed > 0 || initialPreview.pointsMaxUsable === 0);
  // One key per checkout page: a double click or a retry cannot create a second order.
  const key = useRef(newIdempotencyKey());
  const orderId = useRef<string | null>(null);

  async function submit() {
    if (!addressId) return setError("请先添加收货地址");
    setBusy(true);
    setError(null);
    if (!orderId.current) {
      const placed = await mutate<{ order: { id: string; status: string }; errors: [] }>(
        PLACE,
        {
          input: { storeSlug: slug, items, addressId, idempotencyKey: key.current, expectedTotal: preview.totalAmount.amount, fromCart, couponIds: chosen, pointsToUse: preview.pointsUsed },
        },
        "placeOrder",
      );
      if (!placed.ok) {
        setBusy(false);
        return setError(placed.message);
      }
      orderId.current = placed.payload.order.id;
      // Points and platform coupons covered everything: the order is paid already.
      if (placed.payload.order.status === "PAID") return window.location.assign(`/me/orders/${placed.payload.order.id}`);
    }
    const problem = await payAndGo(orderId.current);
    if (problem) {
      setBusy(false);
      setError(problem);
    }
  }

  async function chooseCoupon(couponIds: string[], points = usePoints) {
    setError(null);
    setPicking(couponIds);
    const { data, errors } = await gqlFetch<{ checkoutPreview: { preview: PreviewData | null; errors: { message: string }[] } }>(PREVIEW, {
      input: { storeSlug: slug, items, couponIds, pointsToUse: points ? null : 0 },
    });
    const next = data?.checkoutPreview.preview;
    setPicking(null);
    if (!next) return setError(errors[0]?.message ?? data?.checkoutPreview.errors[0]?.message ?? "该券不可用");
    setPreview(next);
  }

  return (
    <div className="shop-body" style={{ paddingBottom: 80 }}>
      <AddressPicker initial={addresses} value={addressId} onChange={setAddressId} />
      <section className="card">
        {preview.lines.map((l) => (
          <LineItem key={l.skuId} line={l}>
            <Price fen={l.unitPrice.amount} />
          </LineItem>
        ))}
        <div className="row between"><span>商品金额</span><Price fen={preview.goodsAmount.amount} /></div>
        <div className="row between"><span>运费</span>{preview.freightAmount.amount ? <Price fen={preview.freightAmount.amount} /> : <span>包邮</span>}</div>
        {preview.discountAmount.amount - preview.pointsDiscount.amount > 0 && (
          <div className="row between" data-testid="coupon-discount"><span>优惠券</span><span className="price">-¥{((preview.discountAmount.amount - preview.pointsDiscount.amount) / 100).toFixed(2)}</span></div>
        )}
        {preview.pointsDiscount.amount > 0 && (
          <div className="row between" data-testid="points-discount"><span>积分抵扣</span><span className="price">-¥{(preview.pointsDiscount.amount / 100).toFixed(2)}</span></div>
        )}
      </section>
      <CouponPicker coupons={preview.coupons} shown={shown} onChoose={chooseCoupon} disabled={busy || picking !== null} />
      {preview.pointsAvailable > 0 && (
        <section className="card">
          <label className="row between" data-testid="points-toggle">
            <span>
              使用积分抵扣 {usePoints ? <span className="price">¥{(preview.pointsDiscount.amount / 100).toFixed(2)}</span> : null}
              <div className="muted">
                {preview.pointsMaxUsable === 0 ? "本单暂不可用积分" : usePoints ? `可用 ${preview.pointsUsed} 积分抵 ¥${(preview.pointsDiscount.amount / 100).toFixed(2)}` : `本单最多可用 ${preview.pointsMaxUsable} 积分`}，共 {preview.pointsAvailable} 积分
              </div>
            </span>
            <input
              type="checkbox"
              checked={usePoints && preview.pointsMaxUsable > 0}
              disabled={busy || picking !== null || preview.pointsMaxUsable === 0}
              onChange={(e) => {
                setUsePoints(e.target.checked);
                void chooseCoupon(chosen, e.target.checked);
              }}
            />
          </label>
        </section>
      )}
      {error && <p className="error" role="alert">{error}</p>}
      <div className="buybar">
        <div className="grow">实付：<Price fen={preview.totalAmount.amount} /></div>
        <button className="btn btn-primary" onClick={submit} disabled={busy || picking !== null}>{busy ? "提交中…" : "提交订单"}</button>
      </div>
    </div>
  );
}
