import { randomUUID } from "node:crypto";
import { cookies } from "next/headers";
import { getRuntime } from "@/graphql/runtime-access";
import { currentViewer } from "@/components/server/viewer";
import { checkIn, enterableLive, eventsAfter, lastEventId, recordWatch } from "@/graphql/live/live-room.service";
import type { RoomMessage } from "@/graphql/live/live-bus";

export const dynamic = "force-dynamic";

const HEARTBEAT_MS = 15_000;
const encoder = new TextEncoder();

function frame(m: RoomMessage): Uint8Array {
  const id = m.id === null ? "" : `id: ${m.id}\n`;
  return encoder.encode(`${id}event: ${m.kind}\ndata: ${JSON.stringify({ ...m.payload, at: m.at })}\n\n`);
}

/**
 * A room's events over Server-Sent Events. A reconnecting browser sends Last-Event-ID and gets what
 * it missed from the room's log first; then everything this instance's hub hears (LISTEN/NOTIFY, so
 * events posted through other instances arrive too). The connection checks the viewer in every 15 s
 * (presence and watch time) and a comment line keeps proxies from closing it.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const rt = await getRuntime();
  const db = rt.services.db;
  const viewer = await currentViewer();
  const live = await enterableLive(db, id, viewer);
  if (!live) return new Response("直播不存在", { status: 404 });

  const jar = await cookies();
  let device = jar.get("lb_did")?.value;
  const newDevice = !device;
  device ??= randomUUID();
  const viewerKey = viewer ? `u:${viewer.userId}` : `d:${device}`;
  const resumeFrom = Number(request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("after") ?? Number.NaN);

  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let sent = 0;
      let closed = false;
      const joinedAt = rt.services.clock.now();
      const send = (m: RoomMessage) => {
        if (closed || (m.id !== null && m.id <= sent)) return;
        if (m.id !== null) sent = m.id;
        try {
          controller.enqueue(frame(m));
        } catch {
          cleanup();
        }
      };
      // Subscribe before reading the log, so nothing falls between the two (duplicates are skipped by id).
      const buffered: RoomMessage[] = [];
      let live_ = false;
      const unsubscribe = rt.liveHub.subscribe(live.id, (m) => (live_ ? send(m) : buffered.push(m)));
      const heartbeat = setInterval(() => {
        if (closed) return;
        controller.enqueue(encoder.encode(": ping\n\n"));
        void checkIn(db, { liveId: live.id, viewerKey, userId: viewer?.userId ?? null }, rt.services.clock.now()).catch(() => {});
      }, HEARTBEAT_MS);
      cleanup = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        unsubscribe();
        const now = rt.services.clock.now();
        void checkIn(db, { liveId: live.id, viewerKey, userId: viewer?.userId ?? null }, now).catch(() => {});
        if (viewer) void recordWatch(db, live.id, viewer.userId, now.getTime() - joinedAt.getTime(), now).catch(() => {});
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      request.signal.addEventListener("abort", () => cleanup());

      controller.enqueue(encoder.encode("retry: 3000\n\n"));
      await checkIn(db, { liveId: live.id, viewerKey, userId: viewer?.userId ?? null }, joinedAt);
      if (Number.isSafeInteger(resumeFrom) && resumeFrom >= 0) {
        for (const m of await eventsAfter(db, live.id, resumeFrom)) send(m);
      } else {
        sent = await lastEventId(db, live.id);
        // Carries the log position as its id, so a reconnect resumes from here.
        controller.enqueue(frame({ id: sent || null, liveId: live.id, kind: "HELLO", payload: { status: live.status }, at: joinedAt.toISOString() }));
      }
      live_ = true;
      for (const m of buffered) send(m);
    },
    cancel() {
      cleanup();
    },
  });
  const headers = new Headers({
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });
  if (newDevice) headers.append("set-cookie", `lb_did=${device}; Path=/; Max-Age=${365 * 86_400}; HttpOnly; SameSite=Lax`);
  return new Response(stream, { headers });
}
