import Link from "next/link";
import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { PortalShell } from "@/components/portal-shell";
import { formatTime } from "@/components/format";
import { LiveStatusTag } from "@/components/live/live-status";

export const metadata = { title: "培训直播" };

const DATA = `{ trainingLives { id title status supplierName hostName cover scheduledAt startedAt endedAt shelf { productId } } }`;
type Live = { id: string; title: string; status: string; supplierName: string; hostName: string; cover: string | null; scheduledAt: string; startedAt: string | null; endedAt: string | null; shelf: { productId: string }[] };

/** 培训直播: suppliers explain their products to merchants — live now and upcoming first, then replays. */
export default async function MerchantTraining() {
  const viewer = await requireRole("MERCHANT", "/merchant/training");
  const { trainingLives } = await query<{ trainingLives: Live[] }>(DATA);
  return (
    <PortalShell kind="merchant" title="培训直播" who={viewer.nickname}>
      <p className="muted">供应商讲解商品卖点、话术与素材，仅店主可见。直播结束后可看回放，按商品章节跳转。</p>
      {trainingLives.length === 0 && <p className="muted">暂时没有培训直播</p>}
      <div className="grid-cards">
        {trainingLives.map((l) => (
          <section className="card" key={l.id} data-testid="training-card">
            {/* eslint-disable-next-line @next/next/no-img-element */}
            {l.cover && <img src={l.cover} alt="" style={{ width: "100%", aspectRatio: "16 / 9", objectFit: "cover", borderRadius: 8 }} />}
            <div className="row between">
              <strong>{l.title}</strong>
              <span style={{ flex: "none" }}><LiveStatusTag status={l.status} /></span>
            </div>
            <p className="muted">{l.supplierName} · 讲师 {l.hostName} · {l.shelf.length} 件商品</p>
            <p className="muted">{l.status === "ENDED" ? `${formatTime(l.startedAt)} 开播` : `${formatTime(l.scheduledAt)} 开播`}</p>
            <Link className="btn btn-sm btn-primary" href={`/merchant/training/${l.id}`}>{l.status === "LIVE" ? "进入直播间" : l.status === "ENDED" ? "看回放" : "查看详情"}</Link>
          </section>
        ))}
      </div>
    </PortalShell>
  );
}
