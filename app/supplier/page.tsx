import Link from "next/link";
import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { PortalShell } from "@/components/portal-shell";

const HOME = `query SupplierHome {
  toShip: supplierShipments(status: AWAITING_SHIPMENT, first: 100) { nodes { id } }
  supplierProducts(first: 100) { nodes { id title resellerCount skus { label stock lowStock } } }
}`;

type Data = {
  toShip: { nodes: { id: string }[] };
  supplierProducts: { nodes: { id: string; title: string; resellerCount: number; skus: { label: string; stock: number; lowStock: boolean }[] }[] };
};

export default async function SupplierHome() {
  const viewer = await requireRole("SUPPLIER", "/supplier");
  const d = await query<Data>(HOME);
  const low = d.supplierProducts.nodes.flatMap((p) => p.skus.filter((s) => s.lowStock).map((s) => ({ product: p, sku: s })));
  return (
    <PortalShell kind="supplier" title="概览" who={viewer.nickname}>
      <div className="stats">
        <div className="stat"><div className="muted">待发货</div><div className="value"><Link href="/supplier/shipments?status=AWAITING_SHIPMENT">{d.toShip.nodes.length}</Link></div></div>
        <div className="stat"><div className="muted">商品数</div><div className="value">{d.supplierProducts.nodes.length}</div></div>
        <div className="stat"><div className="muted">分销店铺（商品次）</div><div className="value">{d.supplierProducts.nodes.reduce((n, p) => n + p.resellerCount, 0)}</div></div>
        <div className="stat"><div className="muted">库存预警 SKU</div><div className="value" style={{ color: low.length ? "#d48806" : undefined }}>{low.length}</div></div>
      </div>
      {low.length > 0 && (
        <section className="card">
          <h3>库存预警（≤10 件）</h3>
          {low.map(({ product, sku }) => (
            <p key={`${product.id}-${sku.label}`}>{product.title} · {sku.label}：剩余 {sku.stock} 件</p>
          ))}
        </section>
      )}
    </PortalShell>
  );
}
