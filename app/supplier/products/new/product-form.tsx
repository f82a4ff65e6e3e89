"use client";

import { useMemo, useState } from "react";
import { useRouter } from "next/navigation";
import { mutate } from "@/components/client/gql";

const CREATE = `mutation($input: CreateProductInput!) { createProduct(input: $input) { product { id } errors { code message field } } }`;
export const CATEGORIES = ["生鲜水果", "茶叶冲饮", "滋补养生", "休闲零食", "粮油米面", "南北干货", "女装", "男装", "童装", "家纺", "家居服", "配饰", "箱包", "鞋靴"];

type Axis = { name: string; values: string };
type SkuRow = { supply: string; suggested: string; stock: string };

function combos(axes: { name: string; values: string[] }[]) {
  let out: { axis: string; value: string }[][] = [[]];
  for (const a of axes) out = out.flatMap((c) => a.values.map((value) => [...c, { axis: a.name, value }]));
  return out;
}

const splitValues = (s: string) => s.split(/[,，、\s]+/).map((v) => v.trim()).filter(Boolean);
const fen = (yuan: string) => Math.round(Number(yuan) * 100);

/** Product with up to three spec axes; one SKU row per combination of values. */
export function ProductForm() {
  const router = useRouter();
  const [title, setTitle] = useState("");
  const [category, setCategory] = useState(CATEGORIES[0]);
  const [description, setDescription] = useState("");
  const [images, setImages] = useState<{ key: string; url: string }[]>([]);
  const [axes, setAxes] = useState<Axis[]>([{ name: "规格", values: "" }]);
  const [rows, setRows] = useState<Record<string, SkuRow>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const cleanAxes = useMemo(() => axes.map((a) => ({ name: a.name.trim(), values: splitValues(a.values) })).filter((a) => a.name && a.values.length), [axes]);
  const skus = useMemo(() => combos(cleanAxes), [cleanAxes]);
  const rowKey = (specs: { value: string }[]) => specs.map((s) => s.value).join(" / ") || "默认";
  const row = (k: string): SkuRow => rows[k] ?? { supply: "", suggested: "", stock: "" };

  async function upload(files: FileList | null) {
    setError(null);
    for (const file of Array.from(files ?? [])) {
      const body = new FormData();
      body.set("file", file);
      const res = await fetch("/api/uploads", { method: "POST", body });
      const json = await res.json();
      if (!res.ok) return setError(json.error?.message ?? "上传失败");
      setImages((list) => [...list, json]);
    }
  }

  function fillAll(field: keyof SkuRow, value: string) {
    setRows((r) => Object.fromEntries(skus.map((s) => [rowKey(s), { ...row(rowKey(s)), ...r[rowKey(s)], [field]: value }])));
  }

  async function submit() {
    setBusy(true);
    setError(null);
    const input = {
      title,
      category,
      description,
      imageKeys: images.map((i) => i.key),
      specAxes: cleanAxes,
      skus: skus.map((specs) => {
        const r = row(rowKey(specs));
        return { specs, supplyPrice: fen(r.supply), suggestedPrice: fen(r.suggested), stock: Number(r.stock) };
      }),
    };
    const result = await mutate<{ product: { id: string }; errors: [] }>(CREATE, { input }, "createProduct");
    setBusy(false);
    if (!result.ok) return setError(result.message);
    router.push("/supplier/products?created=1");
  }

  return (
    <div>
      <section className="card">
        <label className="field"><span>商品名称</span><input className="input" value={title} onChange={(e) => setTitle(e.target.value)} placeholder="2–60 个字" /></label>
        <label className="field"><span>类目</span>
          <select className="select" value={category} onChange={(e) => setCategory(e.target.value)}>{CATEGORIES.map((c) => <option key={c}>{c}</option>)}</select>
        </label>
        <label className="field"><span>商品描述</span><textarea className="textarea" rows={3} value={description} onChange={(e) => setDescription(e.target.value)} /></label>
        <label className="field"><span>商品图片（PNG/JPEG/WebP，≤5MB，首张为主图）</span>
          <input type="file" accept="image/png,image/jpeg,image/webp" multiple onChange={(e) => upload(e.target.files)} data-testid="image-input" />
        </label>
        <div className="row" style={{ flexWrap: "wrap" }}>
          {/* eslint-disable-next-line @next/next/no-img-element */}
          {images.map((i) => <img key={i.key} src={i.url} alt="" style={{ width: 72, height: 72, borderRadius: 8, objectFit: "cover" }} />)}
        </div>
      </section>
      <section className="card">
        <h3>规格</h3>
        {axes.map((a, i) => (
          <div className="row" key={i} style={{ marginBottom: 8 }}>
            <input className="input" style={{ maxWidth: 140 }} aria-label={`规格名 ${i + 1}`} placeholder="如 颜色" value={a.name} onChange={(e) => setAxes((list) => list.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))} />
            <input className="input" aria-label={`规格值 ${i + 1}`} placeholder="取值，用逗号分隔，如 红色,白色" value={a.values} onChange={(e) => setAxes((list) => list.map((x, j) => (j === i ? { ...x, values: e.target.value } : x)))} />
            {axes.length > 1 && <button className="btn btn-sm" onClick={() => setAxes((list) => list.filter((_, j) => j !== i))}>删除</button>}
          </div>
        ))}
        {axes.length < 3 && <button className="btn btn-sm" onClick={() => setAxes((list) => [...list, { name: "", values: "" }])}>+ 添加规格</button>}
      </section>
      <section className="card">
        <h3>SKU（{skus.length}）</h3>
        <div className="row" style={{ marginBottom: 8 }}>
          <span className="muted">批量填写：</span>
          <input className="input" style={{ maxWidth: 120 }} placeholder="供货价" onBlur={(e) => e.target.value && fillAll("supply", e.target.value)} aria-label="批量供货价" />
          <input className="input" style={{ maxWidth: 120 }} placeholder="建议零售价" onBlur={(e) => e.target.value && fillAll("suggested", e.target.value)} aria-label="批量建议零售价" />
          <input className="input" style={{ maxWidth: 120 }} placeholder="库存" onBlur={(e) => e.target.value && fillAll("stock", e.target.value)} aria-label="批量库存" />
        </div>
        <table className="table">
          <thead><tr><th>SKU</th><th>供货价（元）</th><th>建议零售价（元）</th><th>库存</th></tr></thead>
          <tbody>
            {skus.map((specs) => {
              const k = rowKey(specs);
              const set = (field: keyof SkuRow) => (e: React.ChangeEvent<HTMLInputElement>) => setRows((r) => ({ ...r, [k]: { ...row(k), [field]: e.target.value } }));
              return (
                <tr key={k}>
                  <td>{k}</td>
                  <td><input className="input" aria-label={`${k} 供货价`} value={row(k).supply} onChange={set("supply")} /></td>
                  <td><input className="input" aria-label={`${k} 建议零售价`} value={row(k).suggested} onChange={set("suggested")} /></td>
                  <td><input className="input" aria-label={`${k} 库存`} value={row(k).stock} onChange={set("stock")} /></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
      {error && <p className="error" role="alert">{error}</p>}
      <button className="btn btn-primary" onClick={submit} disabled={busy}>{busy ? "发布中…" : "发布商品"}</button>
    </div>
  );
}
