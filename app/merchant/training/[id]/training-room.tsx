"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { mutate } from "@/components/client/gql";
import { LivePlayer } from "@/components/live-player";
import { LiveStatusTag } from "@/components/live/live-status";
import { useRoomEvents } from "@/components/live/use-room-events";
import { ReplayChapters } from "@/components/live/replay-chapters";
import { ReserveButton } from "@/components/live/reserve-button";
import { TrainingProductCard } from "@/components/live/training-product";
import type { TrainingLiveData } from "@/components/live/training-types";
import type { RoomComment } from "@/components/live/room-types";
import { formatTime } from "@/components/format";

const COMMENT = `mutation($liveId: ID!, $text: String!) { postLiveComment(liveId: $liveId, text: $text) { comment { id nickname body status pinned } errors { code message field } } }`;

/**
 * A training room for merchants: the stream with the product being explained on top of the
 * shelf (supply price, selling points, script, material pack) and the chat, kept current by the
 * room's events; before it starts the shelf to prepare with; after it, the replay with chapters.
 */
export function TrainingRoom({ live, startAt, canReserve }: { live: TrainingLiveData; startAt: number; canReserve: boolean }) {
  const router = useRouter();
  const [state, dispatch] = useRoomEvents(live, null, (kind) => {
    if (kind === "START" || kind === "END") router.refresh();
  });
  const pinnedFirst = [...state.shelf].sort((a, b) => Number(b.productId === state.pinnedProductId) - Number(a.productId === state.pinnedProductId));
  const shelf = (
    <section className="card" data-testid="training-shelf">
      <h3>培训商品（{state.shelf.filter((p) => p.onShelf).length}）</h3>
      {pinnedFirst.filter((p) => p.onShelf).map((p) => (
        <TrainingProductCard key={p.productId} product={p} pinned={p.productId === state.pinnedProductId} openScript={p.productId === state.pinnedProductId} />
      ))}
    </section>
  );

  if (state.blockedMe) return <p className="error">你已被移出该培训直播间</p>;
  return (
    <div data-testid="training-room" data-status={state.status}>
      <p className="row">
        <LiveStatusTag status={state.status} />
        <span className="muted">{live.supplierName} · 讲师 {live.hostName} · {state.status === "SCHEDULED" ? `${formatTime(live.scheduledAt)} 开播` : formatTime(live.startedAt)}</span>
      </p>
      {state.status === "ENDED" ? (
        <div className="console-grid">
          <section className="card">
            {live.endReason && <p className="error">本场直播已被平台结束：{live.endReason}</p>}
            <ReplayChapters videoUrl={live.videoUrl} chapters={live.chapters} hidden={live.replayHidden} startAt={startAt} />
          </section>
          {shelf}
        </div>
      ) : state.status === "SCHEDULED" ? (
        <div className="console-grid">
          <section className="card">
            {/* eslint-disable-next-line @next/next/no-img-element */}
            {live.cover && <img src={live.cover} alt="" style={{ width: "100%", aspectRatio: "16 / 9", objectFit: "cover", borderRadius: 8 }} />}
            <p>培训将于 <b>{formatTime(live.scheduledAt)}</b> 开始，开播后本页自动进入直播。可以先看看货架上的商品话术和素材。</p>
            {canReserve && (
              <p className="row">
                <ReserveButton kind="TRAINING" liveId={live.id} reserved={live.reservedByMe} signInHref={`/staff/login?next=/merchant/training/${live.id}`} />
                <span className="muted">预约后开播时会在消息中心提醒你{live.reservationCount > 0 ? ` · ${live.reservationCount} 位店主已预约` : ""}</span>
              </p>
            )}
          </section>
          {shelf}
        </div>
      ) : (
        <div className="console-grid">
          <div>
            <section className="card">
              <div className="console-preview" style={{ aspectRatio: "16 / 9" }}>{live.videoUrl ? <LivePlayer src={live.videoUrl} live loop /> : <p className="muted">主播暂未推流</p>}</div>
              {state.announcement && <p className="notice" data-testid="announcement">公告：{state.announcement}</p>}
            </section>
            {shelf}
          </div>
          <section className="card">
            <h3>互动（{state.viewers ?? "–"} 位店主在线）</h3>
            {state.pinnedComment && <p className="notice">置顶：{state.pinnedComment.body}</p>}
            <div className="console-comments" data-testid="training-comments">
              {state.comments.length === 0 && <p className="muted">还没有评论，向讲师提问吧</p>}
              {state.comments.map((c) => (
                <div key={c.id} className="console-comment">
                  <span className="grow"><b>{c.nickname}</b>：{c.body}</span>
                  {c.status === "HELD" && <span className="tag tag-gray">审核中</span>}
                </div>
              ))}
            </div>
            {state.mutedMe ? <p className="muted">你已被禁言</p> : state.commentsMuted ? <p className="muted" data-testid="room-muted">讲师已开启全员禁言</p> : <AskForm liveId={live.id} onPosted={(c) => dispatch({ type: "comment", comment: c })} />}
          </section>
        </div>
      )}
    </div>
  );
}

function AskForm({ liveId, onPosted }: { liveId: string; onPosted: (c: RoomComment) => void }) {
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function send(e: React.FormEvent) {
    e.preventDefault();
    if (!text.trim() || busy) return;
    setBusy(true);
    const r = await mutate<{ comment: RoomComment; errors: [] }>(COMMENT, { liveId, text }, "postLiveComment");
    setBusy(false);
    if (!r.ok) return setError(r.message);
    setText("");
    setError(null);
    onPosted(r.payload.comment);
  }
  return (
    <form className="row" onSubmit={send} style={{ marginTop: 8 }}>
      <input className="input grow" value={text} maxLength={100} onChange={(e) => setText(e.target.value)} placeholder="向讲师提问…" aria-label="评论" />
      <button className="btn btn-primary" disabled={busy || !text.trim()}>发送</button>
      {error && <span className="error" role="alert">{error}</span>}
    </form>
  );
}
