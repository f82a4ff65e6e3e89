import { randomUUID } from "node:crypto";
import { hmacHex, safeEqual } from "../platform/crypto";
import type { PaymentNotification, PaymentProvider, RefundResult } from "./payment-provider";

export const SANDBOX_SIGNATURE_HEADER = "x-sandbox-signature";

/**
 * The built-in sandbox: a payment page in this app that, when the buyer confirms, posts an
 * HMAC-SHA256-signed notification to the notify endpoint — the same path a real provider uses.
 */
export class SandboxProvider implements PaymentProvider {
  readonly name = "sandbox";
  constructor(private readonly secret: () => string) {}

  checkoutUrl(paymentId: string): string {
    return `/pay/sandbox/${paymentId}`;
  }

  /** Builds and signs a success notification (what the sandbox "bank" sends). */
  signNotification(payment: { id: string; amount: number }, payerAccount?: string): { body: string; signature: string } {
    const notification: PaymentNotification = {
      notifyId: randomUUID(),
      paymentId: payment.id,
      providerTxnId: `SBX${payment.id.replace(/-/g, "").slice(0, 20).toUpperCase()}`,
      amount: payment.amount,
      status: "SUCCESS",
      ...(payerAccount ? { payerAccount } : {}),
    };
    const body = JSON.stringify(notification);
    return { body, signature: hmacHex(this.secret(), body) };
  }

  /** The sandbox "bank" refunds at once: no money moves, so confirming immediately is honest. */
  async refund(payment: { id: string; amount: number }, refundNo: string, amount: number): Promise<RefundResult> {
    if (!Number.isSafeInteger(amount) || amount <= 0 || amount > payment.amount) throw new Error("sandbox refund: invalid amount");
    return { status: "SUCCEEDED", providerRefundId: `SBXR${refundNo}` };
  }

  parseNotification(rawBody: string, headers: Headers): PaymentNotification | null {
    const signature = headers.get(SANDBOX_SIGNATURE_HEADER) ?? "";
    if (!safeEqual(signature, hmacHex(this.secret(), rawBody))) return null;
    try {
      const n = JSON.parse(rawBody) as PaymentNotification;
      const ok =
        typeof n.notifyId === "string" &&
        typeof n.paymentId === "string" &&
        typeof n.providerTxnId === "string" &&
        Number.isSafeInteger(n.amount) &&
        n.status === "SUCCESS" &&
        (n.payerAccount === undefined || (typeof n.payerAccount === "string" && n.payerAccount.length <= 64));
      return ok ? n : null;
    } catch {
      return null;
    }
  }
}
