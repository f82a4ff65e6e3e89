import Link from "next/link";
import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { serverNow } from "@/components/server/clock";
import { PortalShell } from "@/components/portal-shell";
import { formatTime, toShanghaiInput } from "@/components/format";
import { LiveStatusTag } from "@/components/live/live-status";
import { ScheduleLiveForm, type LiveListingOption } from "./schedule-live-form";
import { AdCopyCheck } from "./ad-copy-check";

export const metadata = { title: "直播管理" };

const LIVES = `{
  myStore { slug }
  myAnchor { status }
  merchantLives { id title status scheduledAt startedAt endedAt peakViewers uniqueViewers reservations commentCount likeCount shelf { productId } }
  merchantListings(first: 100) { nodes { id status title skus { skuId label retailPrice { amount } minRetailPrice { amount } stock } } }
}`;

type Live = { id: string; title: string; status: string; scheduledAt: string; startedAt: string | null; endedAt: string | null; peakViewers: number; uniqueViewers: number; reservations: number; commentCount: number; likeCount: number; shelf: { productId: string }[] };
type Data = {
  myStore: { slug: string };
  myAnchor: { status: string };
  merchantLives: Live[];
  merchantListings: { nodes: { id: string; status: string; title: string; skus: { skuId: string; label: string; retailPrice: { amount: number }; minRetailPrice: { amount: number }; stock: number }[] }[] };
};

const HOUR = 3_600_000;

/** 直播管理: my store's lives with their counters, and scheduling a new one with its shelf and live prices. */
export default async function MerchantLives() {
  const viewer = await requireRole("MERCHANT", "/merchant/live");
  const [d, now] = await Promise.all([query<Data>(LIVES), serverNow()]);
  const listings: LiveListingOption[] = d.merchantListings.nodes
    .filter((l) => l.status === "ON_SHELF")
    .map((l) => ({ id: l.id, title: l.title, skus: l.skus.map((s) => ({ skuId: s.skuId, label: s.label, retailPrice: s.retailPrice.amount, minRetailPrice: s.minRetailPrice.amount })) }));
  const start = Math.ceil((Date.parse(now) + HOUR) / HOUR) * HOUR;
  return (
    <PortalShell kind="merchant" title="直播管理" who={viewer.nickname} actions={<Link className="btn btn-sm" href="/merchant/anchor">主播认证</Link>}>
      {d.myAnchor.status !== "APPROVED" && (
        <p className="notice" role="status">开播需先完成主播认证（实名 + 平台审核）。<Link href="/merchant/anchor" style={{ textDecoration: "underline" }}>去认证</Link></p>
      )}
      <section className="card">
        <h3>我的直播</h3>
        {d.merchantLives.length === 0 ? (
          <p className="muted">还没有直播，在下方创建第一场吧</p>
        ) : (
          <table className="table">
            <thead>
              <tr><th>直播</th><th>状态</th><th>时间</th><th>商品</th><th>预约</th><th>峰值在线</th><th>观看人数</th><th>评论</th><th>点赞</th><th></th></tr>
            </thead>
            <tbody>
              {d.merchantLives.map((l) => (
                <tr key={l.id} data-testid="merchant-live-row">
                  <td>{l.title}</td>
                  <td><LiveStatusTag status={l.status} /></td>
                  <td className="muted">{formatTime(l.startedAt ?? l.scheduledAt)}{l.endedAt ? <><br />至 {formatTime(l.endedAt)}</> : null}</td>
                  <td>{l.shelf.length}</td>
                  <td>{l.reservations}</td>
                  <td>{l.peakViewers}</td>
                  <td>{l.uniqueViewers}</td>
                  <td>{l.commentCount}</td>
                  <td>{l.likeCount}</td>
                  <td className="row">
                    <Link className="btn btn-sm btn-primary" href={`/merchant/live/${l.id}`}>{l.status === "ENDED" ? "详情" : "直播控制台"}</Link>
                    <Link className="btn btn-sm" href={`/live/${l.id}`} target="_blank">{l.status === "ENDED" ? "看回放" : "直播间"}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="card">
        <h3>创建直播</h3>
        <ScheduleLiveForm listings={listings} defaultStart={toShanghaiInput(new Date(start))} />
      </section>
      <section className="card">
        <h3>广告法用语检测</h3>
        <AdCopyCheck />
      </section>
    </PortalShell>
  );
}
