import { getRuntime } from "@/graphql/runtime-access";
import { config } from "@/graphql/platform/config";
import { parseDuration } from "@/graphql/platform/clock";

/**
 * Development only: moves the application clock forward and runs the jobs that became due.
 * `npm run clock -- 15m` calls this. Absent in production.
 */
export async function POST(request: Request) {
  if (!config.devTools) return new Response("Not found", { status: 404 });
  const body = (await request.json().catch(() => ({}))) as { advance?: string };
  let ms: number;
  try {
    ms = parseDuration(String(body.advance ?? ""));
  } catch (e) {
    return Response.json({ error: (e as Error).message }, { status: 400 });
  }
  const rt = await getRuntime();
  const { now, jobsRun } = await rt.advanceClock(ms);
  return Response.json({ now: now.toISOString(), offsetMs: rt.services.clock.offset, jobsRun });
}

export async function GET() {
  if (!config.devTools) return new Response("Not found", { status: 404 });
  const rt = await getRuntime();
  return Response.json({ now: rt.services.clock.now().toISOString(), offsetMs: rt.services.clock.offset });
}
