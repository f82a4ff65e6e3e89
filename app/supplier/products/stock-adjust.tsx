"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { mutate } from "@/components/client/gql";

const ADJUST = `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { sku { id stock } errors { code message field } } }`;

export function StockAdjust({ skuId }: { skuId: string }) {
  const router = useRouter();
  const [delta, setDelta] = useState("");
  const [error, setError] = useState<string | null>(null);
  async function apply() {
    setError(null);
    const result = await mutate(ADJUST, { input: { skuId, delta: Number(delta) } }, "adjustStock");
    if (!result.ok) return setError(result.message);
    setDelta("");
    router.refresh();
  }
  return (
    <span className="row">
      <input className="input" style={{ maxWidth: 90 }} placeholder="+100 / -5" value={delta} onChange={(e) => setDelta(e.target.value)} aria-label="库存调整" />
      <button className="btn btn-sm" onClick={apply} disabled={!delta}>确定</button>
      {error && <span className="error">{error}</span>}
    </span>
  );
}
