import { getRuntime } from "@/graphql/runtime-access";
import { paymentById } from "@/graphql/payment/payment.service";
import { SANDBOX_SIGNATURE_HEADER } from "@/graphql/payment/sandbox-provider";
import { config } from "@/graphql/platform/config";

/**
 * The sandbox "bank": when the buyer confirms on the sandbox page, it signs a success notification
 * and posts it over HTTP to the notify endpoint — the same path a real provider takes.
 */
export async function POST(request: Request, { params }: { params: Promise<{ paymentId: string }> }) {
  if (!config.devTools) return new Response("Not found", { status: 404 });
  const rt = await getRuntime();
  const payment = await paymentById(rt.services.db, (await params).paymentId);
  if (!payment || payment.provider !== rt.sandbox.name) return new Response("Not found", { status: 404 });
  // The sandbox "bank" reports which account paid, like a real provider's openid; the page lets a
  // tester pay from another account (e.g. the inviter's) to see risk control at work.
  const form = await request.formData().catch(() => null);
  const typed = String(form?.get("payerAccount") ?? "").trim();
  const payerAccount = /^[\w-]{1,64}$/.test(typed) ? typed : undefined;
  const { body, signature } = rt.sandbox.signNotification(payment, payerAccount);
  const notifyUrl = new URL(`/api/pay/notify/${rt.sandbox.name}`, `http://127.0.0.1:${config.port}`);
  const answer = await fetch(notifyUrl, {
    method: "POST",
    headers: { "content-type": "application/json", [SANDBOX_SIGNATURE_HEADER]: signature },
    body,
  });
  const origin = new URL(request.url).origin;
  const back = answer.ok ? `/me/orders/${payment.orderId}?paid=1` : `/pay/sandbox/${payment.id}?failed=1`;
  return Response.redirect(new URL(back, request.headers.get("origin") ?? origin), 303);
}
