import Link from "next/link";
import { Price } from "@/components/shop-parts";
import { GroupCountdown } from "@/components/group-countdown";
import { formatMinutes, GROUP_OFFER_FIELDS, type GroupOfferData } from "@/components/group-parts";

export const PRODUCT_GROUP_OFFERS = `shopGroupBuyOffers(storeSlug: $slug, productId: $id) {
  ${GROUP_OFFER_FIELDS}
  openGroups { id leaderName groupSize peopleNeeded seatsLeft deadline }
}`;

export type ProductGroupOffer = GroupOfferData & {
  openGroups: { id: string; leaderName: string; groupSize: number; peopleNeeded: number; seatsLeft: number; deadline: string }[];
};

/** The product page's 拼团 card: the group price, 发起拼团, and open groups to join (还差 N 人). */
export function GroupOffers({ slug, offers, serverNow }: { slug: string; offers: ProductGroupOffer[]; serverNow: string }) {
  return (
    <>
      {offers.map((o) => (
        <section className="card" key={o.id} data-testid="group-offer">
          <div className="row between">
            <span>
              <span className="tag">{o.groupSize}人团</span> <Price fen={o.groupPrice.amount} original={o.listPrice.amount} />
            </span>
            <Link className="btn btn-primary btn-sm" href={`/s/${slug}/group/new?offer=${o.id}`}>发起拼团</Link>
          </div>
          <p className="muted" style={{ margin: "6px 0 0" }}>
            {o.skuLabel} · {formatMinutes(o.timeLimitMinutes)}内凑齐 {o.groupSize} 人成团，未成团自动全额退款
          </p>
          {o.openGroups.length > 0 && (
            <div style={{ marginTop: 8 }}>
              <div className="muted">以下小伙伴正在拼团，可直接参与</div>
              {o.openGroups.map((g) => (
                <div className="row between" key={g.id} data-testid="open-group" style={{ padding: "8px 0", borderTop: "1px solid #f0f0f0" }}>
                  <span>
                    {g.leaderName} 的团 <span style={{ color: "var(--brand)" }}>还差 <b>{g.peopleNeeded}</b> 人</span>
                    <div><GroupCountdown deadline={g.deadline} serverNow={serverNow} /></div>
                  </span>
                  <Link className="btn btn-sm" href={`/s/${slug}/group/${g.id}`}>去参团</Link>
                </div>
              ))}
            </div>
          )}
        </section>
      ))}
    </>
  );
}
