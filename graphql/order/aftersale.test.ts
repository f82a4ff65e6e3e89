import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { asc, eq } from "drizzle-orm";
import { ledgerAccounts, ledgerEntries, orderLines, rewards, skus, teamMembers } from "@/db/schema";
import { createTestRuntime, type TestRuntime } from "../test/harness";
import { createShop, ctxOf, order, pay, shipmentsOf, type ConsumerFixture, type Shop } from "../test/fixtures";
import { DAY } from "../platform/clock";
import { accountBalance, postLedgerTransaction, unbalancedTransactions, verifyWalletChain } from "../ledger/ledger.service";
import { teamStatsOf } from "../referral/team-stats.service";
import { confirmReceipt, shipShipment } from "./fulfilment.service";
import { decideAfterSale, refundAfterSale, refundGoodsNow, requestAfterSale } from "./aftersale.service";
import { RefundRejected, applyRefundSucceeded } from "./aftersale-refund.service";
import { createReferralCast, laterConfirmingSandbox, ledgerByAccount, orderEffects, refundCtxOf, type ReferralCast } from "./aftersale-fixtures";

import { writeSetting } from "../platform/settings";
describe("after-sales: refunds reverse rewards, and a refunded order never settles", () => {
  let rt: TestRuntime;
  let shop: Shop;
  let cast: ReferralCast;
  const BIG = () => shop.product.skus[0].id; // ¥128.00: DIRECT 12.80, TEAM 6.40, free freight
  const SMALL = () => shop.product.skus[1].id; // ¥39.90 each: freight ¥10 below ¥99

  beforeAll(async () => {
    rt = await createTestRuntime();
    shop = await createShop(rt, [
      { stock: 10_000, supplyPrice: 5_000, suggestedPrice: 12_800 },
      { stock: 10_000, supplyPrice: 1_000, suggestedPrice: 3_990 },
    ]);
    cast = await createReferralCast(rt);
    // One sharer's downline refunds on purpose here, over and over: the refund-rate freeze (tested in
    // graphql/risk) would freeze them and hold their rewards, which is not what these tests are about.
    await writeSetting(rt.services.db, "risk", { refundRateFreezeBp: 10_000 }, rt.services.clock.now());
  });
  afterAll(() => rt?.dispose());

  /** A buyer invited by the SHARER pays an order (rewards are recorded at payment). */
  async function paidOrder(items: { skuId: string; quantity: number }[] = [{ skuId: BIG(), quantity: 1 }]) {
    const buyer = await cast.boundBuyer();
    const placed = await order(rt, buyer, shop.store, items);
    await pay(rt, buyer, placed.id);
    const lines = await rt.services.db.select().from(orderLines).where(eq(orderLines.orderId, placed.id)).orderBy(asc(orderLines.lineNo));
    return { buyer, orderId: placed.id, lines };
  }
  async function shipAll(orderId: string) {
    for (const s of await shipmentsOf(rt, orderId)) {
      await shipShipment(ctxOf(rt), shop.supplier.supplierId, { shipmentId: s.id, carrier: "顺丰速运", trackingNo: `SF${s.id.slice(0, 8)}` });
    }
  }
  async function receive(buyer: ConsumerFixture, orderId: string) {
    await shipAll(orderId);
    await confirmReceipt(ctxOf(rt), buyer.userId, orderId);
  }
  const request = (buyer: ConsumerFixture, orderId: string, lines: { orderLineId: string; amount: number }[]) =>
    requestAfterSale(ctxOf(rt), buyer.userId, { orderId, lines, reason: "质量问题", photoKeys: [] });
  const approve = (afterSaleId: string, payments = rt.services.payments) =>
    decideAfterSale(refundCtxOf(rt, payments), shop.store.storeId, { afterSaleId, approve: true }, shop.store.userId);
  const rewardsOf = async (orderId: string) =>
    (await orderEffects(rt, orderId)).rewards.map(({ type, amount, reversed, status }) => ({ type, amount, reversed, status }));
  const stockOf = async (skuId: string) => (await rt.services.db.select().from(skus).where(eq(skus.id, skuId)))[0].stock;
  const memberOf = async (userId: string) => (await rt.services.db.select().from(teamMembers).where(eq(teamMembers.userId, userId)))[0];

  it("given a paid, unshipped order refunded in full, then freight comes back, every reward is REVERSED, the order is CANCELLED with its stock back, and every account of the order nets to zero", async () => {
    const stockBefore = await stockOf(SMALL());
    const { buyer, orderId, lines } = await paidOrder([{ skuId: SMALL(), quantity: 2 }]);
    expect(await rewardsOf(orderId)).toEqual([
      { type: "DIRECT", amount: 798, reversed: 0, status: "PENDING" },
      { type: "TEAM", amount: 399, reversed: 0, status: "PENDING" },
    ]);

    const asked = await request(buyer, orderId, [{ orderLineId: lines[0].id, amount: 7_980 }]);
    const decided = await approve(asked.id);

    expect(decided.status).toBe("REFUNDED");
    const after = await orderEffects(rt, orderId);
    expect(after.refunds).toEqual([{ refundNo: expect.stringMatching(/^RF[0-9A-F]{32}$/), amount: 7_980 + 1_000, status: "SUCCEEDED" }]);
    expect(after.status).toBe("CANCELLED");
    expect(after.lines).toEqual([{ id: lines[0].id, refunded: 7_980 }]);
    expect(after.rewards.map((r) => [r.status, r.reversed])).toEqual([["REVERSED", 798], ["REVERSED", 399]]);
    expect(await stockOf(SMALL())).toBe(stockBefore);
    expect(Object.entries(after.ledger.sums).filter(([, sum]) => sum !== 0)).toEqual([]);
    // Nobody can ship what was called off.
    const [shipment] = await shipmentsOf(rt, orderId);
    await expect(shipShipment(ctxOf(rt), shop.supplier.supplierId, { shipmentId: shipment.id, carrier: "顺丰速运", trackingNo: "SF12345678" })).rejects.toMatchObject({ code: "INVALID_STATE" });
  });

  it("given one line of two refunded in part, then that line's rewards are reversed pro rata with floor and the other line's are untouched", async () => {
    const { buyer, orderId, lines } = await paidOrder([{ skuId: BIG(), quantity: 1 }, { skuId: SMALL(), quantity: 1 }]);
    const teamSalesBefore = (await teamStatsOf(rt.services.db, cast.leader.userId)).sales;

    await approve((await request(buyer, orderId, [{ orderLineId: lines[0].id, amount: 3_333 }])).id);

    const after = await orderEffects(rt, orderId);
    const byLine = await rt.services.db.select().from(rewards).where(eq(rewards.orderId, orderId));
    const of = (lineId: string, type: string) => byLine.find((r) => r.orderLineId === lineId && r.type === type)!;
    // ⌊1280 × 9467 / 12800⌋ = 946 kept → 334 back; ⌊640 × 9467 / 12800⌋ = 473 kept → 167 back.
    expect([of(lines[0].id, "DIRECT"), of(lines[0].id, "TEAM")].map((r) => [r.reversedAmount, r.status])).toEqual([[334, "PENDING"], [167, "PENDING"]]);
    expect([of(lines[1].id, "DIRECT"), of(lines[1].id, "TEAM")].map((r) => r.reversedAmount)).toEqual([0, 0]);
    expect(after.refunds.map((r) => r.amount)).toEqual([3_333]);
    expect(after.lines.map((l) => l.refunded)).toEqual([3_333, 0]);
    expect(after.status).toBe("PAID");
    // Refunded goods no longer count as the leader's team sales.
    expect((await teamStatsOf(rt.services.db, cast.leader.userId)).sales).toBe(teamSalesBefore - 3_333);
  });

  it("given a shipped order refunded in two parts that add up to the whole, then everything is reversed, no freight is refunded and the order is not called off", async () => {
    const { buyer, orderId, lines } = await paidOrder();
    await shipAll(orderId);

    await approve((await request(buyer, orderId, [{ orderLineId: lines[0].id, amount: 5_000 }])).id);
    expect(await rewardsOf(orderId)).toEqual([
      { type: "DIRECT", amount: 1_280, reversed: 500, status: "PENDING" },
      { type: "TEAM", amount: 640, reversed: 250, status: "PENDING" },
    ]);
    await approve((await request(buyer, orderId, [{ orderLineId: lines[0].id, amount: 7_800 }])).id);

    const after = await orderEffects(rt, orderId);
    expect(after.rewards.map((r) => [r.status, r.reversed])).toEqual([["REVERSED", 1_280], ["REVERSED", 640]]);
    expect(after.refunds.map((r) => r.amount).sort()).toEqual([5_000, 7_800]);
    expect(after.status).toBe("SHIPPED");
    expect(after.ledger.sums["provider:sandbox:clearing"]).toBe(0);
    expect(after.ledger.sums["platform:commissions_payable"] ?? 0).toBe(0);
    expect(after.ledger.sums[`supplier:${shop.supplier.supplierId}:payable`]).toBe(-5_000);
  });

  it("given a refund confirmed later by the provider, when its success is applied 5× concurrently and again afterwards, then it is applied exactly once", async () => {
    const { buyer, orderId, lines } = await paidOrder();
    const asked = await request(buyer, orderId, [{ orderLineId: lines[0].id, amount: 6_400 }]);
    const approved = await approve(asked.id, laterConfirmingSandbox(rt));
    expect(approved.status).toBe("APPROVED");
    const pending = await orderEffects(rt, orderId);
    expect(pending.refunds).toEqual([expect.objectContaining({ status: "PENDING", amount: 6_400 })]);
    expect(pending.lines.map((l) => l.refunded)).toEqual([0]);
    const refundNo = pending.refunds[0].refundNo;

    const outcomes = await Promise.all(Array.from({ length: 5 }, () => applyRefundSucceeded(ctxOf(rt), refundNo)));

    expect(outcomes.filter((o) => o === "APPLIED")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "ALREADY_APPLIED")).toHaveLength(4);
    const applied = await orderEffects(rt, orderId);
    expect(applied.lines.map((l) => l.refunded)).toEqual([6_400]);
    expect(applied.rewards.map((r) => r.reversed)).toEqual([640, 320]);
    expect(await applyRefundSucceeded(ctxOf(rt), refundNo)).toBe("ALREADY_APPLIED");
    expect((await refundAfterSale(refundCtxOf(rt), asked.id)).refundNo).toBe(refundNo);
    expect(await orderEffects(rt, orderId)).toEqual(applied);
    await expect(applyRefundSucceeded(ctxOf(rt), "RF-NOT-OURS")).rejects.toBeInstanceOf(RefundRejected);
  });

  it("given an amount above what remains (after an open request), then AMOUNT_EXCEEDS_REFUNDABLE and nothing is written", async () => {
    const { buyer, orderId, lines } = await paidOrder();
    await request(buyer, orderId, [{ orderLineId: lines[0].id, amount: 10_000 }]);
    const before = await orderEffects(rt, orderId);

    await expect(request(buyer, orderId, [{ orderLineId: lines[0].id, amount: 2_801 }])).rejects.toMatchObject({ code: "AMOUNT_EXCEEDS_REFUNDABLE", field: "lines.0.amount" });

    expect(await orderEffects(rt, orderId)).toEqual(before);
    await expect(request(buyer, orderId, [{ orderLineId: lines[0].id, amount: 2_800 }])).resolves.toMatchObject({ status: "REQUESTED" });
  });

  it("given 5 concurrent requests of ¥30 each on a ¥128 line, then exactly 4 are accepted and the fifth gets AMOUNT_EXCEEDS_REFUNDABLE", async () => {
    const { buyer, orderId, lines } = await paidOrder();

    const results = await Promise.allSettled(Array.from({ length: 5 }, () => request(buyer, orderId, [{ orderLineId: lines[0].id, amount: 3_000 }])));

    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(4);
    expect(results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(["AMOUNT_EXCEEDS_REFUNDABLE"]);
    expect((await orderEffects(rt, orderId)).requests).toHaveLength(4);
  });

  it("given random orders and random refund sequences, then every reward keeps ⌊original × remaining ÷ base⌋, Σ reversed ≤ original, and a full refund reverses everything", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ big: fc.integer({ min: 0, max: 2 }), small: fc.integer({ min: 1, max: 3 }) }),
        fc.array(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 2 }), { maxLength: 3 }),
        fc.boolean(),
        async (qty, steps, refundRest) => {
          const items = [...(qty.big ? [{ skuId: BIG(), quantity: qty.big }] : []), { skuId: SMALL(), quantity: qty.small }];
          const { orderId, lines } = await paidOrder(items);
          const refunded = lines.map(() => 0);
          const plan = [...steps, ...(refundRest ? [lines.map(() => 1)] : [])];
          for (const shares of plan) {
            const perLine = lines
              .map((l, i) => ({ orderLineId: l.id, amount: Math.ceil((l.paidAmount - refunded[i]) * shares[i]) }))
              .filter((x) => x.amount > 0);
            if (!perLine.length) continue;
            await refundGoodsNow(refundCtxOf(rt), orderId, perLine);
            for (const x of perLine) refunded[lines.findIndex((l) => l.id === x.orderLineId)] += x.amount;
          }
          for (const r of await rt.services.db.select().from(rewards).where(eq(rewards.orderId, orderId))) {
            const i = lines.findIndex((l) => l.id === r.orderLineId);
            const remaining = r.base - refunded[i];
            expect(r.reversedAmount).toBeLessThanOrEqual(r.amount);
            expect(r.amount - r.reversedAmount).toBe(remaining === 0 ? 0 : Math.floor((r.amount * remaining) / r.base));
            expect(r.status).toBe(remaining === 0 ? "REVERSED" : "PENDING");
          }
          if (refundRest) expect((await orderEffects(rt, orderId)).status).toBe("CANCELLED");
        },
      ),
      { numRuns: 8 },
    );
  });

  // The clock only moves forward: the tests that move it come last.
  it("given a fully refunded and a partly refunded received order, when settleDays pass, then the full one never settles nor qualifies the inviter and the partial one settles its remainder", async () => {
    const sharerBefore = await memberOf(cast.sharer.userId);
    const full = await paidOrder();
    const part = await paidOrder();
    await receive(full.buyer, full.orderId);
    await receive(part.buyer, part.orderId);
    await approve((await request(full.buyer, full.orderId, [{ orderLineId: full.lines[0].id, amount: 12_800 }])).id);
    await approve((await request(part.buyer, part.orderId, [{ orderLineId: part.lines[0].id, amount: 3_333 }])).id);

    await rt.advanceClock(7 * DAY + 60_000);

    const fullAfter = await orderEffects(rt, full.orderId);
    expect(fullAfter).toMatchObject({ status: "COMPLETED", settledAt: null });
    expect(fullAfter.rewards.map((r) => r.status)).toEqual(["REVERSED", "REVERSED"]);
    expect(Object.keys(fullAfter.ledger.sums).filter((a) => a.startsWith("wallet:"))).toEqual([]);
    expect((await memberOf(full.buyer.userId)).qualifiedAt).toBeNull();
    const partAfter = await orderEffects(rt, part.orderId);
    expect(partAfter.settledAt).toBeInstanceOf(Date);
    expect(partAfter.rewards.map((r) => [r.status, r.reversed])).toEqual([["SETTLED", 334], ["SETTLED", 167]]);
    expect(partAfter.ledger.sums[`wallet:${cast.sharer.userId}`]).toBe(-946);
    expect(partAfter.ledger.sums[`wallet:${cast.leader.userId}`]).toBe(-473);
    // Only the partly refunded buyer qualified the SHARER.
    expect((await memberOf(cast.sharer.userId)).qualifiedDirects).toBe(sharerBefore.qualifiedDirects + 1);
  });

  it("given a request made before settlement and approved after it, then the settled rewards are clawed back by negative wallet entries, even below zero, and the chain still verifies", async () => {
    const { buyer, orderId, lines } = await paidOrder();
    await receive(buyer, orderId);
    const asked = await request(buyer, orderId, [{ orderLineId: lines[0].id, amount: 12_800 }]);
    await rt.advanceClock(7 * DAY + 60_000);
    expect((await orderEffects(rt, orderId)).rewards.map((r) => r.status)).toEqual(["SETTLED", "SETTLED"]);
    // The settled order's window has passed: a new request is refused.
    await expect(request(buyer, orderId, [{ orderLineId: lines[0].id, amount: 1 }])).rejects.toMatchObject({ code: "NOT_REFUNDABLE" });
    // The SHARER has already taken everything out (as a withdrawal would).
    const wallet = `wallet:${cast.sharer.userId}`;
    const held = -(await accountBalance(rt.services.db, wallet));
    await rt.services.db.transaction((tx) =>
      postLedgerTransaction(tx, { kind: "test_payout", reference: asked.id, now: rt.services.clock.now(), postings: [{ account: wallet, amount: held }, { account: "test:payouts", amount: -held }] }),
    );

    await approve(asked.id);

    const after = await orderEffects(rt, orderId);
    expect(after.rewards.map((r) => [r.status, r.reversed])).toEqual([["REVERSED", 1_280], ["REVERSED", 640]]);
    expect(-(await accountBalance(rt.services.db, wallet))).toBe(-1_280);
    const [last] = await rt.services.db
      .select({ amount: ledgerEntries.amount })
      .from(ledgerEntries)
      .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerEntries.accountId))
      .where(eq(ledgerAccounts.code, wallet))
      .orderBy(asc(ledgerEntries.seq))
      .then((rows) => rows.slice(-1));
    expect(last.amount).toBe(1_280);
    expect(await verifyWalletChain(rt.services.db, wallet)).toMatchObject({ ok: true });
    expect((await ledgerByAccount(rt, orderId)).sums[`wallet:${cast.leader.userId}`]).toBe(0);
  });

  it("given everything above, then every ledger transaction sums to zero and every wallet chain verifies", async () => {
    expect(await unbalancedTransactions(rt.services.db)).toEqual([]);
    for (const userId of [cast.sharer.userId, cast.leader.userId]) {
      expect(await verifyWalletChain(rt.services.db, `wallet:${userId}`)).toMatchObject({ ok: true });
    }
  });
});
