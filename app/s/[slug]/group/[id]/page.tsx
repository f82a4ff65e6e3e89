import Link from "next/link";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { currentViewer } from "@/components/server/viewer";
import { query, queryOrNull } from "@/components/server/query";
import { serverNow } from "@/components/server/clock";
import { ShopShell } from "@/components/shop-shell";
import { Price } from "@/components/shop-parts";
import type { AddressData } from "@/components/address-picker";
import { GroupCountdown } from "@/components/group-countdown";
import { GroupOfferCard, GroupBadge, GROUP_OFFER_FIELDS, type GroupOfferData, type GroupStatus } from "@/components/group-parts";
import { CopyButton } from "@/app/me/invite/copy-button";
import { GroupCheckout } from "../group-checkout";

export const metadata = { title: "拼团" };

const GROUP = `query Group($id: ID!) {
  shopGroupBuy(id: $id) {
    id storeSlug status statusText groupSize seatsTaken paidCount peopleNeeded seatsLeft deadline joinable myOrderId
    members { name isLeader paid refunded }
    offer { ${GROUP_OFFER_FIELDS} }
  }
}`;
const BUYER = `{ myAddresses { id recipient phone province city district detail isDefault } myReferral { inviteCode } }`;

type Group = {
  id: string; storeSlug: string; status: GroupStatus; statusText: string; groupSize: number; seatsTaken: number; paidCount: number;
  peopleNeeded: number; seatsLeft: number; deadline: string; joinable: boolean; myOrderId: string | null;
  members: { name: string; isLeader: boolean; paid: boolean; refunded: boolean }[];
  offer: GroupOfferData;
};

/**
 * One group (拼团), reachable by its share link: members (masked) and empty seats, the countdown,
 * the status; members get the share link carrying their invite code, others join from here.
 */
export default async function GroupPage({ params, searchParams }: { params: Promise<{ slug: string; id: string }>; searchParams: Promise<{ ref?: string }> }) {
  const { slug, id } = await params;
  const { ref } = await searchParams;
  const [data, now, viewer] = await Promise.all([queryOrNull<{ shopGroupBuy: Group | null }>(GROUP, { id }), serverNow(), currentViewer()]);
  const g = data?.shopGroupBuy;
  if (!g || g.storeSlug !== slug) notFound();
  const buyer = viewer?.roles.includes("CONSUMER") ? await query<{ myAddresses: AddressData[]; myReferral: { inviteCode: string } }>(BUYER) : null;
  const h = await headers();
  const origin = `${h.get("x-forwarded-proto") ?? "http"}://${h.get("host")}`;
  const shareLink = buyer ? `${origin}/i/${buyer.myReferral.inviteCode}?s=${slug}&g=${g.id}` : null;
  const inviteCode = ref && /^[A-Za-z0-9]{4,16}$/.test(ref) ? ref : null;
  const here = `/s/${slug}/group/${g.id}${inviteCode ? `?ref=${inviteCode}` : ""}`;
  const o = g.offer;
  const emptySeats = g.status === "OPEN" ? Math.max(0, g.groupSize - g.members.filter((m) => !m.refunded).length) : 0;

  return (
    <ShopShell slug={slug} title="拼团详情" back={`/s/${slug}/p/${o.productId}`} hideTabbar={!g.myOrderId && g.joinable}>
      <div className="shop-body" style={{ paddingBottom: 90 }}>
        <GroupOfferCard offer={o} groupSize={g.groupSize} />
        <section className="card" style={{ textAlign: "center" }}>
          <GroupBadge status={g.status} text={g.statusText} />
          {g.status === "OPEN" && (
            <p style={{ margin: "8px 0" }} data-testid="group-needed">
              还差 <b style={{ color: "var(--brand)" }}>{g.peopleNeeded}</b> 人成团　<GroupCountdown deadline={g.deadline} serverNow={now} />
            </p>
          )}
          {g.status === "SUCCEEDED" && <p className="success">已成团，商家将尽快发货</p>}
          {g.status === "FAILED" && <p className="muted">到时未凑齐 {g.groupSize} 人，已付款项全额原路退回</p>}
          <div className="group-seats" data-testid="group-members">
            {g.members.map((m, i) => (
              <div className="group-seat" key={i} data-testid="group-member">
                <span className={`group-avatar${m.paid ? "" : " pending"}`}>{m.name.slice(0, 1)}</span>
                <small>{m.name}</small>
                {m.isLeader && <span className="tag">团长</span>}
                {!m.paid && <small className="muted">待支付</small>}
              </div>
            ))}
            {Array.from({ length: emptySeats }, (_, i) => (
              <div className="group-seat" key={`empty-${i}`} data-testid="group-empty-seat">
                <span className="group-avatar empty">?</span>
                <small className="muted">待加入</small>
              </div>
            ))}
          </div>
        </section>
        {g.myOrderId && (
          <section className="card" data-testid="group-mine">
            <div className="row between">
              <span>你已参团</span>
              <Link className="btn btn-sm" href={`/me/orders/${g.myOrderId}`}>查看订单</Link>
            </div>
            {g.status === "OPEN" && shareLink && (
              <div style={{ marginTop: 10 }}>
                <p className="muted">把链接发给好友，一起拼团更便宜</p>
                <input className="input" readOnly value={shareLink} aria-label="拼团邀请链接" data-testid="group-share-link" />
                <div style={{ marginTop: 8 }}><CopyButton text={shareLink} label="邀请好友参团" /></div>
              </div>
            )}
          </section>
        )}
        {!g.myOrderId && !g.joinable && o.state === "ACTIVE" && (
          <Link className="btn btn-primary" style={{ display: "block", textAlign: "center" }} href={`/s/${slug}/group/new?offer=${o.id}`}>我来开个新团</Link>
        )}
        {!g.myOrderId && g.joinable && !buyer && (
          <div className="buybar">
            <div className="grow">拼团价：<Price fen={o.groupPrice.amount} /></div>
            <Link className="btn btn-primary" href={`/login?next=${encodeURIComponent(here)}`}>登录后参团</Link>
          </div>
        )}
        {!g.myOrderId && g.joinable && buyer && (
          <GroupCheckout mode="join" targetId={g.id} price={o.groupPrice.amount} addresses={buyer.myAddresses} inviteCode={inviteCode} />
        )}
      </div>
    </ShopShell>
  );
}
