import Link from "next/link";
import { formatTime } from "@/components/format";
import { ReserveButton } from "./reserve-button";

export type StoreLiveCard = { id: string; title: string; status: string; hostName: string; cover: string | null; scheduledAt: string; endedAt: string | null; reservedByMe: boolean };
export const STORE_LIVE_FIELDS = `id title status hostName cover scheduledAt endedAt reservedByMe`;

/** The storefront's 直播 strip: live now (red badge), upcoming with 预约, then recent replays. */
export function StoreLives({ lives, slug }: { lives: StoreLiveCard[]; slug: string }) {
  if (!lives.length) return null;
  const signIn = `/login?next=${encodeURIComponent(`/s/${slug}`)}`;
  return (
    <section data-testid="store-lives">
      <h3 style={{ fontSize: 16, marginBottom: 8 }}>直播</h3>
      <div className="live-strip">
        {lives.slice(0, 10).map((l) => (
          <Link key={l.id} href={`/live/${l.id}`} className="live-card" data-testid="store-live" data-status={l.status}>
            <div className="live-card-cover" style={l.cover ? { backgroundImage: `url(${l.cover})` } : undefined}>
              <span className={`live-badge ${l.status === "LIVE" ? "" : "live-badge-gray"}`}>{l.status === "LIVE" ? "直播中" : l.status === "SCHEDULED" ? "预告" : "回放"}</span>
              <span className="ellipsis">{l.hostName}</span>
            </div>
            <div className="info">
              <div className="ellipsis">{l.title}</div>
              {l.status === "SCHEDULED" ? (
                <div className="row between" style={{ gap: 4 }}>
                  <span className="muted">{formatTime(l.scheduledAt).slice(5)}</span>
                  <ReserveButton liveId={l.id} reserved={l.reservedByMe} signInHref={signIn} />
                </div>
              ) : (
                <div className="muted">{l.status === "LIVE" ? "正在直播，点击进入" : `${formatTime(l.endedAt).slice(5)} 结束`}</div>
              )}
            </div>
          </Link>
        ))}
      </div>
    </section>
  );
}
