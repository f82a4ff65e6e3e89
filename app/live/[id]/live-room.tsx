"use client";

import { useEffect, useRef, useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { gqlFetch, mutate } from "@/components/client/gql";
import { LivePlayer } from "@/components/live-player";
import { Price } from "@/components/shop-parts";
import { formatCountdown } from "@/components/flash-countdown";
import { formatTime } from "@/components/format";
import { useRoomEvents } from "@/components/live/use-room-events";
import { productPrice, type RoomProduct, type ShopLiveData } from "@/components/live/room-types";
import type { AddressData } from "@/components/address-picker";
import { LiveCheckout } from "./live-checkout";
import { LivePerks } from "./live-perks";

const COMMENT = `mutation($liveId: ID!, $text: String!) { postLiveComment(liveId: $liveId, text: $text) { comment { id nickname body status pinned } errors { code message field } } }`;
const LIKE = `mutation($liveId: ID!, $taps: Int!) { likeLive(liveId: $liveId, taps: $taps) }`;
const RESERVE = `mutation($liveId: ID!) { reserveLive(liveId: $liveId) }`;
const CLICK = `mutation($liveId: ID!, $productId: ID!) { clickLiveProduct(liveId: $liveId, productId: $productId) }`;

type Me = { userId: string; buyer: boolean } | null;

/** The live room while scheduled or on air: video, chat, likes, the 讲解中 card and the shelf. */
export function LiveRoom({ live, me, addresses, serverNow, invitePath = null }: { live: ShopLiveData; me: Me; addresses: AddressData[]; serverNow: string; invitePath?: string | null }) {
  const router = useRouter();
  const [state, dispatch] = useRoomEvents(live, me?.userId ?? null, (kind) => {
    // The stream URL and the replay come from the server: let it re-render the room.
    if (kind === "START" || kind === "END") router.refresh();
  });
  const [sheet, setSheet] = useState<"shelf" | { productId: string } | null>(null);
  const loginHref = `/login?next=${encodeURIComponent(`/live/${live.id}`)}`;
  const pinned = state.shelf.find((p) => p.productId === state.pinnedProductId && p.onShelf) ?? null;
  const onAir = state.status === "LIVE";

  function openProduct(p: RoomProduct) {
    setSheet({ productId: p.productId });
    if (me) void gqlFetch(CLICK, { liveId: live.id, productId: p.productId });
  }

  if (state.blockedMe) {
    return (
      <div className="live-room live-room-closed">
        <p>你已被主播移出直播间</p>
        {live.storeSlug && <Link className="btn" href={`/s/${live.storeSlug}`}>去店铺逛逛</Link>}
      </div>
    );
  }

  return (
    <div className="live-room" data-testid="live-room" data-status={state.status}>
      {onAir && live.videoUrl ? (
        <LivePlayer src={live.videoUrl} live loop className="live-stage" />
      ) : (
        <Scheduled live={live} serverNow={serverNow} loginHref={loginHref} signedIn={!!me} />
      )}
      <header className="live-top">
        {live.storeSlug ? <Link href={`/s/${live.storeSlug}`} className="live-back" aria-label="返回店铺">‹</Link> : null}
        <div className="live-host grow">
          <strong className="ellipsis">{live.hostName}</strong>
          <span className="ellipsis">{live.title}</span>
        </div>
        {onAir && <span className="live-badge">直播中</span>}
        <span className="live-stat" data-testid="viewer-count">{state.viewers ?? "–"} 人在看</span>
        <span className="live-stat" data-testid="like-count">{state.likes} 赞</span>
      </header>
      {onAir && (
        <div className="live-bottom">
          {state.announcement && <div className="live-pinned-comment" data-testid="announcement"><b>公告</b> {state.announcement}</div>}
          <LivePerks liveId={live.id} storeSlug={live.storeSlug} coupons={live.coupons} tasks={live.tasks} signedIn={!!me} loginHref={loginHref} invitePath={invitePath} />
          {state.pinnedComment && <div className="live-pinned-comment" data-testid="pinned-comment"><b>置顶</b> {state.pinnedComment.body}</div>}
          <CommentList comments={state.comments} />
          {pinned && <PinnedCard product={pinned} onOpen={() => openProduct(pinned)} />}
          <div className="live-controls">
            <CommentInput liveId={live.id} signedIn={!!me} muted={state.mutedMe} roomMuted={state.commentsMuted} loginHref={loginHref} onPosted={(c) => dispatch({ type: "comment", comment: c })} />
            <button type="button" className="live-icon-btn" onClick={() => setSheet("shelf")} data-testid="open-shelf" aria-label="购物袋">
              <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true"><path d="M5 8h14l-1 12H6L5 8z" /><path d="M9 8V6a3 3 0 0 1 6 0v2" /></svg>
              <small>购物袋</small>
            </button>
            <LikeButton liveId={live.id} onLocal={(total) => dispatch({ type: "likes", total })} likes={state.likes} />
          </div>
        </div>
      )}
      {sheet === "shelf" && (
        <div className="sheet-backdrop" onClick={() => setSheet(null)}>
          <div className="sheet" onClick={(e) => e.stopPropagation()} data-testid="shelf-sheet" role="dialog" aria-label="直播商品">
            <div className="row between"><h3 style={{ margin: 0 }}>直播商品（{state.shelf.filter((p) => p.onShelf).length}）</h3><button className="btn btn-sm" onClick={() => setSheet(null)}>关闭</button></div>
            {state.shelf.filter((p) => p.onShelf).map((p, i) => (
              <button key={p.productId} type="button" className="live-shelf-item" onClick={() => openProduct(p)} data-testid="shelf-item">
                <span className="live-shelf-no">{i + 1}</span>
                {/* eslint-disable-next-line @next/next/no-img-element */}
                {p.image && <img src={p.image} alt="" />}
                <span className="grow" style={{ textAlign: "left" }}>
                  <span className="ellipsis" style={{ display: "block" }}>{p.title}</span>
                  {p.productId === state.pinnedProductId && <span className="tag">讲解中</span>}
                  <PriceOf product={p} />
                </span>
                {p.soldOut ? <span className="btn btn-sm" data-testid="shelf-sold-out">已售罄</span> : <span className="btn btn-primary btn-sm">去抢购</span>}
              </button>
            ))}
            {state.shelf.every((p) => !p.onShelf) && <p className="muted">主播还没有上架商品</p>}
          </div>
        </div>
      )}
      {sheet && sheet !== "shelf" && (
        <LiveCheckout
          key={sheet.productId}
          liveId={live.id}
          storeSlug={live.storeSlug!}
          product={state.shelf.find((p) => p.productId === sheet.productId)!}
          onAir={onAir}
          me={me}
          loginHref={loginHref}
          addresses={addresses}
          onClose={() => setSheet(null)}
        />
      )}
    </div>
  );
}

function PriceOf({ product }: { product: RoomProduct }) {
  const { now, list } = productPrice(product);
  return (
    <span className="live-price">
      {now < list && <span className="tag" style={{ marginRight: 4 }}>直播价</span>}
      <Price fen={now} original={list} />
    </span>
  );
}

function PinnedCard({ product, onOpen }: { product: RoomProduct; onOpen: () => void }) {
  return (
    <button type="button" className="live-pinned" onClick={onOpen} data-testid="pinned-product">
      {/* eslint-disable-next-line @next/next/no-img-element */}
      {product.image && <img src={product.image} alt="" />}
      <span className="grow" style={{ textAlign: "left", minWidth: 0 }}>
        <span className="live-explaining">讲解中</span>
        <span className="ellipsis" style={{ display: "block" }} data-testid="pinned-title">{product.title}</span>
        <PriceOf product={product} />
      </span>
      {product.soldOut ? <span className="btn btn-sm">已售罄</span> : <span className="btn btn-primary btn-sm">抢购</span>}
    </button>
  );
}

function CommentList({ comments }: { comments: ShopLiveData["comments"] }) {
  const box = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  useEffect(() => {
    const el = box.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [comments]);
  return (
    <div
      className="live-comments"
      ref={box}
      data-testid="live-comments"
      onScroll={(e) => {
        const el = e.currentTarget;
        stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
      }}
    >
      {comments.map((c) => (
        <div key={c.id} className="live-comment" data-testid="live-comment">
          <b>{c.nickname}</b>
          {c.body}
          {c.status === "HELD" && <span className="tag tag-gray" style={{ marginLeft: 6 }}>审核中</span>}
        </div>
      ))}
    </div>
  );
}

function CommentInput({ liveId, signedIn, muted, roomMuted, loginHref, onPosted }: { liveId: string; signedIn: boolean; muted: boolean; roomMuted: boolean; loginHref: string; onPosted: (c: ShopLiveData["comments"][number]) => void }) {
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!signedIn) return <Link className="live-input live-login" href={loginHref}>登录后参与互动</Link>;
  if (muted) return <span className="live-input live-login">你已被禁言</span>;
  if (roomMuted) return <span className="live-input live-login" data-testid="room-muted">主播已开启全员禁言</span>;
  async function send(e: React.FormEvent) {
    e.preventDefault();
    if (!text.trim() || busy) return;
    setBusy(true);
    const result = await mutate<{ comment: ShopLiveData["comments"][number]; errors: [] }>(COMMENT, { liveId, text }, "postLiveComment");
    setBusy(false);
    if (!result.ok) {
      setError(result.message);
      setTimeout(() => setError(null), 3000);
      return;
    }
    setText("");
    setError(null);
    onPosted(result.payload.comment);
  }
  return (
    <form className="live-input-form grow" onSubmit={send}>
      <input className="live-input" value={text} maxLength={100} onChange={(e) => setText(e.target.value)} placeholder="说点什么…" aria-label="评论" enterKeyHint="send" />
      {error && <span className="live-toast" role="alert">{error}</span>}
      <button className="btn btn-primary btn-sm" disabled={busy || !text.trim()}>发送</button>
    </form>
  );
}

/** Taps count at once on screen and go to the server in batches, at most one call a second. */
function LikeButton({ liveId, likes, onLocal }: { liveId: string; likes: number; onLocal: (total: number) => void }) {
  const pending = useRef(0);
  const shown = useRef(likes);
  const report = useRef(onLocal);
  useEffect(() => {
    shown.current = likes;
    report.current = onLocal;
  });
  useEffect(() => {
    const flush = async () => {
      const taps = Math.min(50, pending.current);
      if (!taps) return;
      pending.current -= taps;
      const { data } = await gqlFetch<{ likeLive: number }>(LIKE, { liveId, taps });
      if (data?.likeLive) report.current(data.likeLive);
    };
    const timer = setInterval(() => void flush(), 1000);
    return () => {
      clearInterval(timer);
      void flush();
    };
  }, [liveId]);
  return (
    <button
      type="button"
      className="live-icon-btn live-like"
      data-testid="like"
      aria-label="点赞"
      onClick={() => {
        pending.current++;
        shown.current++;
        onLocal(shown.current);
      }}
    >
      ❤<small>点赞</small>
    </button>
  );
}

function Scheduled({ live, serverNow, loginHref, signedIn }: { live: ShopLiveData; serverNow: string; loginHref: string; signedIn: boolean }) {
  const [reserved, setReserved] = useState(live.reservedByMe);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.parse(serverNow));
  useEffect(() => {
    const skew = Date.parse(serverNow) - Date.now();
    const timer = setInterval(() => setNow(Date.now() + skew), 1000);
    return () => clearInterval(timer);
  }, [serverNow]);
  const start = Date.parse(live.scheduledAt);
  async function reserve() {
    const { errors } = await gqlFetch<{ reserveLive: boolean }>(RESERVE, { liveId: live.id });
    if (errors.length) return setError(errors[0].message);
    setReserved(true);
  }
  return (
    <div className="live-stage live-scheduled" style={live.cover ? { backgroundImage: `url(${live.cover})` } : undefined}>
      <div className="live-scheduled-box">
        <h2>{live.title}</h2>
        <p>{formatTime(live.scheduledAt)} 开播</p>
        {start > now ? (
          <p className="live-countdown" role="timer" data-testid="live-countdown">距开播 <b>{formatCountdown(start - now)}</b></p>
        ) : (
          <p className="live-countdown">主播即将开播，请稍候…</p>
        )}
        {reserved ? (
          <button className="btn" disabled data-testid="reserved">已预约，开播时提醒你</button>
        ) : signedIn ? (
          <button className="btn btn-primary" onClick={reserve} data-testid="reserve">预约</button>
        ) : (
          <Link className="btn btn-primary" href={loginHref}>登录后预约</Link>
        )}
        {error && <p className="error" role="alert">{error}</p>}
      </div>
    </div>
  );
}
