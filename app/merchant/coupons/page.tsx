import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { serverNow } from "@/components/server/clock";
import { PortalShell } from "@/components/portal-shell";
import { formatTime } from "@/components/format";
import { CouponForm } from "./coupon-form";

export const metadata = { title: "优惠券" };

const COUPONS = `{ merchantCoupons(first: 50) { nodes { id title face scopeText kind claimStartsAt claimEndsAt usableUntil totalQuantity claimed used remaining perUserLimit welcome } } }`;
type Row = { id: string; title: string; face: string; scopeText: string; kind: string; claimStartsAt: string; claimEndsAt: string; usableUntil: string; totalQuantity: number; claimed: number; used: number; remaining: number; perUserLimit: number; welcome: boolean };

/** Store coupons: issue one (funded from the store's margin) and watch claimed / used. */
export default async function MerchantCoupons() {
  const viewer = await requireRole("MERCHANT", "/merchant/coupons");
  const [{ merchantCoupons }, now] = await Promise.all([query<{ merchantCoupons: { nodes: Row[] } }>(COUPONS), serverNow()]);
  return (
    <PortalShell kind="merchant" title="优惠券" who={viewer.nickname}>
      <CouponForm now={now} />
      <table className="table">
        <thead><tr><th>券</th><th>面额</th><th>范围</th><th>领取时间</th><th>使用截止</th><th>已领 / 总量</th><th>已使用</th><th>每人限领</th></tr></thead>
        <tbody>
          {merchantCoupons.nodes.map((c) => (
            <tr key={c.id} data-testid="merchant-coupon-row">
              <td>{c.title}{c.welcome && <span className="tag" style={{ marginLeft: 6 }}>邀请有礼</span>}</td>
              <td>{c.face}</td>
              <td>{c.scopeText}</td>
              <td className="muted">{formatTime(c.claimStartsAt)} – {formatTime(c.claimEndsAt)}</td>
              <td className="muted">{formatTime(c.usableUntil)}</td>
              <td>{c.claimed} / {c.totalQuantity}</td>
              <td>{c.used}</td>
              <td>{c.perUserLimit}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {merchantCoupons.nodes.length === 0 && <p className="muted">还没有发放优惠券</p>}
    </PortalShell>
  );
}
