"use client";

import { useRef, useState } from "react";
import { LivePlayer, type LivePlayerHandle } from "@/components/live-player";
import { formatOffset } from "@/graphql/live/live.rules";
import type { RoomChapter } from "./room-types";

/** A replay with its product chapters (one per stretch a product was 讲解中): a chapter seeks the video; `startAt` opens at that second. */
export function ReplayChapters({ videoUrl, chapters, hidden, startAt = 0 }: { videoUrl: string | null; chapters: RoomChapter[]; hidden: boolean; startAt?: number }) {
  const player = useRef<LivePlayerHandle>(null);
  const [active, setActive] = useState<number | null>(null);
  if (hidden || !videoUrl) return <p className="muted" data-testid="replay-hidden">{hidden ? "回放已被平台下架" : "暂无回放"}</p>;
  return (
    <div>
      <div className="console-preview" style={{ aspectRatio: "16 / 9" }}>
        <LivePlayer ref={player} src={videoUrl} startAt={startAt} />
      </div>
      <h3 style={{ fontSize: 15 }}>回放章节</h3>
      {chapters.length === 0 && <p className="muted">本场没有商品讲解记录</p>}
      {chapters.map((c, i) => (
        <div key={`${c.productId}-${c.startMs}`} className="row between" style={{ padding: "6px 0" }} data-testid="chapter">
          <span>{formatOffset(c.startMs)} {c.title}</span>
          <button
            type="button"
            className={`btn btn-sm ${active === i ? "btn-primary" : ""}`}
            onClick={() => {
              setActive(i);
              player.current?.seek(c.startMs / 1000);
            }}
          >
            看这段
          </button>
        </div>
      ))}
    </div>
  );
}
