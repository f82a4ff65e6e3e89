import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { auth, clientIp } from "@/app/auth";
import { getRuntime } from "@/graphql/runtime-access";
import type { Viewer } from "@/graphql/core/viewer";
import type { Role } from "@/graphql/core/permissions";

/**
 * The viewer for this request: a bearer token (non-browser clients) or the Auth.js session. Both
 * the API route and server components use this, so a page can never see more than the API.
 */
export async function currentViewer(): Promise<Viewer | null> {
  // Read the request first: it also marks the page dynamic (never prerendered at build time).
  const h = await headers();
  const rt = await getRuntime();
  const bearer = h.get("authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) return rt.viewerForBearer(bearer);
  const session = await auth();
  if (!session?.uid) return null;
  return rt.viewerForSession(session.uid, session.sv);
}

export async function currentIp(): Promise<string> {
  return clientIp(await headers());
}

/** Sends people without the role to the right sign-in page. */
export async function requireRole(role: Role, back: string): Promise<Viewer> {
  const viewer = await currentViewer();
  if (!viewer) redirect(`${role === "CONSUMER" ? "/login" : "/staff/login"}?next=${encodeURIComponent(back)}`);
  if (!viewer.roles.includes(role)) redirect(`/forbidden`);
  return viewer;
}
