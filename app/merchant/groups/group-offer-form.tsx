"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { mutate } from "@/components/client/gql";
import { fromShanghaiInput, yuan } from "@/components/format";

export type GroupSkuOption = { skuId: string; title: string; label: string; retailPrice: number; minRetailPrice: number; stock: number };

const CREATE = `mutation($input: CreateGroupBuyOfferInput!) { createGroupBuyOffer(input: $input) { offer { id } errors { code message field } } }`;

type Field = "skuId" | "groupPrice" | "groupSize" | "timeLimitMinutes" | "startsAt" | "endsAt";
const FIELDS: Field[] = ["skuId", "groupPrice", "groupSize", "timeLimitMinutes", "startsAt", "endsAt"];

/** A SKU can be offered for groups only when there is room between its floor and its price. */
const usable = (o: GroupSkuOption) => o.minRetailPrice < o.retailPrice;

/**
 * New group buy: one of my listed SKUs, a group price in yuan (sent in fen), the group size, the
 * minutes a group has to fill, and the window in Asia/Shanghai time. The server decides; its error
 * is shown beside the field it names.
 */
export function GroupOfferForm({ options, defaultStart, defaultEnd }: { options: GroupSkuOption[]; defaultStart: string; defaultEnd: string }) {
  const router = useRouter();
  const [skuId, setSkuId] = useState(() => options.find(usable)?.skuId ?? "");
  const [price, setPrice] = useState("");
  const [size, setSize] = useState("2");
  const [minutes, setMinutes] = useState("1440");
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
    if (!price.trim() || !Number.isFinite(fen) || fen <= 0) problems.groupPrice = "请输入拼团价";
    if (!/^\d+$/.test(size.trim())) problems.groupSize = "请输入成团人数";
    if (!/^\d+$/.test(minutes.trim())) problems.timeLimitMinutes = "请输入成团时限（分钟）";
    const start = fromShanghaiInput(startsAt);
    const end = fromShanghaiInput(endsAt);
    if (!start) problems.startsAt = "请选择开始时间";
    if (!end) problems.endsAt = "请选择结束时间";
    if (Object.keys(problems).length) return setErrors(problems);
    setBusy(true);
    setErrors({});
    const result = await mutate<{ offer: { id: string }; errors: [] }>(
      CREATE,
      { input: { skuId, groupPrice: fen, groupSize: Number(size.trim()), timeLimitMinutes: Number(minutes.trim()), startsAt: start, endsAt: end } },
      "createGroupBuyOffer",
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
            店铺售价 ¥{yuan(sku.retailPrice)}，拼团价需不低于 ¥{yuan(sku.minRetailPrice)} 且低于售价
          </small>
        )}
        {fieldError("skuId")}
      </label>
      <div className="form-grid">
        <label className="field">
          <span>拼团价（元）</span>
          <input className="input" inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} placeholder={sku ? yuan(sku.minRetailPrice) : ""} />
          {fieldError("groupPrice")}
        </label>
        <label className="field">
          <span>成团人数</span>
          <input className="input" type="number" min={2} max={20} value={size} onChange={(e) => setSize(e.target.value)} />
          {fieldError("groupSize")}
        </label>
        <label className="field">
          <span>成团时限（分钟）</span>
          <input className="input" type="number" min={5} max={4320} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
          {fieldError("timeLimitMinutes")}
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
      <p className="muted">买家付款开团、分享好友参团，凑齐人数即成团发货；到时未成团的订单自动全额退款（含运费）。活动期内开的团均有完整的成团时限。</p>
      {errors.form && <p className="error" role="alert">{errors.form}</p>}
      {saved && <p className="success" role="status">拼团活动已创建</p>}
      <button className="btn btn-primary" disabled={busy}>{busy ? "创建中…" : "创建拼团"}</button>
    </form>
  );
}
