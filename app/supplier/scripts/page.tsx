import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { PortalShell } from "@/components/portal-shell";
import { formatTime } from "@/components/format";
import { AdLawMarks } from "@/components/ad-law-marks";
import { ScriptForm } from "./script-form";

export const metadata = { title: "直播话术" };

const DATA = `query SupplierScripts {
  supplierProducts(first: 100) { nodes { id title } }
  supplierLiveScripts { id productTitle title sellingPoints body updatedAt adHits { term field start end } }
}`;
type Hit = { term: string; field: string; start: number; end: number };
type Data = {
  supplierProducts: { nodes: { id: string; title: string }[] };
  supplierLiveScripts: { id: string; productTitle: string; title: string; sellingPoints: string[]; body: string; updatedAt: string; adHits: Hit[] }[];
};

/** Standard live scripts (讲解话术) and selling points per product, for the merchants who sell them. */
export default async function SupplierScripts() {
  const viewer = await requireRole("SUPPLIER", "/supplier/scripts");
  const d = await query<Data>(DATA);
  const of = (hits: Hit[], field: string) => hits.filter((h) => h.field === field);
  return (
    <PortalShell kind="supplier" title="直播话术" who={viewer.nickname}>
      <ScriptForm products={d.supplierProducts.nodes} />
      {d.supplierLiveScripts.length === 0 && <p className="muted">还没有话术</p>}
      {d.supplierLiveScripts.map((s) => (
        <section className="card" key={s.id} data-testid="script-card">
          <div className="row between">
            <strong><AdLawMarks text={s.title} hits={of(s.adHits, "title")} /></strong>
            <span className="muted">{s.productTitle} · {formatTime(s.updatedAt)}</span>
          </div>
          {s.adHits.length > 0 && <p className="error">含 {s.adHits.length} 处广告法禁用语</p>}
          <ul>
            {s.sellingPoints.map((p, i) => <li key={i}><AdLawMarks text={p} hits={of(s.adHits, `sellingPoints.${i}`)} /></li>)}
          </ul>
          <p style={{ whiteSpace: "pre-wrap" }}><AdLawMarks text={s.body} hits={of(s.adHits, "body")} /></p>
        </section>
      ))}
    </PortalShell>
  );
}
