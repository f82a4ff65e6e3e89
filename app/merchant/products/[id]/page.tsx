import { notFound } from "next/navigation";
import { requireRole } from "@/components/server/viewer";
import { queryOrNull } from "@/components/server/query";
import { PortalShell } from "@/components/portal-shell";
import { PriceForm } from "@/components/price-form";
import { ShelfToggle } from "./shelf-toggle";

const LISTING = `query Listing($id: ID!) {
  myStore { slug }
  merchantListing(id: $id) { id status title images
    skus { skuId label supplyPrice { amount } suggestedPrice { amount } retailPrice { amount } grossMargin { amount } minRetailPrice { amount } stock } }
}`;

type Data = {
  myStore: { slug: string };
  merchantListing: {
    id: string; status: string; title: string; images: string[];
    skus: { skuId: string; label: string; supplyPrice: { amount: number }; suggestedPrice: { amount: number }; retailPrice: { amount: number }; minRetailPrice: { amount: number }; stock: number }[];
  };
};

export default async function ListingPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ listed?: string }> }) {
  const { id } = await params;
  const { listed } = await searchParams;
  const viewer = await requireRole("MERCHANT", `/merchant/products/${id}`);
  const d = await queryOrNull<Data>(LISTING, { id });
  if (!d) notFound();
  const l = d.merchantListing;
  return (
    <PortalShell kind="merchant" title={l.title} who={viewer.nickname}>
      {listed && <p className="success">上架成功，顾客现在可以在店铺中看到该商品</p>}
      <section className="card row between">
        <span>状态：<span className={`tag ${l.status === "ON_SHELF" ? "tag-green" : "tag-gray"}`} data-testid="listing-status">{l.status === "ON_SHELF" ? "在售" : "已下架"}</span></span>
        <div className="row">
          <a className="btn btn-sm" href={`/s/${d.myStore.slug}/p/${l.id}`} target="_blank" rel="noreferrer">在店铺中查看</a>
          <ShelfToggle listingId={l.id} status={l.status} />
        </div>
      </section>
      <section className="card">
        <PriceForm
          mode="update"
          listingId={l.id}
          skus={l.skus.map((s) => ({ skuId: s.skuId, label: `${s.label}（库存 ${s.stock}）`, supplyPrice: s.supplyPrice.amount, suggestedPrice: s.suggestedPrice.amount, minRetailPrice: s.minRetailPrice.amount, retailPrice: s.retailPrice.amount }))}
        />
      </section>
    </PortalShell>
  );
}
