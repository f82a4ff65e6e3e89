import Link from "next/link";
import { notFound } from "next/navigation";
import { queryOrNull } from "@/components/server/query";
import { Price, ShopShell } from "@/components/shop-shell";
import { formatTime } from "@/components/format";
import { STORE_LIVE_FIELDS, StoreLives, type StoreLiveCard } from "@/components/live/store-lives";

const STOREFRONT = `query Storefront($slug: String!, $category: String, $search: String, $after: String) {
  shopStore(slug: $slug) { name tagline slug }
  shopCategories(storeSlug: $slug)
  shopFlashSales(storeSlug: $slug) { state startsAt }
  shopStoreLives(storeSlug: $slug) { ${STORE_LIVE_FIELDS} }
  shopProducts(storeSlug: $slug, category: $category, search: $search, first: 20, after: $after) {
    nodes { id title images inStock soldCount priceRange { min { amount } } skus { originalPrice { amount } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

type Data = {
  shopStore: { name: string; tagline: string; slug: string };
  shopCategories: string[];
  shopFlashSales: { state: string; startsAt: string }[];
  shopStoreLives: StoreLiveCard[];
  shopProducts: {
    nodes: { id: string; title: string; images: string[]; inStock: boolean; soldCount: number; priceRange: { min: { amount: number } }; skus: { originalPrice: { amount: number } }[] }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};

export default async function Storefront({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ category?: string; q?: string; after?: string }>;
}) {
  const { slug } = await params;
  const { category, q, after } = await searchParams;
  const data = await queryOrNull<Data>(STOREFRONT, { slug, category: category || null, search: q || null, after: after || null });
  if (!data) notFound();
  const { shopStore: store, shopCategories: categories, shopProducts: products } = data;
  const running = data.shopFlashSales.filter((f) => f.state === "ACTIVE").length;
  const next = data.shopFlashSales.filter((f) => f.state === "UPCOMING").map((f) => f.startsAt).sort()[0];
  const link = (c?: string) => `/s/${slug}${c ? `?category=${encodeURIComponent(c)}` : ""}`;
  return (
    <ShopShell slug={slug} title={store.name} active="home">
      <section className="shop-hero">
        <h1>{store.name}</h1>
        <p style={{ margin: 0, opacity: 0.9 }}>{store.tagline}</p>
        <Link href={`/me/invite?s=${store.slug}`} style={{ color: "#fff", textDecoration: "underline", fontSize: 13 }} data-testid="share-store">分享店铺</Link>
        <Link href={`/s/${store.slug}/coupons`} style={{ color: "#fff", textDecoration: "underline", fontSize: 13, marginLeft: 12 }} data-testid="coupon-centre">领券中心</Link>
      </section>
      <div className="shop-body">
        {(running > 0 || next) && (
          <Link href={`/s/${slug}/flash`} className="flash-banner" data-testid="flash-banner">
            <strong>限时秒杀</strong>
            <span className="grow ellipsis">{running > 0 ? `${running} 件好物抢购中` : `${formatTime(next)} 开抢`}</span>
            <span>去抢购 ›</span>
          </Link>
        )}
        <StoreLives lives={data.shopStoreLives} slug={slug} />
        <form className="row" style={{ marginBottom: 8 }}>
          <input className="input" name="q" placeholder="搜索本店商品" defaultValue={q ?? ""} />
          <button className="btn">搜索</button>
        </form>
        <div className="chips">
          <Link className={`chip ${!category ? "active" : ""}`} href={link()}>全部</Link>
          {categories.map((c) => (
            <Link key={c} className={`chip ${category === c ? "active" : ""}`} href={link(c)}>{c}</Link>
          ))}
        </div>
        {products.nodes.length === 0 && <p className="muted">没有找到商品</p>}
        <div className="product-grid" data-testid="product-grid">
          {products.nodes.map((p) => {
            const original = Math.max(...p.skus.map((s) => s.originalPrice.amount));
            return (
              <Link key={p.id} href={`/s/${slug}/p/${p.id}`} className="product-card">
                {/* eslint-disable-next-line @next/next/no-img-element */}
                <img src={p.images[0]} alt={p.title} loading="lazy" />
                <div className="info">
                  <div className="title">{p.title}</div>
                  <div className="row between">
                    <Price fen={p.priceRange.min.amount} original={original} />
                    <span className="muted">{p.inStock ? `已售 ${p.soldCount}` : "已售罄"}</span>
                  </div>
                </div>
              </Link>
            );
          })}
        </div>
        {products.pageInfo.hasNextPage && (
          <div className="pager">
            <Link className="btn" href={`/s/${slug}?${new URLSearchParams({ ...(category ? { category } : {}), ...(q ? { q } : {}), after: products.pageInfo.endCursor! })}`}>
              下一页
            </Link>
          </div>
        )}
      </div>
    </ShopShell>
  );
}
