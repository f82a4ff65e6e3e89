"use client";

import { useState } from "react";
import { mutate } from "@/components/client/gql";

export type AddressData = { id: string; recipient: string; phone: string; province: string; city: string; district: string; detail: string; isDefault: boolean };

const ADD_ADDRESS = `mutation($input: AddressInput!) { createAddress(input: $input) { address { id recipient phone province city district detail isDefault } errors { code message field } } }`;

/** The address a checkout starts with: the default one, else the first. */
export function defaultAddressId(addresses: AddressData[]): string {
  return addresses.find((a) => a.isDefault)?.id ?? addresses[0]?.id ?? "";
}

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

/**
 * The checkout's 收货地址 card: pick one of my addresses or add one (a new address becomes the
 * default and is picked). The caller keeps the picked id.
 */
export function AddressPicker({
  initial,
  value,
  onChange,
  disabled,
}: {
  initial: AddressData[];
  value: string;
  onChange: (id: string) => void;
  disabled?: boolean;
}) {
  const [addresses, setAddresses] = useState(initial);
  const [adding, setAdding] = useState(initial.length === 0);
  return (
    <section className="card">
      <h3>收货地址</h3>
      {addresses.map((a) => (
        <label key={a.id} className="row" style={{ padding: "8px 0", borderBottom: "1px solid #f0f0f0" }}>
          <input type="radio" name="address" checked={value === a.id} onChange={() => onChange(a.id)} disabled={disabled} />
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
            onChange(a.id);
            setAdding(false);
          }}
        />
      ) : (
        !disabled && <button className="btn btn-sm" style={{ marginTop: 8 }} onClick={() => setAdding(true)}>+ 新增地址</button>
      )}
    </section>
  );
}
