import { notFound } from "next/navigation";
import { queryOrNull } from "@/components/server/query";
import { ShopShell } from "@/components/shop-shell";
import { formatTime } from "@/components/format";
import { ClaimButton } from "./claim-button";

export const metadata = { title: "领券中心" };

const COUPONS = `query Coupons($slug: String!) {
  shopStore(slug: $slug) { name }
  shopCoupons(storeSlug: $slug) { id title face scopeText claimEndsAt usableUntil remaining perUserLimit claimedByMe }
}`;

type Coupon = { id: string; title: string; face: string; scopeText: string; claimEndsAt: string; usableUntil: string; remaining: number; perUserLimit: number; claimedByMe: number };

/** 领券中心: the store's coupons that can be claimed now; claiming needs sign-in. */
export default async function CouponCentre({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const d = await queryOrNull<{ shopStore: { name: string }; shopCoupons: Coupon[] }>(COUPONS, { slug });
  if (!d) notFound();
  return (
    <ShopShell slug={slug} title={`${d.shopStore.name} · 领券中心`} back={`/s/${slug}`} active="home">
      <div className="shop-body">
        {d.shopCoupons.length === 0 && <p className="muted">暂时没有可领的优惠券</p>}
        {d.shopCoupons.map((c) => (
          <section className="card coupon" key={c.id} data-testid="coupon-card">
            <div className="coupon-face">{c.face}</div>
            <div className="grow">
              <strong>{c.title}</strong>
              <div className="muted">{c.scopeText} · {formatTime(c.usableUntil)} 前可用</div>
              <div className="muted">剩余 {c.remaining} 张 · 每人限领 {c.perUserLimit} 张{c.claimedByMe ? ` · 已领 ${c.claimedByMe} 张` : ""}</div>
            </div>
            <ClaimButton couponId={c.id} slug={slug} disabled={c.remaining <= 0 || c.claimedByMe >= c.perUserLimit} label={c.remaining <= 0 ? "已领完" : c.claimedByMe >= c.perUserLimit ? "已领取" : "领取"} />
          </section>
        ))}
      </div>
    </ShopShell>
  );
}
