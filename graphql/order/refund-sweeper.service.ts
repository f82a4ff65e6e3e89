import { and, asc, eq, lte } from "drizzle-orm";
import { refunds } from "@/db/schema";
import { sendRefund, type RefundCtx } from "./aftersale.service";

/** A refund is left to its first attempt for this long before the sweeper sends it again. */
export const REFUND_RETRY_AFTER_MS = 60_000;

/**
 * Sends again every refund still PENDING a minute after it was created: a provider call that failed
 * (network, provider outage) after the merchant approved, and the automatic refunds of late
 * payments, which are only ever sent from here. Safe to repeat and to run on several instances at
 * once: the refund number is the provider's idempotency key, and applying a confirmation twice
 * changes nothing. A provider that confirms later (PENDING) is simply asked again next time.
 * Returns how many were sent without error.
 */
export async function sendDueRefunds(ctx: RefundCtx, limit = 20): Promise<number> {
  const due = await ctx.db
    .select()
    .from(refunds)
    .where(and(eq(refunds.status, "PENDING"), lte(refunds.createdAt, new Date(ctx.now.getTime() - REFUND_RETRY_AFTER_MS))))
    .orderBy(asc(refunds.createdAt))
    .limit(limit);
  let sent = 0;
  for (const refund of due) {
    try {
      await sendRefund(ctx, refund);
      sent++;
    } catch (error) {
      // Left PENDING: the next sweep tries again. Only the refund number is logged, never payer data.
      console.error(`refund ${refund.refundNo} not sent: ${error instanceof Error ? error.message.replace(/\d{6,}/g, "…") : "unknown error"}`);
    }
  }
  return sent;
}
