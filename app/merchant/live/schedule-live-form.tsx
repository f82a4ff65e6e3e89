"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { mutate } from "@/components/client/gql";
import { fromShanghaiInput, yuan } from "@/components/format";

export type LiveListingOption = { id: string; title: string; skus: { skuId: string; label: string; retailPrice: number; minRetailPrice: number }[] };

const SCHEDULE = `mutation($input: ScheduleLiveInput!) { scheduleLive(input: $input) { live { id } errors { code message field } } }`;

type Price = { price: string; limit: string };

/**
 * 创建直播: a title, a start time (Asia/Shanghai), the shelf picked from my on-shelf listings and,
 * per SKU, an optional live-only price (between the floor and the store price) and per-person
 * limit. The server checks everything and names the field at fault.
 */
export function ScheduleLiveForm({ listings, defaultStart }: { listings: LiveListingOption[]; defaultStart: string }) {
  const router = useRouter();
  const [title, setTitle] = useState("");
  const [scheduledAt, setScheduledAt] = useState(defaultStart);
  const [picked, setPicked] = useState<string[]>([]);
  const [prices, setPrices] = useState<Record<string, Price>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));
  const setPrice = (skuId: string, patch: Partial<Price>) => setPrices((p) => ({ ...p, [skuId]: { ...(p[skuId] ?? { price: "", limit: "" }), ...patch } }));

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setSaved(false);
    const at = fromShanghaiInput(scheduledAt);
    if (!title.trim()) return setError("请输入直播标题");
    if (!at) return setError("请选择开播时间");
    const skusOnShelf = new Set(listings.filter((l) => picked.includes(l.id)).flatMap((l) => l.skus.map((s) => s.skuId)));
    const livePrices = [];
    for (const [skuId, p] of Object.entries(prices)) {
      if (!skusOnShelf.has(skuId) || !p.price.trim()) continue;
      const fen = Math.round(Number(p.price) * 100);
      if (!Number.isFinite(fen) || fen <= 0) return setError("直播价格式不正确");
      const limit = p.limit.trim() ? Number(p.limit) : null;
      if (limit !== null && !(Number.isInteger(limit) && limit > 0)) return setError("每人限购需为正整数");
      livePrices.push({ skuId, livePrice: fen, perUserLimit: limit });
    }
    setBusy(true);
    setError(null);
    const result = await mutate<{ live: { id: string }; errors: [] }>(SCHEDULE, { input: { title, scheduledAt: at, listingIds: picked, prices: livePrices } }, "scheduleLive");
    setBusy(false);
    if (!result.ok) return setError(result.message);
    setSaved(true);
    setTitle("");
    setPicked([]);
    setPrices({});
    router.refresh();
  }

  return (
    <form onSubmit={submit} noValidate data-testid="schedule-live-form">
      <div className="form-grid">
        <label className="field"><span>直播标题</span><input className="input" value={title} maxLength={40} onChange={(e) => setTitle(e.target.value)} placeholder="如：秋冬上新专场" /></label>
        <label className="field"><span>开播时间（北京时间）</span><input className="input" type="datetime-local" value={scheduledAt} onChange={(e) => setScheduledAt(e.target.value)} /></label>
      </div>
      <div className="field">
        <span className="muted">直播商品（从店铺在售商品中选择，已选 {picked.length} 件）</span>
        {listings.length === 0 && <p className="muted">店铺还没有在售商品，先去选品上架吧</p>}
        <table className="table">
          <tbody>
            {listings.map((l) => (
              <tr key={l.id}>
                <td style={{ width: 32 }}><input type="checkbox" aria-label={`选择 ${l.title}`} checked={picked.includes(l.id)} onChange={() => toggle(l.id)} /></td>
                <td>
                  <div>{l.title}</div>
                  {picked.includes(l.id) && (
                    <div style={{ marginTop: 6 }}>
                      {l.skus.map((s) => (
                        <div key={s.skuId} className="row" style={{ marginBottom: 4 }}>
                          <span className="muted" style={{ minWidth: 160 }}>{s.label} · 售价 ¥{yuan(s.retailPrice)}</span>
                          <input className="input" style={{ maxWidth: 120 }} inputMode="decimal" placeholder={`直播价 ≥${yuan(s.minRetailPrice)}`} aria-label={`${l.title} ${s.label} 直播价`} value={prices[s.skuId]?.price ?? ""} onChange={(e) => setPrice(s.skuId, { price: e.target.value })} disabled={s.minRetailPrice >= s.retailPrice} />
                          <input className="input" style={{ maxWidth: 110 }} type="number" min={1} placeholder="每人限购" aria-label={`${l.title} ${s.label} 每人限购`} value={prices[s.skuId]?.limit ?? ""} onChange={(e) => setPrice(s.skuId, { limit: e.target.value })} />
                        </div>
                      ))}
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted">直播价只对直播进行中、从直播间下的单有效，需低于店铺售价且不低于底价（供货价 + 分享佣金上限 + 平台服务费）。</p>
      {error && <p className="error" role="alert">{error}</p>}
      {saved && <p className="success" role="status">直播已创建</p>}
      <button className="btn btn-primary" disabled={busy}>{busy ? "创建中…" : "创建直播"}</button>
    </form>
  );
}
