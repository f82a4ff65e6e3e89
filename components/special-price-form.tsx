"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { mutate } from "@/components/client/gql";
import { fromShanghaiInput, yuan } from "@/components/format";

/** One of my listed SKUs, with the lowest price the listing floor allows. */
export type SkuOption = { skuId: string; title: string; label: string; retailPrice: number; minRetailPrice: number; stock: number };

/** A whole-number field of the form (e.g. flash stock, group size), sent as-is under `name`. */
export type CountField = { name: string; label: string; initial: string; min: number; max?: number; missing: string };

/**
 * The form behind every special-price promotion of one SKU (秒杀, 拼团): the SKU, a price in yuan (sent
 * in fen under `priceField`), two whole-number fields, and a window entered in Asia/Shanghai time.
 * Obvious gaps are caught here; the server decides the rest and its error is shown beside the field
 * it names.
 */
export function SpecialPriceForm(p: {
  options: SkuOption[];
  defaultStart: string;
  defaultEnd: string;
  mutation: string;
  payloadField: string;
  priceField: string;
  priceLabel: string;
  counts: [CountField, CountField];
  usable: (o: SkuOption) => boolean;
  hint: (o: SkuOption) => string;
  note: string;
  savedText: string;
  submitText: string;
}) {
  const router = useRouter();
  const [skuId, setSkuId] = useState(() => p.options.find(p.usable)?.skuId ?? "");
  const [price, setPrice] = useState("");
  const [counts, setCounts] = useState(() => p.counts.map((c) => c.initial));
  const [startsAt, setStartsAt] = useState(p.defaultStart);
  const [endsAt, setEndsAt] = useState(p.defaultEnd);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const sku = p.options.find((o) => o.skuId === skuId);
  const fields = ["skuId", p.priceField, ...p.counts.map((c) => c.name), "startsAt", "endsAt"];

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setSaved(false);
    const problems: Record<string, string> = {};
    const fen = Math.round(Number(price) * 100);
    if (!skuId) problems.skuId = "请选择商品规格";
    if (!price.trim() || !Number.isFinite(fen) || fen <= 0) problems[p.priceField] = `请输入${p.priceLabel}`;
    p.counts.forEach((c, i) => {
      if (!/^\d+$/.test(counts[i].trim())) problems[c.name] = c.missing;
    });
    const start = fromShanghaiInput(startsAt);
    const end = fromShanghaiInput(endsAt);
    if (!start) problems.startsAt = "请选择开始时间";
    if (!end) problems.endsAt = "请选择结束时间";
    if (Object.keys(problems).length) return setErrors(problems);
    setBusy(true);
    setErrors({});
    const input = { skuId, [p.priceField]: fen, ...Object.fromEntries(p.counts.map((c, i) => [c.name, Number(counts[i].trim())])), startsAt: start, endsAt: end };
    const result = await mutate(p.mutation, { input }, p.payloadField);
    setBusy(false);
    if (!result.ok) return setErrors({ [fields.find((f) => f === result.field) ?? "form"]: result.message });
    setSaved(true);
    setPrice("");
    router.refresh();
  }

  const fieldError = (f: string) => errors[f] && <small className="field-error" role="alert">{errors[f]}</small>;

  if (!p.options.length) return <p className="muted">店铺还没有在售商品，先去选品上架吧</p>;
  return (
    <form onSubmit={submit} noValidate>
      <label className="field">
        <span>商品规格</span>
        <select className="select" value={skuId} onChange={(e) => setSkuId(e.target.value)}>
          <option value="">请选择</option>
          {p.options.map((o) => (
            <option key={o.skuId} value={o.skuId} disabled={!p.usable(o)}>
              {o.title} · {o.label}（售价 ¥{yuan(o.retailPrice)}，库存 {o.stock}）
            </option>
          ))}
        </select>
        {sku && <small className="muted field-hint" data-testid="sku-hint">{p.hint(sku)}</small>}
        {fieldError("skuId")}
      </label>
      <div className="form-grid">
        <label className="field">
          <span>{p.priceLabel}（元）</span>
          <input className="input" inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} placeholder={sku ? yuan(sku.minRetailPrice) : ""} />
          {fieldError(p.priceField)}
        </label>
        {p.counts.map((c, i) => (
          <label className="field" key={c.name}>
            <span>{c.label}</span>
            <input className="input" type="number" min={c.min} max={c.max} value={counts[i]} onChange={(e) => setCounts((v) => v.map((x, k) => (k === i ? e.target.value : x)))} />
            {fieldError(c.name)}
          </label>
        ))}
        <label className="field">
          <span>开始时间（北京时间）</span>
          <input className="input" type="datetime-local" value={startsAt} onChange={(e) => setStartsAt(e.target.value)} />
          {fieldError("startsAt")}
        </label>
        <label className="field">
          <span>结束时间（北京时间）</span>
          <input className="input" type="datetime-local" value={endsAt} onChange={(e) => setEndsAt(e.target.value)} />
          {fieldError("endsAt")}
        </label>
      </div>
      <p className="muted">{p.note}</p>
      {errors.form && <p className="error" role="alert">{errors.form}</p>}
      {saved && <p className="success" role="status">{p.savedText}</p>}
      <button className="btn btn-primary" disabled={busy}>{busy ? "创建中…" : p.submitText}</button>
    </form>
  );
}
