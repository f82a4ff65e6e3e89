"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { mutate } from "@/components/client/gql";

export type PricedSku = { skuId: string; label: string; supplyPrice: number; suggestedPrice: number; minRetailPrice: number; retailPrice?: number };

const LIST = `mutation($input: ListProductInput!) { listProduct(input: $input) { listing { id } errors { code message field } } }`;
const UPDATE = `mutation($input: UpdateListingPricesInput!) { updateListingPrices(input: $input) { listing { id } errors { code message field } } }`;

const toFen = (yuan: string) => Math.round(Number(yuan) * 100);
const yuan = (fen: number) => (fen / 100).toFixed(2);

/**
 * Per-SKU retail prices with a live margin preview. The server re-checks every price (the form's
 * minimum is only a hint); a price below the minimum comes back as PRICE_BELOW_MINIMUM.
 */
export function PriceForm(props: { mode: "list"; productId: string; skus: PricedSku[] } | { mode: "update"; listingId: string; skus: PricedSku[] }) {
  const router = useRouter();
  const [prices, setPrices] = useState<Record<string, string>>(() =>
    Object.fromEntries(props.skus.map((s) => [s.skuId, yuan(s.retailPrice ?? s.suggestedPrice)])),
  );
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit() {
    setBusy(true);
    setError(null);
    setSaved(false);
    const list = props.skus.map((s) => ({ skuId: s.skuId, retailPrice: toFen(prices[s.skuId]) }));
    const result =
      props.mode === "list"
        ? await mutate<{ listing: { id: string }; errors: [] }>(LIST, { input: { productId: props.productId, prices: list } }, "listProduct")
        : await mutate<{ listing: { id: string }; errors: [] }>(UPDATE, { input: { listingId: props.listingId, prices: list } }, "updateListingPrices");
    setBusy(false);
    if (!result.ok) return setError(result.message);
    setSaved(true);
    if (props.mode === "list") router.push(`/merchant/products/${result.payload.listing.id}?listed=1`);
    else router.refresh();
  }

  return (
    <div>
      <table className="table">
        <thead><tr><th>规格</th><th>供货价</th><th>建议零售价</th><th>最低售价</th><th>我的售价（元）</th><th>单件毛利</th></tr></thead>
        <tbody>
          {props.skus.map((s) => {
            const retail = toFen(prices[s.skuId] || "0");
            const low = retail < s.minRetailPrice;
            return (
              <tr key={s.skuId}>
                <td>{s.label}</td>
                <td>¥{yuan(s.supplyPrice)}</td>
                <td>¥{yuan(s.suggestedPrice)}</td>
                <td>¥{yuan(s.minRetailPrice)}</td>
                <td>
                  <input
                    className="input"
                    style={{ maxWidth: 120, borderColor: low ? "#ff4d4f" : undefined }}
                    aria-label={`${s.label} 售价`}
                    inputMode="decimal"
                    value={prices[s.skuId]}
                    onChange={(e) => setPrices((p) => ({ ...p, [s.skuId]: e.target.value }))}
                  />
                </td>
                <td className={low ? "price" : ""}>¥{yuan(retail - s.supplyPrice)}{low && <div className="muted">低于最低售价</div>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="muted">最低售价 = 覆盖供货价、平台服务费与分享佣金上限后的价格。</p>
      {error && <p className="error" role="alert">{error}</p>}
      {saved && <p className="success">已保存</p>}
      <button className="btn btn-primary" onClick={submit} disabled={busy}>{props.mode === "list" ? "确认上架" : "保存价格"}</button>
    </div>
  );
}
