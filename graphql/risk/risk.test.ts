/**
 * Risk control (rule book §6, §3 rule 8) through the real services and GraphQL: risk pairs found at
 * binding, checkout and payment; bulk registrations disabling an invite code; the refund-rate freeze
 * and its review; operator re-binds; manual freezes. Every refusal is checked for its typed code and
 * for leaving nothing behind.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, count, eq, ne } from "drizzle-orm";
import {
  auditLog,
  inviteAncestors,
  invites,
  jobs,
  notifications,
  orderLines,
  orders,
  payments,
  rebinds,
  rewards,
  riskPairs,
  riskReviews,
  teamMembers,
} from "@/db/schema";
import { createTestRuntime, gql, gqlOk, type TestRuntime } from "../test/harness";
import {
  createConsumer,
  createPerson,
  createShop,
  ctxOf,
  deliverNotification,
  newPhone,
  order,
  shipmentsOf,
  type ConsumerFixture,
  type Person,
  type Shop,
} from "../test/fixtures";
import { available } from "../test/wallet-fixtures";
import { createReferralCast, ledgerByAccount, refundCtxOf } from "../order/aftersale-fixtures";
import { DAY } from "../platform/clock";
import { unbalancedTransactions } from "../ledger/ledger.service";
import { createAddress } from "../order/address.service";
import { confirmReceipt, shipShipment } from "../order/fulfilment.service";
import { decideAfterSale, requestAfterSale } from "../order/aftersale.service";
import { startPayment } from "../payment/payment.service";
import { SANDBOX_SIGNATURE_HEADER } from "../payment/sandbox-provider";
import { latestOutboxMessage, requestSmsCode, signInWithSms } from "../identity/identity.service";
import { becomeSharer, bindInvite, ensureMember } from "../referral/binding.service";

const RESOLVE = `mutation($input: ResolveRiskReviewInput!) {
  resolveRiskReview(input: $input) { review { id reason status resolution person { id frozen inviteDisabled } } errors { code field } }
}`;
const FREEZE = `mutation($input: FreezeMemberInput!) {
  freezeMember(input: $input) { review { id reason status detailText person { id frozen } } errors { code field } }
}`;
const REBIND = `mutation($input: RebindMemberInput!) {
  rebindMember(input: $input) { rebind { id reason person { id } from { id } to { id } operator { id } } errors { code field } }
}`;
const REVIEWS = `query($status: RiskReviewStatus!) { riskReviews(status: $status, first: 100) { nodes { id reason status detailText person { id frozen inviteDisabled } } } }`;
const PAIRS = `{ riskPairs(first: 100) { nodes { kind orderNo invitee { id } inviter { id } } } }`;

type Code = { code: string; field: string | null };

describe("risk control (rule book §6)", () => {
  let rt: TestRuntime;
  let shop: Shop;
  let operator: Person;
  const db = () => rt.services.db;
  const now = () => rt.services.clock.now();
  const SKU = () => shop.product.skus[0].id; // ¥128.00: DIRECT 12.80 (10%), TEAM 6.40 (5%), free freight

  beforeAll(async () => {
    rt = await createTestRuntime();
    shop = await createShop(rt, [{ stock: 10_000, supplyPrice: 5_000, suggestedPrice: 12_800 }]);
    operator = await createPerson(rt, { roles: ["OPERATOR"] });
  });
  afterAll(() => rt?.dispose());

  // ── builders ──────────────────────────────────────────────────────────────────────────────────

  let ipSeq = 1;
  /** Every sign-up comes from its own address unless a test says otherwise (IPs count as a source). */
  const freshIp = () => `10.77.${Math.floor(ipSeq / 250)}.${(ipSeq++ % 250) + 1}`;
  let deviceSeq = 1;
  const freshDevice = () => `device-${process.pid}-${deviceSeq++}`;

  /** A brand-new person signing up by SMS, arriving through an invite code on a device from an IP. */
  async function signUp(arrival: { inviteCode?: string | null; deviceId?: string | null; ip?: string }) {
    const phone = newPhone();
    await requestSmsCode(ctxOf(rt), { phone, ip: freshIp() });
    const code = (await latestOutboxMessage(db(), phone))!.match(/\d{6}/)![0];
    const user = await signInWithSms(ctxOf(rt), {
      phone,
      code,
      ip: arrival.ip ?? freshIp(),
      arrival: { inviteCode: arrival.inviteCode ?? null, channel: "qr", deviceId: arrival.deviceId ?? freshDevice() },
    });
    return { userId: user.id, phone };
  }

  /** A shipping address of the person's own (a unique place), usable with `order`. */
  async function withAddress(p: { userId: string; phone: string }, place?: { detail: string; phone?: string }): Promise<ConsumerFixture> {
    const address = await createAddress(ctxOf(rt), p.userId, {
      recipient: "林小满",
      phone: place?.phone ?? p.phone,
      province: "浙江省",
      city: "杭州市",
      district: "西湖区",
      detail: place?.detail ?? `文三路 ${p.phone.slice(-6)} 号`,
      isDefault: true,
    });
    return { userId: p.userId, phone: p.phone, addressId: address.id, login: null, viewer: null as never };
  }

  const codeOf = async (userId: string) => (await db().transaction((tx) => ensureMember(tx, userId, now()))).inviteCode;
  const memberOf = async (userId: string) => (await db().select().from(teamMembers).where(eq(teamMembers.userId, userId)))[0];
  const inviteOf = async (userId: string) => (await db().select().from(invites).where(eq(invites.userId, userId)))[0] ?? null;
  const pairsOf = (userId: string) =>
    db().select({ inviterId: riskPairs.inviterId, kind: riskPairs.kind, orderId: riskPairs.orderId }).from(riskPairs).where(eq(riskPairs.userId, userId));
  const rewardsOf = (orderId: string) =>
    db()
      .select({ id: rewards.id, type: rewards.type, receiverId: rewards.receiverId, amount: rewards.amount, reversed: rewards.reversedAmount, status: rewards.status, depth: rewards.depth })
      .from(rewards)
      .where(eq(rewards.orderId, orderId))
      .orderBy(asc(rewards.type));
  const notificationsOf = (userId: string) =>
    db().select({ kind: notifications.kind, title: notifications.title }).from(notifications).where(eq(notifications.userId, userId)).orderBy(asc(notifications.createdAt));
  const reviewsOf = (userId: string) => db().select().from(riskReviews).where(eq(riskReviews.userId, userId)).orderBy(asc(riskReviews.createdAt));
  const countOf = async (table: typeof rebinds | typeof auditLog | typeof riskReviews | typeof notifications | typeof riskPairs) =>
    Number((await db().select({ n: count() }).from(table))[0].n);
  const ancestorsOf = async (userId: string) =>
    (await db().select().from(inviteAncestors).where(eq(inviteAncestors.userId, userId)).orderBy(asc(inviteAncestors.depth))).map((a) => [a.ancestorId, a.depth]);

  /** A sandbox payment whose notification names the payer's account (as a real provider does). */
  async function payAs(buyerId: string, orderId: string, payerAccount?: string) {
    const { payment } = await startPayment(ctxOf(rt), buyerId, orderId, rt.sandbox);
    const { body, signature } = rt.sandbox.signNotification(payment, payerAccount);
    const outcome = await deliverNotification(rt, { body, headers: new Headers({ [SANDBOX_SIGNATURE_HEADER]: signature }) });
    expect(outcome).toMatchObject({ ok: true, outcome: "PAID" });
    return payment;
  }
  async function paidOrder(buyer: ConsumerFixture, payerAccount?: string) {
    const placed = await order(rt, buyer, shop.store, [{ skuId: SKU(), quantity: 1 }]);
    await payAs(buyer.userId, placed.id, payerAccount);
    return placed;
  }
  async function receive(buyerId: string, orderId: string) {
    for (const s of await shipmentsOf(rt, orderId)) {
      await shipShipment(ctxOf(rt), shop.supplier.supplierId, { shipmentId: s.id, carrier: "顺丰速运", trackingNo: `SF${s.id.slice(0, 8)}` });
    }
    await confirmReceipt(ctxOf(rt), buyerId, orderId);
  }
  async function refundInFull(buyerId: string, orderId: string) {
    const [line] = await db().select().from(orderLines).where(eq(orderLines.orderId, orderId));
    const asked = await requestAfterSale(ctxOf(rt), buyerId, { orderId, lines: [{ orderLineId: line.id, amount: line.paidAmount }], reason: "不想要了", photoKeys: [] });
    const decided = await decideAfterSale(refundCtxOf(rt), shop.store.storeId, { afterSaleId: asked.id, approve: true }, shop.store.userId);
    expect(decided.status).toBe("REFUNDED");
  }

  const resolve = async (reviewId: string, decision: "CLEAR" | "CONFIRM", note = "已核实，处理完毕") =>
    (await gqlOk<{ resolveRiskReview: { review: any; errors: Code[] } }>(rt, operator.viewer, RESOLVE, { input: { reviewId, decision, note } })).resolveRiskReview;

  // ── a. device ─────────────────────────────────────────────────────────────────────────────────

  describe("a. same device at binding", () => {
    it("given an invitee signing up on the inviter's device, when they buy and the order settles, then a DEVICE pair is recorded, their order creates no rewards and never qualifies the inviter — while an invitee on another device does both", async () => {
      const device = freshDevice();
      const inviter = await signUp({ deviceId: device });
      await db().transaction((tx) => becomeSharer(tx, inviter.userId, now(), "test"));
      const inviteCode = await codeOf(inviter.userId);

      const puppet = await withAddress(await signUp({ inviteCode, deviceId: device }));
      const honest = await withAddress(await signUp({ inviteCode, deviceId: freshDevice() }));

      expect(await inviteOf(puppet.userId)).toMatchObject({ inviterId: inviter.userId, riskFlagged: true });
      expect(await pairsOf(puppet.userId)).toEqual([{ inviterId: inviter.userId, kind: "DEVICE", orderId: null }]);
      expect(await inviteOf(honest.userId)).toMatchObject({ inviterId: inviter.userId, riskFlagged: false });
      expect(await pairsOf(honest.userId)).toEqual([]);
      // The operator's console lists the pair.
      const console = await gqlOk<{ riskPairs: { nodes: any[] } }>(rt, operator.viewer, PAIRS);
      expect(console.riskPairs.nodes).toContainEqual({ kind: "DEVICE", orderNo: null, invitee: { id: puppet.userId }, inviter: { id: inviter.userId } });

      const puppetOrder = await paidOrder(puppet);
      const honestOrder = await paidOrder(honest);

      expect(await rewardsOf(puppetOrder.id)).toEqual([]);
      expect((await rewardsOf(honestOrder.id)).map((r) => [r.type, r.receiverId, r.amount])).toEqual([["DIRECT", inviter.userId, 1_280]]);

      await receive(puppet.userId, puppetOrder.id);
      await receive(honest.userId, honestOrder.id);
      await rt.advanceClock(7 * DAY + 60_000);

      const [settled] = await db().select({ settledAt: orders.settledAt }).from(orders).where(eq(orders.id, puppetOrder.id));
      expect(settled.settledAt).toBeInstanceOf(Date);
      expect((await memberOf(puppet.userId)).qualifiedAt).toBeNull();
      expect((await memberOf(honest.userId)).qualifiedAt).toBeInstanceOf(Date);
      expect((await memberOf(inviter.userId)).qualifiedDirects).toBe(1);
    });
  });

  // ── b–d. addresses and phones at checkout ─────────────────────────────────────────────────────

  describe("b–d. shared address or phone at checkout", () => {
    it("given a buyer with a paid, pending order, when they ship a new order to their inviter's address written differently, then an ADDRESS pair with that order, no rewards for it, and the earlier order's rewards REVERSED back to the merchant with a balanced ledger", async () => {
      const cast = await createReferralCast(rt);
      const buyer = await cast.boundBuyer();
      const earlier = await paidOrder(buyer);
      const before = await rewardsOf(earlier.id);
      expect(before.map((r) => [r.type, r.amount, r.status])).toEqual([["DIRECT", 1_280, "PENDING"], ["TEAM", 640, "PENDING"]]);
      const ledgerBefore = (await ledgerByAccount(rt, earlier.id)).sums;
      const merchant = `merchant:${shop.store.storeId}:payable`;
      expect(ledgerBefore["platform:commissions_payable"]).toBe(-1_920);

      // The SHARER lives at 文三路 <6 digits> 号; the buyer types it without spaces, in full-width digits.
      const digits = cast.sharer.phone.slice(-6).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
      const sharersPlace = await withAddress({ userId: buyer.userId, phone: buyer.phone }, { detail: `文三路${digits}号` });
      const flagged = await order(rt, sharersPlace, shop.store, [{ skuId: SKU(), quantity: 1 }]);

      expect(await pairsOf(buyer.userId)).toEqual([{ inviterId: cast.sharer.userId, kind: "ADDRESS", orderId: flagged.id }]);
      expect((await inviteOf(buyer.userId)).riskFlagged).toBe(true);
      const after = await rewardsOf(earlier.id);
      expect(after.map((r) => [r.type, r.reversed, r.status])).toEqual([["DIRECT", 1_280, "REVERSED"], ["TEAM", 640, "REVERSED"]]);
      const ledgerAfter = (await ledgerByAccount(rt, earlier.id)).sums;
      expect(ledgerAfter["platform:commissions_payable"]).toBe(0);
      expect(ledgerAfter[merchant] - ledgerBefore[merchant]).toBe(-1_920);
      expect(await unbalancedTransactions(db())).toEqual([]);

      await payAs(buyer.userId, flagged.id);
      expect(await rewardsOf(flagged.id)).toEqual([]);
      expect((await ledgerByAccount(rt, flagged.id)).sums["platform:commissions_payable"] ?? 0).toBe(0);
      expect(await unbalancedTransactions(db())).toEqual([]);
    });

    it("given a buyer who ships to an address with their inviter's phone (written +86 with spaces), then a PHONE pair and no rewards; a buyer shipping to their own place and phone pays rewards as usual", async () => {
      const cast = await createReferralCast(rt);
      const buyer = await cast.boundBuyer();
      const control = await cast.boundBuyer();
      const p = cast.sharer.phone;
      const toSharersPhone = await withAddress(buyer, { detail: "莫干山路 100 号 3 幢", phone: `+86 ${p.slice(0, 3)} ${p.slice(3, 7)} ${p.slice(7)}` });

      const flagged = await paidOrder(toSharersPhone);
      const normal = await paidOrder(control);

      expect(await pairsOf(buyer.userId)).toEqual([{ inviterId: cast.sharer.userId, kind: "PHONE", orderId: flagged.id }]);
      expect(await rewardsOf(flagged.id)).toEqual([]);
      expect(await pairsOf(control.userId)).toEqual([]);
      expect((await rewardsOf(normal.id)).map((r) => [r.type, r.receiverId])).toEqual([["DIRECT", cast.sharer.userId], ["TEAM", cast.leader.userId]]);
    });

    it("given an invitee with a pending order, when the inviter ships to the invitee's address, then the pair is recorded for (invitee, inviter) with the inviter's order and the invitee's rewards are reversed; the inviter's own invite is untouched", async () => {
      const cast = await createReferralCast(rt);
      const invitee = await cast.boundBuyer();
      const inviteesOrder = await paidOrder(invitee);
      const inviteesPlace = await withAddress({ userId: cast.sharer.userId, phone: cast.sharer.phone }, { detail: `文三路 ${invitee.phone.slice(-6)} 号` });

      const sharersOrder = await order(rt, inviteesPlace, shop.store, [{ skuId: SKU(), quantity: 1 }]);

      expect(await pairsOf(invitee.userId)).toEqual([{ inviterId: cast.sharer.userId, kind: "ADDRESS", orderId: sharersOrder.id }]);
      expect((await inviteOf(invitee.userId)).riskFlagged).toBe(true);
      expect((await rewardsOf(inviteesOrder.id)).map((r) => r.status)).toEqual(["REVERSED", "REVERSED"]);
      expect(await pairsOf(cast.sharer.userId)).toEqual([]);
      expect((await inviteOf(cast.sharer.userId)).riskFlagged).toBe(false);
      expect(await unbalancedTransactions(db())).toEqual([]);
    });
  });

  // ── e. payer account ──────────────────────────────────────────────────────────────────────────

  describe("e. same payer account at payment", () => {
    it("given an inviter who paid with account acct-1, when an invitee pays with acct-1, then a PAYMENT_ACCOUNT pair and no rewards; an invitee paying with acct-2 earns rewards as normal", async () => {
      const cast = await createReferralCast(rt);
      const account = `acct-1-${cast.sharer.userId.slice(0, 8)}`;
      await paidOrder(cast.sharer, account);
      const same = await cast.boundBuyer();
      const other = await cast.boundBuyer();

      const sameOrder = await paidOrder(same, account);
      const otherOrder = await paidOrder(other, `acct-2-${cast.sharer.userId.slice(0, 8)}`);

      expect(await pairsOf(same.userId)).toEqual([{ inviterId: cast.sharer.userId, kind: "PAYMENT_ACCOUNT", orderId: sameOrder.id }]);
      expect(await rewardsOf(sameOrder.id)).toEqual([]);
      expect(await pairsOf(other.userId)).toEqual([]);
      expect((await rewardsOf(otherOrder.id)).map((r) => [r.type, r.receiverId, r.amount])).toEqual([
        ["DIRECT", cast.sharer.userId, 1_280],
        ["TEAM", cast.leader.userId, 640],
      ]);
      // Only a keyed hash of the account is kept.
      const [stored] = await db().select({ index: payments.payerAccountIndex }).from(payments).where(eq(payments.orderId, sameOrder.id));
      expect(stored.index).toBeTruthy();
      expect(stored.index).not.toContain("acct");
    });

    it("given an invitee who paid with an account, when the inviter later pays with the same account, then the pair is recorded for (invitee, inviter)", async () => {
      const cast = await createReferralCast(rt);
      const invitee = await cast.boundBuyer();
      const account = `shared-${invitee.userId.slice(0, 8)}`;
      const inviteesOrder = await paidOrder(invitee, account);
      expect((await rewardsOf(inviteesOrder.id)).map((r) => r.status)).toEqual(["PENDING", "PENDING"]);

      const sharersOrder = await paidOrder(cast.sharer, account);

      expect(await pairsOf(invitee.userId)).toEqual([{ inviterId: cast.sharer.userId, kind: "PAYMENT_ACCOUNT", orderId: sharersOrder.id }]);
      expect((await rewardsOf(inviteesOrder.id)).map((r) => r.status)).toEqual(["REVERSED", "REVERSED"]);
    });
  });

  // ── f. bulk registrations ─────────────────────────────────────────────────────────────────────

  describe("f. bulk registrations", () => {
    it("given 5 sign-ups through one code from one device within 10 minutes, then 4 are bound, the 5th and a 6th from elsewhere are not, the code is disabled with one OPEN review and a notice; after CLEAR a new sign-up binds again", async () => {
      const inviter = await withAddress(await signUp({}));
      const code = await codeOf(inviter.userId);
      const device = freshDevice();

      const first4 = [];
      for (let i = 0; i < 4; i++) first4.push(await signUp({ inviteCode: code, deviceId: device }));
      expect((await memberOf(inviter.userId)).inviteDisabledAt).toBeNull();
      const fifth = await signUp({ inviteCode: code, deviceId: device });
      const sixth = await signUp({ inviteCode: code, deviceId: freshDevice() });

      for (const p of first4) expect(await inviteOf(p.userId)).toMatchObject({ inviterId: inviter.userId });
      expect(await inviteOf(fifth.userId)).toBeNull();
      expect(await inviteOf(sixth.userId)).toBeNull();
      expect(await ancestorsOf(fifth.userId)).toEqual([]);
      // They are still registered: sign-up never fails because of a code.
      expect(await memberOf(fifth.userId)).toMatchObject({ role: "REGISTERED", leaderId: null });
      expect((await memberOf(inviter.userId)).inviteDisabledAt).toBeInstanceOf(Date);
      const reviews = await reviewsOf(inviter.userId);
      expect(reviews.map((r) => [r.reason, r.status])).toEqual([["BULK_REGISTRATION", "OPEN"]]);
      expect(reviews[0].detail).toEqual({ registrations: 5, windowMinutes: 10 });
      expect(await notificationsOf(inviter.userId)).toEqual([{ kind: "RISK_REVIEW", title: "邀请码已暂停" }]);
      const queue = await gqlOk<{ riskReviews: { nodes: any[] } }>(rt, operator.viewer, REVIEWS, { status: "OPEN" });
      expect(queue.riskReviews.nodes).toContainEqual({
        id: reviews[0].id,
        reason: "BULK_REGISTRATION",
        status: "OPEN",
        detailText: "10 分钟内同一设备或网络经其邀请码注册 5 人，邀请码已暂停",
        person: { id: inviter.userId, frozen: false, inviteDisabled: true },
      });

      const cleared = await resolve(reviews[0].id, "CLEAR", "核实为线下活动，恢复邀请码");

      expect(cleared).toMatchObject({ errors: [], review: { status: "CLEARED", resolution: "核实为线下活动，恢复邀请码", person: { inviteDisabled: false } } });
      expect((await memberOf(inviter.userId)).inviteDisabledAt).toBeNull();
      const later = await signUp({ inviteCode: code });
      expect(await inviteOf(later.userId)).toMatchObject({ inviterId: inviter.userId });
      expect((await notificationsOf(inviter.userId)).map((n) => n.title)).toEqual(["邀请码已暂停", "邀请码已恢复"]);
    });

    it("given 5 sign-ups through one code from one IP on 5 different devices, then the 5th is not bound and the code is disabled", async () => {
      const inviter = await signUp({});
      const code = await codeOf(inviter.userId);
      const ip = freshIp();

      const people = [];
      for (let i = 0; i < 5; i++) people.push(await signUp({ inviteCode: code, ip }));

      expect(await Promise.all(people.map(async (p) => (await inviteOf(p.userId))?.inviterId ?? null))).toEqual([
        inviter.userId,
        inviter.userId,
        inviter.userId,
        inviter.userId,
        null,
      ]);
      expect((await memberOf(inviter.userId)).inviteDisabledAt).toBeInstanceOf(Date);
      expect((await reviewsOf(inviter.userId)).map((r) => r.reason)).toEqual(["BULK_REGISTRATION"]);
    });

    it("given 4 sign-ups from one device, when the 5th comes after the 10-minute window, then it is bound and the code stays enabled", async () => {
      const inviter = await signUp({});
      const code = await codeOf(inviter.userId);
      const device = freshDevice();
      for (let i = 0; i < 4; i++) await signUp({ inviteCode: code, deviceId: device });

      await rt.advanceClock(10 * 60_000 + 1_000);
      const fifth = await signUp({ inviteCode: code, deviceId: device });

      expect(await inviteOf(fifth.userId)).toMatchObject({ inviterId: inviter.userId });
      expect((await memberOf(inviter.userId)).inviteDisabledAt).toBeNull();
      expect(await reviewsOf(inviter.userId)).toEqual([]);
    });
  });

  // ── g. refund-rate freeze ─────────────────────────────────────────────────────────────────────

  describe("g. abnormal downline refund rate", () => {
    it("given a sharer whose downline paid 5 orders and refunded 3, when the refund checks run, then the sharer (and the leader above) are FROZEN for review; their rewards wait past settleDays; CLEAR settles the sharer's into the wallet, CONFIRM keeps the leader's waiting", async () => {
      const cast = await createReferralCast(rt);
      const buyers: ConsumerFixture[] = [];
      const placed: string[] = [];
      for (let i = 0; i < 5; i++) {
        const b = await cast.boundBuyer();
        buyers.push(b);
        placed.push((await paidOrder(b)).id);
      }
      await refundInFull(buyers[0].userId, placed[0]);
      await refundInFull(buyers[1].userId, placed[1]);
      await rt.services.runJobs();
      // 2 of 5 = 40%: not above 50%.
      expect((await memberOf(cast.sharer.userId)).frozen).toBe(false);
      expect(await reviewsOf(cast.sharer.userId)).toEqual([]);

      await refundInFull(buyers[2].userId, placed[2]);
      expect((await memberOf(cast.sharer.userId)).frozen).toBe(false); // the check runs as a job, off the refund's path
      await rt.services.runJobs();

      // Every check ran cleanly (a failing job would just retry quietly and never freeze anyone).
      expect(await db().select({ status: jobs.status, lastError: jobs.lastError }).from(jobs).where(and(eq(jobs.kind, "risk.refund_rate"), ne(jobs.status, "DONE")))).toEqual([]);
      // 3 of 5 = 60%: frozen for review, told so.
      expect((await memberOf(cast.sharer.userId)).frozen).toBe(true);
      const [review] = await reviewsOf(cast.sharer.userId);
      expect(review).toMatchObject({ reason: "REFUND_RATE", status: "OPEN", detail: { paidOrders: 5, refundedOrders: 3, windowDays: 30 } });
      expect(await notificationsOf(cast.sharer.userId)).toEqual([{ kind: "RISK_REVIEW", title: "账户审核中" }]);
      // The LEADER's downline (≤ 3 levels) is the same five orders.
      expect((await memberOf(cast.leader.userId)).frozen).toBe(true);
      const [leaderReview] = await reviewsOf(cast.leader.userId);
      expect(leaderReview).toMatchObject({ reason: "REFUND_RATE", status: "OPEN" });

      // The two kept orders are received and their return window passes.
      await receive(buyers[3].userId, placed[3]);
      await receive(buyers[4].userId, placed[4]);
      await rt.advanceClock(7 * DAY + 60_000);
      for (const id of placed.slice(3)) {
        const [o] = await db().select({ settledAt: orders.settledAt }).from(orders).where(eq(orders.id, id));
        expect(o.settledAt).toBeInstanceOf(Date);
        expect((await rewardsOf(id)).map((r) => [r.type, r.status])).toEqual([["DIRECT", "PENDING"], ["TEAM", "PENDING"]]);
      }
      expect(await available(rt, cast.sharer.userId)).toBe(0);

      // A bad note changes nothing.
      const auditBefore = await countOf(auditLog);
      const badNote = (await gqlOk<{ resolveRiskReview: { review: any; errors: Code[] } }>(rt, operator.viewer, RESOLVE, { input: { reviewId: review.id, decision: "CLEAR", note: " x " } })).resolveRiskReview;
      expect(badNote).toEqual({ review: null, errors: [{ code: "INVALID_NOTE", field: "note" }] });
      expect((await reviewsOf(cast.sharer.userId))[0].status).toBe("OPEN");
      expect((await memberOf(cast.sharer.userId)).frozen).toBe(true);
      expect(await countOf(auditLog)).toBe(auditBefore);

      const cleared = await resolve(review.id, "CLEAR", "退款系买家个人原因，解除冻结");

      expect(cleared).toMatchObject({ errors: [], review: { status: "CLEARED", person: { id: cast.sharer.userId, frozen: false } } });
      expect((await memberOf(cast.sharer.userId)).frozen).toBe(false);
      for (const id of placed.slice(3)) {
        expect((await rewardsOf(id)).map((r) => [r.type, r.status])).toEqual([["DIRECT", "SETTLED"], ["TEAM", "PENDING"]]);
      }
      expect(await available(rt, cast.sharer.userId)).toBe(2 * 1_280);
      // (The two settled first orders also promoted the SHARER meanwhile: that notice is not risk control's.)
      const riskNotices = (await notificationsOf(cast.sharer.userId)).filter((n) => n.kind === "RISK_REVIEW");
      expect(riskNotices.map((n) => n.title)).toEqual(["账户审核中", "账户审核已通过"]);
      const [audit] = await db().select().from(auditLog).where(and(eq(auditLog.subjectId, cast.sharer.userId), eq(auditLog.action, "risk_review.clear")));
      expect(audit.actorUserId).toBe(operator.userId);

      const confirmed = await resolve(leaderReview.id, "CONFIRM", "确认异常，维持冻结");

      expect(confirmed).toMatchObject({ errors: [], review: { status: "CONFIRMED", person: { id: cast.leader.userId, frozen: true } } });
      expect((await memberOf(cast.leader.userId)).frozen).toBe(true);
      for (const id of placed.slice(3)) expect((await rewardsOf(id)).find((r) => r.type === "TEAM")!.status).toBe("PENDING");
      expect(await available(rt, cast.leader.userId)).toBe(0);

      // A closed review cannot be resolved again; nothing is written.
      const snapshot = { audit: await countOf(auditLog), notes: await countOf(notifications), review: await reviewsOf(cast.sharer.userId) };
      const again = (await gqlOk<{ resolveRiskReview: { review: any; errors: Code[] } }>(rt, operator.viewer, RESOLVE, { input: { reviewId: review.id, decision: "CONFIRM", note: "再次处理" } })).resolveRiskReview;
      expect(again).toEqual({ review: null, errors: [{ code: "REVIEW_CLOSED", field: "reviewId" }] });
      expect({ audit: await countOf(auditLog), notes: await countOf(notifications), review: await reviewsOf(cast.sharer.userId) }).toEqual(snapshot);
      expect((await memberOf(cast.sharer.userId)).frozen).toBe(false);
      // Unknown reviews, malformed ids included.
      for (const reviewId of ["7d1f3b0e-0000-4000-8000-000000000000", "not-a-uuid"]) {
        const missing = (await gqlOk<{ resolveRiskReview: { review: any; errors: Code[] } }>(rt, operator.viewer, RESOLVE, { input: { reviewId, decision: "CLEAR", note: "处理" } })).resolveRiskReview;
        expect(missing).toEqual({ review: null, errors: [{ code: "REVIEW_NOT_FOUND", field: "reviewId" }] });
      }
      expect(await countOf(auditLog)).toBe(snapshot.audit);
    });
  });

  // ── h. re-bind ────────────────────────────────────────────────────────────────────────────────

  describe("h. operator re-bind", () => {
    /** Binds `userId` under `inviterId` the way registration does. */
    const bindUnder = (userId: string, inviterId: string) =>
      db().transaction(async (tx) => {
        const inviter = await ensureMember(tx, inviterId, now());
        await bindInvite(tx, { userId, inviteCode: inviter.inviteCode, channel: "link", now: now() });
      });
    const sharer = (userId: string) => db().transaction((tx) => becomeSharer(tx, userId, now(), "test"));

    it("given V→U→B(LEADER)→A→M→C→G, when an operator re-binds M from A to B, then M's invite points at B, the ancestors of M, C and G are exactly the new chain (≤ 3), the re-bind is logged and audited, and G's next order pays along the new chain", async () => {
      const v = await createPerson(rt, { roles: ["CONSUMER"] });
      const people: ConsumerFixture[] = [];
      for (let i = 0; i < 6; i++) {
        const phone = newPhone();
        const person = await createPerson(rt, { roles: ["CONSUMER"], phone });
        people.push(await withAddress({ userId: person.userId, phone }));
      }
      const [U, B, A, M, C, G] = people;
      await bindUnder(U.userId, v.userId);
      await bindUnder(B.userId, U.userId);
      await db().update(teamMembers).set({ role: "LEADER", leaderId: B.userId, promotedAt: now() }).where(eq(teamMembers.userId, B.userId));
      await bindUnder(A.userId, B.userId);
      await bindUnder(M.userId, A.userId);
      await bindUnder(C.userId, M.userId);
      await bindUnder(G.userId, C.userId);
      for (const p of [A, M, C]) await sharer(p.userId);
      expect(await ancestorsOf(G.userId)).toEqual([[C.userId, 1], [M.userId, 2], [A.userId, 3]]);
      // Before: B is G's leader but 4 levels up — beyond the depth ceiling — so only C's DIRECT.
      const beforeOrder = await paidOrder(G);
      expect((await rewardsOf(beforeOrder.id)).map((r) => [r.type, r.receiverId])).toEqual([["DIRECT", C.userId]]);

      const r = await gqlOk<{ rebindMember: { rebind: any; errors: Code[] } }>(rt, operator.viewer, REBIND, {
        input: { memberPhone: M.phone, newInviteCode: (await codeOf(B.userId)).toLowerCase(), reason: "用户申诉：注册时误用他人邀请码" },
      });

      expect(r.rebindMember).toEqual({
        errors: [],
        rebind: { id: expect.any(String), reason: "用户申诉：注册时误用他人邀请码", person: { id: M.userId }, from: { id: A.userId }, to: { id: B.userId }, operator: { id: operator.userId } },
      });
      expect(await inviteOf(M.userId)).toMatchObject({ inviterId: B.userId, channel: "operator", riskFlagged: false });
      expect(await ancestorsOf(M.userId)).toEqual([[B.userId, 1], [U.userId, 2], [v.userId, 3]]);
      expect(await ancestorsOf(C.userId)).toEqual([[M.userId, 1], [B.userId, 2], [U.userId, 3]]);
      expect(await ancestorsOf(G.userId)).toEqual([[C.userId, 1], [M.userId, 2], [B.userId, 3]]);
      // Nobody else's chain moved.
      expect(await ancestorsOf(A.userId)).toEqual([[B.userId, 1], [U.userId, 2], [v.userId, 3]]);
      const logged = await db().select().from(rebinds).where(eq(rebinds.userId, M.userId));
      expect(logged).toEqual([
        expect.objectContaining({ fromInviterId: A.userId, toInviterId: B.userId, operatorId: operator.userId, reason: "用户申诉：注册时误用他人邀请码" }),
      ]);
      const audits = await db().select().from(auditLog).where(and(eq(auditLog.subjectId, M.userId), eq(auditLog.action, "invite.rebind")));
      expect(audits).toHaveLength(1);
      expect(audits[0].actorUserId).toBe(operator.userId);
      expect(JSON.parse(audits[0].detail!)).toEqual({ from: A.userId, to: B.userId, reason: "用户申诉：注册时误用他人邀请码" });
      const log = await gqlOk<{ rebindLog: { nodes: any[] } }>(rt, operator.viewer, `{ rebindLog(first: 5) { nodes { person { id } from { id } to { id } } } }`);
      expect(log.rebindLog.nodes[0]).toEqual({ person: { id: M.userId }, from: { id: A.userId }, to: { id: B.userId } });

      // After: B is now 3 levels above G, within the ceiling.
      const afterOrder = await paidOrder(G);
      expect((await rewardsOf(afterOrder.id)).map((x) => [x.type, x.receiverId, x.depth, x.amount])).toEqual([
        ["DIRECT", C.userId, 1, 1_280],
        ["TEAM", B.userId, 3, 640],
      ]);
      // Past rewards are never rewritten.
      expect((await rewardsOf(beforeOrder.id)).map((x) => [x.type, x.receiverId])).toEqual([["DIRECT", C.userId]]);

      // ── bad input: a typed code and no writes ──
      const state = async () => ({
        rebinds: await countOf(rebinds),
        audit: await countOf(auditLog),
        invite: await inviteOf(M.userId),
        member: await memberOf(M.userId),
        m: await ancestorsOf(M.userId),
        c: await ancestorsOf(C.userId),
        g: await ancestorsOf(G.userId),
      });
      const before = await state();
      const stranger = await createPerson(rt, { roles: ["CONSUMER"], phone: newPhone() });
      const cases: [string, Record<string, string>][] = [
        ["CYCLE", { memberPhone: M.phone, newInviteCode: await codeOf(C.userId) }],
        ["CYCLE", { memberPhone: M.phone, newInviteCode: await codeOf(G.userId) }],
        ["SAME_INVITER", { memberPhone: M.phone, newInviteCode: await codeOf(B.userId) }],
        ["INVALID_REASON", { memberPhone: M.phone, newInviteCode: await codeOf(A.userId), reason: "  改绑 " }],
        ["MEMBER_NOT_FOUND", { memberPhone: newPhone(), newInviteCode: await codeOf(A.userId) }],
        ["MEMBER_NOT_FOUND", { memberPhone: "not-a-phone", newInviteCode: await codeOf(A.userId) }],
        ["MEMBER_NOT_FOUND", { memberPhone: stranger.phone!, newInviteCode: await codeOf(A.userId) }],
        ["INVITE_CODE_NOT_FOUND", { memberPhone: M.phone, newInviteCode: "NOSUCHCODE" }],
        ["SELF_INVITE", { memberPhone: M.phone, newInviteCode: await codeOf(M.userId) }],
      ];
      for (const [code, input] of cases) {
        const bad = await gqlOk<{ rebindMember: { rebind: unknown; errors: Code[] } }>(rt, operator.viewer, REBIND, { input: { reason: "运营核实后改绑", ...input } });
        expect({ code, payload: bad.rebindMember }).toEqual({ code, payload: { rebind: null, errors: [expect.objectContaining({ code })] } });
      }
      expect(await state()).toEqual(before);
    });

    /** Rule book §2: leader(X) is always an invite-tree ancestor of X, also after a re-bind. */
    it("given T1(LEADER)→A→M→C and T2(LEADER)→B, when M is re-bound to B, then C's next order pays its TEAM reward to T2 (leader(C) follows the new chain)", async () => {
      const people: ConsumerFixture[] = [];
      for (let i = 0; i < 6; i++) {
        const phone = newPhone();
        const person = await createPerson(rt, { roles: ["CONSUMER"], phone });
        people.push(await withAddress({ userId: person.userId, phone }));
      }
      const [T1, A, M, C, T2, B] = people;
      const seedLeader = async (userId: string) => {
        await ensureMember(db(), userId, now(), { role: "LEADER" });
        await db().update(teamMembers).set({ leaderId: userId, promotedAt: now() }).where(eq(teamMembers.userId, userId));
      };
      await seedLeader(T1.userId);
      await seedLeader(T2.userId);
      await bindUnder(A.userId, T1.userId);
      await bindUnder(M.userId, A.userId);
      await bindUnder(C.userId, M.userId);
      await bindUnder(B.userId, T2.userId);
      for (const p of [A, M, B]) await sharer(p.userId);

      const r = await gqlOk<{ rebindMember: { errors: Code[] } }>(rt, operator.viewer, REBIND, {
        input: { memberPhone: M.phone, newInviteCode: await codeOf(B.userId), reason: "运营核实后改绑" },
      });
      expect(r.rebindMember.errors).toEqual([]);
      expect((await memberOf(M.userId)).leaderId).toBe(T2.userId);
      expect((await memberOf(C.userId)).leaderId).toBe(T2.userId);
      expect((await memberOf(A.userId)).leaderId).toBe(T1.userId);
      expect(await ancestorsOf(C.userId)).toEqual([[M.userId, 1], [B.userId, 2], [T2.userId, 3]]);

      const next = await paidOrder(C);
      expect((await rewardsOf(next.id)).map((x) => [x.type, x.receiverId, x.depth])).toEqual([
        ["DIRECT", M.userId, 1],
        ["TEAM", T2.userId, 3],
      ]);
    });

    it("given a consumer, when they call rebindMember, riskReviews or freezeMember, then FORBIDDEN and nothing is written", async () => {
      const cast = await createReferralCast(rt);
      const buyer = await cast.boundBuyer();
      const other = await createConsumer(rt);
      const consumer = await createPerson(rt, { roles: ["CONSUMER"], phone: newPhone() });
      const before = { rebinds: await countOf(rebinds), reviews: await countOf(riskReviews), invite: await inviteOf(buyer.userId), anc: await ancestorsOf(buyer.userId) };

      const rebind = await gql(rt, consumer.viewer, REBIND, { input: { memberPhone: buyer.phone, newInviteCode: await codeOf(other.userId), reason: "我想换个邀请人" } });
      const reviews = await gql(rt, consumer.viewer, REVIEWS, { status: "OPEN" });
      const freeze = await gql(rt, consumer.viewer, FREEZE, { input: { phone: buyer.phone, note: "冻结他" } });

      for (const r of [rebind, reviews, freeze]) {
        expect(r.data).toBeNull();
        expect(r.errors).toEqual([expect.objectContaining({ extensions: { code: "FORBIDDEN" } })]);
      }
      expect({ rebinds: await countOf(rebinds), reviews: await countOf(riskReviews), invite: await inviteOf(buyer.userId), anc: await ancestorsOf(buyer.userId) }).toEqual(before);
      expect((await memberOf(buyer.userId)).frozen).toBe(false);
    });
  });

  // ── i. manual freeze ──────────────────────────────────────────────────────────────────────────

  describe("i. manual freeze", () => {
    it("given a member, when the operator freezes them, then FROZEN with an OPEN MANUAL review, an audit row and a notice; the second time ALREADY_FROZEN and nothing more is written", async () => {
      const cast = await createReferralCast(rt);
      const phone = cast.sharer.phone;

      const first = (await gqlOk<{ freezeMember: { review: any; errors: Code[] } }>(rt, operator.viewer, FREEZE, { input: { phone, note: "疑似刷单，冻结核查" } })).freezeMember;

      expect(first).toEqual({
        errors: [],
        review: { id: expect.any(String), reason: "MANUAL", status: "OPEN", detailText: "人工冻结：疑似刷单，冻结核查", person: { id: cast.sharer.userId, frozen: true } },
      });
      expect((await memberOf(cast.sharer.userId)).frozen).toBe(true);
      expect(await notificationsOf(cast.sharer.userId)).toEqual([{ kind: "RISK_REVIEW", title: "账户审核中" }]);
      expect(await db().select().from(auditLog).where(and(eq(auditLog.subjectId, cast.sharer.userId), eq(auditLog.action, "member.freeze")))).toHaveLength(1);

      const notAMember = await createPerson(rt, { roles: ["CONSUMER"], phone: newPhone() });
      const unfrozen = await cast.boundBuyer();
      const snapshot = { reviews: await countOf(riskReviews), audit: await countOf(auditLog), notes: await countOf(notifications) };
      const second = (await gqlOk<{ freezeMember: { review: any; errors: Code[] } }>(rt, operator.viewer, FREEZE, { input: { phone, note: "再次冻结" } })).freezeMember;
      expect(second).toEqual({ review: null, errors: [{ code: "ALREADY_FROZEN", field: "phone" }] });
      for (const [input, code, field] of [
        [{ phone: newPhone(), note: "冻结核查" }, "MEMBER_NOT_FOUND", "phone"],
        [{ phone: notAMember.phone!, note: "冻结核查" }, "MEMBER_NOT_FOUND", "phone"],
        [{ phone: unfrozen.phone, note: "x" }, "INVALID_NOTE", "note"],
      ] as const) {
        const bad = (await gqlOk<{ freezeMember: { review: any; errors: Code[] } }>(rt, operator.viewer, FREEZE, { input })).freezeMember;
        expect(bad).toEqual({ review: null, errors: [{ code, field }] });
      }
      expect({ reviews: await countOf(riskReviews), audit: await countOf(auditLog), notes: await countOf(notifications) }).toEqual(snapshot);
      expect((await memberOf(unfrozen.userId)).frozen).toBe(false);
    });

    it("given a member whose invite code is disabled (OPEN BULK_REGISTRATION) and who is frozen manually, when the MANUAL review is CLEARED, then they are unfrozen (the code stays disabled)", async () => {
      const inviter = await signUp({});
      const code = await codeOf(inviter.userId);
      const device = freshDevice();
      for (let i = 0; i < 5; i++) await signUp({ inviteCode: code, deviceId: device });
      expect((await reviewsOf(inviter.userId)).map((r) => [r.reason, r.status])).toEqual([["BULK_REGISTRATION", "OPEN"]]);
      const frozen = (await gqlOk<{ freezeMember: { review: any; errors: Code[] } }>(rt, operator.viewer, FREEZE, { input: { phone: inviter.phone, note: "冻结核查" } })).freezeMember;
      expect(frozen.errors).toEqual([]);

      const cleared = await resolve(frozen.review.id, "CLEAR", "核查无异常");

      expect(cleared.errors).toEqual([]);
      expect((await memberOf(inviter.userId)).frozen).toBe(false);
      expect((await memberOf(inviter.userId)).inviteDisabledAt).toBeInstanceOf(Date);
    });
  });
});
