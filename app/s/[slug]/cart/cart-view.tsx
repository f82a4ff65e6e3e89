"use client";

import Link from "next/link";
import { useState } from "react";
import { mutate } from "@/components/client/gql";
import { Price } from "@/components/shop-parts";

export type CartData = {
  itemCount: number;
  goodsAmount: { amount: number };
  lines: { id: string; skuId: string; productId: string; title: string; skuLabel: string; image: string | null; quantity: number; unitPrice: { amount: number } | null; stock: number; available: boolean }[];
};

const SET = `mutation($slug: String!, $input: SetCartQuantityInput!) {
  setCartQuantity(storeSlug: $slug, input: $input) {
    cart { itemCount goodsAmount { amount } lines { id skuId productId title skuLabel image quantity unitPrice { amount } stock available } }
    errors { code message field }
  }
}`;

export function CartView({ slug, initial }: { slug: string; initial: CartData }) {
  const [cart, setCart] = useState(initial);
  const [error, setError] = useState<string | null>(null);

  async function setQuantity(itemId: string, quantity: number) {
    setError(null);
    const result = await mutate<{ cart: CartData; errors: [] }>(SET, { slug, input: { itemId, quantity } }, "setCartQuantity");
    if (!result.ok) return setError(result.message);
    setCart(result.payload.cart);
  }

  const buyable = cart.lines.filter((l) => l.available && l.stock >= l.quantity);
  const items = buyable.map((l) => `${l.skuId}:${l.quantity}`).join(",");
  const total = buyable.reduce((s, l) => s + (l.unitPrice?.amount ?? 0) * l.quantity, 0);

  if (cart.lines.length === 0) {
    return (
      <div className="shop-body">
        <p className="muted">购物车是空的</p>
        <Link className="btn" href={`/s/${slug}`}>去逛逛</Link>
      </div>
    );
  }
  return (
    <div className="shop-body">
      <section className="card">
        {cart.lines.map((l) => (
          <div className="line-item" key={l.id}>
            {/* eslint-disable-next-line @next/next/no-img-element */}
            {l.image && <img src={l.image} alt="" />}
            <div className="grow">
              <Link href={`/s/${slug}/p/${l.productId}`} className="ellipsis" style={{ display: "block" }}>{l.title}</Link>
              <p className="muted" style={{ margin: "4px 0" }}>{l.skuLabel}{!l.available ? " · 已下架" : l.stock < l.quantity ? ` · 库存仅剩 ${l.stock}` : ""}</p>
              <div className="row between">
                {l.unitPrice ? <Price fen={l.unitPrice.amount} /> : <span className="muted">不可购买</span>}
                <span className="stepper">
                  <button onClick={() => setQuantity(l.id, l.quantity - 1)} aria-label="减少">−</button>
                  <input aria-label="数量" value={l.quantity} readOnly />
                  <button onClick={() => setQuantity(l.id, l.quantity + 1)} aria-label="增加" disabled={l.quantity >= Math.min(99, l.stock)}>+</button>
                </span>
              </div>
            </div>
          </div>
        ))}
      </section>
      {error && <p className="error" role="alert">{error}</p>}
      <div className="buybar" style={{ bottom: 56 }}>
        <div className="grow">合计：<Price fen={total} /></div>
        {buyable.length ? (
          <Link className="btn btn-primary" href={`/s/${slug}/checkout?items=${items}&fromCart=1`}>去结算（{buyable.length}）</Link>
        ) : (
          <button className="btn btn-primary" disabled>去结算</button>
        )}
      </div>
    </div>
  );
}
