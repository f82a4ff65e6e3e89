"use client";

import { useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { formatCountdown } from "./flash-countdown";

/**
 * Counts down to a group's deadline every second, on the server's clock (skew measured against the
 * render's `serverNow`). When the deadline passes the page is refreshed so the server shows what
 * became of the group (at most every 3 s while the expiry has not run yet).
 */
export function GroupCountdown({ deadline, serverNow, label = "剩余" }: { deadline: string; serverNow: string; label?: string }) {
  const router = useRouter();
  const [now, setNow] = useState(() => Date.parse(serverNow));
  const lastRefresh = useRef(0);
  const end = Date.parse(deadline);
  useEffect(() => {
    const skew = Date.parse(serverNow) - Date.now();
    const tick = () => {
      const t = Date.now() + skew;
      setNow(t);
      if (t >= end && Date.now() - lastRefresh.current > 3000) {
        lastRefresh.current = Date.now();
        router.refresh();
      }
    };
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [serverNow, end, router]);
  return (
    <span className="countdown" data-testid="countdown" role="timer">
      {label} <b>{formatCountdown(end - now)}</b>
    </span>
  );
}
