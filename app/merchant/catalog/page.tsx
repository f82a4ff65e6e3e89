import Link from "next/link";
import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { PortalShell } from "@/components/portal-shell";
import { formatFen } from "@/graphql/platform/money";

const CATALOG = `query Catalog($search: String, $after: String) {
  catalogProducts(search: $search, first: 20, after: $after) {
    nodes { id title category images supplierName myListingId skus { supplyPrice { amount } suggestedPrice { amount } minRetailPrice { amount } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

type Data = {
  catalogProducts: {
    nodes: { id: string; title: string; category: string; images: string[]; supplierName: string; myListingId: string | null; skus: { supplyPrice: { amount: number }; suggestedPrice: { amount: number }; minRetailPrice: { amount: number } }[] }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};

const range = (values: number[]) => {
  const min = Math.min(...values);
  const max = Math.max(...values);
  return min === max ? formatFen(min) : `${formatFen(min)} – ${formatFen(max)}`;
};

export default async function MerchantCatalog({ searchParams }: { searchParams: Promise<{ q?: string; after?: string }> }) {
  const viewer = await requireRole("MERCHANT", "/merchant/catalog");
  const { q, after } = await searchParams;
  const d = await query<Data>(CATALOG, { search: q || null, after: after || null });
  return (
    <PortalShell kind="merchant" title="选品中心" who={viewer.nickname}>
      <form className="row" style={{ marginBottom: 12, maxWidth: 480 }}>
        <input className="input" name="q" placeholder="搜索供应商商品" defaultValue={q ?? ""} />
        <button className="btn">搜索</button>
      </form>
      <table className="table">
        <thead><tr><th></th><th>商品</th><th>供应商</th><th>供货价</th><th>建议零售价</th><th>最低售价</th><th></th></tr></thead>
        <tbody>
          {d.catalogProducts.nodes.map((p) => (
            <tr key={p.id} data-testid="catalog-row">
              {/* eslint-disable-next-line @next/next/no-img-element */}
              <td><img className="thumb" src={p.images[0]} alt="" /></td>
              <td>{p.title}<div className="muted">{p.category}</div></td>
              <td className="muted">{p.supplierName}</td>
              <td>{range(p.skus.map((s) => s.supplyPrice.amount))}</td>
              <td>{range(p.skus.map((s) => s.suggestedPrice.amount))}</td>
              <td>{range(p.skus.map((s) => s.minRetailPrice.amount))}</td>
              <td>
                {p.myListingId ? (
                  <Link className="btn btn-sm" href={`/merchant/products/${p.myListingId}`}>已上架 · 改价</Link>
                ) : (
                  <Link className="btn btn-sm btn-primary" href={`/merchant/catalog/${p.id}`}>上架</Link>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {d.catalogProducts.pageInfo.hasNextPage && (
        <div className="pager"><Link className="btn" href={`/merchant/catalog?${new URLSearchParams({ ...(q ? { q } : {}), after: d.catalogProducts.pageInfo.endCursor! })}`}>下一页</Link></div>
      )}
    </PortalShell>
  );
}
