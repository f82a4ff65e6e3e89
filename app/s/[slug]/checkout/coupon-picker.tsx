"use client";

export type CheckoutCoupon = {
  id: string;
  issuer: string;
  title: string;
  face: string;
  usableUntil: string;
  applied: boolean;
  discount: { amount: number };
  reason: string | null;
};

const GROUPS = [
  { issuer: "STORE", heading: "店铺券", none: "不使用店铺券" },
  { issuer: "PLATFORM", heading: "平台券", none: "不使用平台券" },
] as const;

/**
 * One store coupon and one platform coupon per order: a radio group for each. Choosing in one group
 * keeps the other group's choice; the server re-prices and says why a coupon does not apply.
 */
export function CouponPicker({
  coupons,
  shown,
  onChoose,
  disabled,
}: {
  coupons: CheckoutCoupon[];
  shown: string[];
  onChoose: (couponIds: string[]) => void;
  disabled: boolean;
}) {
  if (!coupons.length) return null;
  const issuerOf = new Map(coupons.map((c) => [c.id, c.issuer]));
  const choose = (issuer: string, id: string | null) => onChoose([...shown.filter((x) => issuerOf.get(x) !== issuer), ...(id ? [id] : [])]);
  return (
    <section className="card" data-testid="coupon-picker">
      {GROUPS.map((g) => {
        const mine = coupons.filter((c) => c.issuer === g.issuer);
        if (!mine.length) return null;
        const picked = mine.some((c) => shown.includes(c.id));
        return (
          <div key={g.issuer} data-testid={`coupon-group-${g.issuer}`}>
            <h3>{g.heading}</h3>
            <label className="row between">
              <span>{g.none}</span>
              <input type="radio" name={`coupon-${g.issuer}`} checked={!picked} onChange={() => choose(g.issuer, null)} disabled={disabled} />
            </label>
            {mine.map((c) => (
              <label className="row between" key={c.id}>
                <span>
                  <strong>{c.face}</strong> {c.title}
                  {c.applied ? <span className="price"> -¥{(c.discount.amount / 100).toFixed(2)}</span> : c.reason && <span className="muted"> {c.reason}</span>}
                </span>
                <input type="radio" name={`coupon-${g.issuer}`} checked={shown.includes(c.id)} onChange={() => choose(g.issuer, c.id)} disabled={disabled} />
              </label>
            ))}
          </div>
        );
      })}
    </section>
  );
}
