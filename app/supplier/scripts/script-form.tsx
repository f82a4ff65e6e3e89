"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { gqlFetch, mutate } from "@/components/client/gql";
import { AdLawMarks } from "@/components/ad-law-marks";

const SAVE = `mutation($input: LiveScriptInput!, $id: ID) { saveLiveScript(input: $input, scriptId: $id) { script { id adHits { term field start end } } errors { code message field } } }`;
const CHECK = `query($t: String!) { checkAdCopy(text: $t) { hits { term start end } } }`;

type Hit = { term: string; start: number; end: number };

/**
 * Write a standard live script for one of my products. “检查广告法用语” marks the absolute terms
 * (最, 第一, 国家级…) in place before saving; saving marks them too (they are warnings, not a block).
 */
export function ScriptForm({ products }: { products: { id: string; title: string }[] }) {
  const router = useRouter();
  const [productId, setProductId] = useState(products[0]?.id ?? "");
  const [title, setTitle] = useState("");
  const [points, setPoints] = useState("");
  const [body, setBody] = useState("");
  const [marks, setMarks] = useState<{ title: Hit[]; points: Hit[]; body: Hit[] } | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const pointsText = points.split("\n").map((p) => p.trim()).filter(Boolean).join("\n");

  async function check() {
    const run = async (t: string) => (t ? ((await gqlFetch<{ checkAdCopy: { hits: Hit[] } }>(CHECK, { t })).data?.checkAdCopy.hits ?? []) : []);
    const [t, p, b] = await Promise.all([run(title), run(pointsText), run(body)]);
    setMarks({ title: t, points: p, body: b });
  }

  async function save() {
    const input = { productId, title, sellingPoints: points.split("\n").map((p) => p.trim()).filter(Boolean), body, materials: [] };
    const r = await mutate<{ script: { id: string; adHits: Hit[] }; errors: [] }>(SAVE, { input, id: null }, "saveLiveScript");
    if (!r.ok) return setMessage({ ok: false, text: r.message });
    const n = r.payload.script.adHits.length;
    setMessage({ ok: true, text: n ? `已保存；发现 ${n} 处广告法禁用语，建议修改` : "已保存，未发现广告法禁用语" });
    await check();
    router.refresh();
  }

  return (
    <section className="card" style={{ maxWidth: 720, marginBottom: 16 }}>
      <h3>编写讲解话术</h3>
      <p className="muted">话术与卖点会展示给上架该商品的店主，在直播控制台中参考。保存时会检查《广告法》绝对化用语（最、第一、国家级、最低价…）并标出位置。</p>
      <label className="field"><span>商品</span>
        <select className="input" value={productId} onChange={(e) => setProductId(e.target.value)} data-testid="script-product">
          {products.map((p) => <option key={p.id} value={p.id}>{p.title}</option>)}
        </select>
      </label>
      <label className="field"><span>标题</span><input className="input" value={title} onChange={(e) => setTitle(e.target.value)} maxLength={40} data-testid="script-title" /></label>
      <label className="field"><span>卖点（每行一条，最多 10 条）</span><textarea className="input" rows={4} value={points} onChange={(e) => setPoints(e.target.value)} data-testid="script-points" /></label>
      <label className="field"><span>讲解话术</span><textarea className="input" rows={8} value={body} onChange={(e) => setBody(e.target.value)} data-testid="script-body" /></label>
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
        <button className="btn btn-primary" type="button" onClick={save} disabled={!productId}>保存话术</button>
      </div>
    </section>
  );
}
