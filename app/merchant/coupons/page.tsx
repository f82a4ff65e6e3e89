import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { serverNow } from "@/components/server/clock";
import { PortalShell } from "@/components/portal-shell";
import { CouponForm } from "@/components/coupon-form";
import { ISSUED_COUPON_FIELDS, IssuedCouponsTable, type IssuedCoupon } from "@/components/issued-coupons-table";

export const metadata = { title: "优惠券" };

const COUPONS = `{ merchantCoupons(first: 50) { nodes { ${ISSUED_COUPON_FIELDS} } } }`;

/** Store coupons: issue one (funded from the store's margin) and watch claimed / used. */
export default async function MerchantCoupons() {
  const viewer = await requireRole("MERCHANT", "/merchant/coupons");
  const [{ merchantCoupons }, now] = await Promise.all([query<{ merchantCoupons: { nodes: IssuedCoupon[] } }>(COUPONS), serverNow()]);
  return (
    <PortalShell kind="merchant" title="优惠券" who={viewer.nickname}>
      <CouponForm now={now} />
      <IssuedCouponsTable rows={merchantCoupons.nodes} issuer="STORE" />
    </PortalShell>
  );
}
