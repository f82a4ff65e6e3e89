import Link from "next/link";
import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { PortalShell } from "@/components/portal-shell";
import { formatTime } from "@/components/format";
import { AdLawMarks } from "@/components/ad-law-marks";
import { MaterialList } from "@/components/live/material-list";
import { ScriptForm, type ScriptDraft } from "./script-form";

export const metadata = { title: "直播话术" };

const DATA = `query SupplierScripts {
  supplierProducts(first: 100) { nodes { id title } }
  supplierLiveScripts { id productId productTitle title sellingPoints body updatedAt adHits { term field start end } materials { label kind url fileKey } }
}`;
type Hit = { term: string; field: string; start: number; end: number };
type Script = ScriptDraft & { productTitle: string; updatedAt: string; adHits: Hit[] };
type Data = { supplierProducts: { nodes: { id: string; title: string }[] }; supplierLiveScripts: Script[] };

/** Standard live scripts (讲解话术), selling points and material packs per product, for the merchants who sell them; ?edit=<id> rewrites one. */
export default async function SupplierScripts({ searchParams }: { searchParams: Promise<{ edit?: string }> }) {
  const viewer = await requireRole("SUPPLIER", "/supplier/scripts");
  const { edit } = await searchParams;
  const d = await query<Data>(DATA);
  const editing = d.supplierLiveScripts.find((s) => s.id === edit) ?? null;
  const of = (hits: Hit[], field: string) => hits.filter((h) => h.field === field);
  return (
    <PortalShell kind="supplier" title="直播话术" who={viewer.nickname} actions={editing ? <Link className="btn btn-sm" href="/supplier/scripts">新建话术</Link> : undefined}>
      <ScriptForm key={editing?.id ?? "new"} products={d.supplierProducts.nodes} editing={editing} />
      {d.supplierLiveScripts.length === 0 && <p className="muted">还没有话术</p>}
      {d.supplierLiveScripts.map((s) => (
        <section className="card" key={s.id} data-testid="script-card">
          <div className="row between">
            <strong><AdLawMarks text={s.title} hits={of(s.adHits, "title")} /></strong>
            <span className="row">
              <span className="muted">{s.productTitle} · {formatTime(s.updatedAt)}</span>
              <Link className="btn btn-sm" href={`/supplier/scripts?edit=${s.id}`}>修改</Link>
            </span>
          </div>
          {s.adHits.length > 0 && <p className="error">含 {s.adHits.length} 处广告法禁用语</p>}
          <ul>
            {s.sellingPoints.map((p, i) => <li key={i}><AdLawMarks text={p} hits={of(s.adHits, `sellingPoints.${i}`)} /></li>)}
          </ul>
          <p style={{ whiteSpace: "pre-wrap" }}><AdLawMarks text={s.body} hits={of(s.adHits, "body")} /></p>
          <MaterialList materials={s.materials} />
        </section>
      ))}
    </PortalShell>
  );
}
