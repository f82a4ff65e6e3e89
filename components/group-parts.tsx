/** Group buy (拼团) display pieces safe for both server and client components. */
import { Price } from "@/components/shop-parts";
export type GroupStatus = "OPEN" | "SUCCEEDED" | "FAILED";

const BADGE_CLASS: Record<GroupStatus, string> = { OPEN: "", SUCCEEDED: "tag-green", FAILED: "tag-gray" };

export function GroupBadge({ status, text }: { status: GroupStatus; text: string }) {
  return <span className={`tag ${BADGE_CLASS[status]}`} data-testid="group-status">{text}</span>;
}

/** The offer fields a page asks for. */
export const GROUP_OFFER_FIELDS = "id productId skuId productTitle skuLabel image groupPrice { amount } listPrice { amount } groupSize timeLimitMinutes state";
export type GroupOfferData = {
  id: string;
  productId: string;
  skuId: string;
  productTitle: string;
  skuLabel: string;
  image: string | null;
  groupPrice: { amount: number };
  listPrice: { amount: number };
  groupSize: number;
  timeLimitMinutes: number;
  state: "UPCOMING" | "ACTIVE" | "ENDED" | "DISABLED";
};

/** 90 → 1小时30分钟 */
export function formatMinutes(minutes: number): string {
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return [d ? `${d}天` : "", h ? `${h}小时` : "", m ? `${m}分钟` : ""].join("") || "0分钟";
}

/** The offer's product card at the top of the group and open-group pages. */
export function GroupOfferCard({ offer, groupSize }: { offer: Pick<GroupOfferData, "image" | "productTitle" | "skuLabel" | "groupPrice" | "listPrice">; groupSize: number }) {
  return (
    <section className="card flash-card">
      {/* eslint-disable-next-line @next/next/no-img-element */}
      {offer.image ? <img src={offer.image} alt={offer.productTitle} /> : <div className="flash-img-empty" />}
      <div className="grow">
        <h2 className="ellipsis" style={{ fontSize: 16, margin: 0 }}>{offer.productTitle}</h2>
        <div className="muted">{offer.skuLabel}</div>
        <div><span className="tag">{groupSize}人团</span> <Price fen={offer.groupPrice.amount} original={offer.listPrice.amount} /></div>
      </div>
    </section>
  );
}
