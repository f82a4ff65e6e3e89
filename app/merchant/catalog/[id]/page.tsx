import { notFound, redirect } from "next/navigation";
import { requireRole } from "@/components/server/viewer";
import { queryOrNull } from "@/components/server/query";
import { PortalShell } from "@/components/portal-shell";
import { PriceForm } from "@/components/price-form";

const PRODUCT = `query CatalogProduct($id: ID!) {
  catalogProduct(id: $id) { id title description category images supplierName myListingId
    skus { id label supplyPrice { amount } suggestedPrice { amount } minRetailPrice { amount } inStock } }
}`;

type Data = {
  catalogProduct: {
    id: string; title: string; description: string; category: string; images: string[]; supplierName: string; myListingId: string | null;
    skus: { id: string; label: string; supplyPrice: { amount: number }; suggestedPrice: { amount: number }; minRetailPrice: { amount: number }; inStock: boolean }[];
  };
};

export default async function ListProductPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const viewer = await requireRole("MERCHANT", `/merchant/catalog/${id}`);
  const d = await queryOrNull<Data>(PRODUCT, { id });
  if (!d) notFound();
  const p = d.catalogProduct;
  if (p.myListingId) redirect(`/merchant/products/${p.myListingId}`);
  return (
    <PortalShell kind="merchant" title="上架商品" who={viewer.nickname}>
      <section className="card row" style={{ alignItems: "flex-start" }}>
        {/* eslint-disable-next-line @next/next/no-img-element */}
        <img src={p.images[0]} alt="" style={{ width: 120, borderRadius: 8 }} />
        <div>
          <h2>{p.title}</h2>
          <p className="muted">{p.category} · {p.supplierName}</p>
          <p>{p.description}</p>
        </div>
      </section>
      <section className="card">
        <PriceForm
          mode="list"
          productId={p.id}
          skus={p.skus.map((s) => ({ skuId: s.id, label: s.label, supplyPrice: s.supplyPrice.amount, suggestedPrice: s.suggestedPrice.amount, minRetailPrice: s.minRetailPrice.amount }))}
        />
      </section>
    </PortalShell>
  );
}
