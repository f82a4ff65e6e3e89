/** What a verified provider notification tells us. */
export type PaymentNotification = {
  notifyId: string;
  paymentId: string;
  providerTxnId: string;
  amount: number;
  status: "SUCCESS";
  /** The payer's account as the provider identifies it (openid, buyer id…), when it says: risk pairs compare it. */
  payerAccount?: string;
};

/**
 * A payment provider (WeChat Pay, Alipay, the sandbox). Adding one means implementing this and
 * registering it; the notify endpoint and the payment service stay the same.
 */
export interface PaymentProvider {
  readonly name: string;
  /** Where the buyer is sent to pay. */
  checkoutUrl(paymentId: string): string;
  /** Verifies the signature and parses the body; null when it is not authentic or malformed. */
  parseNotification(rawBody: string, headers: Headers): PaymentNotification | null;
  /**
   * Asks the provider to send `amount` of a payment back. `refundNo` is our idempotency key: asking
   * twice with the same number refunds once. SUCCEEDED means confirmed now (the sandbox); PENDING
   * means the provider will confirm later by notification, which calls applyRefundSucceeded.
   */
  refund(payment: { id: string; providerTxnId: string | null; amount: number }, refundNo: string, amount: number): Promise<RefundResult>;
}

export type RefundResult = { status: "SUCCEEDED" | "PENDING"; providerRefundId: string };
