import Link from "next/link";
import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { PortalShell } from "@/components/portal-shell";
import { formatTime } from "@/components/format";
import { FreezeForm, ReviewActions } from "./risk-actions";

export const metadata = { title: "风控审核" };

type Person = { id: string; nickname: string; phone: string | null; inviteCode: string | null; frozen: boolean; inviteDisabled: boolean };
const PERSON = `{ id nickname phone inviteCode frozen inviteDisabled }`;
const REVIEWS = `query Reviews($status: RiskReviewStatus!) {
  riskReviews(status: $status, first: 50) { nodes { id reason detailText status resolution createdAt resolvedAt person ${PERSON} } }
}`;
const PAIRS = `{ riskPairs(first: 50) { nodes { id kind orderNo createdAt invitee ${PERSON} inviter ${PERSON} } } }`;

type Review = { id: string; reason: string; detailText: string; status: string; resolution: string | null; createdAt: string; resolvedAt: string | null; person: Person };
type Pair = { id: string; kind: string; orderNo: string | null; createdAt: string; invitee: Person; inviter: Person };

const TABS = [["OPEN", "待审核"], ["CLEARED", "已解除"], ["CONFIRMED", "维持处理"], ["PAIRS", "关联风险"]] as const;
const REASON: Record<string, string> = { REFUND_RATE: "下级退款率异常", BULK_REGISTRATION: "批量注册", MANUAL: "人工冻结" };
const KIND: Record<string, string> = { DEVICE: "同一设备", PHONE: "同一手机号", ADDRESS: "同一收货地址", PAYMENT_ACCOUNT: "同一支付账户" };

const who = (p: Person) => `${p.nickname} ${p.phone ?? ""}`;

/** Risk queue (rule book §6): frozen people and paused invite codes awaiting review, and risk pairs. */
export default async function RiskPage({ searchParams }: { searchParams: Promise<{ tab?: string }> }) {
  const viewer = await requireRole("OPERATOR", "/operator/risk");
  const { tab } = await searchParams;
  const current = TABS.some(([k]) => k === tab) ? tab! : "OPEN";
  return (
    <PortalShell kind="operator" title="风控审核" who={viewer.nickname}>
      <div className="chips">{TABS.map(([k, label]) => <Link key={k} className={`chip ${current === k ? "active" : ""}`} href={`/operator/risk?tab=${k}`}>{label}</Link>)}</div>
      {current === "PAIRS" ? <Pairs /> : <Reviews status={current} />}
      <FreezeForm />
    </PortalShell>
  );
}

async function Reviews({ status }: { status: string }) {
  const { riskReviews } = await query<{ riskReviews: { nodes: Review[] } }>(REVIEWS, { status });
  return (
    <>
      <table className="table">
        <thead><tr><th>用户</th><th>原因</th><th>发现</th><th>时间</th><th>{status === "OPEN" ? "" : "处理说明"}</th></tr></thead>
        <tbody>
          {riskReviews.nodes.map((r) => (
            <tr key={r.id} data-testid="risk-review">
              <td>{who(r.person)}<div className="muted">邀请码 {r.person.inviteCode ?? "—"}{r.person.frozen ? " · 冻结中" : ""}{r.person.inviteDisabled ? " · 邀请码暂停" : ""}</div></td>
              <td>{REASON[r.reason] ?? r.reason}</td>
              <td>{r.detailText}</td>
              <td className="muted">{formatTime(r.createdAt)}</td>
              <td>{status === "OPEN" ? <ReviewActions id={r.id} /> : <span className="muted">{r.resolution}（{r.resolvedAt ? formatTime(r.resolvedAt) : ""}）</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {riskReviews.nodes.length === 0 && <p className="muted">没有记录</p>}
    </>
  );
}

async function Pairs() {
  const { riskPairs } = await query<{ riskPairs: { nodes: Pair[] } }>(PAIRS);
  return (
    <>
      <p className="muted">邀请人与被邀请人共用设备、手机号、收货地址或支付账户：被邀请人的订单不产生任何奖励，也不为邀请人计入晋升。</p>
      <table className="table">
        <thead><tr><th>被邀请人</th><th>邀请人</th><th>关联</th><th>发现于订单</th><th>时间</th></tr></thead>
        <tbody>
          {riskPairs.nodes.map((p) => (
            <tr key={p.id} data-testid="risk-pair">
              <td>{who(p.invitee)}</td><td>{who(p.inviter)}</td><td>{KIND[p.kind] ?? p.kind}</td><td className="muted">{p.orderNo ?? "注册时"}</td><td className="muted">{formatTime(p.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {riskPairs.nodes.length === 0 && <p className="muted">没有记录</p>}
    </>
  );
}
