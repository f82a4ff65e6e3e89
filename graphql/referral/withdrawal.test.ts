/**
 * Withdrawals (rule book §5, §6) through the real services and database: debit at request, the race
 * of two concurrent requests (on Postgres a real race between two connections), typed refusals that
 * write nothing, reject by a new entry, failed payouts retried with the same payout number, the
 * wallet chain and the whole-ledger audit.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { notifications, withdrawals } from "@/db/schema";
import { DomainError } from "../core/errors";
import { DAY } from "../platform/clock";
import { verifyWalletChain } from "../ledger/ledger.service";
import { verifyLedger } from "../ledger/ledger-verify.service";
import { SandboxPayoutProvider } from "../payment/sandbox-payout";
import { createTestRuntime, type TestRuntime } from "../test/harness";
import { createConsumer, ctxOf } from "../test/fixtures";
import { available, clawBack, createVerifiedSharer, creditWallet, footprint, postingsOf, setFrozen } from "../test/wallet-fixtures";
import { publishRuleSet, ruleSetAt, withdrawalRulesAt } from "./rule-set.service";
import { IN_FLIGHT, payApprovedWithdrawal, requestWithdrawal, retryFailedWithdrawal, reviewWithdrawal, simulateWithdrawal, withdrawnTotal } from "./withdrawal.service";

const ACCOUNT = "6222021234567890";
const FEE_BP = 150;

/** The error code a call fails with (or "OK"). */
async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
}

