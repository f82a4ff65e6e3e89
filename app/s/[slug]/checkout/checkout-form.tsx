"use client";

import { useRef, useState } from "react";
import { mutate, newIdempotencyKey } from "@/components/client/gql";
import { LineItem, Price } from "@/components/shop-parts";

export type PreviewData = {
  goodsAmount: { amount: number };
  freightAmount: { amount: number };
  totalAmount: { amount: number };
  lines: { skuId: string; title: string; skuLabel: string; image: string | null; quantity: number; unitPrice: { amount: number }; amount: { amount: number }; stock: number }[];
};
export type AddressData = { id: string; recipient: string; phone: string; province: string; city: string; district: string; detail: string; isDefault: boolean };

const PLACE = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } errors { code message field } } }`;
const PAY = `mutation($input: PayOrderInput!) { payOrder(input: $input) { session { payUrl } errors { code message field } } }`;
const ADD_ADDRESS = `mutation($input: AddressInput!) { createAddress(input: $input) { address { id recipient phone province city district detail isDefault } errors { code message field } } }`;

function AddressForm({ onSaved }: { onSaved: (a: AddressData) => void }) {
  const [error, setError] = useState<string | null>(null);
  async function save(form: FormData) {
    const input = Object.fromEntries(["recipient", "phone", "province", "city", "district", "detail"].map((k) => [k, String(form.get(k) ?? "")]));
    const result = await mutate<{ address: AddressData; errors: [] }>(ADD_ADDRESS, { input: { ...input, isDefault: true } }, "createAddress");
    if (!result.ok) return setError(result.message);
    onSaved(result.payload.address);
  }
  return (
    <form action={save}>
      <div className="form-grid">
        <label className="field"><span>收货人</span><input className="input" name="recipient" required /></label>
        <label className="field"><span>手机号</span><input className="input" name="phone" inputMode="numeric" required /></label>
        <label className="field"><span>省份</span><input className="input" name="province" placeholder="如 浙江省" required /></label>
        <label className="field"><span>城市</span><input className="input" name="city" placeholder="如 杭州市" required /></label>
        <label className="field"><span>区县</span><input className="input" name="district" placeholder="如 西湖区" required /></label>
      </div>
      <label className="field"><span>详细地址</span><input className="input" name="detail" placeholder="街道、门牌号" required /></label>
      {error && <p className="error" role="alert">{error}</p>}
      <button className="btn">保存地址</button>
    </form>
  );
}

/** Review, pick an address, place the order (once per key) and go to the payment page. */
export function CheckoutForm({
  slug,
  items,
  fromCart,
  preview,
  addresses: initialAddresses,
}: {
  slug: string;
  items: { skuId: string; quantity: number }[];
  fromCart: boolean;
  preview: PreviewData;
  addresses: AddressData[];
}) {
  const [addresses, setAddresses] = useState(initialAddresses);
  const [addressId, setAddressId] = useState(initialAddresses.find((a) => a.isDefault)?.id ?? initialAddresses[0]?.id ?? "");
  const [adding, setAdding] = useState(initialAddresses.length === 0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // One key per checkout page: a double click or a retry cannot create a second order.
  const key = useRef(newIdempotencyKey());
  const orderId = useRef<string | null>(null);

  async function submit() {
    if (!addressId) return setError("请先添加收货地址");
    setBusy(true);
    setError(null);
    if (!orderId.current) {
      const placed = await mutate<{ order: { id: string }; errors: [] }>(
        PLACE,
        { input: { storeSlug: slug, items, addressId, idempotencyKey: key.current, expectedTotal: preview.totalAmount.amount, fromCart } },
        "placeOrder",
      );
      if (!placed.ok) {
        setBusy(false);
        return setError(placed.message);
      }
      orderId.current = placed.payload.order.id;
    }
    const paid = await mutate<{ session: { payUrl: string }; errors: [] }>(PAY, { input: { orderId: orderId.current } }, "payOrder");
    if (!paid.ok) {
      setBusy(false);
      return setError(paid.message);
    }
    window.location.assign(paid.payload.session.payUrl);
  }

  return (
    <div className="shop-body" style={{ paddingBottom: 80 }}>
      <section className="card">
        <h3>收货地址</h3>
        {addresses.map((a) => (
          <label key={a.id} className="row" style={{ padding: "8px 0", borderBottom: "1px solid #f0f0f0" }}>
            <input type="radio" name="address" checked={addressId === a.id} onChange={() => setAddressId(a.id)} />
            <div className="grow">
              <div>{a.recipient}　{a.phone}</div>
              <div className="muted">{a.province} {a.city} {a.district} {a.detail}</div>
            </div>
          </label>
        ))}
        {adding ? (
          <AddressForm
            onSaved={(a) => {
              setAddresses((list) => [a, ...list.map((x) => ({ ...x, isDefault: false }))]);
              setAddressId(a.id);
              setAdding(false);
            }}
          />
        ) : (
          <button className="btn btn-sm" style={{ marginTop: 8 }} onClick={() => setAdding(true)}>+ 新增地址</button>
        )}
      </section>
      <section className="card">
        {preview.lines.map((l) => (
          <LineItem key={l.skuId} line={l}>
            <Price fen={l.unitPrice.amount} />
          </LineItem>
        ))}
        <div className="row between"><span>商品金额</span><Price fen={preview.goodsAmount.amount} /></div>
        <div className="row between"><span>运费</span>{preview.freightAmount.amount ? <Price fen={preview.freightAmount.amount} /> : <span>包邮</span>}</div>
      </section>
      {error && <p className="error" role="alert">{error}</p>}
      <div className="buybar">
        <div className="grow">实付：<Price fen={preview.totalAmount.amount} /></div>
        <button className="btn btn-primary" onClick={submit} disabled={busy}>{busy ? "提交中…" : "提交订单"}</button>
      </div>
    </div>
  );
}
