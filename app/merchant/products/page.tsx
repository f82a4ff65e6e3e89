import Link from "next/link";
import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { PortalShell } from "@/components/portal-shell";
import { formatFen } from "@/graphql/platform/money";
import { formatTime } from "@/components/format";

const LISTINGS = `query Listings($after: String) {
  merchantListings(first: 50, after: $after) {
    nodes { id status title images listedAt skus { retailPrice { amount } grossMargin { amount } stock } }
    pageInfo { hasNextPage endCursor }
  }
}`;

type Data = {
  merchantListings: {
    nodes: { id: string; status: string; title: string; images: string[]; listedAt: string; skus: { retailPrice: { amount: number }; grossMargin: { amount: number }; stock: number }[] }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};

export default async function MerchantProducts({ searchParams }: { searchParams: Promise<{ after?: string }> }) {
  const viewer = await requireRole("MERCHANT", "/merchant/products");
  const { after } = await searchParams;
  const d = await query<Data>(LISTINGS, { after: after || null });
  return (
    <PortalShell kind="merchant" title="店铺商品" who={viewer.nickname} actions={<Link className="btn btn-sm btn-primary" href="/merchant/catalog">去选品</Link>}>
      <table className="table">
        <thead><tr><th></th><th>商品</th><th>售价</th><th>单件毛利</th><th>库存</th><th>状态</th><th>上架时间</th></tr></thead>
        <tbody>
          {d.merchantListings.nodes.map((l) => {
            const prices = l.skus.map((s) => s.retailPrice.amount);
            const margins = l.skus.map((s) => s.grossMargin.amount);
            return (
              <tr key={l.id}>
                {/* eslint-disable-next-line @next/next/no-img-element */}
                <td><img className="thumb" src={l.images[0]} alt="" /></td>
                <td><Link href={`/merchant/products/${l.id}`}>{l.title}</Link></td>
                <td>{formatFen(Math.min(...prices))}{prices.length > 1 ? " 起" : ""}</td>
                <td>{formatFen(Math.min(...margins))}{margins.length > 1 ? " 起" : ""}</td>
                <td>{l.skus.reduce((n, s) => n + s.stock, 0)}</td>
                <td><span className={`tag ${l.status === "ON_SHELF" ? "tag-green" : "tag-gray"}`}>{l.status === "ON_SHELF" ? "在售" : "已下架"}</span></td>
                <td className="muted">{formatTime(l.listedAt)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {d.merchantListings.pageInfo.hasNextPage && (
        <div className="pager"><Link className="btn" href={`/merchant/products?after=${d.merchantListings.pageInfo.endCursor}`}>下一页</Link></div>
      )}
    </PortalShell>
  );
}
