import Link from "next/link";
import { notFound } from "next/navigation";
import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { PortalShell } from "@/components/portal-shell";
import { SHOP_LIVE_FIELDS, type ShopLiveData } from "@/components/live/room-types";
import { HostConsole, type MerchantLiveData } from "./host-console";
import { LivePerksForm } from "./live-perks-form";
import { AnnounceForm } from "@/components/live/announce-form";
import { serverNow } from "@/components/server/clock";
import { AdLawMarks } from "@/components/ad-law-marks";
import { MaterialList, type Material } from "@/components/live/material-list";

export const metadata = { title: "直播控制台" };

const CONSOLE = `query Console($id: ID!) {
  merchantLive(id: $id) { ${SHOP_LIVE_FIELDS} peakViewers uniqueViewers reservations commentCount }
  myAnchor { status }
  liveScriptsForLive(liveId: $id) { id productTitle title sellingPoints body adHits { term field start end } materials { label kind url } }
}`;
type Script = { id: string; productTitle: string; title: string; sellingPoints: string[]; body: string; adHits: { term: string; field: string; start: number; end: number }[]; materials: Material[] };

/** The host console of one of my lives: go live, pin, shelf, live prices, comments, counters. */
export default async function HostConsolePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const viewer = await requireRole("MERCHANT", `/merchant/live/${id}`);
  const now = await serverNow();
  const d = await query<{ merchantLive: (ShopLiveData & MerchantLiveData) | null; myAnchor: { status: string }; liveScriptsForLive: Script[] }>(CONSOLE, { id });
  if (!d.merchantLive) notFound();
  const live = d.merchantLive;
  return (
    <PortalShell
      kind="merchant"
      title={`直播控制台 · ${live.title}`}
      who={viewer.nickname}
      actions={<><Link className="btn btn-sm" href="/merchant/live">返回直播列表</Link><Link className="btn btn-sm" href={`/live/${live.id}`} target="_blank">打开直播间</Link><Link className="btn btn-sm" href={`/merchant/live/${live.id}/stats`}>直播数据</Link></>}
    >
      <HostConsole live={live} anchorApproved={d.myAnchor.status === "APPROVED"} />
      {live.status === "LIVE" && <AnnounceForm liveId={live.id} />}
      <LivePerksForm liveId={live.id} coupons={live.coupons} tasks={live.tasks} serverNow={now} open={live.status !== "ENDED" && live.status !== "CANCELLED"} />
      <section className="card" data-testid="live-scripts">
        <h3>讲解话术（供应商提供）</h3>
        {d.liveScriptsForLive.length === 0 && <p className="muted">货架商品暂无供应商话术</p>}
        {d.liveScriptsForLive.map((s) => (
          <details key={s.id}>
            <summary>{s.productTitle} · {s.title}{s.adHits.length > 0 && <span className="error">（含 {s.adHits.length} 处广告法禁用语，讲解时请避免）</span>}</summary>
            <ul>{s.sellingPoints.map((p, i) => <li key={i}><AdLawMarks text={p} hits={s.adHits.filter((h) => h.field === `sellingPoints.${i}`)} /></li>)}</ul>
            <p style={{ whiteSpace: "pre-wrap" }}><AdLawMarks text={s.body} hits={s.adHits.filter((h) => h.field === "body")} /></p>
            <MaterialList materials={s.materials} />
          </details>
        ))}
      </section>
    </PortalShell>
  );
}
