/**
 * Live-commerce rules, pure: what a scheduled live must satisfy, which state changes are allowed,
 * the live-only price floor, and how a replay's product chapters come out of the room's events.
 */

export const LiveErrorCode = {
  INVALID_TITLE: "INVALID_TITLE",
  INVALID_TIME: "INVALID_TIME",
  INVALID_SHELF: "INVALID_SHELF",
  LISTING_NOT_FOUND: "LISTING_NOT_FOUND",
  PRICE_BELOW_FLOOR: "PRICE_BELOW_FLOOR",
  PRICE_NOT_BELOW_LIST: "PRICE_NOT_BELOW_LIST",
  INVALID_PLAYBACK_URL: "INVALID_PLAYBACK_URL",
  LIVE_NOT_FOUND: "LIVE_NOT_FOUND",
  INVALID_STATE: "INVALID_STATE",
  ANCHOR_NOT_CERTIFIED: "ANCHOR_NOT_CERTIFIED",
  PRODUCT_NOT_ON_SHELF: "PRODUCT_NOT_ON_SHELF",
  INVALID_REASON: "INVALID_REASON",
  INVALID_ANNOUNCEMENT: "INVALID_ANNOUNCEMENT",
  /** A training live's shelf names a product that is not the supplier's own active product. */
  PRODUCT_NOT_FOUND: "PRODUCT_NOT_FOUND",
  INVALID_COVER: "INVALID_COVER",
} as const;
export type LiveErrorCode = keyof typeof LiveErrorCode;

export const CommentErrorCode = {
  LIVE_NOT_FOUND: "LIVE_NOT_FOUND",
  NOT_LIVE: "NOT_LIVE",
  EMPTY_COMMENT: "EMPTY_COMMENT",
  TOO_LONG: "TOO_LONG",
  MUTED: "MUTED",
  /** The host switched on 全员禁言. */
  COMMENTS_MUTED: "COMMENTS_MUTED",
  BLOCKED: "BLOCKED",
  RATE_LIMITED: "RATE_LIMITED",
} as const;

export type LiveStatus = "SCHEDULED" | "LIVE" | "ENDED" | "CANCELLED";
export type LiveAction = "START" | "END" | "CANCEL";

const NEXT: Record<LiveAction, { from: LiveStatus[]; to: LiveStatus }> = {
  START: { from: ["SCHEDULED"], to: "LIVE" },
  END: { from: ["LIVE"], to: "ENDED" },
  CANCEL: { from: ["SCHEDULED"], to: "CANCELLED" },
};

/** The status after an action, or null when the action is not allowed from `status`. */
export function transition(status: LiveStatus, action: LiveAction): LiveStatus | null {
  return NEXT[action].from.includes(status) ? NEXT[action].to : null;
}

export const MAX_SHELF = 50;
export const MAX_COMMENT_CHARS = 100;
const MAX_AHEAD_MS = 30 * 86_400_000;

type Problem = { code: LiveErrorCode; message: string; field: string } | null;

/** Checks a live being scheduled: title, start time (from a few minutes ago up to 30 days ahead), shelf size. */
export function checkLiveDraft(d: { title: string; scheduledAt: Date; listingIds: string[]; now: Date }): Problem {
  const title = d.title.trim();
  if (title.length < 2 || title.length > 40) return { code: "INVALID_TITLE", message: "直播标题需 2–40 个字", field: "title" };
  const t = d.scheduledAt.getTime();
  if (!Number.isFinite(t) || t < d.now.getTime() - 5 * 60_000 || t > d.now.getTime() + MAX_AHEAD_MS) {
    return { code: "INVALID_TIME", message: "开播时间需在 30 天内", field: "scheduledAt" };
  }
  if (d.listingIds.length > MAX_SHELF || new Set(d.listingIds).size !== d.listingIds.length) {
    return { code: "INVALID_SHELF", message: `直播货架最多 ${MAX_SHELF} 件商品且不能重复`, field: "listingIds" };
  }
  return null;
}

/**
 * A live-only price must be below the list price (or it is no offer) and never below the listing
 * floor — supply price + the commission ceiling + the platform fee — so every live order can still
 * pay its supplier, its referrers and the platform.
 */
export function checkLivePrice(p: { livePrice: number; listPrice: number; floor: number }): Problem {
  if (!Number.isSafeInteger(p.livePrice) || p.livePrice < p.floor) {
    return { code: "PRICE_BELOW_FLOOR", message: `直播价不能低于 ¥${(p.floor / 100).toFixed(2)}（供货价 + 分享佣金上限 + 平台服务费）`, field: "livePrice" };
  }
  if (p.livePrice >= p.listPrice) return { code: "PRICE_NOT_BELOW_LIST", message: "直播价需低于店铺售价", field: "livePrice" };
  return null;
}

/** Only an https (or, for local demos, same-origin path) HLS playlist may be played in the room. */
export function isPlayableUrl(url: string): boolean {
  if (/^\/[\w\-./]+\.m3u8$/.test(url)) return true;
  try {
    const u = new URL(url);
    return u.protocol === "https:" && u.pathname.endsWith(".m3u8");
  } catch {
    return false;
  }
}

export type RoomEvent = { kind: string; at: Date; payload: { productId?: string } };
export type Chapter = { productId: string; startMs: number; endMs: number };

/**
 * Replay chapters: every pin starts a chapter for its product, measured from the live's start; it
 * ends at the next pin, an unpin, or the end of the live. Pinning the product that is already
 * pinned changes nothing; a chapter of no length is dropped.
 */
export function chaptersOf(startedAt: Date, endedAt: Date, events: RoomEvent[]): Chapter[] {
  const start = startedAt.getTime();
  const offset = (d: Date) => Math.min(Math.max(d.getTime() - start, 0), endedAt.getTime() - start);
  const chapters: Chapter[] = [];
  let open: { productId: string; startMs: number } | null = null;
  const close = (at: number) => {
    if (open && at > open.startMs) chapters.push({ productId: open.productId, startMs: open.startMs, endMs: at });
    open = null;
  };
  for (const e of [...events].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    if (e.kind === "PIN" && e.payload.productId) {
      if (open && (open as { productId: string }).productId === e.payload.productId) continue;
      close(offset(e.at));
      open = { productId: e.payload.productId, startMs: offset(e.at) };
    } else if (e.kind === "UNPIN" || e.kind === "END") {
      close(offset(e.at));
    }
  }
  close(offset(endedAt));
  return chapters;
}

/** mm:ss or h:mm:ss for a chapter start. */
export function formatOffset(ms: number): string {
  const s = Math.floor(ms / 1000);
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  const two = (n: number) => String(n).padStart(2, "0");
  return hh ? `${hh}:${two(mm)}:${two(ss)}` : `${two(mm)}:${two(ss)}`;
}
