import { notFound } from "next/navigation";
import { getRuntime } from "@/graphql/runtime-access";
import { orderBuyerId, paymentById } from "@/graphql/payment/payment.service";
import { config } from "@/graphql/platform/config";
import { formatFen } from "@/graphql/platform/money";

export const metadata = { title: "沙箱支付" };

/**
 * The sandbox provider's own page (it stands in for a bank's checkout, outside the shop): shows the
 * amount and, on confirm, its "bank" posts a signed notification to our notify endpoint.
 */
export default async function SandboxPayPage({ params, searchParams }: { params: Promise<{ paymentId: string }>; searchParams: Promise<{ failed?: string }> }) {
  if (!config.devTools) notFound();
  const { paymentId } = await params;
  const { failed } = await searchParams;
  const rt = await getRuntime();
  const payment = await paymentById(rt.services.db, paymentId);
  if (!payment) notFound();
  const buyerId = await orderBuyerId(rt.services.db, payment.orderId);
  return (
    <main className="auth-box" style={{ textAlign: "center" }}>
      <p className="tag tag-gray">沙箱支付 · 非真实扣款</p>
      <h1 style={{ fontSize: 36, margin: "16px 0" }} data-testid="pay-amount">{formatFen(payment.amount)}</h1>
      {failed && <p className="error">支付通知未被接受，请返回订单重试</p>}
      {payment.status === "PENDING" ? (
        <form method="post" action={`/api/pay/sandbox/${payment.id}/confirm`}>
          <label className="field" style={{ textAlign: "left" }}>
            <span>付款账户（沙箱）</span>
            <input name="payerAccount" defaultValue={`sbx-${buyerId.slice(0, 8)}`} maxLength={64} pattern="[A-Za-z0-9_-]{1,64}" data-testid="payer-account" />
          </label>
          <button className="btn btn-primary btn-block">确认支付</button>
        </form>
      ) : (
        <p className="muted">该笔支付已处理（{payment.status}）</p>
      )}
      <p className="muted" style={{ marginTop: 12 }}>支付单号 {payment.id.slice(0, 8)}</p>
    </main>
  );
}
