import { randomUUID } from "node:crypto";
import { NextResponse } from "next/server";
import { getRuntime } from "@/graphql/runtime-access";
import { storeBySlug } from "@/graphql/store/store.service";

const CHANNELS = new Set(["link", "qr", "live", "card"]);
const WEEK = 7 * 86_400;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An invite link: /i/<code>?ch=qr&s=<store slug>. Remembers the code, channel and store for the
 * registration that may follow (first-party cookies), gives the browser a device id if it has none,
 * and sends the visitor on to the store (or the login page).
 */
export async function GET(request: Request, { params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  const url = new URL(request.url);
  const channel = CHANNELS.has(url.searchParams.get("ch") ?? "") ? url.searchParams.get("ch")! : "link";
  const slug = url.searchParams.get("s");
  const rt = await getRuntime();
  const store = slug ? await storeBySlug(rt.services.db, slug) : null;
  // A product poster lands on the product (the page answers 404 itself if the store stopped selling it);
  // a group-buy share on the group, carrying the code so a join records whose share it came through.
  const product = url.searchParams.get("p");
  const group = url.searchParams.get("g");
  // A live or replay share lands in the room (a replay chapter at its second, t=).
  const live = url.searchParams.get("l");
  const at = Math.floor(Number(url.searchParams.get("t")));
  const validCode = /^[A-Za-z0-9]{4,16}$/.test(code);
  const target = !store
    ? "/login"
    : live && UUID.test(live)
      ? `/live/${live.toLowerCase()}?${new URLSearchParams({ ...(validCode ? { ref: code.toUpperCase() } : {}), ...(at > 0 ? { t: String(at) } : {}) })}`
      : group && UUID.test(group)
      ? `/s/${store.slug}/group/${group.toLowerCase()}${validCode ? `?ref=${code.toUpperCase()}` : ""}`
      : product && UUID.test(product)
        ? `/s/${store.slug}/p/${product}`
        : `/s/${store.slug}`;
  const response = NextResponse.redirect(new URL(target, url.origin), 303);
  const cookie = { httpOnly: true, sameSite: "lax" as const, path: "/", maxAge: WEEK };
  if (validCode) response.cookies.set("lb_invite", code.toUpperCase(), cookie);
  response.cookies.set("lb_channel", channel, cookie);
  if (store) response.cookies.set("lb_store", store.id, cookie);
  if (!request.headers.get("cookie")?.includes("lb_did=")) response.cookies.set("lb_did", randomUUID(), { ...cookie, maxAge: 365 * 86_400 });
  return response;
}
