import Link from "next/link";
import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { serverNow } from "@/components/server/clock";
import { PortalShell } from "@/components/portal-shell";
import { formatTime, toShanghaiInput } from "@/components/format";
import { LiveStatusTag } from "@/components/live/live-status";
import { ScheduleTrainingForm } from "./schedule-training-form";

export const metadata = { title: "培训直播" };

const PAGE = 20;
const DATA = `query SupplierTraining($after: String) {
  supplierTrainingLives(first: ${PAGE}, after: $after) {
    nodes { id title status scheduledAt startedAt endedAt peakViewers uniqueViewers commentCount reservationCount shelf { productId } }
    pageInfo { hasNextPage endCursor }
  }
  supplierProducts(first: 100) { nodes { id title images } }
}`;
type Live = {
  id: string;
  title: string;
  status: string;
  scheduledAt: string;
  startedAt: string | null;
  endedAt: string | null;
  peakViewers: number;
  uniqueViewers: number;
  commentCount: number;
  reservationCount: number;
  shelf: { productId: string }[];
};
type Data = {
  supplierTrainingLives: { nodes: Live[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  supplierProducts: { nodes: { id: string; title: string; images: string[] }[] };
};

const HOUR = 3_600_000;

/** 培训直播: train the merchants who sell my products — only merchants can enter, nothing is sold. */
export default async function SupplierTraining({ searchParams }: { searchParams: Promise<{ after?: string }> }) {
  const viewer = await requireRole("SUPPLIER", "/supplier/training");
  const { after } = await searchParams;
  const [d, now] = await Promise.all([query<Data>(DATA, { after: after || null }), serverNow()]);
  const lives = d.supplierTrainingLives.nodes;
  const start = Math.ceil((Date.parse(now) + HOUR) / HOUR) * HOUR;
  return (
    <PortalShell kind="supplier" title="培训直播" who={viewer.nickname}>
      <p className="muted">培训直播只对店主开放（消费者看不到），货架展示供货价、建议零售价和你的讲解话术与素材包，不能下单。回放与商品讲解章节会保留给店主随时观看。</p>
      <section className="card">
        <h3>我的培训直播</h3>
        {lives.length === 0 ? (
          <p className="muted">还没有培训直播，在下方创建第一场吧</p>
        ) : (
          <table className="table">
            <thead><tr><th>直播</th><th>状态</th><th>时间</th><th>商品</th><th>预约店主</th><th>峰值在线</th><th>观看店主</th><th>评论</th><th></th></tr></thead>
            <tbody>
              {lives.map((l) => (
                <tr key={l.id} data-testid="training-live-row">
                  <td>{l.title}</td>
                  <td><LiveStatusTag status={l.status} /></td>
                  <td className="muted">{formatTime(l.startedAt ?? l.scheduledAt)}{l.endedAt ? <><br />至 {formatTime(l.endedAt)}</> : null}</td>
                  <td>{l.shelf.length}</td>
                  <td data-testid="training-reservations">{l.reservationCount}</td>
                  <td>{l.peakViewers}</td>
                  <td>{l.uniqueViewers}</td>
                  <td>{l.commentCount}</td>
                  <td><Link className="btn btn-sm btn-primary" href={`/supplier/training/${l.id}`}>{l.status === "ENDED" ? "回放与数据" : "直播控制台"}</Link></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <div className="row">
          {after && <Link className="btn btn-sm" href="/supplier/training">回到第一页</Link>}
          {d.supplierTrainingLives.pageInfo.hasNextPage && <Link className="btn btn-sm" href={`/supplier/training?after=${d.supplierTrainingLives.pageInfo.endCursor}`}>更早的培训直播</Link>}
        </div>
      </section>
      <section className="card">
        <h3>创建培训直播</h3>
        <ScheduleTrainingForm products={d.supplierProducts.nodes.map((p) => ({ id: p.id, title: p.title, image: p.images[0] ?? null }))} defaultStart={toShanghaiInput(new Date(start))} />
      </section>
    </PortalShell>
  );
}
