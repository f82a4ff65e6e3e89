import Link from "next/link";
import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { PortalShell } from "@/components/portal-shell";
import { formatFen } from "@/graphql/platform/money";
import { StockAdjust } from "./stock-adjust";

const PRODUCTS = `query SupplierProducts($after: String) {
  supplierProducts(first: 30, after: $after) {
    nodes { id title category images resellerCount skus { id label supplyPrice { amount } suggestedPrice { amount } stock sold lowStock } }
    pageInfo { hasNextPage endCursor }
  }
}`;

type Data = {
  supplierProducts: {
    nodes: { id: string; title: string; category: string; images: string[]; resellerCount: number; skus: { id: string; label: string; supplyPrice: { amount: number }; suggestedPrice: { amount: number }; stock: number; sold: number; lowStock: boolean }[] }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};

export default async function SupplierProducts({ searchParams }: { searchParams: Promise<{ after?: string; created?: string; updated?: string }> }) {
  const viewer = await requireRole("SUPPLIER", "/supplier/products");
  const { after, created, updated } = await searchParams;
  const d = await query<Data>(PRODUCTS, { after: after || null });
  return (
    <PortalShell kind="supplier" title="商品管理" who={viewer.nickname} actions={<Link className="btn btn-sm btn-primary" href="/supplier/products/new">发布商品</Link>}>
      {created && <p className="success">商品已发布，店主现在可以在选品中心看到它</p>}
      {updated && <p className="success">商品信息已保存</p>}
      {d.supplierProducts.nodes.map((p) => (
        <section className="card" key={p.id} data-testid="supplier-product">
          <div className="row">
            {/* eslint-disable-next-line @next/next/no-img-element */}
            <img className="thumb" src={p.images[0]} alt="" style={{ width: 56, height: 56, borderRadius: 8 }} />
            <div className="grow"><strong>{p.title}</strong><div className="muted">{p.category} · {p.resellerCount} 家店铺在售</div></div>
            <Link className="btn btn-sm" href={`/supplier/products/${p.id}/edit`}>编辑</Link>
          </div>
          <table className="table" style={{ marginTop: 8 }}>
            <thead><tr><th>规格</th><th>供货价</th><th>建议零售价</th><th>已售</th><th>库存</th><th>调整库存</th></tr></thead>
            <tbody>
              {p.skus.map((s) => (
                <tr key={s.id}>
                  <td>{s.label}</td><td>{formatFen(s.supplyPrice.amount)}</td><td>{formatFen(s.suggestedPrice.amount)}</td><td>{s.sold}</td>
                  <td style={{ color: s.lowStock ? "#d48806" : undefined }}>{s.stock}</td>
                  <td><StockAdjust skuId={s.id} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
      {d.supplierProducts.pageInfo.hasNextPage && (
        <div className="pager"><Link className="btn" href={`/supplier/products?after=${d.supplierProducts.pageInfo.endCursor}`}>下一页</Link></div>
      )}
    </PortalShell>
  );
}
