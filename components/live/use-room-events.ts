"use client";

import { useEffect, useReducer, useRef } from "react";
import type { RoomBase, RoomComment, RoomProduct, RoomShelfBase } from "./room-types";

export type RoomState<P extends RoomShelfBase = RoomProduct> = {
  status: string;
  pinnedProductId: string | null;
  shelf: P[];
  comments: RoomComment[];
  pinnedComment: { id: string; body: string } | null;
  likes: number;
  viewers: number | null;
  endReason: string | null;
  mutedMe: boolean;
  blockedMe: boolean;
  connected: boolean;
  /** The host's latest announcement (公告). */
  announcement: string | null;
  /** 全员禁言: only the host may comment. */
  commentsMuted: boolean;
};

export type RoomAction =
  | { type: "event"; kind: string; data: Record<string, unknown>; me: string | null }
  | { type: "comment"; comment: RoomComment }
  | { type: "likes"; total: number }
  | { type: "connected"; connected: boolean }
  | { type: "server"; status: string; endReason: string | null };

/** A room only moves forward: SCHEDULED → LIVE → ENDED (or CANCELLED before it starts). */
const STATUS_RANK: Record<string, number> = { SCHEDULED: 0, LIVE: 1, ENDED: 2, CANCELLED: 2 };

const MAX_COMMENTS = 100;

export function initialRoom<P extends RoomShelfBase>(live: RoomBase<P>): RoomState<P> {
  const pinned = live.comments.filter((c) => c.pinned).pop();
  return {
    status: live.status,
    pinnedProductId: live.pinnedProductId,
    shelf: live.shelf,
    comments: live.comments.filter((c) => c.status !== "DELETED"),
    pinnedComment: pinned ? { id: pinned.id, body: pinned.body } : null,
    likes: live.likeCount,
    viewers: null,
    endReason: live.endReason,
    mutedMe: false,
    blockedMe: false,
    connected: false,
    announcement: live.announcement ?? null,
    commentsMuted: live.commentsMuted ?? false,
  };
}

const addComment = (list: RoomComment[], c: RoomComment) => (list.some((x) => x.id === c.id) ? list.map((x) => (x.id === c.id ? { ...x, ...c } : x)) : [...list, c].slice(-MAX_COMMENTS));

/** Applies one room event (see app/api/live/[id]/events) to the room, sales or training. Pure. */
export function roomReducer<P extends RoomShelfBase>(state: RoomState<P>, action: RoomAction): RoomState<P> {
  switch (action.type) {
    case "connected":
      return { ...state, connected: action.connected };
    case "comment":
      return { ...state, comments: addComment(state.comments, action.comment) };
    case "likes":
      return { ...state, likes: Math.max(state.likes, action.total) };
    case "server": {
      // The page's data after a refresh can be older than events this room already applied (a pin made while
      // the refresh after START was in flight): take only a later status from it, keep what events taught.
      if ((STATUS_RANK[action.status] ?? 0) <= (STATUS_RANK[state.status] ?? 0)) return state;
      return action.status === "LIVE" ? { ...state, status: "LIVE" } : { ...state, status: action.status, pinnedProductId: null, endReason: action.endReason };
    }
    case "event":
      break;
  }
  const d = action.data;
  const str = (k: string) => (typeof d[k] === "string" ? (d[k] as string) : null);
  switch (action.kind) {
    case "HELLO":
      return str("status") ? { ...state, status: str("status")! } : state;
    case "START":
      return { ...state, status: "LIVE" };
    case "END":
      return { ...state, status: "ENDED", pinnedProductId: null, endReason: str("reason") };
    case "PIN":
      return { ...state, pinnedProductId: str("productId") };
    case "UNPIN":
      return { ...state, pinnedProductId: null };
    case "SHELF_ON":
    case "SHELF_OFF": {
      const onShelf = action.kind === "SHELF_ON";
      return { ...state, shelf: state.shelf.map((p) => (p.productId === str("productId") ? { ...p, onShelf } : p)) };
    }
    case "PRICE": {
      const skuId = str("skuId");
      const amount = Number(d.livePrice);
      return { ...state, shelf: state.shelf.map((p) => ({ ...p, skus: p.skus.map((s) => (s.skuId === skuId ? { ...s, livePrice: { amount } } : s)) })) };
    }
    case "COMMENT":
      return { ...state, comments: addComment(state.comments, { id: str("id")!, nickname: str("nickname") ?? "用户", body: str("body") ?? "", status: "VISIBLE", pinned: false }) };
    case "COMMENT_DELETED":
      return { ...state, comments: state.comments.filter((c) => c.id !== str("id")), pinnedComment: state.pinnedComment?.id === str("id") ? null : state.pinnedComment };
    case "COMMENT_PINNED":
      return { ...state, pinnedComment: { id: str("id")!, body: str("body") ?? "" } };
    case "LIKES":
      return { ...state, likes: Math.max(state.likes, Number(d.total) || 0) };
    case "VIEWERS":
      return { ...state, viewers: Number(d.count) || 0 };
    case "ANNOUNCE":
      return { ...state, announcement: str("text") };
    case "MUTE_ALL":
      return { ...state, commentsMuted: d.muted === true };
    case "SOLD_OUT": {
      // The host's 标记售罄 names the product; an order that took a SKU's last unit names the SKU.
      const productId = str("productId");
      if (productId) return { ...state, shelf: state.shelf.map((p) => (p.productId === productId ? { ...p, soldOut: true } : p)) };
      const skuId = str("skuId");
      return { ...state, shelf: state.shelf.map((p) => ({ ...p, skus: p.skus.map((s) => (s.skuId === skuId ? { ...s, inStock: false } : s)) })) };
    }
    case "SOLD_OUT_CLEARED":
      return { ...state, shelf: state.shelf.map((p) => (p.productId === str("productId") ? { ...p, soldOut: false } : p)) };
    // The server sends these only to the viewer they concern.
    case "VIEWER_MUTED":
      return { ...state, mutedMe: true };
    case "VIEWER_BLOCKED":
      return { ...state, blockedMe: true };
    default:
      return state;
  }
}

