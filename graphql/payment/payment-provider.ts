/** What a verified provider notification tells us. */
export type PaymentNotification = {
  notifyId: string;
  paymentId: string;
  providerTxnId: string;
  amount: number;
  status: "SUCCESS";
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
}
