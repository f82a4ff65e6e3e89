import { formatTime } from "@/components/format";
import { DisableCouponButton } from "@/components/disable-coupon-button";

export const ISSUED_COUPON_FIELDS = "id title face scopeText kind claimStartsAt claimEndsAt usableUntil totalQuantity claimed used remaining perUserLimit welcome disabled";
export type IssuedCoupon = {
  id: string;
  title: string;
  face: string;
  scopeText: string;
  kind: string;
  claimStartsAt: string;
  claimEndsAt: string;
  usableUntil: string;
  totalQuantity: number;
  claimed: number;
  used: number;
  remaining: number;
  perUserLimit: number;
  welcome: boolean;
  disabled: boolean;
};

/** Issued coupons with their live counters (claimed, used in paid orders), for the merchant and operator consoles. */
export function IssuedCouponsTable({ rows, issuer }: { rows: IssuedCoupon[]; issuer: "STORE" | "PLATFORM" }) {
  if (!rows.length) return <p className="muted">还没有发放优惠券</p>;
  return (
    <table className="table">
      <thead><tr><th>券</th><th>面额</th><th>范围</th><th>领取时间</th><th>使用截止</th><th>已领 / 总量</th><th>已使用</th><th>每人限领</th><th></th></tr></thead>
      <tbody>
        {rows.map((c) => (
          <tr key={c.id} data-testid="merchant-coupon-row">
            <td>{c.title}{c.welcome && <span className="tag" style={{ marginLeft: 6 }}>邀请有礼</span>}</td>
            <td>{c.face}</td>
            <td>{c.scopeText}</td>
            <td className="muted">{formatTime(c.claimStartsAt)} – {formatTime(c.claimEndsAt)}</td>
            <td className="muted">{formatTime(c.usableUntil)}</td>
            <td>{c.claimed} / {c.totalQuantity}</td>
            <td>{c.used}</td>
            <td>{c.perUserLimit}</td>
            <td>{c.disabled ? <span className="muted">已停止</span> : <DisableCouponButton couponId={c.id} issuer={issuer} />}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
