/** Monthly income records for tax reporting (rule book §5, 国务院令第810号) and their CSV export. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { Db } from "@/db/client";
import { DomainError } from "../core/errors";
import { postLedgerTransaction } from "../ledger/ledger.service";
import { SandboxPayoutProvider } from "../payment/sandbox-payout";
import { createTestRuntime, type TestRuntime } from "../test/harness";
import { createConsumer } from "../test/fixtures";
import { createVerifiedSharer } from "../test/wallet-fixtures";
import { incomeCsv, monthlyIncome } from "./income.service";
import { requestWithdrawal, reviewWithdrawal } from "./withdrawal.service";

/** A wallet movement at a given instant (settlement credits, claw-backs debit). */
async function post(db: Db, userId: string, kind: "reward_settle" | "reward_reversal", amount: number, at: string) {
  const signed = kind === "reward_settle" ? amount : -amount;
  await db.transaction((tx) =>
    postLedgerTransaction(tx, {
      kind,
      reference: randomUUID(),
      now: new Date(at),
      postings: [
        { account: "platform:commissions_payable", amount: signed },
        { account: `wallet:${userId}`, amount: -signed },
      ],
    }),
  );
}

describe("monthly income for tax reporting", () => {
  let rt: TestRuntime;
  let alice: Awaited<ReturnType<typeof createVerifiedSharer>>;
  let carol: Awaited<ReturnType<typeof createConsumer>>;

  beforeAll(async () => {
    rt = await createTestRuntime();
    const db = rt.services.db;
    const payouts = new SandboxPayoutProvider();
    const at = (iso: string) => ({ db, now: new Date(iso) });
    alice = await createVerifiedSharer(rt, "陈晓雨");
    const bob = await createConsumer(rt); // October income only: not in November's report
    carol = await createConsumer(rt); // no real name; a November claw-back of October income

    // Alice, November 2025 (Asia/Shanghai):
    await post(db, alice.userId, "reward_settle", 10_000, "2025-11-03T02:00:00Z");
    await post(db, alice.userId, "reward_settle", 2_345, "2025-10-31T16:00:00Z"); // 1 Nov 00:00 Shanghai: November
    await post(db, alice.userId, "reward_settle", 5_000, "2025-11-30T16:30:00Z"); // 1 Dec 00:30 Shanghai: December
    await post(db, alice.userId, "reward_reversal", 2_000, "2025-11-20T02:00:00Z");
    const paid = await requestWithdrawal(at("2025-11-25T02:00:00Z"), alice.userId, { amount: 6_000, payeeName: "陈晓雨", payeeAccount: "6222021234567890" });
    await reviewWithdrawal(at("2025-11-25T03:00:00Z"), null, { id: paid.id, approve: true }, payouts);
    // Requested and rejected in November: money out and back, neither income nor withdrawn.
    const rejected = await requestWithdrawal(at("2025-11-26T02:00:00Z"), alice.userId, { amount: 1_000, payeeName: "陈晓雨", payeeAccount: "6222021234567890" });
    await reviewWithdrawal(at("2025-11-26T03:00:00Z"), null, { id: rejected.id, approve: false, note: "测试" }, payouts);
    // Requested in November, paid in December: withdrawn in December.
    const late = await requestWithdrawal(at("2025-11-30T10:00:00Z"), alice.userId, { amount: 1_000, payeeName: "陈晓雨", payeeAccount: "6222021234567890" });
    await reviewWithdrawal(at("2025-12-01T03:00:00Z"), null, { id: late.id, approve: true }, payouts);

    await post(db, bob.userId, "reward_settle", 300, "2025-10-15T02:00:00Z");
    await post(db, carol.userId, "reward_settle", 1_000, "2025-10-15T02:00:00Z");
    await post(db, carol.userId, "reward_reversal", 1_000, "2025-11-10T02:00:00Z");
  });
  afterAll(() => rt?.dispose());

  it("given the seeded November, then each person's gross, reversed, net and withdrawn are exactly the month's movements", async () => {
    const records = await monthlyIncome(rt.services.db, { month: "2025-11" });
    const masked = `${alice.phone.slice(0, 3)}****${alice.phone.slice(-4)}`;
    expect(records).toEqual(
      [
        { userId: alice.userId, phone: masked, realName: "陈晓雨", gross: 12_345, reversed: 2_000, net: 10_345, withdrawn: 6_000 },
        { userId: carol.userId, phone: `${carol.phone.slice(0, 3)}****${carol.phone.slice(-4)}`, realName: null, gross: 0, reversed: 1_000, net: -1_000, withdrawn: 0 },
      ].sort((a, b) => a.userId.localeCompare(b.userId)),
    );
  });

  it("given December, then the midnight settlement and the late payout are counted there", async () => {
    const [dec] = await monthlyIncome(rt.services.db, { month: "2025-12" });
    expect(dec).toMatchObject({ userId: alice.userId, gross: 5_000, reversed: 0, net: 5_000, withdrawn: 1_000 });
  });

  it("given November, then the CSV is UTF-8 with a BOM, a header row, masked phones and yuan with two decimals", async () => {
    const csv = await incomeCsv(rt.services.db, "2025-11");
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const lines = csv.slice(1).split("\r\n");
    expect(lines.pop()).toBe("");
    expect(lines[0]).toBe("用户ID,手机号,真实姓名,佣金收入(元),冲回(元),净收入(元),已提现(元)");
    const aliceLine = `${alice.userId},${alice.phone.slice(0, 3)}****${alice.phone.slice(-4)},陈晓雨,123.45,20.00,103.45,60.00`;
    const carolLine = `${carol.userId},${carol.phone.slice(0, 3)}****${carol.phone.slice(-4)},,0.00,10.00,-10.00,0.00`;
    expect(lines.slice(1).sort()).toEqual([aliceLine, carolLine].sort());
    expect(csv).not.toContain(alice.phone);
    expect(csv).not.toContain(alice.idNumber);
  });

  it("given a month without movements, then only the header; given a malformed month, then INVALID_MONTH", async () => {
    expect(await incomeCsv(rt.services.db, "2024-02")).toBe("\uFEFF用户ID,手机号,真实姓名,佣金收入(元),冲回(元),净收入(元),已提现(元)\r\n");
    await expect(monthlyIncome(rt.services.db, { month: "2025-13" })).rejects.toThrow(DomainError);
  });
});