const KINDS = ["HELLO", "START", "END", "PIN", "UNPIN", "SHELF_ON", "SHELF_OFF", "PRICE", "SOLD_OUT", "SOLD_OUT_CLEARED", "ANNOUNCE", "MUTE_ALL", "COMMENT", "COMMENT_DELETED", "COMMENT_PINNED", "LIKES", "VIEWERS", "VIEWER_MUTED", "VIEWER_BLOCKED"];

/**
 * The room's state, kept current over Server-Sent Events. EventSource reconnects by itself and
 * sends Last-Event-ID, so the server replays what was missed; `onEvent` hears every event after it
 * is applied (e.g. to refresh the page when the live starts or ends).
 */
export function useRoomEvents<P extends RoomShelfBase>(live: RoomBase<P>, me: string | null, onEvent?: (kind: string, data: Record<string, unknown>) => void) {
  const [state, dispatch] = useReducer(roomReducer<P>, live, initialRoom<P>);
  const listener = useRef(onEvent);
  useEffect(() => {
    listener.current = onEvent;
  });
  // A refresh hands in newer server data without remounting (a remount lost events applied meanwhile).
  useEffect(() => {
    dispatch({ type: "server", status: live.status, endReason: live.endReason });
  }, [live.status, live.endReason]);
  const subscribe = live.status !== "ENDED";
  useEffect(() => {
    if (!subscribe) return;
    // The share link a viewer came through (?ref=<invite code>) credits the sharer's invite-to-watch tasks.
    const ref = new URLSearchParams(window.location.search).get("ref");
    const source = new EventSource(`/api/live/${live.id}/events${ref && /^[0-9A-Z]{6,12}$/.test(ref) ? `?ref=${ref}` : ""}`);
    source.onopen = () => dispatch({ type: "connected", connected: true });
    source.onerror = () => dispatch({ type: "connected", connected: false });
    const handlers = KINDS.map((kind) => {
      const handler = (e: MessageEvent) => {
        let data: Record<string, unknown> = {};
        try {
          data = JSON.parse(e.data) as Record<string, unknown>;
        } catch {
          return;
        }
        dispatch({ type: "event", kind, data, me });
        listener.current?.(kind, data);
      };
      source.addEventListener(kind, handler);
      return [kind, handler] as const;
    });
    return () => {
      for (const [kind, handler] of handlers) source.removeEventListener(kind, handler);
      source.close();
    };
  }, [live.id, me, subscribe]);
  return [state, dispatch] as const;
}
