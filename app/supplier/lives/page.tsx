import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { PortalShell } from "@/components/portal-shell";
import { formatTime } from "@/components/format";

export const metadata = { title: "直播带货" };

const DATA = `{ supplierLiveSales { liveId title status storeName startedAt orders units goods { amount } } }`;
type Row = { liveId: string; title: string; status: string; storeName: string; startedAt: string | null; orders: number; units: number; goods: { amount: number } };
const STATUS: Record<string, string> = { SCHEDULED: "未开播", LIVE: "直播中", ENDED: "已结束" };

/** How my products sell in merchants' lives: every live that sold them, with units and goods paid. */
export default async function SupplierLives() {
  const viewer = await requireRole("SUPPLIER", "/supplier/lives");
  const { supplierLiveSales } = await query<{ supplierLiveSales: Row[] }>(DATA);
  const total = supplierLiveSales.reduce((s, r) => s + r.goods.amount, 0);
  return (
    <PortalShell kind="supplier" title="直播带货" who={viewer.nickname}>
      <p className="muted">各店主直播间售出的本供应商商品（已支付、未取消的订单）。合计 ¥{(total / 100).toFixed(2)}。</p>
      {supplierLiveSales.length === 0 ? (
        <p className="muted">还没有直播间售出你的商品</p>
      ) : (
        <table className="table">
          <thead><tr><th>直播</th><th>店铺</th><th>状态</th><th>开播时间</th><th>订单</th><th>件数</th><th>商品金额</th></tr></thead>
          <tbody>
            {supplierLiveSales.map((r) => (
              <tr key={r.liveId}>
                <td>{r.title}</td>
                <td>{r.storeName}</td>
                <td>{STATUS[r.status] ?? r.status}</td>
                <td className="muted">{r.startedAt ? formatTime(r.startedAt) : "—"}</td>
                <td>{r.orders}</td>
                <td>{r.units}</td>
                <td>¥{(r.goods.amount / 100).toFixed(2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </PortalShell>
  );
}
