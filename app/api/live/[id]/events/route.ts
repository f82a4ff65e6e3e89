import { randomUUID } from "node:crypto";
import { cookies } from "next/headers";
import { getRuntime } from "@/graphql/runtime-access";
import { currentIp, currentViewer } from "@/components/server/viewer";
import { hitRateLimits } from "@/graphql/platform/rate-limit";
import { enterableLive } from "@/graphql/live/live-room.service";
import { openRoomStream, resumePoint, SSE_HEADERS } from "@/graphql/live/live-sse";
import { sharerOf } from "@/graphql/live/live-marketing.service";

export const dynamic = "force-dynamic";

/** A room's events over Server-Sent Events (see graphql/live/live-sse.ts). Anonymous viewers are counted by a first-party device cookie. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const rt = await getRuntime();
  const viewer = await currentViewer();
  // Each stream is a connection and a check-in every 15 s: one address opening dozens is a script.
  if (!(await hitRateLimits(rt.services.db, [{ key: `sse:${await currentIp()}`, limit: 120, windowMs: 60_000 }], rt.services.clock.now()))) {
    return new Response("请求太频繁，请稍后再试", { status: 429, headers: { "retry-after": "60" } });
  }
  const live = await enterableLive(rt.services.db, id, viewer);
  if (!live) return new Response("直播不存在", { status: 404 });

  const jar = await cookies();
  const known = jar.get("lb_did")?.value;
  const device = known ?? randomUUID();
  // ?ref=<invite code>: the share link this viewer came through (invite-to-watch tasks).
  const sharerId = await sharerOf(rt.services.db, new URL(request.url).searchParams.get("ref"));
  const stream = openRoomStream(
    { db: rt.services.db, clock: rt.services.clock, hub: rt.liveHub },
    { live, viewer, viewerKey: viewer ? `u:${viewer.userId}` : `d:${device}`, resumeFrom: resumePoint(request), signal: request.signal, sharerId },
  );
  const headers = new Headers(SSE_HEADERS);
  if (!known) headers.append("set-cookie", `lb_did=${device}; Path=/; Max-Age=${365 * 86_400}; HttpOnly; SameSite=Lax`);
  return new Response(stream, { headers });
}
