"use client";

import { useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import type { FlashState } from "./flash-parts";

function pad(n: number) {
  return String(n).padStart(2, "0");
}

/** 01:02:03, or 2天 01:02:03 beyond a day. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const days = Math.floor(total / 86_400);
  const clock = `${pad(Math.floor((total % 86_400) / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
  return days ? `${days}天 ${clock}` : clock;
}

/**
 * Counts down to the start of an upcoming sale or the end of a running one, every second. Time is
 * the server's (the app clock can differ from this device's): the skew is measured against the
 * render's `serverNow`. When the phase the server rendered is over, the page is refreshed so the
 * server decides the new state (at most every 3 s while it has not caught up).
 */
export function FlashCountdown({ state, startsAt, endsAt, serverNow }: { state: FlashState; startsAt: string; endsAt: string; serverNow: string }) {
  const router = useRouter();
  const [now, setNow] = useState(() => Date.parse(serverNow));
  const lastRefresh = useRef(0);
  const start = Date.parse(startsAt);
  const end = Date.parse(endsAt);

  useEffect(() => {
    const skew = Date.parse(serverNow) - Date.now();
    const tick = () => {
      const t = Date.now() + skew;
      setNow(t);
      const over = state === "UPCOMING" ? t >= start : state === "ACTIVE" || state === "SOLD_OUT" ? t >= end : false;
      if (over && Date.now() - lastRefresh.current > 3000) {
        lastRefresh.current = Date.now();
        router.refresh();
      }
    };
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [serverNow, state, start, end, router]);

  if (state !== "UPCOMING" && state !== "ACTIVE") return null;
  const label = state === "UPCOMING" ? "距开始" : "距结束";
  return (
    <span className="countdown" data-testid="countdown" role="timer">
      {label} <b>{formatCountdown((state === "UPCOMING" ? start : end) - now)}</b>
    </span>
  );
}
