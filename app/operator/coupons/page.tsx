import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { serverNow } from "@/components/server/clock";
import { PortalShell } from "@/components/portal-shell";
import { CouponForm } from "@/components/coupon-form";
import { ISSUED_COUPON_FIELDS, IssuedCouponsTable, type IssuedCoupon } from "@/components/issued-coupons-table";

export const metadata = { title: "平台券" };

const COUPONS = `{ platformCoupons(first: 50) { nodes { ${ISSUED_COUPON_FIELDS} } } }`;

/** Platform coupons: issue one (platform-funded marketing expense), stop it, and watch claimed / used. */
export default async function PlatformCoupons() {
  const viewer = await requireRole("OPERATOR", "/operator/coupons");
  const [{ platformCoupons }, now] = await Promise.all([query<{ platformCoupons: { nodes: IssuedCoupon[] } }>(COUPONS), serverNow()]);
  return (
    <PortalShell kind="operator" title="平台券" who={viewer.nickname}>
      <CouponForm now={now} issuer="PLATFORM" />
      <IssuedCouponsTable rows={platformCoupons.nodes} issuer="PLATFORM" />
    </PortalShell>
  );
}
