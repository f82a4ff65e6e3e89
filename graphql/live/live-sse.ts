import type { Db } from "@/db/client";
import type { Viewer } from "../core/viewer";
import type { Clock } from "../platform/clock";
import type { LiveHub, RoomMessage } from "./live-bus";
import { checkIn, eventsAfter, lastEventId, recordWatch, type LiveRow } from "./live-room.service";

const HEARTBEAT_MS = 15_000;
/**
 * Frames for one viewer are written together at most every 100 ms: in a busy room (50 comments a
 * second to 1,000 viewers) one write per frame per viewer saturates the event loop and delays
 * everything — including the comments being posted. Batching costs at most 100 ms of latency.
 */
const FLUSH_MS = 100;
const encoder = new TextEncoder();

/**
 * One SSE frame: the stored event's id (what a reconnect resumes from), its kind and payload.
 * Encoded once per message, not once per viewer: the hub hands the same object to every viewer.
 */
const frames = new WeakMap<RoomMessage, Uint8Array>();
export function frame(m: RoomMessage): Uint8Array {
  let bytes = frames.get(m);
  if (!bytes) {
    const id = m.id === null ? "" : `id: ${m.id}\n`;
    bytes = encoder.encode(`${id}event: ${m.kind}\ndata: ${JSON.stringify({ ...m.payload, at: m.at })}\n\n`);
    frames.set(m, bytes);
  }
  return bytes;
}

export type RoomStreamDeps = { db: Db; clock: Clock; hub: LiveHub };
export type RoomStreamOptions = { live: LiveRow; viewer: Viewer | null; viewerKey: string; resumeFrom: number | null; signal: AbortSignal; /** Whose share link brought this viewer (invite-to-watch tasks). */ sharerId?: string | null };

/**
 * A room's events as a Server-Sent Events byte stream (what /api/live/[id]/events serves). A viewer
 * resuming with Last-Event-ID first gets what it missed from the room's log; a fresh one gets HELLO
 * carrying the log position. Then everything this instance's hub hears (LISTEN/NOTIFY, so events
 * posted through other instances arrive too), deduplicated by id. Every 15 s the viewer is checked
 * in (presence, watch time) and a comment line keeps proxies from closing the connection.
 */
export function openRoomStream(deps: RoomStreamDeps, o: RoomStreamOptions): ReadableStream<Uint8Array> {
  const { db, clock, hub } = deps;
  const { live, viewer, viewerKey } = o;
  const who = { liveId: live.id, viewerKey, userId: viewer?.userId ?? null, sharerId: o.sharerId ?? null };
  let cleanup = () => {};
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      const joinedAt = clock.now();
      // Ids replayed from the log on a resume: the same events may also arrive live, once each.
      // (Not a running maximum: concurrent writers commit — and so announce — out of id order.)
      const replayed = new Set<number>();
      let resumedAfter = -1;
      let pending: Uint8Array[] = [];
      let flushTimer: NodeJS.Timeout | null = null;
      const flush = () => {
        flushTimer = null;
        if (closed || !pending.length) return;
        const chunk = pending.length === 1 ? pending[0] : Buffer.concat(pending);
        pending = [];
        try {
          controller.enqueue(chunk);
        } catch {
          cleanup();
        }
      };
      const send = (m: RoomMessage, fromLog = false) => {
        if (closed) return;
        if (m.id !== null && !fromLog && (m.id <= resumedAfter || replayed.has(m.id))) return;
        if (m.id !== null && fromLog) replayed.add(m.id);
        // A mute or block concerns one viewer: only their own stream hears it (without anyone's id),
        // and a block ends that stream on the server, not only in their browser.
        if (m.kind === "VIEWER_MUTED" || m.kind === "VIEWER_BLOCKED") {
          if (!viewer || m.payload.userId !== viewer.userId) return;
          pending.push(frame({ ...m, payload: {} }));
          if (m.kind === "VIEWER_BLOCKED") {
            flush();
            cleanup();
            return;
          }
        } else pending.push(frame(m));
        flushTimer ??= setTimeout(flush, FLUSH_MS);
      };
      // Subscribe before reading the log, so nothing falls between the two (duplicates are skipped by id).
      const buffered: RoomMessage[] = [];
      let streaming = false;
      const unsubscribe = hub.subscribe(live.id, (m) => (streaming ? send(m) : buffered.push(m)));
      const heartbeat = setInterval(() => {
        if (closed) return;
        controller.enqueue(encoder.encode(": ping\n\n"));
        void checkIn(db, who, clock.now()).catch(() => {});
      }, HEARTBEAT_MS);
      cleanup = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        if (flushTimer) clearTimeout(flushTimer);
        unsubscribe();
        const now = clock.now();
        void checkIn(db, who, now).catch(() => {});
        if (viewer) void recordWatch(db, live.id, viewer.userId, now.getTime() - joinedAt.getTime(), now).catch(() => {});
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      o.signal.addEventListener("abort", () => cleanup());

      controller.enqueue(encoder.encode("retry: 3000\n\n"));
      await checkIn(db, who, joinedAt);
      if (o.resumeFrom !== null) {
        for (const m of await eventsAfter(db, live.id, o.resumeFrom)) send(m, true);
        resumedAfter = o.resumeFrom;
      } else {
        const position = await lastEventId(db, live.id);
        // Carries the log position as its id, so a reconnect resumes from here.
        controller.enqueue(frame({ id: position || null, liveId: live.id, kind: "HELLO", payload: { status: live.status }, at: joinedAt.toISOString() }));
      }
      streaming = true;
      for (const m of buffered) send(m);
    },
    cancel() {
      cleanup();
    },
  });
}

/** Where a reconnecting EventSource left off (Last-Event-ID, or ?after=), or null for a fresh viewer. */
export function resumePoint(request: Request): number | null {
  const raw = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("after");
  const n = raw === null ? Number.NaN : Number(raw);
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
  "x-accel-buffering": "no",
};
