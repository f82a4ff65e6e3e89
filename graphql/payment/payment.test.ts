import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, count, eq, sql } from "drizzle-orm";
import { ledgerEntries, ledgerTransactions, orders, paymentNotifications, payments, refunds, shipments, skus } from "@/db/schema";
import { rowsOf } from "@/db/client";
import { createTestRuntime, gqlOk, type TestRuntime } from "../test/harness";
import {
  createConsumer,
  createPerson,
  createProductFixture,
  createShop,
  createSupplier,
  ctxOf,
  deliverNotification,
  listInStore,
  order,
  pay,
  signedNotification,
  type Shop,
} from "../test/fixtures";
import { hmacHex } from "../platform/crypto";
import { bpFloor } from "../platform/money";
import { orderPostings, unbalancedTransactions } from "../ledger/ledger.service";
import { SANDBOX_SIGNATURE_HEADER } from "./sandbox-provider";
import { startPayment } from "./payment.service";
import { sendDueRefunds } from "../order/refund-sweeper.service";

describe("payment notifications and the ledger", () => {
  let rt: TestRuntime;
  let shop: Shop;

  beforeAll(async () => {
    rt = await createTestRuntime();
    shop = await createShop(rt, [{ stock: 1_000 }]);
  });
  afterAll(() => rt?.dispose());

  /** A placed, unpaid order with a started sandbox payment. */
  async function pendingPayment(quantity = 2) {
    const placed = await order(rt, shop.consumer, shop.store, [{ skuId: shop.product.skus[0].id, quantity }]);
    const { payment } = await startPayment(ctxOf(rt), shop.consumer.userId, placed.id, rt.sandbox);
    return { order: placed, payment };
  }

  /** Everything a notification could have written for an order. */
  async function effects(orderId: string, paymentId: string) {
    const db = rt.services.db;
    const [o] = await db.select().from(orders).where(eq(orders.id, orderId));
    const pays = await db.select().from(payments).where(eq(payments.orderId, orderId));
    const [{ n: notes }] = await db.select({ n: count() }).from(paymentNotifications).where(eq(paymentNotifications.paymentId, paymentId));
    const txns = await db.select().from(ledgerTransactions).where(eq(ledgerTransactions.reference, paymentId));
    const entries = await db.select().from(ledgerEntries).where(eq(ledgerEntries.orderId, orderId));
    const ships = await db.select().from(shipments).where(eq(shipments.orderId, orderId));
    return { status: o.status, payments: pays.map((p) => p.status), notifications: Number(notes), txns, entries, shipments: ships };
  }

  const untouched = { status: "PENDING_PAYMENT", payments: ["PENDING"], notifications: 0, txns: [], entries: [], shipments: [] };

  it("given one signed notification delivered 10 times concurrently, then exactly one payment, one ledger transaction and one set of shipments", async () => {
    const { order: o, payment } = await pendingPayment();
    const n = signedNotification(rt, payment);

    const results = await Promise.all(Array.from({ length: 10 }, () => deliverNotification(rt, n)));

    expect(results.filter((r) => r.ok && r.outcome === "PAID")).toHaveLength(1);
    expect(results.filter((r) => r.ok && r.outcome === "DUPLICATE")).toHaveLength(9);
    const after = await effects(o.id, payment.id);
    expect(after).toMatchObject({ status: "PAID", payments: ["SUCCEEDED"], notifications: 1 });
    expect(after.txns.map((t) => t.kind)).toEqual(["order_payment"]);
    expect(after.shipments).toHaveLength(1);

    // Delivered again later: acknowledged, nothing more written.
    expect(await deliverNotification(rt, n)).toEqual({ ok: true, outcome: "DUPLICATE" });
    const later = await effects(o.id, payment.id);
    expect(later.entries).toHaveLength(after.entries.length);
    expect(later.shipments).toHaveLength(1);
  });

  it("given 10 different notifications for the same payment concurrently, then it is still paid once", async () => {
    const { order: o, payment } = await pendingPayment();

    const results = await Promise.all(Array.from({ length: 10 }, () => deliverNotification(rt, signedNotification(rt, payment))));

    expect(results.filter((r) => r.outcome === "PAID")).toHaveLength(1);
    expect(results.filter((r) => r.outcome === "ALREADY_PAID")).toHaveLength(9);
    const after = await effects(o.id, payment.id);
    expect(after).toMatchObject({ status: "PAID", payments: ["SUCCEEDED"] });
    expect(after.txns).toHaveLength(1);
    expect(after.shipments).toHaveLength(1);
  });

  it.each([
    ["signed with another secret", (body: string) => hmacHex("not-the-sandbox-secret", body)],
    ["with no signature", () => ""],
    ["with a signature of different length", () => "abc"],
  ])("given a notification %s, then it is refused and nothing changes", async (_label, sign) => {
    const { order: o, payment } = await pendingPayment();
    const { body } = signedNotification(rt, payment);

    const r = await deliverNotification(rt, { body, headers: new Headers({ [SANDBOX_SIGNATURE_HEADER]: sign(body) }) });

    expect(r).toEqual({ ok: false });
    expect(await effects(o.id, payment.id)).toEqual(untouched);
  });

  it("given a validly signed notification whose body was altered afterwards, then it is refused and nothing changes", async () => {
    const { order: o, payment } = await pendingPayment();
    const { body, headers } = signedNotification(rt, payment);
    const altered = JSON.stringify({ ...JSON.parse(body), amount: 1 });

    expect(await deliverNotification(rt, { body: altered, headers })).toEqual({ ok: false });
    expect(await effects(o.id, payment.id)).toEqual(untouched);
  });

  it("given an authentic notification for the wrong amount, then it is refused and nothing changes", async () => {
    const { order: o, payment } = await pendingPayment();

    const less = await deliverNotification(rt, signedNotification(rt, { id: payment.id, amount: payment.amount - 1 }));
    const more = await deliverNotification(rt, signedNotification(rt, { id: payment.id, amount: payment.amount + 100 }));

    expect(less).toEqual({ ok: false });
    expect(more).toEqual({ ok: false });
    expect(await effects(o.id, payment.id)).toEqual(untouched);
    // The right amount afterwards still works.
    expect(await deliverNotification(rt, signedNotification(rt, payment))).toEqual({ ok: true, outcome: "PAID" });
  });

  it("given an authentic notification for an unknown payment, then it is refused", async () => {
    const r = await deliverNotification(rt, signedNotification(rt, { id: "00000000-0000-4000-8000-000000000000", amount: 100 }));
    expect(r).toEqual({ ok: false });
  });

  it("given another consumer's order, when they try to pay it, then ORDER_NOT_FOUND and no payment is started", async () => {
    const { order: o } = await pendingPayment();
    const stranger = await createConsumer(rt);
    const PAY = `mutation($input: PayOrderInput!) { payOrder(input: $input) { session { paymentId payUrl } errors { code } } }`;

    const r = await gqlOk(rt, stranger.viewer, PAY, { input: { orderId: o.id } });

    expect(r.payOrder).toEqual({ session: null, errors: [{ code: "ORDER_NOT_FOUND" }] });
    expect((await rt.services.db.select().from(payments).where(eq(payments.orderId, o.id))).map((p) => p.status)).toEqual(["PENDING"]);
  });

  describe("given a paid order with goods from two suppliers", () => {
    it("then its entries sum to zero and split into supplier payables (supply × qty + freight), platform fee and merchant payable = total paid", async () => {
      const second = await createSupplier(rt);
      const other = await createProductFixture(rt, second, { skus: [{ stock: 10, supplyPrice: 5_000, suggestedPrice: 12_800 }] });
      const { prices: otherPrices } = await listInStore(rt, shop.store, other);
      const placed = await order(rt, shop.consumer, shop.store, [
        { skuId: shop.product.skus[0].id, quantity: 2 },
        { skuId: other.skus[0].id, quantity: 1 },
      ]);
      const payment = await pay(rt, shop.consumer, placed.id);

      const postings = await orderPostings(rt.services.db, placed.id);
      const amountOf = (account: string) => postings.filter((p) => p.account === account).reduce((s, p) => s + p.amount, 0);
      const goodsA = shop.prices[0] * 2;
      const goodsB = otherPrices[0];
      const freightA = goodsA >= 9_900 ? 0 : 1_000;
      const freightB = goodsB >= 9_900 ? 0 : 1_000;
      const supplierA = shop.product.skus[0].supplyPrice * 2 + freightA;
      const supplierB = 5_000 + freightB;
      const fee = bpFloor(goodsA, placed.platformFeeBp) + bpFloor(goodsB, placed.platformFeeBp);
      const total = goodsA + goodsB + freightA + freightB;

      expect(placed.totalAmount).toBe(total);
      expect(payment.amount).toBe(total);
      expect(postings.reduce((s, p) => s + p.amount, 0)).toBe(0);
      expect(amountOf("provider:sandbox:clearing")).toBe(total);
      expect(amountOf(`supplier:${shop.supplier.supplierId}:payable`)).toBe(-supplierA);
      expect(amountOf(`supplier:${second.supplierId}:payable`)).toBe(-supplierB);
      expect(amountOf("platform:fee")).toBe(-fee);
      const merchant = amountOf(`merchant:${shop.store.storeId}:payable`);
      expect(merchant).toBe(-(total - supplierA - supplierB - fee));
      expect(merchant).toBeLessThan(0);
      expect(supplierA + supplierB + fee - merchant).toBe(total);
      expect(await shipmentCount(placed.id)).toBe(2);
      expect(await unbalancedTransactions(rt.services.db)).toEqual([]);

      const operator = await createPerson(rt, { roles: ["OPERATOR"] });
      expect(await gqlOk(rt, operator.viewer, `{ ledgerHealth { balanced unbalancedTransactions } }`)).toEqual({
        ledgerHealth: { balanced: true, unbalancedTransactions: 0 },
      });
    });
  });

  const shipmentCount = async (orderId: string) =>
    Number((await rt.services.db.select({ n: count() }).from(shipments).where(eq(shipments.orderId, orderId)))[0].n);

  describe("the ledger is append-only in the database", () => {
    it("given ledger entries, then UPDATE, DELETE and TRUNCATE are refused and the rows are unchanged", async () => {
      const { order: o } = await pendingPayment();
      await pay(rt, shop.consumer, o.id);
      const db = rt.services.db;
      const before = await db.select().from(ledgerEntries).where(eq(ledgerEntries.orderId, o.id));
      expect(before.length).toBeGreaterThan(0);

      const refused = { cause: expect.objectContaining({ message: expect.stringContaining("append-only") }) };
      await expect(db.execute(sql`update ledger_entries set amount = 0 where order_id = ${o.id}`)).rejects.toMatchObject(refused);
      await expect(db.execute(sql`delete from ledger_entries where order_id = ${o.id}`)).rejects.toMatchObject(refused);
      await expect(db.execute(sql`truncate ledger_entries cascade`)).rejects.toMatchObject(refused);
      await expect(db.execute(sql`update ledger_transactions set memo = 'x' where id = ${before[0].transactionId}`)).rejects.toMatchObject(refused);
      await expect(db.execute(sql`delete from ledger_transactions where id = ${before[0].transactionId}`)).rejects.toMatchObject(refused);

      expect(await db.select().from(ledgerEntries).where(eq(ledgerEntries.orderId, o.id))).toEqual(before);
    });

    it("given a transaction whose entries do not sum to zero, then the database refuses it at commit and nothing is kept", async () => {
      const db = rt.services.db;
      const reference = `unbalanced-${Date.now()}`;
      const [account] = rowsOf<{ id: string }>(await db.execute(sql`select id from ledger_accounts limit 1`));

      const error = await db
        .transaction(async (tx) => {
          const [t] = await tx.insert(ledgerTransactions).values({ kind: "test", reference, createdAt: new Date() }).returning();
          await tx.insert(ledgerEntries).values({ transactionId: t.id, accountId: account.id, amount: 1, createdAt: new Date() });
        })
        .then(() => null, (e: Error & { cause?: Error }) => `${e.message} ${e.cause?.message ?? ""}`);

      expect(error).toMatch(/unbalanced/);
      const kept = await db.select().from(ledgerTransactions).where(and(eq(ledgerTransactions.kind, "test"), eq(ledgerTransactions.reference, reference)));
      expect(kept).toEqual([]);
    });
  });

  // Last: moving the clock forward expires every pending order of this runtime.
  describe("given the money arrives after the order expired", () => {
    it("then the payment is kept for a refund (LATE_NEEDS_REFUND) and the order, stock, shipments and ledger stay as they were", async () => {
      const { order: o, payment } = await pendingPayment(3);
      const n = signedNotification(rt, payment);
      await rt.advanceClock(16 * 60_000);
      const stockAfterExpiry = (await rt.services.db.select().from(skus).where(eq(skus.id, shop.product.skus[0].id)))[0];

      expect(await deliverNotification(rt, n)).toEqual({ ok: true, outcome: "LATE" });

      const after = await effects(o.id, payment.id);
      expect(after).toMatchObject({ status: "CANCELLED", payments: ["LATE_NEEDS_REFUND"], txns: [], entries: [], shipments: [] });
      expect((await rt.services.db.select().from(skus).where(eq(skus.id, shop.product.skus[0].id)))[0]).toEqual(stockAfterExpiry);
    });

    it("then the refund sweeper sends it back in full once a minute has passed — exactly once, even when the provider fails first", async () => {
      const { order: o, payment } = await pendingPayment(1);
      const n = signedNotification(rt, payment);
      await rt.advanceClock(16 * 60_000);
      expect(await deliverNotification(rt, n)).toEqual({ ok: true, outcome: "LATE" });
      const refundsOf = () => rt.services.db.select().from(refunds).where(eq(refunds.paymentId, payment.id));
      expect((await refundsOf()).map((r) => [r.status, r.amount, r.afterSaleId])).toEqual([["PENDING", payment.amount, null]]);

      // Given a provider that is down for the first attempt
      const calls: string[] = [];
      let down = true;
      const flaky = {
        ...rt.services.payments,
        sandbox: Object.assign(Object.create(rt.sandbox), {
          refund: async (p: { id: string; amount: number }, refundNo: string, amount: number) => {
            calls.push(refundNo);
            if (down) throw new Error("provider unavailable");
            return rt.sandbox.refund(p, refundNo, amount);
          },
        }),
      };
      const sweep = () => sendDueRefunds({ db: rt.services.db, now: rt.services.clock.now(), payments: flaky });

      // When swept before a minute has passed: not yet; after it, the failure leaves it PENDING
      expect(await sweep()).toBe(0);
      expect(calls).toEqual([]);
      // (The clock alone: advanceClock would also run the runtime's own sweep with the real sandbox.)
      rt.services.clock.setOffset(rt.services.clock.offset + 61_000);
      expect(await sweep()).toBe(0);
      expect((await refundsOf())[0].status).toBe("PENDING");

      // Then the next sweep succeeds; later sweeps find nothing to send
      down = false;
      expect(await sweep()).toBe(1);
      expect(await sweep()).toBe(0);
      expect(calls).toHaveLength(2);
      expect(new Set(calls).size).toBe(1); // the same refund number both times: the provider refunds once
      expect((await refundsOf()).map((r) => r.status)).toEqual(["SUCCEEDED"]);
      const after = await effects(o.id, payment.id);
      expect(after).toMatchObject({ status: "CANCELLED", payments: ["REFUNDED"], txns: [], entries: [] });
    });
  });
});
