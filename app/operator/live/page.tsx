import Link from "next/link";
import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { PortalShell } from "@/components/portal-shell";
import { formatTime } from "@/components/format";
import { formatFen } from "@/graphql/platform/money";
import { LiveStatusTag } from "@/components/live/live-status";
import { AddWordForm, AnchorReview, EndLiveButton, HeldCommentActions, HideReplayButton } from "./live-actions";

export const metadata = { title: "直播监管" };

const TABS = [["ANCHORS", "主播审核"], ["COMMENTS", "评论审核"], ["LIVES", "直播与回放"], ["WORDS", "词库"]] as const;
const ANCHOR_STATUS = [["PENDING", "待审核"], ["APPROVED", "已认证"], ["REJECTED", "未通过"], ["SUSPENDED", "已暂停"]] as const;
const CATEGORY: Record<string, string> = { HOLD: "拦截待审", MASK: "打码", AD_LAW: "广告法禁用语", ALLOW: "放行（白名单）" };

/** 直播监管: anchor certification, held comments, takedowns of lives and replays, word lists. Every action is audited. */
export default async function OperatorLivePage({ searchParams }: { searchParams: Promise<{ tab?: string; status?: string }> }) {
  const viewer = await requireRole("OPERATOR", "/operator/live");
  const sp = await searchParams;
  const tab = TABS.some(([k]) => k === sp.tab) ? sp.tab! : "ANCHORS";
  return (
    <PortalShell kind="operator" title="直播监管" who={viewer.nickname}>
      <div className="chips">{TABS.map(([k, label]) => <Link key={k} className={`chip ${tab === k ? "active" : ""}`} href={`/operator/live?tab=${k}`}>{label}</Link>)}</div>
      {tab === "ANCHORS" && <Anchors status={ANCHOR_STATUS.some(([k]) => k === sp.status) ? sp.status! : "PENDING"} />}
      {tab === "COMMENTS" && <HeldComments />}
      {tab === "LIVES" && <Lives />}
      {tab === "WORDS" && <Words />}
    </PortalShell>
  );
}

type Application = { userId: string; nickname: string; realName: string; status: string; tier: number; appliedAt: string; sessions: number; gmv: { amount: number }; violations: number };

async function Anchors({ status }: { status: string }) {
  const { anchorApplications: rows } = await query<{ anchorApplications: Application[] }>(
    `query($status: String) { anchorApplications(status: $status) { userId nickname realName status tier appliedAt sessions gmv { amount } violations } }`,
    { status },
  );
  return (
    <>
      <div className="chips">{ANCHOR_STATUS.map(([k, label]) => <Link key={k} className={`chip ${status === k ? "active" : ""}`} href={`/operator/live?tab=ANCHORS&status=${k}`}>{label}</Link>)}</div>
      <table className="table">
        <thead><tr><th>申请人</th><th>实名</th><th>申请时间</th><th>开播场次</th><th>直播成交额</th><th>违规</th><th>等级</th><th></th></tr></thead>
        <tbody>
          {rows.map((a) => (
            <tr key={a.userId} data-testid="anchor-row">
              <td>{a.nickname}</td>
              <td>{a.realName}</td>
              <td className="muted">{formatTime(a.appliedAt)}</td>
              <td>{a.sessions}</td>
              <td>{formatFen(a.gmv.amount)}</td>
              <td>{a.violations}</td>
              <td>{a.status === "APPROVED" ? a.tier : "—"}</td>
              <td><AnchorReview userId={a.userId} status={a.status} tier={a.tier} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p className="muted">没有记录</p>}
    </>
  );
}

type Held = { id: string; liveId: string; liveTitle: string; nickname: string; original: string; terms: string[]; createdAt: string };

async function HeldComments() {
  const { heldLiveComments: rows } = await query<{ heldLiveComments: Held[] }>(`{ heldLiveComments { id liveId liveTitle nickname original terms createdAt } }`);
  return (
    <>
      <p className="muted">命中拦截词库的评论只有作者本人可见（显示“审核中”）；放行后推送到直播间，驳回则不会展示。</p>
      <table className="table">
        <thead><tr><th>直播</th><th>用户</th><th>评论原文</th><th>命中词</th><th>时间</th><th></th></tr></thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.id} data-testid="held-comment">
              <td><Link href={`/live/${c.liveId}`} target="_blank">{c.liveTitle}</Link></td>
              <td>{c.nickname}</td>
              <td>{c.original}</td>
              <td>{c.terms.join("、")}</td>
              <td className="muted">{formatTime(c.createdAt)}</td>
              <td><HeldCommentActions id={c.id} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p className="muted">没有待审核的评论</p>}
    </>
  );
}

type OpLive = { id: string; title: string; status: string; hostName: string; startedAt: string | null; endedAt: string | null; peakViewers: number; endReason: string | null; replayHidden: boolean; replayHiddenReason: string | null };

async function Lives() {
  const { operatorLives: rows } = await query<{ operatorLives: OpLive[] }>(`{ operatorLives { id title status hostName startedAt endedAt peakViewers endReason replayHidden replayHiddenReason } }`);
  return (
    <>
      <table className="table">
        <thead><tr><th>直播</th><th>主播</th><th>状态</th><th>时间</th><th>峰值在线</th><th>说明</th><th></th></tr></thead>
        <tbody>
          {rows.map((l) => (
            <tr key={l.id} data-testid="operator-live-row">
              <td><Link href={`/live/${l.id}`} target="_blank">{l.title}</Link></td>
              <td>{l.hostName}</td>
              <td><LiveStatusTag status={l.status} />{l.replayHidden && <span className="tag tag-gray" style={{ marginLeft: 4 }}>回放已下架</span>}</td>
              <td className="muted">{formatTime(l.startedAt)}{l.endedAt ? ` 至 ${formatTime(l.endedAt)}` : ""}</td>
              <td>{l.peakViewers}</td>
              <td className="muted">{l.endReason ?? l.replayHiddenReason ?? ""}</td>
              <td>{l.status === "LIVE" ? <EndLiveButton liveId={l.id} /> : !l.replayHidden ? <HideReplayButton liveId={l.id} /> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p className="muted">没有直播</p>}
    </>
  );
}

async function Words() {
  const { moderationWords: rows } = await query<{ moderationWords: { id: string; category: string; term: string; createdAt: string }[] }>(`{ moderationWords { id category term createdAt } }`);
  return (
    <>
      <AddWordForm />
      <p className="muted">平台内置词库随版本发布；这里追加的词语 30 秒内在所有实例生效。</p>
      <table className="table">
        <thead><tr><th>词库</th><th>词语</th><th>添加时间</th></tr></thead>
        <tbody>
          {rows.map((w) => (
            <tr key={w.id} data-testid="moderation-word"><td>{CATEGORY[w.category] ?? w.category}</td><td>{w.term}</td><td className="muted">{formatTime(w.createdAt)}</td></tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p className="muted">还没有追加的词语</p>}
    </>
  );
}
