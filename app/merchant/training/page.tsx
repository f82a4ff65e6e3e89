import Link from "next/link";
import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { PortalShell } from "@/components/portal-shell";
import { formatTime } from "@/components/format";
import { LiveStatusTag } from "@/components/live/live-status";
import { ReserveButton } from "@/components/live/reserve-button";

export const metadata = { title: "培训直播" };

const PAGE = 24;
const DATA = `query TrainingLives($after: String) {
  trainingLives(first: ${PAGE}, after: $after) {
    nodes { id title status supplierName hostName cover scheduledAt startedAt endedAt reservedByMe reservationCount shelf { productId } }
    pageInfo { hasNextPage endCursor }
  }
}`;
type Live = {
  id: string;
  title: string;
  status: string;
  supplierName: string;
  hostName: string;
  cover: string | null;
  scheduledAt: string;
  startedAt: string | null;
  endedAt: string | null;
  reservedByMe: boolean;
  reservationCount: number;
  shelf: { productId: string }[];
};
type Data = { trainingLives: { nodes: Live[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };

/** 培训直播: suppliers explain their products to merchants — live now and upcoming first (预约 to be told when it starts), then replays. */
export default async function MerchantTraining({ searchParams }: { searchParams: Promise<{ after?: string }> }) {
  const viewer = await requireRole("MERCHANT", "/merchant/training");
  const { after } = await searchParams;
  const { trainingLives: page } = await query<Data>(DATA, { after: after || null });
  const trainingLives = page.nodes;
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
            <p className="muted">
              {l.status === "ENDED" ? `${formatTime(l.startedAt)} 开播` : `${formatTime(l.scheduledAt)} 开播`}
              {l.status === "SCHEDULED" && l.reservationCount > 0 && ` · ${l.reservationCount} 位店主已预约`}
            </p>
            <div className="row">
              <Link className="btn btn-sm btn-primary" href={`/merchant/training/${l.id}`}>{l.status === "LIVE" ? "进入直播间" : l.status === "ENDED" ? "看回放" : "查看详情"}</Link>
              {l.status === "SCHEDULED" && <ReserveButton kind="TRAINING" liveId={l.id} reserved={l.reservedByMe} signInHref="/staff/login?next=/merchant/training" />}
            </div>
          </section>
        ))}
      </div>
      <div className="row">
        {after && <Link className="btn btn-sm" href="/merchant/training">回到第一页</Link>}
        {page.pageInfo.hasNextPage && <Link className="btn btn-sm" href={`/merchant/training?after=${page.pageInfo.endCursor}`}>更多培训直播</Link>}
      </div>
    </PortalShell>
  );
}
