import type { PayoutProvider, PayoutResult } from "./payout-provider";

type Planned = { afterPaying: boolean };

/**
 * The built-in payout "bank": records what it paid per payoutNo, in memory. Idempotent per payoutNo
 * like a real provider (a second call with a paid payoutNo answers the first success and pays
 * nothing). Tests can make the next calls fail, either before paying (a refusal) or after paying (the
 * answer is lost: the money moved but we hear an error) — the case a retry must not pay twice.
 */
export class SandboxPayoutProvider implements PayoutProvider {
  readonly name = "sandbox";
  private readonly paid = new Map<string, { amount: number; providerRef: string }>();
  private readonly planned: Planned[] = [];
  /** Every money movement, in order (a test can prove a payoutNo was paid exactly once). */
  readonly transfers: { payoutNo: string; amount: number }[] = [];

  /** The next `times` payouts fail; `afterPaying` makes them pay first and then report a failure. */
  failNext(times = 1, opts: { afterPaying?: boolean } = {}) {
    for (let i = 0; i < times; i++) this.planned.push({ afterPaying: opts.afterPaying ?? false });
  }

  async payout(payoutNo: string, amount: number): Promise<PayoutResult> {
    const done = this.paid.get(payoutNo);
    if (done) {
      // Same number, different amount: a bug on our side; a real provider refuses it too.
      return done.amount === amount ? { ok: true, providerRef: done.providerRef } : { ok: false, reason: "payoutNo reused with another amount" };
    }
    const plan = this.planned.shift();
    if (plan && !plan.afterPaying) return { ok: false, reason: "sandbox: payout refused" };
    const providerRef = `SBXPO${payoutNo.slice(2, 22)}`;
    this.paid.set(payoutNo, { amount, providerRef });
    this.transfers.push({ payoutNo, amount });
    if (plan?.afterPaying) return { ok: false, reason: "sandbox: answer lost after paying" };
    return { ok: true, providerRef };
  }
}

/** One sandbox per process (on globalThis: Next bundles routes separately, and the ledger of paid payoutNos must be one). */
export function sharedSandboxPayouts(): SandboxPayoutProvider {
  const g = globalThis as { __lianboSandboxPayouts?: SandboxPayoutProvider };
  g.__lianboSandboxPayouts ??= new SandboxPayoutProvider();
  return g.__lianboSandboxPayouts;
}
