"use client";

import { useRef, useState } from "react";
import Link from "next/link";
import { gqlFetch, mutate, newIdempotencyKey, payAndGo } from "@/components/client/gql";
import { AddressPicker, defaultAddressId, type AddressData } from "@/components/address-picker";
import { LineItem, Price } from "@/components/shop-parts";
import type { RoomProduct } from "@/components/live/room-types";

const PREVIEW = `query($input: CheckoutPreviewInput!) { checkoutPreview(input: $input) {
  preview { goodsAmount { amount } freightAmount { amount } discountAmount { amount } totalAmount { amount } pointsUsed
    coupons { id applied }
    lines { skuId title skuLabel image quantity unitPrice { amount } listUnitPrice { amount } amount { amount } } }
  errors { code message field } } }`;
const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id status } errors { code message field } } }`;

type Preview = {
  goodsAmount: { amount: number };
  freightAmount: { amount: number };
  discountAmount: { amount: number };
  totalAmount: { amount: number };
  pointsUsed: number;
  coupons: { id: string; applied: boolean }[];
  lines: { skuId: string; title: string; skuLabel: string; image: string | null; quantity: number; unitPrice: { amount: number }; listUnitPrice: { amount: number }; amount: { amount: number } }[];
};

/**
 * Buying from the room without leaving it: a bottom sheet with the SKU picker, then the address
 * and the priced order (live price applied by the server while the live is on air), then payment —
 * the only step that navigates. One idempotency key per sheet, so a double tap buys once.
 */
export function LiveCheckout({
  liveId,
  storeSlug,
  product,
  onAir,
  me,
  loginHref,
  addresses,
  onClose,
}: {
  liveId: string;
  storeSlug: string;
  product: RoomProduct;
  onAir: boolean;
  me: { buyer: boolean } | null;
  loginHref: string;
  addresses: AddressData[];
  onClose: () => void;
}) {
  const [skuId, setSkuId] = useState(() => product.skus.find((s) => s.inStock)?.skuId ?? "");
  const [quantity, setQuantity] = useState(1);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [addressId, setAddressId] = useState(() => defaultAddressId(addresses));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const key = useRef(newIdempotencyKey());
  const orderId = useRef<string | null>(null);
  const sku = product.skus.find((s) => s.skuId === skuId);
  const limit = Math.min(99, sku?.perUserLimit ?? 99);
  const items = [{ skuId, quantity }];

  async function review() {
    if (!sku) return setError("请选择规格");
    setBusy(true);
    setError(null);
    const { data, errors } = await gqlFetch<{ checkoutPreview: { preview: Preview | null; errors: { message: string }[] } }>(PREVIEW, { input: { storeSlug, items, liveId } });
    setBusy(false);
    const next = data?.checkoutPreview.preview;
    if (!next) return setError(errors[0]?.message ?? data?.checkoutPreview.errors[0]?.message ?? "无法结算");
    setPreview(next);
  }

  async function pay() {
    if (!preview) return;
    if (!addressId) return setError("请先添加收货地址");
    setBusy(true);
    setError(null);
    if (!orderId.current) {
      const placed = await mutate<{ order: { id: string; status: string }; errors: [] }>(
        PLACE,
        {
          input: {
            storeSlug,
            items,
            addressId,
            idempotencyKey: key.current,
            expectedTotal: preview.totalAmount.amount,
            couponIds: preview.coupons.filter((c) => c.applied).map((c) => c.id),
            pointsToUse: preview.pointsUsed,
            liveId,
          },
        },
        "placeOrder",
      );
      if (!placed.ok) {
        setBusy(false);
        return setError(placed.message);
      }
      orderId.current = placed.payload.order.id;
      if (placed.payload.order.status === "PAID") return window.location.assign(`/me/orders/${placed.payload.order.id}`);
    }
    const problem = await payAndGo(orderId.current);
    if (problem) {
      setBusy(false);
      setError(problem);
    }
  }

  const unit = sku ? (sku.livePrice?.amount ?? sku.listPrice.amount) : 0;
  return (
    <div className="sheet-backdrop" onClick={onClose}>
      <div className="sheet" onClick={(e) => e.stopPropagation()} role="dialog" aria-label="购买" data-testid="buy-sheet">
        <div className="line-item" style={{ borderBottom: 0 }}>
          {/* eslint-disable-next-line @next/next/no-img-element */}
          {product.image && <img src={product.image} alt="" />}
          <div className="grow">
            <div className="ellipsis">{product.title}</div>
            {sku && <div data-testid="sheet-price">{sku.livePrice && <span className="tag" style={{ marginRight: 4 }}>直播价</span>}<Price fen={unit} original={sku.listPrice.amount} /></div>}
            {sku?.perUserLimit && <div className="muted">直播价每人限购 {sku.perUserLimit} 件</div>}
          </div>
          <button className="btn btn-sm" onClick={onClose} aria-label="关闭">✕</button>
        </div>
        {!preview ? (
          <>
            <div className="muted">规格</div>
            <div className="spec-values">
              {product.skus.map((s) => (
                <button key={s.skuId} type="button" className={`spec-value ${s.skuId === skuId ? "selected" : ""}`} disabled={!s.inStock} onClick={() => setSkuId(s.skuId)}>
                  {s.label}
                </button>
              ))}
            </div>
            <div className="row between" style={{ marginBottom: 12 }}>
              <span>数量</span>
              <span className="stepper">
                <button type="button" onClick={() => setQuantity((q) => Math.max(1, q - 1))} aria-label="减少">−</button>
                <input aria-label="数量" value={quantity} onChange={(e) => setQuantity(Math.max(1, Math.min(limit, Number(e.target.value) || 1)))} />
                <button type="button" onClick={() => setQuantity((q) => Math.min(limit, q + 1))} aria-label="增加">+</button>
              </span>
            </div>
            {error && <p className="error" role="alert">{error}</p>}
            {!onAir ? (
              <button className="btn btn-block" disabled>直播已结束</button>
            ) : product.soldOut ? (
              <button className="btn btn-block" disabled data-testid="sold-out">已售罄</button>
            ) : !me ? (
              <Link className="btn btn-primary btn-block" href={loginHref}>登录后购买</Link>
            ) : !me.buyer ? (
              <button className="btn btn-block" disabled>请使用买家账号购买</button>
            ) : (
              <button className="btn btn-primary btn-block" onClick={review} disabled={busy || !sku?.inStock}>{busy ? "计算中…" : sku?.inStock ? "立即购买" : "已售罄"}</button>
            )}
          </>
        ) : (
          <div data-testid="live-checkout">
            <AddressPicker initial={addresses} value={addressId} onChange={setAddressId} disabled={busy} />
            <section className="card">
              {preview.lines.map((l) => (
                <LineItem key={l.skuId} line={l}>
                  <span data-testid="checkout-unit-price"><Price fen={l.unitPrice.amount} original={l.listUnitPrice.amount} /></span>
                </LineItem>
              ))}
              <div className="row between"><span>商品金额</span><Price fen={preview.goodsAmount.amount} /></div>
              <div className="row between"><span>运费</span>{preview.freightAmount.amount ? <Price fen={preview.freightAmount.amount} /> : <span>包邮</span>}</div>
              {preview.discountAmount.amount > 0 && <div className="row between"><span>优惠</span><span className="price">-¥{(preview.discountAmount.amount / 100).toFixed(2)}</span></div>}
            </section>
            {error && <p className="error" role="alert">{error}</p>}
            <div className="row between">
              <button className="btn" onClick={() => setPreview(null)} disabled={busy || !!orderId.current}>返回</button>
              <span className="grow" style={{ textAlign: "right" }}>实付 <span data-testid="checkout-total"><Price fen={preview.totalAmount.amount} /></span></span>
              <button className="btn btn-primary" onClick={pay} disabled={busy || (product.soldOut && !orderId.current)}>{busy ? "提交中…" : product.soldOut && !orderId.current ? "已售罄" : "提交订单并支付"}</button>
            </div>
          </div>
        )}
      </div>
    </div>
  );
}