describe("withdrawals", () => {
  let rt: TestRuntime;
  let operatorId: string;

  beforeAll(async () => {
    rt = await createTestRuntime();
    operatorId = (await createConsumer(rt)).userId;
    // A 1.5% fee, so the payout postings have all three legs.
    await rt.services.db.transaction(async (tx) => {
      const { version: _v, ...current } = await ruleSetAt(tx, rt.services.clock.now());
      await publishRuleSet(tx, { ...current, withdrawFeeBp: FEE_BP }, { effectiveAt: rt.services.clock.now(), now: rt.services.clock.now(), actorId: null });
    });
  });
  afterAll(() => rt?.dispose());

  describe("rule-set parameters", () => {
    it("given a published fee only, then the other withdrawal parameters keep their values and reward rules are untouched", async () => {
      expect(await withdrawalRulesAt(rt.services.db, rt.services.clock.now())).toEqual({ minFen: 1000, feeBp: FEE_BP, dailyLimitFen: 500_000 });
      expect((await ruleSetAt(rt.services.db, rt.services.clock.now())).capTotalBp).toBe(2000);
    });

    it("given a later version that changes only a reward rate, then the withdrawal fee is carried over", async () => {
      const future = new Date(rt.services.clock.now().getTime() + 365 * DAY);
      await rt.services.db.transaction(async (tx) => {
        const { version: _v, ...current } = await ruleSetAt(tx, future);
        await publishRuleSet(tx, { ...current, rDirectBp: 900 }, { effectiveAt: future, now: rt.services.clock.now(), actorId: null });
      });
      expect((await withdrawalRulesAt(rt.services.db, future)).feeBp).toBe(FEE_BP);
    });

    it("given a fee of 100%, then publishing is refused", async () => {
      const now = rt.services.clock.now();
      const attempt = rt.services.db.transaction(async (tx) => {
        const { version: _v, ...current } = await ruleSetAt(tx, now);
        await publishRuleSet(tx, { ...current, withdrawFeeBp: 10_000 }, { effectiveAt: now, now, actorId: null });
      });
      expect(await codeOf(attempt)).toBe("INVALID_WITHDRAWAL_RULES");
    });
  });

  describe("two concurrent requests never exceed the balance", () => {
    for (const round of [1, 2, 3, 4, 5]) {
      it(`round ${round}: given ¥100.00, when two requests of ¥80.00 race, then exactly one succeeds and ¥20.00 stays`, async () => {
        const sharer = await createVerifiedSharer(rt);
        await creditWallet(rt, sharer.userId, 10_000);
        const ask = () => requestWithdrawal(ctxOf(rt), sharer.userId, { amount: 8_000, payeeName: sharer.realName, payeeAccount: ACCOUNT });

        const codes = (await Promise.all([codeOf(ask()), codeOf(ask())])).sort();

        expect(codes).toEqual(["INSUFFICIENT_BALANCE", "OK"]);
        expect(await available(rt, sharer.userId)).toBe(2_000);
        const rows = await rt.services.db.select().from(withdrawals).where(eq(withdrawals.userId, sharer.userId));
        expect(rows).toHaveLength(1);
        expect(await verifyWalletChain(rt.services.db, `wallet:${sharer.userId}`)).toMatchObject({ ok: true, entries: 2, balance: -2_000 });
      });
    }
  });

  describe("refusals are typed and write nothing", () => {
    // Each person starts with ¥100.00; `arrange` may change their state and returns the request.
    const cases: [string, string, (s: Awaited<ReturnType<typeof createVerifiedSharer>>) => Promise<{ amount: number; payeeName?: string }>][] = [
      ["below the minimum", "BELOW_MINIMUM", async () => ({ amount: 999 })],
      ["more than the balance", "INSUFFICIENT_BALANCE", async () => ({ amount: 10_001 })],
      ["a payee other than the verified name", "PAYEE_NAME_MISMATCH", async () => ({ amount: 5_000, payeeName: "陈晓宇" })],
      ["a negative balance after a refund of a settled reward", "NEGATIVE_BALANCE", async (s) => (await clawBack(rt, s.userId, 12_000), { amount: 1_000 })],
      ["a FROZEN person", "FROZEN", async (s) => (await setFrozen(rt, s.userId, true), { amount: 5_000 })],
      ["a non-integer amount", "INVALID_AMOUNT", async () => ({ amount: 10.5 })],
    ];
    it.each(cases)("given %s, when requesting, then %s and nothing is written", async (_label, code, arrange) => {
      const sharer = await createVerifiedSharer(rt);
      await creditWallet(rt, sharer.userId, 10_000);
      const req = await arrange(sharer);
      const before = await footprint(rt, sharer.userId);

      const got = await codeOf(requestWithdrawal(ctxOf(rt), sharer.userId, { payeeName: sharer.realName, payeeAccount: ACCOUNT, ...req }));

      expect(got).toBe(code);
      expect(await footprint(rt, sharer.userId)).toEqual(before);
    });

    it("given no real-name verification, when requesting, then REAL_NAME_REQUIRED and nothing is written", async () => {
      const consumer = await createConsumer(rt);
      await creditWallet(rt, consumer.userId, 10_000);
      const before = await footprint(rt, consumer.userId);
      expect(await codeOf(requestWithdrawal(ctxOf(rt), consumer.userId, { amount: 5_000, payeeName: "陈晓雨", payeeAccount: ACCOUNT }))).toBe("REAL_NAME_REQUIRED");
      expect(await footprint(rt, consumer.userId)).toEqual(before);
    });

    it("given ¥4,000 requested today, when ¥1,000.01 more is asked, then DAILY_LIMIT_EXCEEDED; after a rejection, or the next day, it is allowed", async () => {
      const sharer = await createVerifiedSharer(rt);
      await creditWallet(rt, sharer.userId, 700_000);
      const ask = (amount: number) => requestWithdrawal(ctxOf(rt), sharer.userId, { amount, payeeName: sharer.realName, payeeAccount: ACCOUNT });
      const first = await ask(400_000);
      const before = await footprint(rt, sharer.userId);

      expect(await codeOf(ask(100_001))).toBe("DAILY_LIMIT_EXCEEDED");
      expect(await footprint(rt, sharer.userId)).toEqual(before);
      expect(await codeOf(ask(100_000))).toBe("OK");

      await reviewWithdrawal(ctxOf(rt), operatorId, { id: first.id, approve: false, note: "核实中" }, new SandboxPayoutProvider());
      expect(await codeOf(ask(300_000))).toBe("OK"); // the rejected ¥4,000 no longer counts
      expect(await codeOf(ask(100_001))).toBe("DAILY_LIMIT_EXCEEDED");
      await rt.advanceClock(DAY);
      expect(await codeOf(ask(100_001))).toBe("OK");
    });
  });

  describe("review and payout", () => {
    it("given a request, then the wallet is debited at once into withdrawals in flight, with a payout number", async () => {
      const sharer = await createVerifiedSharer(rt);
      await creditWallet(rt, sharer.userId, 10_000);
      const w = await requestWithdrawal(ctxOf(rt), sharer.userId, { amount: 6_000, payeeName: " 陈晓雨 ", payeeAccount: ACCOUNT });
      expect(w).toMatchObject({ status: "REQUESTED", amount: 6_000, fee: 90, payoutNo: `PO${w.id.replace(/-/g, "").toUpperCase()}` });
      expect(await available(rt, sharer.userId)).toBe(4_000);
      expect(await postingsOf(rt, "withdrawal_request", w.id)).toEqual({ [`wallet:${sharer.userId}`]: 6_000, [IN_FLIGHT]: -6_000 });
    });

    it("given a rejection, then the money comes back by a new chained entry, the person is told why, and it cannot be reviewed again", async () => {
      const sharer = await createVerifiedSharer(rt);
      await creditWallet(rt, sharer.userId, 10_000);
      const w = await requestWithdrawal(ctxOf(rt), sharer.userId, { amount: 6_000, payeeName: sharer.realName, payeeAccount: ACCOUNT });
      const payouts = new SandboxPayoutProvider();
      expect(await codeOf(reviewWithdrawal(ctxOf(rt), operatorId, { id: w.id, approve: false, note: "  " }, payouts))).toBe("NOTE_REQUIRED");

      const rejected = await reviewWithdrawal(ctxOf(rt), operatorId, { id: w.id, approve: false, note: "收款账户异常" }, payouts);

      expect(rejected).toMatchObject({ status: "REJECTED", reviewedBy: operatorId, note: "收款账户异常" });
      expect(await available(rt, sharer.userId)).toBe(10_000);
      expect(await postingsOf(rt, "withdrawal_return", w.id)).toEqual({ [`wallet:${sharer.userId}`]: -6_000, [IN_FLIGHT]: 6_000 });
      expect(await verifyWalletChain(rt.services.db, `wallet:${sharer.userId}`)).toMatchObject({ ok: true, entries: 3 });
      const told = await rt.services.db.select().from(notifications).where(and(eq(notifications.userId, sharer.userId), eq(notifications.kind, "WITHDRAWAL")));
      expect(told.map((n) => n.body)).toEqual([expect.stringContaining("收款账户异常")]);
      expect(payouts.transfers).toEqual([]);
      expect(await codeOf(reviewWithdrawal(ctxOf(rt), operatorId, { id: w.id, approve: true }, payouts))).toBe("NOT_REVIEWABLE");
      expect(await codeOf(reviewWithdrawal(ctxOf(rt), operatorId, { id: "not-an-id", approve: true }, payouts))).toBe("WITHDRAWAL_NOT_FOUND");
    });

    it("given an approval, then it is PAID: in flight cleared, provider clearing −(amount − fee), fee revenue −fee", async () => {
      const sharer = await createVerifiedSharer(rt);
      await creditWallet(rt, sharer.userId, 10_000);
      const w = await requestWithdrawal(ctxOf(rt), sharer.userId, { amount: 10_000, payeeName: sharer.realName, payeeAccount: ACCOUNT });
      const payouts = new SandboxPayoutProvider();

      const paid = await reviewWithdrawal(ctxOf(rt), operatorId, { id: w.id, approve: true }, payouts);

      expect(paid).toMatchObject({ status: "PAID", payoutNo: w.payoutNo });
      expect(payouts.transfers).toEqual([{ payoutNo: w.payoutNo, amount: 9_850 }]);
      expect(await postingsOf(rt, "withdrawal_paid", w.id)).toEqual({ [IN_FLIGHT]: 10_000, "provider:sandbox:clearing": -9_850, "platform:withdrawal_fee": -150 });
      expect(await withdrawnTotal(rt.services.db, sharer.userId)).toBe(10_000);
      expect(await available(rt, sharer.userId)).toBe(0);
    });

    for (const afterPaying of [false, true]) {
      const story = afterPaying ? "the bank paid but the answer was lost" : "the bank refused";
      it(`given a failed payout (${story}), when retried and re-approved, then the same payout number is used and money moves exactly once`, async () => {
        const sharer = await createVerifiedSharer(rt);
        await creditWallet(rt, sharer.userId, 10_000);
        const w = await requestWithdrawal(ctxOf(rt), sharer.userId, { amount: 5_000, payeeName: sharer.realName, payeeAccount: ACCOUNT });
        const payouts = new SandboxPayoutProvider();
        payouts.failNext(1, { afterPaying });

        const failed = await reviewWithdrawal(ctxOf(rt), operatorId, { id: w.id, approve: true }, payouts);
        expect(failed.status).toBe("FAILED");
        expect(await postingsOf(rt, "withdrawal_paid", w.id)).toEqual({});
        expect(await available(rt, sharer.userId)).toBe(5_000); // still debited: the money is in flight
        expect(await codeOf(reviewWithdrawal(ctxOf(rt), operatorId, { id: w.id, approve: true }, payouts))).toBe("NOT_REVIEWABLE");

        const again = await retryFailedWithdrawal(ctxOf(rt), operatorId, w.id);
        expect(again).toMatchObject({ status: "REQUESTED", payoutNo: w.payoutNo });
        expect(await codeOf(retryFailedWithdrawal(ctxOf(rt), operatorId, w.id))).toBe("NOT_RETRYABLE");
        const paid = await reviewWithdrawal(ctxOf(rt), operatorId, { id: w.id, approve: true }, payouts);

        expect(paid).toMatchObject({ status: "PAID", payoutNo: w.payoutNo });
        expect(payouts.transfers).toEqual([{ payoutNo: w.payoutNo, amount: 5_000 - 75 }]);
        expect(await postingsOf(rt, "withdrawal_paid", w.id)).toMatchObject({ [IN_FLIGHT]: 5_000 });
        // Paying an already PAID withdrawal again changes nothing.
        expect((await payApprovedWithdrawal(ctxOf(rt), w.id, payouts)).status).toBe("PAID");
        expect(payouts.transfers).toHaveLength(1);
      });
    }

    it("given two operators approving at once, then one approves and pays, the other is told it was handled", async () => {
      const sharer = await createVerifiedSharer(rt);
      await creditWallet(rt, sharer.userId, 10_000);
      const w = await requestWithdrawal(ctxOf(rt), sharer.userId, { amount: 5_000, payeeName: sharer.realName, payeeAccount: ACCOUNT });
      const payouts = new SandboxPayoutProvider();
      const approve = () => codeOf(reviewWithdrawal(ctxOf(rt), operatorId, { id: w.id, approve: true }, payouts));
      expect((await Promise.all([approve(), approve()])).sort()).toEqual(["NOT_REVIEWABLE", "OK"]);
      expect(payouts.transfers).toHaveLength(1);
    });
  });

  describe("the simulator's withdrawal", () => {
    it("given a person without a real name, then request + approve + pay happen at once to the placeholder payee", async () => {
      const consumer = await createConsumer(rt);
      await creditWallet(rt, consumer.userId, 3_000);
      const w = await simulateWithdrawal(ctxOf(rt), consumer.userId, 2_000);
      expect(w).toMatchObject({ status: "PAID", amount: 2_000, fee: 30, reviewedBy: null });
      expect(await available(rt, consumer.userId)).toBe(1_000);
      expect(await withdrawnTotal(rt.services.db, consumer.userId)).toBe(2_000);
      expect(await codeOf(simulateWithdrawal(ctxOf(rt), consumer.userId, 1_001))).toBe("INSUFFICIENT_BALANCE");
    });
  });

  describe("the whole-ledger audit", () => {
    it("given everything above, then every transaction balances, every wallet chain verifies and in-flight money matches open requests", async () => {
      const report = await verifyLedger(rt.services.db);
      expect(report.unbalanced).toEqual([]);
      expect(report.brokenWallets).toEqual([]);
      expect(report.walletsChecked).toBeGreaterThan(10);
      expect(report.inFlight.ok).toBe(true);
      expect(report.inFlight.ledger).toBeGreaterThan(0);
      expect(report.ok).toBe(true);
    });
  });
});
