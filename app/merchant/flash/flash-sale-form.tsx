"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { mutate } from "@/components/client/gql";
import { fromShanghaiInput, yuan } from "@/components/format";

export type FlashSkuOption = { skuId: string; title: string; label: string; retailPrice: number; minRetailPrice: number; stock: number };

const CREATE = `mutation($input: CreateFlashSaleInput!) { createFlashSale(input: $input) { flashSale { id } errors { code message field } } }`;

type Field = "skuId" | "flashPrice" | "totalStock" | "perUserLimit" | "startsAt" | "endsAt";
const FIELDS: Field[] = ["skuId", "flashPrice", "totalStock", "perUserLimit", "startsAt", "endsAt"];

/** A SKU can go on sale only below its price and above its floor, with stock to set aside. */
const usable = (o: FlashSkuOption) => o.minRetailPrice < o.retailPrice && o.stock > 0;

/**
 * New flash sale: one of my listed SKUs, a flash price in yuan (sent in fen), units set aside from
 * the SKU's stock, a per-person limit, and a window entered in Asia/Shanghai time. The server
 * decides; its error is shown beside the field it names.
 */
export function FlashSaleForm({ options, defaultStart, defaultEnd }: { options: FlashSkuOption[]; defaultStart: string; defaultEnd: string }) {
  const router = useRouter();
  const [skuId, setSkuId] = useState(() => options.find(usable)?.skuId ?? "");
  const [price, setPrice] = useState("");
  const [stock, setStock] = useState("10");
  const [limit, setLimit] = useState("1");
  const [startsAt, setStartsAt] = useState(defaultStart);
  const [endsAt, setEndsAt] = useState(defaultEnd);
  const [errors, setErrors] = useState<Partial<Record<Field | "form", string>>>({});
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const sku = options.find((o) => o.skuId === skuId);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setSaved(false);
    const problems: Partial<Record<Field, string>> = {};
    const fen = Math.round(Number(price) * 100);
    if (!skuId) problems.skuId = "请选择商品规格";
    if (!price.trim() || !Number.isFinite(fen) || fen <= 0) problems.flashPrice = "请输入秒杀价";
    if (!/^\d+$/.test(stock.trim())) problems.totalStock = "请输入秒杀库存件数";
    if (!/^\d+$/.test(limit.trim())) problems.perUserLimit = "请输入每人限购件数";
    const start = fromShanghaiInput(startsAt);
    const end = fromShanghaiInput(endsAt);
    if (!start) problems.startsAt = "请选择开始时间";
    if (!end) problems.endsAt = "请选择结束时间";
    if (Object.keys(problems).length) return setErrors(problems);
    setBusy(true);
    setErrors({});
    const result = await mutate<{ flashSale: { id: string }; errors: [] }>(
      CREATE,
      { input: { skuId, flashPrice: fen, totalStock: Number(stock.trim()), perUserLimit: Number(limit.trim()), startsAt: start, endsAt: end } },
      "createFlashSale",
    );
    setBusy(false);
    if (!result.ok) {
      const field = FIELDS.find((f) => f === result.field) ?? "form";
      return setErrors({ [field]: result.message });
    }
    setSaved(true);
    setPrice("");
    router.refresh();
  }

  const fieldError = (f: Field) => errors[f] && <small className="field-error" role="alert">{errors[f]}</small>;

  if (!options.length) return <p className="muted">店铺还没有在售商品，先去选品上架吧</p>;
  return (
    <form onSubmit={submit} noValidate>
      <label className="field">
        <span>商品规格</span>
        <select className="select" value={skuId} onChange={(e) => setSkuId(e.target.value)}>
          <option value="">请选择</option>
          {options.map((o) => (
            <option key={o.skuId} value={o.skuId} disabled={!usable(o)}>
              {o.title} · {o.label}（售价 ¥{yuan(o.retailPrice)}，库存 {o.stock}）
            </option>
          ))}
        </select>
        {sku && (
          <small className="muted field-hint" data-testid="sku-hint">
            店铺售价 ¥{yuan(sku.retailPrice)}，秒杀价需不低于 ¥{yuan(sku.minRetailPrice)} 且低于售价；可用库存 {sku.stock} 件
          </small>
        )}
        {fieldError("skuId")}
      </label>
      <div className="form-grid">
        <label className="field">
          <span>秒杀价（元）</span>
          <input className="input" inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} placeholder={sku ? yuan(sku.minRetailPrice) : ""} />
          {fieldError("flashPrice")}
        </label>
        <label className="field">
          <span>秒杀库存（件）</span>
          <input className="input" type="number" min={1} value={stock} onChange={(e) => setStock(e.target.value)} />
          {fieldError("totalStock")}
        </label>
        <label className="field">
          <span>每人限购（件）</span>
          <input className="input" type="number" min={1} max={99} value={limit} onChange={(e) => setLimit(e.target.value)} />
          {fieldError("perUserLimit")}
        </label>
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
      <p className="muted">秒杀库存从该规格库存中预留，活动结束或取消后未售出的部分自动退回；买家需在 5 分钟内付款。</p>
      {errors.form && <p className="error" role="alert">{errors.form}</p>}
      {saved && <p className="success" role="status">秒杀活动已创建</p>}
      <button className="btn btn-primary" disabled={busy}>{busy ? "创建中…" : "创建秒杀"}</button>
    </form>
  );
}
