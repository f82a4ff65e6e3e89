import Link from "next/link";
import { notFound } from "next/navigation";
import { queryOrNull } from "@/components/server/query";
import { Price, ShopShell } from "@/components/shop-shell";
import { SkuPicker } from "./sku-picker";
import { serverNow } from "@/components/server/clock";
import { GroupOffers, PRODUCT_GROUP_OFFERS, type ProductGroupOffer } from "./group-offers";
import { formatOffset } from "@/graphql/live/live.rules";

const PRODUCT = `query Product($slug: String!, $id: ID!) {
  shopStore(slug: $slug) { name }
  shopCoupons(storeSlug: $slug) { id face scopeText }
  ${PRODUCT_GROUP_OFFERS}
  shopProductChapters(storeSlug: $slug, id: $id) { liveId liveTitle startMs }
  shopProduct(storeSlug: $slug, id: $id) {
    id title description category images soldCount
    specAxes { name values }
    priceRange { min { amount } max { amount } }
    skus { id label specs { axis value } price { amount } originalPrice { amount } stock }
  }
}`;

export type ProductData = {
  id: string;
  title: string;
  description: string;
  category: string;
  images: string[];
  soldCount: number;
  specAxes: { name: string; values: string[] }[];
  priceRange: { min: { amount: number }; max: { amount: number } };
  skus: { id: string; label: string; specs: { axis: string; value: string }[]; price: { amount: number }; originalPrice: { amount: number }; stock: number }[];
};

export default async function ProductPage({ params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await params;
  const [data, now] = await Promise.all([
    queryOrNull<{ shopStore: { name: string }; shopProduct: ProductData; shopCoupons: { id: string; face: string; scopeText: string }[]; shopGroupBuyOffers: ProductGroupOffer[]; shopProductChapters: { liveId: string; liveTitle: string; startMs: number }[] }>(PRODUCT, { slug, id }),
    serverNow(),
  ]);
  if (!data) notFound();
  const p = data.shopProduct;
  const original = Math.max(...p.skus.map((s) => s.originalPrice.amount));
  return (
    <ShopShell slug={slug} title={data.shopStore.name} back={`/s/${slug}`} hideTabbar>
      <div className="gallery">
        {p.images.map((src, i) => (
          // eslint-disable-next-line @next/next/no-img-element
          <img key={src} src={src} alt={`${p.title} 图 ${i + 1}`} />
        ))}
      </div>
      <div className="shop-body">
        <section className="card">
          <div className="row between">
            <span>
              <Price fen={p.priceRange.min.amount} original={original} />
              {p.priceRange.max.amount > p.priceRange.min.amount && <span className="muted"> 起</span>}
            </span>
            <span className="muted">已售 {p.soldCount}</span>
          </div>
          <h2 style={{ fontSize: 18, marginTop: 8 }}>{p.title}</h2>
          <div className="row between">
            <span className="tag tag-gray">{p.category}</span>
            <Link className="btn btn-sm" href={`/me/invite?s=${slug}&p=${p.id}`} data-testid="share-product">分享海报</Link>
          </div>
        </section>
        <GroupOffers slug={slug} offers={data.shopGroupBuyOffers} serverNow={now} />
        {data.shopProductChapters.length > 0 && (
          <section className="card" data-testid="product-chapters">
            <h3 style={{ fontSize: 15 }}>直播讲解</h3>
            <div className="live-chips">
              {data.shopProductChapters.map((c) => (
                <Link key={`${c.liveId}-${c.startMs}`} className="live-chip" href={`/live/${c.liveId}?t=${Math.floor(c.startMs / 1000)}`} data-testid="product-chapter">
                  ▶ {c.liveTitle} · {formatOffset(c.startMs)}
                </Link>
              ))}
            </div>
          </section>
        )}
        {data.shopCoupons.length > 0 && (
          <Link className="card row between" href={`/s/${slug}/coupons`} data-testid="product-coupons">
            <span>
              <span className="tag">领券</span> {data.shopCoupons.slice(0, 3).map((c) => c.face).join("　")}
            </span>
            <span className="muted">去领取 ›</span>
          </Link>
        )}
        <section className="card">
          <h3>商品详情</h3>
          <p style={{ lineHeight: 1.7 }}>{p.description || "暂无详情"}</p>
        </section>
      </div>
      <SkuPicker slug={slug} product={p} />
    </ShopShell>
  );
}
