"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { mutate, newIdempotencyKey } from "@/components/client/gql";
import { fromShanghaiInput, toShanghaiInput } from "@/components/format";

export type Settings = { enabled: boolean; earnPerYuan: number; spendPoints: number; spendFen: number; maxDeductBp: number; expiryDays: number };
export type CouponOption = { id: string; title: string; face: string; claimStartsAt: string; claimEndsAt: string; remaining: number };
type Message = { ok: boolean; text: string } | null;

const UPDATE = `mutation($input: PointsSettingsInput!) { updatePointsSettings(input: $input) { settings { enabled } errors { code message field } } }`;
const CREATE = `mutation($input: CreatePointsMallItemInput!) { createPointsMallItem(input: $input) { item { id } errors { code message field } } }`;
const DISABLE = `mutation($id: ID!) { disablePointsMallItem(itemId: $id) { item { id } errors { code message field } } }`;
const ADJUST = `mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) { balance errors { code message field } } }`;

const Note = ({ m }: { m: Message }) => (m ? <p className={m.ok ? "success" : "error"} role={m.ok ? undefined : "alert"}>{m.text}</p> : null);

/** Earn rate, spend rate, cap per order and expiry; saved with an audit-log entry. */
export function PointsSettingsForm({ initial }: { initial: Settings }) {
  const [s, setS] = useState({ ...initial, capPercent: String(initial.maxDeductBp / 100) });
  const [message, setMessage] = useState<Message>(null);
  const num = (k: keyof Settings) => ({ value: String(s[k]), onChange: (e: React.ChangeEvent<HTMLInputElement>) => setS({ ...s, [k]: Number(e.target.value) }) });
  async function save() {
    const { capPercent, ...rest } = s;
    const result = await mutate(UPDATE, { input: { ...rest, maxDeductBp: Math.round(Number(capPercent) * 100) } }, "updatePointsSettings");
    setMessage(result.ok ? { ok: true, text: "已保存（已记入审计日志）" } : { ok: false, text: result.message });
  }
  return (
    <div>
      <label className="row"><input type="checkbox" checked={s.enabled} onChange={(e) => setS({ ...s, enabled: e.target.checked })} /> 启用积分（获取与下单抵扣）</label>
      <div className="form-grid">
        <label className="field"><span>每消费 ¥1 获得积分</span><input className="input" inputMode="numeric" {...num("earnPerYuan")} /></label>
        <label className="field"><span>抵扣：积分数</span><input className="input" inputMode="numeric" {...num("spendPoints")} /></label>
        <label className="field"><span>抵扣：抵扣金额（分）</span><input className="input" inputMode="numeric" {...num("spendFen")} /></label>
        <label className="field"><span>每单最多抵扣（商品券后金额的 %）</span><input className="input" value={s.capPercent} onChange={(e) => setS({ ...s, capPercent: e.target.value })} /></label>
        <label className="field"><span>有效期（天）</span><input className="input" inputMode="numeric" {...num("expiryDays")} /></label>
      </div>
      <p className="muted">当前：{s.spendPoints} 积分抵 ¥{(s.spendFen / 100).toFixed(2)}；订单完成且过了售后期后按实付现金发放，退款按比例扣回。</p>
      <Note m={message} />
      <button className="btn btn-primary" onClick={save}>保存</button>
    </div>
  );
}

