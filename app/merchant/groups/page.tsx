import Link from "next/link";
import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { serverNow } from "@/components/server/clock";
import { PortalShell } from "@/components/portal-shell";
import { AutoRefresh } from "@/components/auto-refresh";
import { formatTime, toShanghaiInput } from "@/components/format";
import { formatMinutes } from "@/components/group-parts";
import { formatFen } from "@/graphql/platform/money";
import { GroupOfferForm, type GroupSkuOption } from "./group-offer-form";
import { DisableGroupOffer } from "./disable-button";

export const metadata = { title: "拼团活动" };

const GROUPS = `query MerchantGroups($after: String) {
  merchantGroupBuyOffers(first: 50, after: $after) {
    nodes { id productTitle skuLabel image groupPrice { amount } listPrice { amount } groupSize timeLimitMinutes startsAt endsAt state
      counters { groupsOpen groupsSucceeded groupsFailed seatsTaken paidMembers gmv { amount } } }
    pageInfo { hasNextPage endCursor }
  }
  merchantListings(first: 100) { nodes { id status title skus { skuId label retailPrice { amount } minRetailPrice { amount } stock } } }
}`;

type State = "UPCOMING" | "ACTIVE" | "ENDED" | "DISABLED";
type Offer = {
  id: string; productTitle: string; skuLabel: string; image: string | null; groupPrice: { amount: number }; listPrice: { amount: number };
  groupSize: number; timeLimitMinutes: number; startsAt: string; endsAt: string; state: State;
  counters: { groupsOpen: number; groupsSucceeded: number; groupsFailed: number; seatsTaken: number; paidMembers: number; gmv: { amount: number } };
};
type Data = {
  merchantGroupBuyOffers: { nodes: Offer[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  merchantListings: { nodes: { id: string; status: string; title: string; skus: { skuId: string; label: string; retailPrice: { amount: number }; minRetailPrice: { amount: number }; stock: number }[] }[] };
};

const STATE_TEXT: Record<State, string> = { UPCOMING: "未开始", ACTIVE: "进行中", ENDED: "已结束", DISABLED: "已停止" };
const STATE_CLASS: Record<State, string> = { UPCOMING: "tag-blue", ACTIVE: "", ENDED: "tag-gray", DISABLED: "tag-gray" };
const MINUTE = 60_000;

/** 拼团活动: offer one of my SKUs for groups; my offers with live counters (refreshed every 5 s). */
export default async function MerchantGroupBuys({ searchParams }: { searchParams: Promise<{ after?: string }> }) {
  const viewer = await requireRole("MERCHANT", "/merchant/groups");
  const { after } = await searchParams;
  const [d, now] = await Promise.all([query<Data>(GROUPS, { after: after || null }), serverNow()]);
  const options: GroupSkuOption[] = d.merchantListings.nodes
    .filter((l) => l.status === "ON_SHELF")
    .flatMap((l) => l.skus.map((s) => ({ skuId: s.skuId, title: l.title, label: s.label, retailPrice: s.retailPrice.amount, minRetailPrice: s.minRetailPrice.amount, stock: s.stock })));
  // Default window: from the next whole minute, for 7 days (Asia/Shanghai).
  const start = Math.ceil((Date.parse(now) + MINUTE) / MINUTE) * MINUTE;
  const offers = d.merchantGroupBuyOffers.nodes;
  return (
    <PortalShell kind="merchant" title="拼团活动" who={viewer.nickname}>
      <AutoRefresh seconds={5} />
      <section className="card">
        <h3>新建拼团</h3>
        <GroupOfferForm options={options} defaultStart={toShanghaiInput(new Date(start))} defaultEnd={toShanghaiInput(new Date(start + 7 * 1440 * MINUTE))} />
      </section>
      <section className="card">
        <div className="row between"><h3>我的拼团</h3><span className="muted">每 5 秒自动刷新</span></div>
        {offers.length === 0 ? (
          <p className="muted">还没有拼团活动</p>
        ) : (
          <table className="table">
            <thead>
              <tr><th></th><th>商品</th><th>拼团价</th><th>规则</th><th>活动时间</th><th>状态</th><th>进行中</th><th>已成团</th><th>未成团</th><th>占座</th><th>已付</th><th>成交额</th><th></th></tr>
            </thead>
            <tbody>
              {offers.map((o) => (
                <tr key={o.id} data-testid="group-offer-row">
                  {/* eslint-disable-next-line @next/next/no-img-element */}
                  <td>{o.image && <img className="thumb" src={o.image} alt="" />}</td>
                  <td><div>{o.productTitle}</div><div className="muted">{o.skuLabel}</div></td>
                  <td>{formatFen(o.groupPrice.amount)}<div className="strike" style={{ marginLeft: 0 }}>{formatFen(o.listPrice.amount)}</div></td>
                  <td>{o.groupSize} 人团<div className="muted">{formatMinutes(o.timeLimitMinutes)}</div></td>
                  <td className="muted">{formatTime(o.startsAt)}<br />至 {formatTime(o.endsAt)}</td>
                  <td><span className={`tag ${STATE_CLASS[o.state]}`} data-testid="group-offer-state">{STATE_TEXT[o.state]}</span></td>
                  <td data-testid="groups-open">{o.counters.groupsOpen}</td>
                  <td data-testid="groups-succeeded">{o.counters.groupsSucceeded}</td>
                  <td data-testid="groups-failed">{o.counters.groupsFailed}</td>
                  <td data-testid="group-seats">{o.counters.seatsTaken}</td>
                  <td data-testid="group-paid">{o.counters.paidMembers}</td>
                  <td data-testid="group-gmv">{formatFen(o.counters.gmv.amount)}</td>
                  <td>{(o.state === "ACTIVE" || o.state === "UPCOMING") && <DisableGroupOffer id={o.id} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {d.merchantGroupBuyOffers.pageInfo.hasNextPage && (
          <div className="pager"><Link className="btn" href={`/merchant/groups?after=${d.merchantGroupBuyOffers.pageInfo.endCursor}`}>下一页</Link></div>
        )}
      </section>
    </PortalShell>
  );
}
