import { notFound } from "next/navigation";
import Link from "next/link";
import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { PortalShell } from "@/components/portal-shell";
import { MinuteChart } from "@/components/minute-chart";
import { formatOffset } from "@/graphql/live/live.rules";

export const metadata = { title: "直播数据" };

const DATA = `query LiveStats($id: ID!) { liveAnalytics(liveId: $id) {
  liveId title status
  summary { uniqueViewers peakViewers avgWatchSeconds comments likes productClicks orders buyers gmv { amount } conversionBp }
  chapters { productId title startMs endMs clicks orders gmv { amount } }
  minutes { minute watching joined comments orders gmv { amount } } } }`;
type Data = {
  liveAnalytics: {
    liveId: string;
    title: string;
    status: string;
    summary: { uniqueViewers: number; peakViewers: number; avgWatchSeconds: number; comments: number; likes: number; productClicks: number; orders: number; buyers: number; gmv: { amount: number }; conversionBp: number };
    chapters: { productId: string; title: string; startMs: number; endMs: number; clicks: number; orders: number; gmv: { amount: number } }[];
    minutes: { minute: number; watching: number; joined: number; comments: number; orders: number; gmv: { amount: number } }[];
  } | null;
};

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

/** 直播复盘: the session's numbers, per product chapter, and minute by minute. */
export default async function LiveStats({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const viewer = await requireRole("MERCHANT", `/merchant/live/${id}/stats`);
  const { liveAnalytics: a } = await query<Data>(DATA, { id });
  if (!a) notFound();
  const s = a.summary;
  const cards: [string, string][] = [
    ["观看人数", String(s.uniqueViewers)],
    ["最高在线", String(s.peakViewers)],
    ["人均观看", `${Math.floor(s.avgWatchSeconds / 60)}分${s.avgWatchSeconds % 60}秒`],
    ["评论", String(s.comments)],
    ["点赞", String(s.likes)],
    ["商品点击", String(s.productClicks)],
    ["订单", String(s.orders)],
    ["成交金额", yuan(s.gmv.amount)],
    ["转化率", `${(s.conversionBp / 100).toFixed(2)}%`],
  ];
  return (
    <PortalShell kind="merchant" title={`直播数据 · ${a.title}`} who={viewer.nickname}>
      <p><Link href={`/merchant/live/${a.liveId}`}>← 返回直播控制台</Link></p>
      <section className="stats-grid" data-testid="live-summary" style={{ display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(130px, 1fr))", gap: 12, marginBottom: 16 }}>
        {cards.map(([label, value]) => (
          <div className="card" key={label}>
            <div className="muted">{label}</div>
            <strong style={{ fontSize: 20 }}>{value}</strong>
          </div>
        ))}
      </section>
      <section className="card">
        <h3>分钟级趋势</h3>
        {a.minutes.length ? (
          <MinuteChart
            minutes={a.minutes.map((m) => m.minute)}
            series={[
              { label: "在线观看", color: "#e85d75", values: a.minutes.map((m) => m.watching) },
              { label: "评论", color: "#4a7bd0", values: a.minutes.map((m) => m.comments) },
              { label: "订单", color: "#2a9d5c", values: a.minutes.map((m) => m.orders) },
            ]}
          />
        ) : (
          <p className="muted">直播开始后显示</p>
        )}
      </section>
      <section className="card">
        <h3>商品讲解片段</h3>
        {a.chapters.length === 0 && <p className="muted">本场没有置顶讲解的商品</p>}
        {a.chapters.length > 0 && (
          <table className="table" data-testid="chapter-stats">
            <thead><tr><th>商品</th><th>讲解时段</th><th>点击</th><th>订单</th><th>成交金额</th></tr></thead>
            <tbody>
              {a.chapters.map((c) => (
                <tr key={`${c.productId}-${c.startMs}`}>
                  <td>{c.title}</td>
                  <td>{formatOffset(c.startMs)} – {formatOffset(c.endMs)}</td>
                  <td>{c.clicks}</td>
                  <td>{c.orders}</td>
                  <td>{yuan(c.gmv.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </PortalShell>
  );
}