/** Put a platform coupon or a store's SKU in the points mall. */
export function MallItemForm({ now, coupons }: { now: string; coupons: CouponOption[] }) {
  const router = useRouter();
  const [kind, setKind] = useState<"COUPON" | "PRODUCT">("COUPON");
  const [message, setMessage] = useState<Message>(null);
  async function create(form: FormData) {
    const get = (k: string) => String(form.get(k) ?? "").trim();
    const input = {
      kind,
      title: get("title"),
      pointsPrice: Number(get("pointsPrice")),
      totalQuantity: Number(get("totalQuantity")),
      perUserLimit: Number(get("perUserLimit")),
      startsAt: fromShanghaiInput(get("startsAt")),
      endsAt: fromShanghaiInput(get("endsAt")),
      couponId: kind === "COUPON" ? get("couponId") || null : null,
      storeSlug: kind === "PRODUCT" ? get("storeSlug") || null : null,
      skuId: kind === "PRODUCT" ? get("skuId") || null : null,
    };
    if (!input.startsAt || !input.endsAt) return setMessage({ ok: false, text: "请填写兑换时间" });
    const result = await mutate(CREATE, { input }, "createPointsMallItem");
    if (!result.ok) return setMessage({ ok: false, text: result.message });
    setMessage({ ok: true, text: "已上架（已记入审计日志）" });
    router.refresh();
  }
  const start = toShanghaiInput(now);
  const end = toShanghaiInput(new Date(new Date(now).getTime() + 7 * 86_400_000));
  return (
    <form action={create}>
      <div className="row" style={{ gap: 16 }}>
        <label className="row"><input type="radio" checked={kind === "COUPON"} onChange={() => setKind("COUPON")} /> 平台券</label>
        <label className="row"><input type="radio" checked={kind === "PRODUCT"} onChange={() => setKind("PRODUCT")} /> 实物商品（供应商发货，包邮）</label>
      </div>
      <div className="form-grid">
        <label className="field"><span>名称</span><input className="input" name="title" required /></label>
        <label className="field"><span>所需积分</span><input className="input" name="pointsPrice" inputMode="numeric" required /></label>
        <label className="field"><span>总量</span><input className="input" name="totalQuantity" inputMode="numeric" required /></label>
        <label className="field"><span>每人限兑</span><input className="input" name="perUserLimit" inputMode="numeric" defaultValue="1" required /></label>
        <label className="field"><span>开始</span><input className="input" type="datetime-local" name="startsAt" defaultValue={start} required /></label>
        <label className="field"><span>结束</span><input className="input" type="datetime-local" name="endsAt" defaultValue={end} required /></label>
        {kind === "COUPON" ? (
          <label className="field">
            <span>平台券（领取时间需覆盖兑换时间）</span>
            <select className="input" name="couponId" required>
              <option value="">请选择</option>
              {coupons.map((c) => <option key={c.id} value={c.id}>{c.title} {c.face}（剩 {c.remaining}）</option>)}
            </select>
          </label>
        ) : (
          <>
            <label className="field"><span>店铺链接名（如 xiaomei）</span><input className="input" name="storeSlug" required /></label>
            <label className="field"><span>商品规格 SKU ID</span><input className="input" name="skuId" required /></label>
          </>
        )}
      </div>
      <Note m={message} />
      <button className="btn btn-primary">上架到积分商城</button>
    </form>
  );
}

export function DisableMallItemButton({ itemId }: { itemId: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  async function disable() {
    const result = await mutate(DISABLE, { id: itemId }, "disablePointsMallItem");
    if (!result.ok) return setError(result.message);
    router.refresh();
  }
  return (
    <>
      <button className="btn btn-sm" onClick={disable}>停用</button>
      {error && <span className="error">{error}</span>}
    </>
  );
}

/** Grant or take a person's points by phone, with a reason (audit-logged). */
export function AdjustPointsForm() {
  const [message, setMessage] = useState<Message>(null);
  const [requestId, setRequestId] = useState(newIdempotencyKey);
  async function adjust(form: FormData) {
    const get = (k: string) => String(form.get(k) ?? "").trim();
    const result = await mutate<{ balance: number; errors: [] }>(ADJUST, { input: { phone: get("phone"), amount: Number(get("amount")), reason: get("reason"), requestId } }, "adjustPoints");
    if (!result.ok) return setMessage({ ok: false, text: result.message });
    setRequestId(newIdempotencyKey());
    setMessage({ ok: true, text: `已调整，当前余额 ${result.payload.balance}（已记入审计日志）` });
  }
  return (
    <form action={adjust}>
      <div className="form-grid">
        <label className="field"><span>手机号</span><input className="input" name="phone" inputMode="numeric" required /></label>
        <label className="field"><span>数量（负数为扣减）</span><input className="input" name="amount" inputMode="numeric" required /></label>
        <label className="field"><span>原因</span><input className="input" name="reason" required /></label>
      </div>
      <Note m={message} />
      <button className="btn">调整积分</button>
    </form>
  );
}
