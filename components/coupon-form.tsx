"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { mutate } from "@/components/client/gql";
import { fromShanghaiInput, toShanghaiInput } from "@/components/format";

const CREATE = {
  STORE: `mutation($input: CreateCouponInput!) { createCoupon(input: $input) { coupon { id } errors { code message field } } }`,
  PLATFORM: `mutation($input: CreateCouponInput!) { createPlatformCoupon(input: $input) { coupon { id } errors { code message field } } }`,
};
const COPY = {
  STORE: {
    heading: "发放店铺券",
    note: "店铺券由本店承担；下单时每单限用一张店铺券，且不会使商品低于最低售价（供货价 + 分享佣金上限 + 平台服务费）。秒杀、拼团价商品不可用券。",
    welcome: "作为邀请有礼券：经邀请进入本店并注册的新用户自动获得",
  },
  PLATFORM: {
    heading: "发放平台券",
    note: "平台券由平台承担（计入平台营销费用，店主按原价结算）；全平台店铺通用或限指定商品，每单限用一张平台券，在店铺券之后抵扣。秒杀、拼团价商品不可用券。",
    welcome: "作为邀请有礼券：经任意邀请链接注册的新用户自动获得",
  },
};
const DAY = 86_400_000;
const fen = (v: FormDataEntryValue | null) => Math.round(Number(v || 0) * 100);

/**
 * Issue a coupon — a store coupon (merchant console) or a platform coupon (operator console):
 * 满减, 折扣 (with a cap) or 无门槛; claim window, use-by date, quantity, per-person limit.
 */
export function CouponForm({ now, issuer = "STORE" }: { now: string; issuer?: "STORE" | "PLATFORM" }) {
  const router = useRouter();
  const [kind, setKind] = useState("THRESHOLD");
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const start = new Date(now);
  async function submit(form: FormData) {
    const input = {
      title: String(form.get("title") ?? ""),
      kind,
      thresholdFen: fen(form.get("threshold")),
      amountFen: kind === "PERCENT" ? 0 : fen(form.get("amount")),
      percentBp: kind === "PERCENT" ? Math.round((10 - Number(form.get("zhe") || 10)) * 1000) : 0,
      capFen: kind === "PERCENT" && form.get("cap") ? fen(form.get("cap")) : null,
      totalQuantity: Number(form.get("total")),
      perUserLimit: Number(form.get("perUser")),
      claimStartsAt: fromShanghaiInput(String(form.get("claimStartsAt"))),
      claimEndsAt: fromShanghaiInput(String(form.get("claimEndsAt"))),
      usableUntil: fromShanghaiInput(String(form.get("usableUntil"))),
      welcome: form.get("welcome") === "on",
    };
    if (!input.claimStartsAt || !input.claimEndsAt || !input.usableUntil) return setMessage({ ok: false, text: "请填写完整的时间" });
    const r = await mutate(CREATE[issuer], { input }, issuer === "STORE" ? "createCoupon" : "createPlatformCoupon");
    setMessage(r.ok ? { ok: true, text: "已发放" } : { ok: false, text: r.message });
    if (r.ok) router.refresh();
  }
  return (
    <form className="card" action={submit} style={{ maxWidth: 640, marginBottom: 16 }}>
      <h3>{COPY[issuer].heading}</h3>
      <p className="muted">{COPY[issuer].note}</p>
      <label className="field"><span>券名称</span><input className="input" name="title" required maxLength={30} /></label>
      <label className="field"><span>类型</span>
        <select className="input" value={kind} onChange={(e) => setKind(e.target.value)} name="kind">
          <option value="THRESHOLD">满减券</option><option value="PERCENT">折扣券</option><option value="NO_THRESHOLD">无门槛券</option>
        </select>
      </label>
      {kind !== "NO_THRESHOLD" && <label className="field"><span>使用门槛（元{kind === "PERCENT" ? "，可不填" : ""}）</span><input className="input" name="threshold" inputMode="decimal" /></label>}
      {kind === "PERCENT" ? (
        <>
          <label className="field"><span>折扣（如 9 表示 9 折）</span><input className="input" name="zhe" inputMode="decimal" required /></label>
          <label className="field"><span>最高优惠（元，可不填）</span><input className="input" name="cap" inputMode="decimal" /></label>
        </>
      ) : (
        <label className="field"><span>减免金额（元）</span><input className="input" name="amount" inputMode="decimal" required /></label>
      )}
      <label className="field"><span>发放总量（张）</span><input className="input" name="total" inputMode="numeric" defaultValue={100} required /></label>
      <label className="field"><span>每人限领（张）</span><input className="input" name="perUser" inputMode="numeric" defaultValue={1} required /></label>
      <label className="field"><span>领取开始</span><input className="input" type="datetime-local" name="claimStartsAt" defaultValue={toShanghaiInput(start)} required /></label>
      <label className="field"><span>领取结束</span><input className="input" type="datetime-local" name="claimEndsAt" defaultValue={toShanghaiInput(new Date(start.getTime() + 7 * DAY))} required /></label>
      <label className="field"><span>使用截止</span><input className="input" type="datetime-local" name="usableUntil" defaultValue={toShanghaiInput(new Date(start.getTime() + 14 * DAY))} required /></label>
      <label className="row" style={{ marginBottom: 12 }}><input type="checkbox" name="welcome" /> <span>{COPY[issuer].welcome}</span></label>
      {message && <p className={message.ok ? "success" : "error"} role={message.ok ? "status" : "alert"}>{message.text}</p>}
      <button className="btn btn-primary">发放</button>
    </form>
  );
}
