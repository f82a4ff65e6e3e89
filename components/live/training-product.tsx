import { AdLawMarks } from "@/components/ad-law-marks";
import { yuan } from "@/components/format";
import { MaterialList } from "./material-list";
import type { TrainingProduct } from "./training-types";

/**
 * A product on a training shelf: the supply and suggested price per SKU, the supplier's selling
 * points and script (Advertising Law terms marked, to avoid when selling) and its material pack.
 */
export function TrainingProductCard({ product, pinned, actions, openScript = false }: { product: TrainingProduct; pinned: boolean; actions?: React.ReactNode; openScript?: boolean }) {
  const s = product.script;
  const hits = (field: string) => s?.adHits.filter((h) => h.field === field) ?? [];
  return (
    <div className={`training-shelf-item ${pinned ? "pinned" : ""}`} data-testid="training-product">
      <div className="row">
        {/* eslint-disable-next-line @next/next/no-img-element */}
        {product.image && <img src={product.image} alt="" style={{ width: 56, height: 56, borderRadius: 8, objectFit: "cover" }} />}
        <div className="grow">
          <strong>{product.title}</strong>
          {pinned && <span className="tag" style={{ marginLeft: 6 }} data-testid="training-pinned">讲解中</span>}
          {!product.onShelf && <span className="tag tag-gray" style={{ marginLeft: 6 }}>已下架</span>}
          <div className="muted">
            {product.skus.map((k) => `${k.label}：供货价 ¥${yuan(k.supplyPrice.amount)} · 建议零售价 ¥${yuan(k.suggestedPrice.amount)}${k.inStock ? "" : "（缺货）"}`).join("；")}
          </div>
        </div>
        {actions}
      </div>
      {s ? (
        <details open={openScript}>
          <summary>讲解话术：{s.title}{s.adHits.length > 0 && <span className="error">（含 {s.adHits.length} 处广告法禁用语，讲解时请避免）</span>}</summary>
          {s.sellingPoints.length > 0 && (
            <ul data-testid="selling-points">{s.sellingPoints.map((p, i) => <li key={i}><AdLawMarks text={p} hits={hits(`sellingPoints.${i}`)} /></li>)}</ul>
          )}
          <p style={{ whiteSpace: "pre-wrap" }}><AdLawMarks text={s.body} hits={hits("body")} /></p>
          <MaterialList materials={s.materials} />
        </details>
      ) : (
        <p className="muted">供应商暂未提供讲解话术</p>
      )}
    </div>
  );
}
