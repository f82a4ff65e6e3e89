import Link from "next/link";
import { notFound } from "next/navigation";
import { queryOrNull } from "@/components/server/query";
import { serverNow } from "@/components/server/clock";
import { Price, ShopShell } from "@/components/shop-shell";
import { FlashBadge, FlashProgress, type FlashState, type ShopFlashSaleData, SHOP_FLASH_SALE_FIELDS } from "@/components/flash-parts";
import { FlashCountdown } from "@/components/flash-countdown";
import { formatTime } from "@/components/format";

export const metadata = { title: "限时秒杀" };

const VENUE = `query FlashVenue($slug: String!) {
  shopStore(slug: $slug) { name slug }
  shopFlashSales(storeSlug: $slug) { ${SHOP_FLASH_SALE_FIELDS} }
}`;

type Data = { shopStore: { name: string; slug: string }; shopFlashSales: ShopFlashSaleData[] };

const ORDER: Record<FlashState, number> = { ACTIVE: 0, UPCOMING: 1, SOLD_OUT: 2, ENDED: 3 };

/** 秒杀会场: the store's running and coming sales, running ones first. Public. */
export default async function FlashVenue({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const [data, now] = await Promise.all([queryOrNull<Data>(VENUE, { slug }), serverNow()]);
  if (!data) notFound();
  const sales = [...data.shopFlashSales].sort((a, b) => ORDER[a.state] - ORDER[b.state] || a.startsAt.localeCompare(b.startsAt));
  return (
    <ShopShell slug={slug} title={`${data.shopStore.name} · 限时秒杀`} back={`/s/${slug}`} active="home">
      <section className="flash-hero">
        <h1>限时秒杀</h1>
        <p>整点开抢，每人限购，手慢无</p>
      </section>
      <div className="shop-body">
        {sales.length === 0 && <p className="muted" style={{ textAlign: "center", padding: 24 }}>暂无秒杀活动，去店里逛逛吧</p>}
        {sales.map((s) => (
          <article key={s.id} className="card flash-card" data-testid="flash-card">
            {/* eslint-disable-next-line @next/next/no-img-element */}
            {s.image ? <img src={s.image} alt={s.productTitle} loading="lazy" /> : <div className="flash-img-empty" />}
            <div className="grow">
              <div className="row between" style={{ gap: 6 }}>
                <span className="ellipsis" style={{ fontWeight: 600 }}>{s.productTitle}</span>
                <FlashBadge state={s.state} />
              </div>
              <div className="muted">{s.skuLabel} · 每人限购 {s.perUserLimit} 件</div>
              <div className="flash-price"><Price fen={s.flashPrice.amount} original={s.listPrice.amount} /></div>
              {s.state === "UPCOMING" && <div className="muted">{formatTime(s.startsAt)} 开抢</div>}
              <FlashCountdown state={s.state} startsAt={s.startsAt} endsAt={s.endsAt} serverNow={now} />
              <div className="row between" style={{ marginTop: 6 }}>
                <FlashProgress remaining={s.remaining} totalStock={s.totalStock} />
                {s.state === "ACTIVE" ? (
                  <Link className="btn btn-primary btn-sm" href={`/s/${slug}/flash/${s.id}`}>马上抢</Link>
                ) : (
                  <button className="btn btn-primary btn-sm" disabled>马上抢</button>
                )}
              </div>
            </div>
          </article>
        ))}
      </div>
    </ShopShell>
  );
}
