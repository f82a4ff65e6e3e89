import Link from "next/link";
import { notFound } from "next/navigation";
import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { PortalShell } from "@/components/portal-shell";
import { SHOP_LIVE_FIELDS, type ShopLiveData } from "@/components/live/room-types";
import { HostConsole, type MerchantLiveData } from "./host-console";

export const metadata = { title: "直播控制台" };

const CONSOLE = `query Console($id: ID!) {
  merchantLive(id: $id) { ${SHOP_LIVE_FIELDS} peakViewers uniqueViewers reservations commentCount }
  myAnchor { status }
}`;

/** The host console of one of my lives: go live, pin, shelf, live prices, comments, counters. */
export default async function HostConsolePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const viewer = await requireRole("MERCHANT", `/merchant/live/${id}`);
  const d = await query<{ merchantLive: (ShopLiveData & MerchantLiveData) | null; myAnchor: { status: string } }>(CONSOLE, { id });
  if (!d.merchantLive) notFound();
  const live = d.merchantLive;
  return (
    <PortalShell
      kind="merchant"
      title={`直播控制台 · ${live.title}`}
      who={viewer.nickname}
      actions={<><Link className="btn btn-sm" href="/merchant/live">返回直播列表</Link><Link className="btn btn-sm" href={`/live/${live.id}`} target="_blank">打开直播间</Link></>}
    >
      <HostConsole key={live.status} live={live} anchorApproved={d.myAnchor.status === "APPROVED"} />
    </PortalShell>
  );
}
