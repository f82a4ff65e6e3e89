import { getRuntime } from "@/graphql/runtime-access";
import { currentIp, currentViewer } from "@/components/server/viewer";

/** The one GraphQL endpoint. CSRF prevention is on: cookie-authenticated text/plain posts are refused. */
async function handle(request: Request) {
  const rt = await getRuntime();
  const [viewer, ip] = await Promise.all([currentViewer(), currentIp()]);
  return rt.handleHttp(request, viewer, ip);
}

export const GET = handle;
export const POST = handle;
export const dynamic = "force-dynamic";
