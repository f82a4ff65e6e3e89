import { getRuntime } from "@/graphql/runtime-access";
import { config } from "@/graphql/platform/config";
import { latestOutboxMessage } from "@/graphql/identity/identity.service";

/** Development only: the newest SMS sent to a phone, so the demo and tests can sign in. */
export async function GET(request: Request) {
  if (!config.devTools) return new Response("Not found", { status: 404 });
  const phone = new URL(request.url).searchParams.get("phone") ?? "";
  const rt = await getRuntime();
  const body = await latestOutboxMessage(rt.services.db, phone);
  return Response.json({ message: body, code: body?.match(/\d{6}/)?.[0] ?? null }, { headers: { "cache-control": "no-store" } });
}
