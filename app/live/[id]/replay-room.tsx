"use client";

import { useRef, useState } from "react";
import Link from "next/link";
import { LivePlayer, type LivePlayerHandle } from "@/components/live-player";
import { formatOffset } from "@/graphql/live/live.rules";
import type { ShopLiveData } from "@/components/live/room-types";

/**
 * A replay: the recorded stream with its product chapters (one per stretch a product was 讲解中).
 * A chapter seeks the video; ?t=<seconds> opens at that second; 分享本段 copies a link to the
 * chapter — through the viewer's invite link when they have one, so the share is credited.
 */
export function ReplayRoom({ live, startAt, invitePath }: { live: ShopLiveData; startAt: number; invitePath: string | null }) {
  const player = useRef<LivePlayerHandle>(null);
  const [copied, setCopied] = useState<number | null>(null);
  const pageOf = new Map(live.shelf.map((p) => [p.productId, p.shopProductId]));
  const [active, setActive] = useState<number | null>(() => {
    const i = live.chapters.findIndex((c) => startAt * 1000 >= c.startMs && startAt * 1000 < c.endMs);
    return i >= 0 ? i : null;
  });

  function linkTo(seconds: number) {
    const origin = window.location.origin;
    if (invitePath && live.storeSlug) return `${origin}${invitePath}?${new URLSearchParams({ s: live.storeSlug, l: live.id, t: String(seconds), ch: "live" })}`;
    return `${origin}/live/${live.id}?t=${seconds}`;
  }

  async function share(i: number) {
    const seconds = Math.floor(live.chapters[i].startMs / 1000);
    await navigator.clipboard?.writeText(linkTo(seconds)).catch(() => undefined);
    setCopied(i);
    setTimeout(() => setCopied(null), 2500);
  }

  return (
    <div className="live-room live-replay" data-testid="live-room" data-status="ENDED">
      <header className="live-top">
        {live.storeSlug ? <Link href={`/s/${live.storeSlug}`} className="live-back" aria-label="返回店铺">‹</Link> : null}
        <div className="live-host grow">
          <strong className="ellipsis">{live.hostName}</strong>
          <span className="ellipsis">{live.title}</span>
        </div>
        <span className="live-badge live-badge-gray">回放</span>
      </header>
      {live.replayHidden || !live.videoUrl ? (
        <div className="live-stage live-room-closed" data-testid="replay-hidden">
          <p>{live.replayHidden ? "回放已下架" : "直播已结束，暂无回放"}</p>
        </div>
      ) : (
        <LivePlayer ref={player} src={live.videoUrl} startAt={startAt} className="live-stage live-stage-replay" />
      )}
      <div className="live-replay-body">
        {live.endReason && (
          <p className="error" role="status" data-testid="end-reason">本场直播已被平台结束：{live.endReason}</p>
        )}
        {!live.replayHidden && live.chapters.length > 0 && (
          <section>
            <h3 style={{ fontSize: 15 }}>商品讲解</h3>
            {live.chapters.map((c, i) => (
              <div key={`${c.productId}-${c.startMs}`} className={`live-chapter ${active === i ? "active" : ""}`} data-testid="chapter">
                <button
                  type="button"
                  className="grow live-chapter-go"
                  onClick={() => {
                    setActive(i);
                    player.current?.seek(c.startMs / 1000);
                  }}
                >
                  <span className="live-chapter-time">{formatOffset(c.startMs)}</span>
                  <span className="ellipsis">{c.title}</span>
                </button>
                <button type="button" className="btn btn-sm" onClick={() => share(i)} data-testid="share-chapter">
                  {copied === i ? "已复制" : "分享本段"}
                </button>
                {live.storeSlug && pageOf.has(c.productId) && <Link className="btn btn-sm btn-primary" href={`/s/${live.storeSlug}/p/${pageOf.get(c.productId)}`}>去看看</Link>}
              </div>
            ))}
          </section>
        )}
        {live.storeSlug && <Link className="btn btn-block" href={`/s/${live.storeSlug}`} style={{ marginTop: 12 }}>去店铺逛逛</Link>}
      </div>
    </div>
  );
}
