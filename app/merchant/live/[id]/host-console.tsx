"use client";

import { useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { gqlFetch, mutate } from "@/components/client/gql";
import { LivePlayer } from "@/components/live-player";
import { LiveStatusTag } from "@/components/live/live-status";
import { useRoomEvents } from "@/components/live/use-room-events";
import type { RoomComment, ShopLiveData } from "@/components/live/room-types";
import { formatTime, yuan } from "@/components/format";
import { formatOffset } from "@/graphql/live/live.rules";

export type MerchantLiveData = { peakViewers: number; uniqueViewers: number; reservations: number; commentCount: number };

const LIVE_ERRORS = "errors { code message field }";
const START = `mutation($liveId: ID!, $url: String) { startLive(liveId: $liveId, playbackUrl: $url) { live { id } ${LIVE_ERRORS} } }`;
const END = `mutation($liveId: ID!) { endLive(liveId: $liveId) { live { id } ${LIVE_ERRORS} } }`;
const PIN = `mutation($liveId: ID!, $productId: ID) { pinLiveProduct(liveId: $liveId, productId: $productId) { live { id } ${LIVE_ERRORS} } }`;
const SHELF = `mutation($liveId: ID!, $productId: ID!, $on: Boolean!) { setLiveShelf(liveId: $liveId, productId: $productId, onShelf: $on) { live { id } ${LIVE_ERRORS} } }`;
const PRICE = `mutation($liveId: ID!, $skuId: ID!, $price: Int!) { changeLivePrice(liveId: $liveId, skuId: $skuId, livePrice: $price) { live { id } ${LIVE_ERRORS} } }`;
const MODERATE = `mutation($id: ID!, $action: String!) { moderateLiveComment(commentId: $id, action: $action) }`;
const BAN = `mutation($liveId: ID!, $commentId: ID!, $kind: LiveBanKind!) { banLiveViewer(liveId: $liveId, commentId: $commentId, kind: $kind) { ok ${LIVE_ERRORS} } }`;

export const DEMO_PLAYBACK = "/media/demo-live/index.m3u8";

/**
 * The host console. Follows the room's own event stream (what viewers see is what the host sees):
 * viewers, likes, comments, the pinned product and the shelf. Every change is also applied at once
 * from the mutation's answer, so the console never waits on the stream.
 */
export function HostConsole({ live, anchorApproved }: { live: ShopLiveData & MerchantLiveData; anchorApproved: boolean }) {
  const router = useRouter();
  const [state, dispatch] = useRoomEvents(live, null, (kind) => {
    if (kind === "START" || kind === "END") router.refresh();
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const apply = (kind: string, data: Record<string, unknown>) => dispatch({ type: "event", kind, data, me: null });

  async function run(query: string, vars: Record<string, unknown>, field: string, then?: () => void) {
    setBusy(true);
    setError(null);
    const result = await mutate(query, vars, field);
    setBusy(false);
    if (!result.ok) return setError(result.message);
    then?.();
  }

  async function moderate(c: RoomComment, what: "DELETE" | "PIN" | "MUTE" | "BLOCK") {
    if (what === "MUTE" || what === "BLOCK") {
      if (what === "BLOCK" && !confirm(`将 ${c.nickname} 移出直播间？`)) return;
      return run(BAN, { liveId: live.id, commentId: c.id, kind: what }, "banLiveViewer", () => setNotice(`已${what === "MUTE" ? "禁言" : "移出"} ${c.nickname}`));
    }
    setBusy(true);
    const { data, errors } = await gqlFetch<{ moderateLiveComment: boolean }>(MODERATE, { id: c.id, action: what });
    setBusy(false);
    if (errors.length || !data?.moderateLiveComment) return setError(errors[0]?.message ?? "操作失败");
    apply(what === "DELETE" ? "COMMENT_DELETED" : "COMMENT_PINNED", { id: c.id, body: c.body });
  }

  if (state.status === "SCHEDULED") return <StartPanel live={live} anchorApproved={anchorApproved} />;
  if (state.status === "ENDED") return <EndedPanel live={live} />;

  return (
    <div className="console-grid">
      <div>
        <div className="stats">
          <div className="stat"><div className="muted">状态</div><div className="value"><LiveStatusTag status={state.status} /></div></div>
          <div className="stat"><div className="muted">在线人数</div><div className="value" data-testid="console-viewers">{state.viewers ?? "–"}</div></div>
          <div className="stat"><div className="muted">峰值在线</div><div className="value">{Math.max(live.peakViewers, state.viewers ?? 0)}</div></div>
          <div className="stat"><div className="muted">点赞</div><div className="value" data-testid="console-likes">{state.likes}</div></div>
          <div className="stat"><div className="muted">评论</div><div className="value">{Math.max(live.commentCount, state.comments.length)}</div></div>
          <div className="stat"><div className="muted">观看人数</div><div className="value">{live.uniqueViewers}</div></div>
        </div>
        {error && <p className="error" role="alert">{error}</p>}
        {notice && <p className="success" role="status">{notice}</p>}
        <section className="card">
          <div className="row between">
            <h3 style={{ margin: 0 }}>直播货架</h3>
            <span className="row">
              {state.pinnedProductId && <button className="btn btn-sm" disabled={busy} onClick={() => run(PIN, { liveId: live.id, productId: null }, "pinLiveProduct", () => apply("UNPIN", {}))}>取消讲解</button>}
              <button className="btn btn-sm" disabled={busy} onClick={() => confirm("确定结束直播？结束后将生成回放。") && run(END, { liveId: live.id }, "endLive", () => router.refresh())} data-testid="end-live">结束直播</button>
            </span>
          </div>
          <table className="table" style={{ marginTop: 8 }}>
            <thead><tr><th>商品</th><th>规格与直播价</th><th>货架</th><th></th></tr></thead>
            <tbody>
              {state.shelf.map((p) => (
                <tr key={p.productId} data-testid="console-shelf-row">
                  <td>
                    <div>{p.title}</div>
                    {p.productId === state.pinnedProductId && <span className="tag" data-testid="console-pinned">讲解中</span>}
                  </td>
                  <td>
                    {p.skus.map((s) => (
                      <PriceEditor key={s.skuId} label={s.label} list={s.listPrice.amount} live={s.livePrice?.amount ?? null} disabled={busy} onSave={(fen) => run(PRICE, { liveId: live.id, skuId: s.skuId, price: fen }, "changeLivePrice", () => apply("PRICE", { skuId: s.skuId, livePrice: fen }))} />
                    ))}
                  </td>
                  <td>
                    <button className="btn btn-sm" disabled={busy} onClick={() => run(SHELF, { liveId: live.id, productId: p.productId, on: !p.onShelf }, "setLiveShelf", () => apply(p.onShelf ? "SHELF_OFF" : "SHELF_ON", { productId: p.productId }))}>
                      {p.onShelf ? "下架" : "上架"}
                    </button>
                  </td>
                  <td>
                    {p.productId !== state.pinnedProductId && p.onShelf && (
                      <button className="btn btn-sm btn-primary" disabled={busy} onClick={() => run(PIN, { liveId: live.id, productId: p.productId }, "pinLiveProduct", () => apply("PIN", { productId: p.productId }))} data-testid="pin">
                        讲解
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
      <div>
        <section className="card">
          <h3>直播画面预览</h3>
          <div className="console-preview">{live.videoUrl ? <LivePlayer src={live.videoUrl} live loop /> : <p className="muted">无播放地址</p>}</div>
          <p className="muted">观众看到的画面有几秒延迟。<Link href={`/live/${live.id}`} target="_blank" style={{ textDecoration: "underline" }}>在新窗口打开直播间</Link></p>
        </section>
        <section className="card">
          <h3>评论</h3>
          {state.pinnedComment && <p className="notice">置顶评论：{state.pinnedComment.body}</p>}
          <div className="console-comments" data-testid="console-comments">
            {state.comments.length === 0 && <p className="muted">还没有评论</p>}
            {state.comments.map((c) => (
              <ConsoleComment key={c.id} comment={c} busy={busy} act={(what) => moderate(c, what)} />
            ))}
          </div>
        </section>
      </div>
    </div>
  );
}

function ConsoleComment({ comment, busy, act }: { comment: RoomComment; busy: boolean; act: (what: "DELETE" | "PIN" | "MUTE" | "BLOCK") => void }) {
  return (
    <div className="console-comment" data-testid="console-comment">
      <span className="grow"><b>{comment.nickname}</b>：{comment.body}</span>
      <button className="btn btn-sm" disabled={busy} onClick={() => act("PIN")}>置顶</button>
      <button className="btn btn-sm" disabled={busy} onClick={() => act("DELETE")}>删除</button>
      <button className="btn btn-sm" disabled={busy} onClick={() => act("MUTE")}>禁言</button>
      <button className="btn btn-sm" disabled={busy} onClick={() => act("BLOCK")}>拉黑</button>
    </div>
  );
}

/** A SKU's live price: shown, and editable in yuan (sent in fen; the server checks the floor). */
function PriceEditor({ label, list, live, disabled, onSave }: { label: string; list: number; live: number | null; disabled: boolean; onSave: (fen: number) => void }) {
  const [value, setValue] = useState(live === null ? "" : yuan(live));
  const fen = Math.round(Number(value) * 100);
  return (
    <div className="row" style={{ marginBottom: 4 }}>
      <span className="muted" style={{ minWidth: 110 }}>{label} · ¥{yuan(list)}</span>
      <input className="input" style={{ maxWidth: 100 }} inputMode="decimal" value={value} placeholder="直播价" aria-label={`${label} 直播价`} onChange={(e) => setValue(e.target.value)} />
      <button className="btn btn-sm" disabled={disabled || !value.trim() || !(fen > 0) || fen === live} onClick={() => onSave(fen)}>改价</button>
    </div>
  );
}

function StartPanel({ live, anchorApproved }: { live: ShopLiveData & MerchantLiveData; anchorApproved: boolean }) {
  const router = useRouter();
  const [url, setUrl] = useState(live.videoUrl ?? DEMO_PLAYBACK);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function start(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const result = await mutate(START, { liveId: live.id, url: url.trim() || null }, "startLive");
    setBusy(false);
    if (!result.ok) return setError(result.message);
    router.refresh();
  }
  return (
    <div className="console-grid">
      <section className="card">
        <h3>开播</h3>
        <p>计划开播时间：{formatTime(live.scheduledAt)} · 已预约 {live.reservations} 人 · 货架 {live.shelf.length} 件商品</p>
        {!anchorApproved && <p className="notice">开播需先完成主播认证。<Link href="/merchant/anchor" style={{ textDecoration: "underline" }}>去认证</Link></p>}
        <form onSubmit={start}>
          <label className="field">
            <span>播放地址（HLS .m3u8）</span>
            <input className="input" value={url} onChange={(e) => setUrl(e.target.value)} data-testid="playback-url" />
            <small className="muted field-hint">用任意 RTMP 推流工具推流到你的直播服务，把 HLS 播放地址填在这里</small>
          </label>
          {error && <p className="error" role="alert">{error}</p>}
          <button className="btn btn-primary" disabled={busy} data-testid="start-live">{busy ? "开播中…" : "开始直播"}</button>
        </form>
      </section>
      <section className="card">
        <h3>直播货架</h3>
        {live.shelf.map((p) => (
          <div key={p.productId} className="row between" style={{ padding: "6px 0" }}>
            <span>{p.title}</span>
            <span className="muted">{p.skus.filter((s) => s.livePrice).map((s) => `${s.label} 直播价 ¥${yuan(s.livePrice!.amount)}`).join("；") || "无直播价"}</span>
          </div>
        ))}
      </section>
    </div>
  );
}

function EndedPanel({ live }: { live: ShopLiveData & MerchantLiveData }) {
  return (
    <div className="console-grid">
      <section className="card">
        <h3>本场数据</h3>
        <div className="stats">
          <div className="stat"><div className="muted">峰值在线</div><div className="value">{live.peakViewers}</div></div>
          <div className="stat"><div className="muted">观看人数</div><div className="value">{live.uniqueViewers}</div></div>
          <div className="stat"><div className="muted">预约</div><div className="value">{live.reservations}</div></div>
          <div className="stat"><div className="muted">评论</div><div className="value">{live.commentCount}</div></div>
          <div className="stat"><div className="muted">点赞</div><div className="value">{live.likeCount}</div></div>
        </div>
        <p className="muted">{formatTime(live.startedAt)} 至 {formatTime(live.endedAt)}</p>
        {live.endReason && <p className="error">平台结束了本场直播：{live.endReason}</p>}
        {live.replayHidden && <p className="error">回放已被平台下架</p>}
      </section>
      <section className="card">
        <h3>回放章节</h3>
        {live.chapters.length === 0 && <p className="muted">本场没有商品讲解记录</p>}
        {live.chapters.map((c) => (
          <div key={`${c.productId}-${c.startMs}`} className="row between" style={{ padding: "6px 0" }}>
            <span>{formatOffset(c.startMs)} {c.title}</span>
            <Link className="btn btn-sm" href={`/live/${live.id}?t=${Math.floor(c.startMs / 1000)}`} target="_blank">看这段</Link>
          </div>
        ))}
      </section>
    </div>
  );
}
