"use client";

import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from "react";

export type LivePlayerHandle = { seek(seconds: number): void; currentTime(): number };

/**
 * An HLS player: the browser's own HLS where it has it (Safari, iOS, most Android browsers), else
 * hls.js loaded on demand. Starts muted so autoplay is allowed, with a tap-to-unmute; `startAt`
 * opens a replay at that second and `seek` jumps to a chapter.
 */
export const LivePlayer = forwardRef<LivePlayerHandle, { src: string; startAt?: number; live?: boolean; loop?: boolean; poster?: string | null; className?: string }>(function LivePlayer(
  { src, startAt = 0, live = false, loop = false, poster, className },
  ref,
) {
  const video = useRef<HTMLVideoElement>(null);
  const [muted, setMuted] = useState(true);
  const [failed, setFailed] = useState(false);
  const pendingSeek = useRef<number | null>(startAt > 0 ? startAt : null);

  useImperativeHandle(ref, () => ({
    seek(seconds: number) {
      const v = video.current;
      if (!v) return;
      if (v.readyState >= 1) {
        v.currentTime = seconds;
        void v.play().catch(() => {});
      } else {
        pendingSeek.current = seconds;
      }
    },
    currentTime: () => video.current?.currentTime ?? 0,
  }));

  useEffect(() => {
    const v = video.current;
    if (!v) return;
    let destroyed = false;
    let hls: { destroy(): void } | null = null;
    const onMeta = () => {
      if (pendingSeek.current !== null) {
        v.currentTime = pendingSeek.current;
        pendingSeek.current = null;
      }
      void v.play().catch(() => {});
    };
    v.addEventListener("loadedmetadata", onMeta);
    setFailed(false);
    if (v.canPlayType("application/vnd.apple.mpegurl")) {
      v.src = src;
    } else {
      void import("hls.js").then(({ default: Hls }) => {
        if (destroyed) return;
        if (!Hls.isSupported()) return setFailed(true);
        const player = new Hls({ startPosition: pendingSeek.current ?? -1, liveDurationInfinity: live });
        hls = player;
        player.on(Hls.Events.ERROR, (_e, data) => {
          if (data.fatal) setFailed(true);
        });
        player.loadSource(src);
        player.attachMedia(v);
      });
    }
    return () => {
      destroyed = true;
      v.removeEventListener("loadedmetadata", onMeta);
      hls?.destroy();
      v.removeAttribute("src");
      v.load();
    };
  }, [src, live]);

  return (
    <div className={`live-player ${className ?? ""}`}>
      <video ref={video} data-testid="live-video" muted={muted} playsInline autoPlay loop={loop} poster={poster ?? undefined} controls={!live} />
      {muted && (
        <button type="button" className="live-unmute" onClick={() => setMuted(false)} data-testid="unmute">
          点击开启声音
        </button>
      )}
      {failed && <div className="live-player-error">视频加载失败，请稍后重试</div>}
    </div>
  );
});
