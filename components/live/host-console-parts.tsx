"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { gqlFetch, mutate } from "@/components/client/gql";
import { LiveStatusTag } from "@/components/live/live-status";
import type { RoomState } from "@/components/live/use-room-events";
import type { RoomComment, RoomShelfBase } from "@/components/live/room-types";
import { formatTime } from "@/components/format";

/**
 * The pieces every host console shares — a merchant's sales live and a supplier's training live:
 * the counters, the comment column with its moderation, the go-live form and the ended summary.
 * Each console names its own mutations (HostApi), since the schema keeps the two roles' operations
 * apart; everything else is the same component.
 */

export type HostOp = { query: string; field: string };
/** start: ($liveId, $url); end, pin ($productId), shelf ($productId, $on), muteAll ($muted): ($liveId); moderate: ($id, $action) → Boolean; ban: ($liveId, $commentId, $kind). */
export type HostApi = { start: HostOp; end: HostOp; pin: HostOp; shelf: HostOp; moderate: HostOp; ban: HostOp; muteAll: HostOp };
export type HostCounters = { peakViewers: number; uniqueViewers: number; commentCount: number; reservations?: number; likeCount: number };

export const DEMO_PLAYBACK = "/media/demo-live/index.m3u8";

/** One mutation at a time, with its error or notice shown: what every console button goes through. */
export function useHostRunner() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  async function run(op: HostOp, vars: Record<string, unknown>, then?: () => void) {
    setBusy(true);
    setError(null);
    const result = await mutate(op.query, vars, op.field);
    setBusy(false);
    if (!result.ok) return setError(result.message);
    then?.();
  }
  async function runBoolean(op: HostOp, vars: Record<string, unknown>, then?: () => void) {
    setBusy(true);
    setError(null);
    const { data, errors } = await gqlFetch<Record<string, boolean>>(op.query, vars);
    setBusy(false);
    if (errors.length || !data?.[op.field]) return setError(errors[0]?.message ?? "操作失败");
    then?.();
  }
  return { busy, error, notice, setNotice, run, runBoolean };
}
export type HostRunner = ReturnType<typeof useHostRunner>;

export function ConsoleStats<P extends RoomShelfBase>({ state, live }: { state: RoomState<P>; live: HostCounters }) {
  return (
    <div className="stats">
      <div className="stat"><div className="muted">状态</div><div className="value"><LiveStatusTag status={state.status} /></div></div>
      <div className="stat"><div className="muted">在线人数</div><div className="value" data-testid="console-viewers">{state.viewers ?? "–"}</div></div>
      <div className="stat"><div className="muted">峰值在线</div><div className="value">{Math.max(live.peakViewers, state.viewers ?? 0)}</div></div>
      <div className="stat"><div className="muted">点赞</div><div className="value" data-testid="console-likes">{state.likes}</div></div>
      <div className="stat"><div className="muted">评论</div><div className="value">{Math.max(live.commentCount, state.comments.length)}</div></div>
      <div className="stat"><div className="muted">观看人数</div><div className="value">{live.uniqueViewers}</div></div>
    </div>
  );
}

export function ConsoleMessages({ runner }: { runner: HostRunner }) {
  return (
    <>
      {runner.error && <p className="error" role="alert">{runner.error}</p>}
      {runner.notice && <p className="success" role="status">{runner.notice}</p>}
    </>
  );
}

