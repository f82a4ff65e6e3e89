"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { mutate } from "@/components/client/gql";

const CLAIM = `mutation($couponId: ID!) { claimCoupon(couponId: $couponId) { coupon { id } errors { code message field } } }`;

export function ClaimButton({ couponId, slug, disabled, label }: { couponId: string; slug: string; disabled: boolean; label: string }) {
  const router = useRouter();
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function claim() {
    setBusy(true);
    const r = await mutate(CLAIM, { couponId }, "claimCoupon");
    setBusy(false);
    if (!r.ok && r.code === "UNAUTHENTICATED") return router.push(`/login?next=${encodeURIComponent(`/s/${slug}/coupons`)}`);
    setMessage(r.ok ? "领取成功" : r.message);
    router.refresh();
  }
  return (
    <div style={{ textAlign: "right" }}>
      <button className="btn btn-primary btn-sm" disabled={disabled || busy} onClick={claim}>{label}</button>
      {message && <div className={message === "领取成功" ? "success" : "error"} role="status">{message}</div>}
    </div>
  );
}
