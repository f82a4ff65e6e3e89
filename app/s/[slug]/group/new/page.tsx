import { notFound } from "next/navigation";
import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { ShopShell } from "@/components/shop-shell";
import type { AddressData } from "@/components/address-picker";
import { formatMinutes, GroupOfferCard, GROUP_OFFER_FIELDS, type GroupOfferData } from "@/components/group-parts";
import { GroupCheckout } from "../group-checkout";

export const metadata = { title: "发起拼团" };

const OPEN_CHECKOUT = `query OpenGroup($slug: String!) {
  shopGroupBuyOffers(storeSlug: $slug) { ${GROUP_OFFER_FIELDS} }
  myAddresses { id recipient phone province city district detail isDefault }
}`;

/** 发起拼团 checkout: the offer's SKU at the group price, an address, pay to open the group. */
export default async function OpenGroupPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<{ offer?: string }> }) {
  const { slug } = await params;
  const { offer: offerId } = await searchParams;
  await requireRole("CONSUMER", `/s/${slug}/group/new?offer=${encodeURIComponent(offerId ?? "")}`);
  const d = await query<{ shopGroupBuyOffers: GroupOfferData[]; myAddresses: AddressData[] }>(OPEN_CHECKOUT, { slug });
  const o = d.shopGroupBuyOffers.find((x) => x.id === offerId);
  if (!o) notFound();
  return (
    <ShopShell slug={slug} title="发起拼团" back={`/s/${slug}/p/${o.productId}`} hideTabbar>
      <div className="shop-body" style={{ paddingBottom: 90 }}>
        <GroupOfferCard offer={o} groupSize={o.groupSize} />
        <p className="notice">支付后开团，{formatMinutes(o.timeLimitMinutes)}内凑齐 {o.groupSize} 人即成团发货；未成团自动全额退款。</p>
        <GroupCheckout mode="open" targetId={o.id} price={o.groupPrice.amount} addresses={d.myAddresses} />
      </div>
    </ShopShell>
  );
}
