import { sharedSandboxPayouts } from "./sandbox-payout";

/** What a payout provider answers. A failure may be final or merely unknown (a lost answer). */
export type PayoutResult = { ok: true; providerRef: string } | { ok: false; reason: string };

/**
 * Pays money out to a person (商家转账到零钱, 支付宝转账, a bank). Contract every implementation must
 * keep: `payoutNo` is our idempotency key — asking again with a payoutNo that was already paid
 * answers the first success and moves no money. That is what makes a retry after a timeout safe
 * (rule book §5: a payout retry reuses the same payout number).
 */
export interface PayoutProvider {
  readonly name: string;
  payout(payoutNo: string, amount: number, payee: { name: string; account: string }): Promise<PayoutResult>;
}

/**
 * The payout provider in use: `services.payouts` when the runtime provides one, else the built-in
 * sandbox. (Read structurally so the runtime can add the field without this module changing.)
 */
export function payoutProviderOf(services: unknown): PayoutProvider {
  return (services as { payouts?: PayoutProvider } | undefined)?.payouts ?? sharedSandboxPayouts();
}
