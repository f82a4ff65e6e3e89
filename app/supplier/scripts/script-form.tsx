"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { gqlFetch, mutate } from "@/components/client/gql";
import { AdLawMarks } from "@/components/ad-law-marks";

const SAVE = `mutation($input: LiveScriptInput!, $id: ID) { saveLiveScript(input: $input, scriptId: $id) { script { id adHits { term field start end } } errors { code message field } } }`;
const CHECK = `query($t: String!) { checkAdCopy(text: $t) { hits { term start end } } }`;

type Hit = { term: string; start: number; end: number };
export type MaterialDraft = { label: string; fileKey: string; kind: string; url: string };
export type ScriptDraft = { id: string; productId: string; title: string; sellingPoints: string[]; body: string; materials: MaterialDraft[] };

const KIND: Record<string, string> = { "application/pdf": "PDF", "video/mp4": "VIDEO" };
const MAX_MATERIALS = 20;

/**
 * Write (or, given `editing`, rewrite) a standard live script for one of my products, with its
 * material pack: images, PDF documents and short MP4 clips uploaded here (each checked by the
 * server by its bytes and size). “检查广告法用语” marks the absolute terms (最, 第一, 国家级…) in place
 * before saving; saving marks them too (they are warnings, not a block).
 */
export function ScriptForm({ products, editing = null }: { products: { id: string; title: string }[]; editing?: ScriptDraft | null }) {
  const router = useRouter();
  const [productId, setProductId] = useState(editing?.productId ?? products[0]?.id ?? "");
  const [title, setTitle] = useState(editing?.title ?? "");
  const [points, setPoints] = useState(editing?.sellingPoints.join("\n") ?? "");
  const [body, setBody] = useState(editing?.body ?? "");
  const [materials, setMaterials] = useState<MaterialDraft[]>(editing?.materials ?? []);
  const [uploading, setUploading] = useState(false);
  const [marks, setMarks] = useState<{ title: Hit[]; points: Hit[]; body: Hit[] } | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const pointsText = points.split("\n").map((p) => p.trim()).filter(Boolean).join("\n");

  async function check() {
    const run = async (t: string) => (t ? ((await gqlFetch<{ checkAdCopy: { hits: Hit[] } }>(CHECK, { t })).data?.checkAdCopy.hits ?? []) : []);
    const [t, p, b] = await Promise.all([run(title), run(pointsText), run(body)]);
    setMarks({ title: t, points: p, body: b });
  }

  async function upload(list: FileList | null) {
    const picked = Array.from(list ?? []);
    if (!picked.length) return;
    setMessage(null);
    setUploading(true);
    for (const file of picked.slice(0, MAX_MATERIALS - materials.length)) {
      const form = new FormData();
      form.set("file", file);
      const res = await fetch("/api/uploads/materials", { method: "POST", body: form });
      const json = await res.json().catch(() => ({}));
      if (!res.ok) {
        setMessage({ ok: false, text: `${file.name}：${json.error?.message ?? "上传失败"}` });
        break;
      }
      const label = file.name.replace(/\.[^.]+$/, "").slice(0, 40) || "素材";
      setMaterials((m) => [...m, { label, fileKey: json.key, url: json.url, kind: KIND[json.contentType] ?? "IMAGE" }]);
    }
    setUploading(false);
  }

  async function save() {
    const input = { productId, title, sellingPoints: points.split("\n").map((p) => p.trim()).filter(Boolean), body, materials: materials.map((m) => ({ label: m.label, fileKey: m.fileKey })) };
    const r = await mutate<{ script: { id: string; adHits: Hit[] }; errors: [] }>(SAVE, { input, id: editing?.id ?? null }, "saveLiveScript");
    if (!r.ok) return setMessage({ ok: false, text: r.message });
    const n = r.payload.script.adHits.length;
    setMessage({ ok: true, text: n ? `已保存；发现 ${n} 处广告法禁用语，建议修改` : "已保存，未发现广告法禁用语" });
    await check();
    if (!editing) setMaterials([]);
    router.refresh();
  }

  return (
    <section className="card" style={{ maxWidth: 720, marginBottom: 16 }} data-testid="script-form">
      <h3>{editing ? `修改讲解话术：${editing.title}` : "编写讲解话术"}</h3>
      <p className="muted">话术、卖点与素材包会展示给上架该商品的店主（直播控制台）和参加培训直播的店主。保存时会检查《广告法》绝对化用语（最、第一、国家级、最低价…）并标出位置。</p>
      <label className="field"><span>商品</span>
        <select className="input" value={productId} onChange={(e) => setProductId(e.target.value)} data-testid="script-product">
          {products.map((p) => <option key={p.id} value={p.id}>{p.title}</option>)}
        </select>
      </label>
      <label className="field"><span>标题</span><input className="input" value={title} onChange={(e) => setTitle(e.target.value)} maxLength={40} data-testid="script-title" /></label>
      <label className="field"><span>卖点（每行一条，最多 10 条）</span><textarea className="input" rows={4} value={points} onChange={(e) => setPoints(e.target.value)} data-testid="script-points" /></label>
      <label className="field"><span>讲解话术</span><textarea className="input" rows={8} value={body} onChange={(e) => setBody(e.target.value)} data-testid="script-body" /></label>
      <div className="field">
        <span>素材包（图片 ≤5MB、PDF ≤20MB、MP4 视频 ≤30MB，最多 {MAX_MATERIALS} 个）</span>
        <input type="file" multiple accept="image/png,image/jpeg,image/webp,application/pdf,video/mp4" onChange={(e) => { void upload(e.target.files); e.target.value = ""; }} disabled={uploading || materials.length >= MAX_MATERIALS} data-testid="material-input" />
        {uploading && <small className="muted">上传中…</small>}
        {materials.map((m, i) => (
          <div className="row" key={m.fileKey} style={{ marginTop: 6 }} data-testid="material-draft">
            <span className="tag tag-gray">{m.kind === "PDF" ? "PDF" : m.kind === "VIDEO" ? "视频" : "图片"}</span>
            <input className="input grow" value={m.label} maxLength={40} aria-label={`素材 ${i + 1} 名称`} onChange={(e) => setMaterials((list) => list.map((x, j) => (j === i ? { ...x, label: e.target.value } : x)))} />
            <a className="btn btn-sm" href={m.url} target="_blank" rel="noreferrer">查看</a>
            <button type="button" className="btn btn-sm" onClick={() => setMaterials((list) => list.filter((_, j) => j !== i))}>移除</button>
          </div>
        ))}
      </div>
      {marks && (
        <div className="card" data-testid="ad-law-preview">
          {marks.title.length + marks.points.length + marks.body.length === 0 ? (
            <p className="success">未发现广告法禁用语</p>
          ) : (
            <>
              <p className="error">标黄处为广告法禁用语，建议修改：</p>
              <p><AdLawMarks text={title} hits={marks.title} /></p>
              <p style={{ whiteSpace: "pre-wrap" }}><AdLawMarks text={pointsText} hits={marks.points} /></p>
              <p style={{ whiteSpace: "pre-wrap" }}><AdLawMarks text={body} hits={marks.body} /></p>
            </>
          )}
        </div>
      )}
      {message && <p className={message.ok ? "success" : "error"} role={message.ok ? "status" : "alert"}>{message.text}</p>}
      <div className="row">
        <button className="btn" type="button" onClick={check}>检查广告法用语</button>
        <button className="btn btn-primary" type="button" onClick={save} disabled={!productId || uploading}>保存话术</button>
      </div>
    </section>
  );
}
