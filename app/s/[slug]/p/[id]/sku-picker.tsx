"use client";

import { useMemo, useState } from "react";
import { useRouter } from "next/navigation";
import { mutate } from "@/components/client/gql";
import { Price } from "@/components/shop-parts";
import type { ProductData } from "./page";

const ADD = `mutation($input: AddToCartInput!) { addToCart(input: $input) { cart { itemCount } errors { code message field } } }`;

/** The bottom-sheet spec picker: choose a value per axis, a quantity, then add to cart or buy now. */
export function SkuPicker({ slug, product }: { slug: string; product: ProductData }) {
  const router = useRouter();
  const [open, setOpen] = useState<null | "cart" | "buy">(null);
  const [chosen, setChosen] = useState<Record<string, string>>(() =>
    product.specAxes.length === 0 ? {} : Object.fromEntries(product.skus.length === 1 ? product.skus[0].specs.map((s) => [s.axis, s.value]) : []),
  );
  const [quantity, setQuantity] = useState(1);
  const [message, setMessage] = useState<{ kind: "error" | "success"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const sku = useMemo(
    () => product.skus.find((s) => s.specs.every((v) => chosen[v.axis] === v.value)) ?? null,
    [chosen, product.skus],
  );
  /** A value is selectable if some in-stock SKU has it together with the other chosen values. */
  const available = (axis: string, value: string) =>
    product.skus.some((s) => s.stock > 0 && s.specs.every((v) => (v.axis === axis ? v.value === value : !chosen[v.axis] || chosen[v.axis] === v.value)));

  async function confirm() {
    if (!sku) return setMessage({ kind: "error", text: "请选择规格" });
    setMessage(null);
    if (open === "buy") {
      router.push(`/s/${slug}/checkout?items=${sku.id}:${quantity}`);
      return;
    }
    setBusy(true);
    const result = await mutate(ADD, { input: { storeSlug: slug, skuId: sku.id, quantity } }, "addToCart");
    setBusy(false);
    if (!result.ok) {
      if (result.code === "UNAUTHENTICATED") return router.push(`/login?next=/s/${slug}/p/${product.id}`);
      return setMessage({ kind: "error", text: result.message });
    }
    setMessage({ kind: "success", text: "已加入购物车" });
    setTimeout(() => setOpen(null), 600);
  }

  return (
    <>
      <div className="buybar">
        <button className="btn grow" onClick={() => setOpen("cart")}>加入购物车</button>
        <button className="btn btn-primary grow" onClick={() => setOpen("buy")}>立即购买</button>
      </div>
      {open && (
        <div className="sheet-backdrop" onClick={() => setOpen(null)}>
          <div className="sheet" role="dialog" aria-label="选择规格" onClick={(e) => e.stopPropagation()}>
            <div className="row">
              {/* eslint-disable-next-line @next/next/no-img-element */}
              <img src={product.images[0]} alt="" style={{ width: 84, height: 84, borderRadius: 8 }} />
              <div>
                <Price fen={sku?.price.amount ?? product.priceRange.min.amount} />
                <p className="muted">{sku ? `已选：${sku.label}　库存 ${sku.stock} 件` : "请选择规格"}</p>
              </div>
            </div>
            {product.specAxes.map((axis) => (
              <div key={axis.name}>
                <h4 style={{ margin: "12px 0 0" }}>{axis.name}</h4>
                <div className="spec-values">
                  {axis.values.map((value) => (
                    <button
                      key={value}
                      type="button"
                      className={`spec-value ${chosen[axis.name] === value ? "selected" : ""}`}
                      disabled={!available(axis.name, value)}
                      onClick={() => setChosen((c) => ({ ...c, [axis.name]: c[axis.name] === value ? "" : value }))}
                    >
                      {value}
                    </button>
                  ))}
                </div>
              </div>
            ))}
            <div className="row between" style={{ margin: "8px 0 16px" }}>
              <span>购买数量</span>
              <span className="stepper">
                <button type="button" onClick={() => setQuantity((q) => Math.max(1, q - 1))} aria-label="减少">−</button>
                <input aria-label="数量" value={quantity} onChange={(e) => setQuantity(Math.max(1, Math.min(99, Number(e.target.value) || 1)))} />
                <button type="button" onClick={() => setQuantity((q) => Math.min(sku?.stock ?? 99, 99, q + 1))} aria-label="增加">+</button>
              </span>
            </div>
            {message && <p className={message.kind} role={message.kind === "error" ? "alert" : "status"}>{message.text}</p>}
            <button className="btn btn-primary btn-block" onClick={confirm} disabled={busy || !sku || sku.stock === 0}>
              {sku && sku.stock === 0 ? "已售罄" : open === "buy" ? "立即购买" : "加入购物车"}
            </button>
          </div>
        </div>
      )}
    </>
  );
}
