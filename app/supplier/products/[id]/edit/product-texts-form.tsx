"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { mutate } from "@/components/client/gql";
import { CATEGORIES } from "../../new/product-form";

const UPDATE = `mutation($input: UpdateProductInput!) { updateProduct(input: $input) { product { id } errors { code message field } } }`;

/** The texts consumers read as advertising: saving refuses Advertising Law terms and names them under their field. */
export function ProductTextsForm({ product }: { product: { id: string; title: string; description: string; category: string } }) {
  const router = useRouter();
  const [title, setTitle] = useState(product.title);
  const [description, setDescription] = useState(product.description);
  const [category, setCategory] = useState(product.category);
  const [error, setError] = useState<{ message: string; field: string | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const options = CATEGORIES.includes(category) ? CATEGORIES : [category, ...CATEGORIES];

  async function save(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const r = await mutate(UPDATE, { input: { productId: product.id, title, description, category } }, "updateProduct");
    setBusy(false);
    if (!r.ok) return setError({ message: r.message, field: r.field ?? null });
    router.push("/supplier/products?updated=1");
    router.refresh();
  }
  const fieldError = (f: string) => error?.field === f && <small className="error" role="alert" data-testid={`error-${f}`}>{error.message}</small>;

  return (
    <form className="card" style={{ maxWidth: 720 }} onSubmit={save}>
      <p className="muted">商品名称和描述会展示给消费者，保存时检查《广告法》绝对化用语（最、第一、国家级…），含有时不能保存。</p>
      <label className="field"><span>商品名称</span><input className="input" value={title} onChange={(e) => setTitle(e.target.value)} maxLength={60} data-testid="product-title" />{fieldError("title")}</label>
      <label className="field"><span>类目</span>
        <select className="select" value={category} onChange={(e) => setCategory(e.target.value)}>{options.map((c) => <option key={c}>{c}</option>)}</select>
        {fieldError("category")}
      </label>
      <label className="field"><span>商品描述</span><textarea className="textarea" rows={4} value={description} onChange={(e) => setDescription(e.target.value)} data-testid="product-description" />{fieldError("description")}</label>
      {error && !["title", "category", "description"].includes(error.field ?? "") && <p className="error" role="alert">{error.message}</p>}
      <button className="btn btn-primary" disabled={busy}>{busy ? "保存中…" : "保存"}</button>
    </form>
  );
}
