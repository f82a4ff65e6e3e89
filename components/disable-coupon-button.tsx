"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { mutate } from "@/components/client/gql";

const DISABLE = {
  STORE: `mutation($id: ID!) { disableCoupon(couponId: $id) { coupon { id } errors { code message field } } }`,
  PLATFORM: `mutation($id: ID!) { disablePlatformCoupon(couponId: $id) { coupon { id } errors { code message field } } }`,
};

/** Stops a coupon from being claimed, after a confirmation; coupons people already hold stay usable. */
export function DisableCouponButton({ couponId, issuer }: { couponId: string; issuer: "STORE" | "PLATFORM" }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function stop() {
    if (!window.confirm("停止发放后不能再领取，已领取的券在有效期内仍可使用。确定停止？")) return;
    setBusy(true);
    const r = await mutate(DISABLE[issuer], { id: couponId }, issuer === "STORE" ? "disableCoupon" : "disablePlatformCoupon");
    setBusy(false);
    if (!r.ok) return setError(r.message);
    router.refresh();
  }
  return (
    <>
      <button className="btn btn-sm" onClick={stop} disabled={busy}>停止发放</button>
      {error && <span className="error" role="alert">{error}</span>}
    </>
  );
}
