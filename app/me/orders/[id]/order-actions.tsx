"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { mutate } from "@/components/client/gql";

const PAY = `mutation($input: PayOrderInput!) { payOrder(input: $input) { session { payUrl } errors { code message field } } }`;
const CANCEL = `mutation($input: OrderIdInput!) { cancelOrder(input: $input) { order { id } errors { code message field } } }`;
const RECEIVE = `mutation($input: OrderIdInput!) { confirmReceipt(input: $input) { order { id } errors { code message field } } }`;

/** `cancelPaid`: a paid zero-cash order (积分兑换 / 全额抵扣) not yet shipped, which the buyer may still cancel. */
export function OrderActions({ orderId, status, cancelPaid = false }: { orderId: string; status: string; cancelPaid?: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(doc: string, field: string, after: (payload: any) => void) {
    setBusy(true);
    setError(null);
    const result = await mutate<any>(doc, { input: { orderId } }, field);
    setBusy(false);
    if (!result.ok) return setError(result.message);
    after(result.payload);
  }

  return (
    <div>
      {error && <p className="error" role="alert">{error}</p>}
      <div className="row" style={{ justifyContent: "flex-end" }}>
        {status === "PENDING_PAYMENT" && (
          <>
            <button className="btn" disabled={busy} onClick={() => confirm("确定取消订单吗？") && run(CANCEL, "cancelOrder", () => router.refresh())}>取消订单</button>
            <button className="btn btn-primary" disabled={busy} onClick={() => run(PAY, "payOrder", (p) => window.location.assign(p.session.payUrl))}>去支付</button>
          </>
        )}
        {cancelPaid && (
          <button className="btn" disabled={busy} onClick={() => confirm("确定取消订单吗？积分与优惠券将退回") && run(CANCEL, "cancelOrder", () => router.refresh())}>取消订单</button>
        )}
        {status === "SHIPPED" && (
          <button className="btn btn-primary" disabled={busy} onClick={() => run(RECEIVE, "confirmReceipt", () => router.refresh())}>确认收货</button>
        )}
      </div>
    </div>
  );
}