/** The comment column: 全员禁言 on/off, the pinned comment, then each comment with 置顶 / 删除 / 禁言 / 拉黑. */
export function ConsoleComments<P extends RoomShelfBase>({
  liveId,
  state,
  api,
  runner,
  apply,
}: {
  liveId: string;
  state: RoomState<P>;
  api: HostApi;
  runner: HostRunner;
  apply: (kind: string, data: Record<string, unknown>) => void;
}) {
  function act(c: RoomComment, what: "DELETE" | "PIN" | "MUTE" | "BLOCK") {
    if (what === "MUTE" || what === "BLOCK") {
      if (what === "BLOCK" && !confirm(`将 ${c.nickname} 移出直播间？`)) return;
      return runner.run(api.ban, { liveId, commentId: c.id, kind: what }, () => runner.setNotice(`已${what === "MUTE" ? "禁言" : "移出"} ${c.nickname}`));
    }
    return runner.runBoolean(api.moderate, { id: c.id, action: what }, () => apply(what === "DELETE" ? "COMMENT_DELETED" : "COMMENT_PINNED", { id: c.id, body: c.body }));
  }
  const muteAll = () => {
    const muted = !state.commentsMuted;
    return runner.run(api.muteAll, { liveId, muted }, () => apply("MUTE_ALL", { muted }));
  };
  return (
    <section className="card">
      <div className="row between">
        <h3>评论</h3>
        <button className="btn btn-sm" data-testid="mute-all" aria-pressed={state.commentsMuted} disabled={runner.busy} onClick={muteAll}>
          {state.commentsMuted ? "解除全员禁言" : "全员禁言"}
        </button>
      </div>
      {state.commentsMuted && <p className="notice" data-testid="mute-all-on">已开启全员禁言：观众暂时不能发言，你仍可以回复</p>}
      {state.pinnedComment && <p className="notice">置顶评论：{state.pinnedComment.body}</p>}
      <div className="console-comments" data-testid="console-comments">
        {state.comments.length === 0 && <p className="muted">还没有评论</p>}
        {state.comments.map((c) => (
          <div className="console-comment" data-testid="console-comment" key={c.id}>
            <span className="grow"><b>{c.nickname}</b>：{c.body}</span>
            <button className="btn btn-sm" disabled={runner.busy} onClick={() => act(c, "PIN")}>置顶</button>
            <button className="btn btn-sm" disabled={runner.busy} onClick={() => act(c, "DELETE")}>删除</button>
            <button className="btn btn-sm" disabled={runner.busy} onClick={() => act(c, "MUTE")}>禁言</button>
            <button className="btn btn-sm" disabled={runner.busy} onClick={() => act(c, "BLOCK")}>拉黑</button>
          </div>
        ))}
      </div>
    </section>
  );
}

/** Before the live: the playback URL and 开始直播; `notice` (e.g. anchor certification) and `shelf` come from the console. */
export function StartPanel({ liveId, scheduledAt, videoUrl, api, notice, summary, shelf }: { liveId: string; scheduledAt: string; videoUrl: string | null; api: HostApi; notice?: React.ReactNode; summary: string; shelf: React.ReactNode }) {
  const router = useRouter();
  const [url, setUrl] = useState(videoUrl ?? DEMO_PLAYBACK);
  const runner = useHostRunner();
  async function start(e: React.FormEvent) {
    e.preventDefault();
    await runner.run(api.start, { liveId, url: url.trim() || null }, () => router.refresh());
  }
  return (
    <div className="console-grid">
      <section className="card">
        <h3>开播</h3>
        <p>计划开播时间：{formatTime(scheduledAt)} · {summary}</p>
        {notice}
        <form onSubmit={start}>
          <label className="field">
            <span>播放地址（HLS .m3u8）</span>
            <input className="input" value={url} onChange={(e) => setUrl(e.target.value)} data-testid="playback-url" />
            <small className="muted field-hint">用任意 RTMP 推流工具推流到你的直播服务，把 HLS 播放地址填在这里</small>
          </label>
          <ConsoleMessages runner={runner} />
          <button className="btn btn-primary" disabled={runner.busy} data-testid="start-live">{runner.busy ? "开播中…" : "开始直播"}</button>
        </form>
      </section>
      <section className="card">
        <h3>直播货架</h3>
        {shelf}
      </section>
    </div>
  );
}

/** After the live: its numbers, and what the console adds (chapters, replay). */
export function EndedSummary({ live, startedAt, endedAt, endReason, replayHidden, children }: { live: HostCounters; startedAt: string | null; endedAt: string | null; endReason: string | null; replayHidden: boolean; children?: React.ReactNode }) {
  return (
    <section className="card">
      <h3>本场数据</h3>
      <div className="stats">
        <div className="stat"><div className="muted">峰值在线</div><div className="value">{live.peakViewers}</div></div>
        <div className="stat"><div className="muted">观看人数</div><div className="value">{live.uniqueViewers}</div></div>
        {live.reservations !== undefined && <div className="stat"><div className="muted">预约</div><div className="value">{live.reservations}</div></div>}
        <div className="stat"><div className="muted">评论</div><div className="value">{live.commentCount}</div></div>
        <div className="stat"><div className="muted">点赞</div><div className="value">{live.likeCount}</div></div>
      </div>
      <p className="muted">{formatTime(startedAt)} 至 {formatTime(endedAt)}</p>
      {endReason && <p className="error">平台结束了本场直播：{endReason}</p>}
      {replayHidden && <p className="error">回放已被平台下架</p>}
      {children}
    </section>
  );
}
