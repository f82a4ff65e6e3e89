"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { mutate } from "@/components/client/gql";
import { fromShanghaiInput } from "@/components/format";

const SCHEDULE = `mutation($input: ScheduleTrainingLiveInput!) { scheduleTrainingLive(input: $input) { live { id } errors { code message field } } }`;

/**
 * 创建培训直播: a title, a start time (Asia/Shanghai), an optional cover image and the products to
 * train on, picked from my catalogue in display order. The server checks everything and names the
 * field at fault.
 */
export function ScheduleTrainingForm({ products, defaultStart }: { products: { id: string; title: string; image: string | null }[]; defaultStart: string }) {
  const router = useRouter();
  const [title, setTitle] = useState("");
  const [scheduledAt, setScheduledAt] = useState(defaultStart);
  const [picked, setPicked] = useState<string[]>([]);
  const [cover, setCover] = useState<{ key: string; url: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));

  async function upload(file: File | undefined) {
    if (!file) return;
    setError(null);
    const body = new FormData();
    body.set("file", file);
    const res = await fetch("/api/uploads", { method: "POST", body });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) return setError(json.error?.message ?? "上传失败");
    setCover(json);
  }

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setSaved(null);
    const at = fromShanghaiInput(scheduledAt);
    if (!title.trim()) return setError("请输入直播标题");
    if (!at) return setError("请选择开播时间");
    setBusy(true);
    setError(null);
    const r = await mutate<{ live: { id: string }; errors: [] }>(SCHEDULE, { input: { title, scheduledAt: at, productIds: picked, coverKey: cover?.key ?? null } }, "scheduleTrainingLive");
    setBusy(false);
    if (!r.ok) return setError(r.message);
    setSaved(r.payload.live.id);
    setTitle("");
    setPicked([]);
    setCover(null);
    router.refresh();
  }

  return (
    <form onSubmit={submit} noValidate data-testid="schedule-training-form">
      <div className="form-grid">
        <label className="field"><span>直播标题</span><input className="input" value={title} maxLength={40} onChange={(e) => setTitle(e.target.value)} placeholder="如：秋季新品卖点培训" /></label>
        <label className="field"><span>开播时间（北京时间）</span><input className="input" type="datetime-local" value={scheduledAt} onChange={(e) => setScheduledAt(e.target.value)} /></label>
      </div>
      <label className="field">
        <span>封面（PNG/JPEG/WebP，≤5MB，可选）</span>
        <input type="file" accept="image/png,image/jpeg,image/webp" onChange={(e) => upload(e.target.files?.[0])} data-testid="cover-input" />
      </label>
      {/* eslint-disable-next-line @next/next/no-img-element */}
      {cover && <img src={cover.url} alt="封面" style={{ width: 160, aspectRatio: "16 / 9", objectFit: "cover", borderRadius: 8 }} />}
      <div className="field">
        <span className="muted">培训商品（从我的商品中选择，按勾选顺序展示，已选 {picked.length} 件）</span>
        {products.length === 0 && <p className="muted">还没有商品，先去发布商品吧</p>}
        <table className="table">
          <tbody>
            {products.map((p) => (
              <tr key={p.id}>
                <td style={{ width: 32 }}><input type="checkbox" aria-label={`选择 ${p.title}`} checked={picked.includes(p.id)} onChange={() => toggle(p.id)} /></td>
                {/* eslint-disable-next-line @next/next/no-img-element */}
                <td style={{ width: 48 }}>{p.image && <img src={p.image} alt="" style={{ width: 36, height: 36, borderRadius: 4, objectFit: "cover" }} />}</td>
                <td>{p.title}{picked.includes(p.id) && <span className="muted"> · 第 {picked.indexOf(p.id) + 1} 个</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {saved && <p className="success" role="status">培训直播已创建，店主可在“培训直播”中看到</p>}
      <button className="btn btn-primary" disabled={busy}>{busy ? "创建中…" : "创建培训直播"}</button>
    </form>
  );
}
