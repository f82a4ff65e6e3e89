import { asc, eq } from "drizzle-orm";
import { graphql, type GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { afterSales, ledgerAccounts, ledgerEntries, orderLines, orders, refunds, rewards, teamMembers } from "@/db/schema";
import type { Viewer } from "../core/viewer";
import type { PaymentProvider } from "../payment/payment-provider";
import { authChecker, resolvers } from "../schema";
import { becomeSharer, bindInvite, ensureMember } from "../referral/binding.service";
import { createConsumer, createPerson, type ConsumerFixture, type Person } from "../test/fixtures";
import type { TestRuntime } from "../test/harness";
import { MerchantAfterSaleResolver, ShopAfterSaleResolver } from "./aftersale.resolver";
import type { RefundCtx } from "./aftersale.service";

/**
 * Test builders for after-sales. Everything goes through the real services; the only direct write
 * is the seeded LEADER (as the simulator seeds one), since promotion needs settled history.
 */

/** A service context that refunds through the runtime's providers, or through the ones given. */
export const refundCtxOf = (rt: TestRuntime, payments?: Record<string, PaymentProvider>): RefundCtx => ({
  db: rt.services.db,
  now: rt.services.clock.now(),
  payments: payments ?? rt.services.payments,
});

/** A sandbox that accepts refunds but confirms them later, like a real provider (by notification). */
export function laterConfirmingSandbox(rt: TestRuntime): Record<string, PaymentProvider> {
  const sandbox = rt.sandbox;
  return {
    sandbox: {
      name: sandbox.name,
      checkoutUrl: (id) => sandbox.checkoutUrl(id),
      parseNotification: (body, headers) => sandbox.parseNotification(body, headers),
      refund: async (_payment, refundNo) => ({ status: "PENDING", providerRefundId: `LATER${refundNo}` }),
    },
  };
}

export type ReferralCast = { leader: Person; sharer: ConsumerFixture; boundBuyer(): Promise<ConsumerFixture> };

/**
 * A LEADER L, a SHARER S invited by L, and buyers invited by S: each buyer's line pays S a DIRECT
 * reward (10%) and L a TEAM reward (5%, depth 2) under the default rule set.
 */
export async function createReferralCast(rt: TestRuntime): Promise<ReferralCast> {
  const db = rt.services.db;
  const leader = await createPerson(rt, { roles: ["CONSUMER"] });
  const sharer = await createConsumer(rt);
  // Inside a transaction every read goes through `tx` (PGlite has one connection: `db` would wait forever).
  const sharerCode = await db.transaction(async (tx) => {
    const now = rt.services.clock.now();
    const seeded = await ensureMember(tx, leader.userId, now, { role: "LEADER" });
    await tx.update(teamMembers).set({ leaderId: leader.userId, promotedAt: now }).where(eq(teamMembers.userId, leader.userId));
    await bindInvite(tx, { userId: sharer.userId, inviteCode: seeded.inviteCode, channel: "link", now });
    await becomeSharer(tx, sharer.userId, now, "test");
    return (await tx.select().from(teamMembers).where(eq(teamMembers.userId, sharer.userId)))[0].inviteCode;
  });
  return {
    leader,
    sharer,
    async boundBuyer() {
      const buyer = await createConsumer(rt);
      await db.transaction((tx) => bindInvite(tx, { userId: buyer.userId, inviteCode: sharerCode, channel: "link", now: rt.services.clock.now() }));
      return buyer;
    },
  };
}

let schema: Promise<GraphQLSchema> | undefined;

/**
 * Runs an operation through the real schema plus the after-sale resolvers (which graphql/schema.ts
 * registers separately), with the runtime's per-request context and the same auth checker.
 */
export async function gqlAfterSale(rt: TestRuntime, viewer: Viewer | null, source: string, variableValues?: Record<string, unknown>) {
  schema ??= buildSchema({
    resolvers: [...new Set([...resolvers, ShopAfterSaleResolver, MerchantAfterSaleResolver])] as unknown as typeof resolvers,
    authChecker,
    validate: false,
  });
  const result = await graphql({ schema: await schema, source, variableValues, contextValue: rt.context(viewer, "127.0.0.1") });
  return { data: (result.data ?? null) as Record<string, any> | null, errors: (result.errors ?? []).map((e) => ({ message: e.message, code: e.extensions?.code })) };
}

/** Everything a request, decision or refund could have written for an order (ledger by account). */
export async function orderEffects(rt: TestRuntime, orderId: string) {
  const db = rt.services.db;
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId));
  const lines = await db.select({ id: orderLines.id, refunded: orderLines.refundedAmount }).from(orderLines).where(eq(orderLines.orderId, orderId)).orderBy(asc(orderLines.lineNo));
  const rewardRows = await db
    .select({ id: rewards.id, type: rewards.type, amount: rewards.amount, reversed: rewards.reversedAmount, status: rewards.status })
    .from(rewards)
    .where(eq(rewards.orderId, orderId))
    .orderBy(asc(rewards.type));
  const requests = await db.select({ id: afterSales.id, status: afterSales.status }).from(afterSales).where(eq(afterSales.orderId, orderId)).orderBy(asc(afterSales.createdAt));
  const refundRows = await db.select({ refundNo: refunds.refundNo, amount: refunds.amount, status: refunds.status }).from(refunds).where(eq(refunds.orderId, orderId));
  const ledger = await ledgerByAccount(rt, orderId);
  return { status: order.status, settledAt: order.settledAt, lines, rewards: rewardRows, requests, refunds: refundRows, ledger };
}

/** Σ of an order's ledger entries per account, and how many entries there are. */
export async function ledgerByAccount(rt: TestRuntime, orderId: string) {
  const rows = await rt.services.db
    .select({ account: ledgerAccounts.code, amount: ledgerEntries.amount })
    .from(ledgerEntries)
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerEntries.accountId))
    .where(eq(ledgerEntries.orderId, orderId));
  const sums: Record<string, number> = {};
  for (const r of rows) sums[r.account] = (sums[r.account] ?? 0) + Number(r.amount);
  return { entries: rows.length, sums };
}
