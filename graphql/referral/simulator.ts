import { and, asc, eq, isNotNull } from "drizzle-orm";
import { jobs, orderLines, rewards, shipments, stores, supplierMembers, suppliers, teamMembers, userRoles, users } from "@/db/schema";
import type { Runtime } from "../runtime";
import { blindIndex, encryptPii } from "../platform/crypto";
import { DAY } from "../platform/clock";
import { createProduct, skusByProductIds } from "../catalog/catalog.service";
import { listProduct } from "../store/store.service";
import { createAddress } from "../order/address.service";
import { placeOrder } from "../order/checkout.service";
import { confirmReceipt, shipShipment } from "../order/fulfilment.service";
import { applyPaymentNotification, startPayment } from "../payment/payment.service";
import { accountBalance } from "../ledger/ledger.service";
import { files } from "@/db/schema";
import { ruleSetViolation, spreadRefund, type RuleSet } from "./referral.rules";
import { refundGoodsNow } from "../order/aftersale.service";
import { simulateWithdrawal, withdrawnTotal } from "./withdrawal.service";
import { DomainError } from "../core/errors";
import { publishRuleSet } from "./rule-set.service";
import { becomeSharer, bindInvite, ensureMember } from "./binding.service";
import { maybePromote } from "./settlement.service";

/** A scenario file (../shared/docs/liandong-simulator.md). Amounts are fen, rates basis points. */
export type Scenario = {
  rules: Omit<RuleSet, "version"> & { withdrawFeeBp?: number; withdrawMinFen?: number; withdrawDailyLimitFen?: number };
  users: { id: string; role?: "LEADER" | "SHARER" | "REGISTERED"; device?: string }[];
  events: ({ day: number } & Record<string, unknown>)[];
};

export type Outcome = {
  users: Record<string, { role: string; leader: string | null; detachedFrom: string | null; pending: number; available: number; reversed: number; withdrawn: number }>;
  rewards: ({ order: string; line: number; receiver: string; type: string; depth: number; amount: number; status: string; reversedAmount?: number })[];
};

/** A malformed scenario or rules beyond a ceiling: the CLI exits 2 with this message. */
export class ScenarioError extends Error {}

const fail = (message: string): never => {
  throw new ScenarioError(message);
};

/** Midnight, 1 January 2026, Asia/Shanghai: day 0 of every simulation. */
export const DAY_ZERO = new Date("2026-01-01T00:00:00+08:00");
const TYPE_ORDER = { DIRECT: 0, TEAM: 1, PEER: 2 } as const;

export function validateScenario(raw: unknown): Scenario {
  const s = raw as Scenario;
  if (!s || typeof s !== "object" || !s.rules || !Array.isArray(s.users) || !Array.isArray(s.events)) fail("scenario needs rules, users and events");
  const violation = ruleSetViolation(s.rules);
  if (violation) fail(`rules: ${violation.field} ${violation.message}`);
  let lastDay = 0;
  for (const [i, e] of s.events.entries()) {
    if (!Number.isInteger(e.day) || e.day < lastDay) fail(`event ${i + 1}: day must be a whole number, never earlier than the previous event`);
    lastDay = e.day;
  }
  return s;
}

/**
 * Replays a scenario through the same services the shop uses (binding, checkout, payment,
 * receipt, settlement jobs, promotion) on the given runtime — which must be a throwaway one —
 * with a frozen clock moved day by day.
 */
export async function runScenario(rt: Runtime, scenario: Scenario): Promise<Outcome> {
  const { db, clock } = rt.services;
  clock.freeze(DAY_ZERO);
  const ctx = () => ({ db, now: clock.now() });
  // Withdrawals in a scenario have no fee, minimum or daily limit unless the rules give them.
  const rules = {
    ...scenario.rules,
    withdrawFeeBp: scenario.rules.withdrawFeeBp ?? 0,
    withdrawMinFen: scenario.rules.withdrawMinFen ?? 1,
    withdrawDailyLimitFen: scenario.rules.withdrawDailyLimitFen ?? 1_000_000_000_00,
  };
  await db.transaction((tx) => publishRuleSet(tx, rules, { effectiveAt: DAY_ZERO, now: DAY_ZERO, actorId: null }).then(() => undefined));

  const ids = new Map<string, string>();
  const names = new Map<string, string>();
  const addressOf = new Map<string, string>();
  const userOf = (name: unknown, what: string) => ids.get(String(name)) ?? fail(`${what}: unknown user ${String(name)}`);

  // The shop every simulated order is bought in.
  const now0 = clock.now();
  const [owner] = await db.insert(users).values({ nickname: "sim-supplier", createdAt: now0 }).returning();
  const [supplier] = await db.insert(suppliers).values({ name: "模拟供应商", createdAt: now0 }).returning();
  await db.insert(supplierMembers).values({ supplierId: supplier.id, userId: owner.id, createdAt: now0 });
  await db.insert(userRoles).values({ userId: owner.id, role: "SUPPLIER", createdAt: now0 });
  const [store] = await db.insert(stores).values({ slug: "sim-store", name: "模拟店铺", ownerUserId: owner.id, createdAt: now0 }).returning();
  await db.insert(files).values({ key: "sim/cover.png", contentType: "image/png", byteSize: 1, ownerUserId: owner.id, createdAt: now0 });

  /** One listed SKU whose store price is exactly the line's paid amount. */
  async function skuPricedAt(amount: number): Promise<string> {
    if (!Number.isSafeInteger(amount) || amount <= 0) fail(`line amounts must be positive whole fen, got ${amount}`);
    const product = await createProduct(ctx(), supplier.id, owner.id, {
      title: `模拟商品 ${amount}`,
      description: "",
      category: "模拟",
      specAxes: [],
      imageKeys: ["sim/cover.png"],
      skus: [{ specs: [], supplyPrice: Math.max(1, Math.floor(amount / 2)), suggestedPrice: amount, stock: 1_000_000 }],
    });
    const [[sku]] = await skusByProductIds(db, [product.id]);
    await listProduct(ctx(), store.id, product.id, [{ skuId: sku.id, retailPrice: amount }]);
    return sku.id;
  }

  async function createPerson(name: string, role: "LEADER" | "SHARER" | "REGISTERED", device: string | null, inviter?: string) {
    if (ids.has(name)) fail(`user ${name} exists already`);
    const phone = `199${String(ids.size + 1).padStart(8, "0")}`;
    const now = clock.now();
    const [user] = await db
      .insert(users)
      .values({ nickname: name, phoneEnc: encryptPii(phone), phoneIndex: blindIndex("phone", phone), createdAt: now })
      .returning();
    await db.insert(userRoles).values({ userId: user.id, role: "CONSUMER", createdAt: now });
    ids.set(name, user.id);
    names.set(user.id, name);
    await db.transaction(async (tx) => {
      await ensureMember(tx, user.id, now, { deviceId: device });
      if (inviter) {
        const [code] = await tx.select({ code: teamMembers.inviteCode }).from(teamMembers).where(eq(teamMembers.userId, userOf(inviter, `register ${name}`)));
        await bindInvite(tx, { userId: user.id, inviteCode: code.code, channel: "link", deviceId: device, now });
      }
      if (role === "LEADER") {
        await tx.update(teamMembers).set({ role: "LEADER", leaderId: user.id, promotedAt: now }).where(eq(teamMembers.userId, user.id));
      } else if (role === "SHARER") {
        await becomeSharer(tx, user.id, now, "sim");
        await maybePromote(tx, user.id, now);
      }
    });
    const address = await createAddress(ctx(), user.id, { recipient: "模拟用户", phone, province: "浙江省", city: "杭州市", district: "西湖区", detail: `模拟路 ${phone.slice(-6)} 号` });
    addressOf.set(user.id, address.id);
  }

  for (const u of scenario.users) await createPerson(String(u.id), u.role ?? "SHARER", u.device ?? null);

  /** Due jobs run as the app runs them; a job that fails makes the history invalid, never silent. */
  async function runJobsOrFail() {
    await rt.services.runJobs();
    const [failed] = await db.select({ kind: jobs.kind, error: jobs.lastError }).from(jobs).where(isNotNull(jobs.lastError)).limit(1);
    if (failed) throw new Error(`job ${failed.kind} failed: ${failed.error}`);
  }

  const orderIds = new Map<string, string>();
  const buyerOf = new Map<string, string>();
  const orderSeq: string[] = [];
  let day = 0;
  for (const [i, e] of scenario.events.entries()) {
    if (e.day > day) {
      day = e.day;
      clock.freeze(new Date(DAY_ZERO.getTime() + day * DAY));
      await runJobsOrFail();
    }
    const where = `event ${i + 1}`;
    if ("register" in e) {
      const role = (e.role as "SHARER" | "REGISTERED" | undefined) ?? "SHARER";
      if (!["SHARER", "REGISTERED"].includes(role)) fail(`${where}: role must be SHARER or REGISTERED`);
      await createPerson(String(e.register), role, (e.device as string) ?? null, String(e.invitedBy ?? fail(`${where}: register needs invitedBy`)));
    } else if ("agree" in e) {
      const userId = userOf(e.agree, where);
      await db.transaction(async (tx) => {
        await becomeSharer(tx, userId, clock.now(), "sim");
        await maybePromote(tx, userId, clock.now());
      });
    } else if ("order" in e) {
      const name = String(e.order);
      if (orderIds.has(name)) fail(`${where}: order ${name} exists already`);
      const buyer = userOf(e.buyer, where);
      const lines = Array.isArray(e.lines) && e.lines.length ? (e.lines as number[]) : fail(`${where}: order needs lines`);
      // Freight is never a reward base (rule book §3): the order pays the store's own freight rule,
      // so a scenario's `freight` is checked for shape and otherwise changes no outcome.
      if (e.freight !== undefined && !(Number.isSafeInteger(e.freight) && Number(e.freight) >= 0)) fail(`${where}: freight must be whole fen ≥ 0`);
      const items = [];
      for (const amount of lines) items.push({ skuId: await skuPricedAt(amount), quantity: 1 });
      const order = await placeOrder(ctx(), buyer, { storeSlug: store.slug, items, addressId: addressOf.get(buyer)!, idempotencyKey: `sim-${name}-order` });
      const { payment } = await startPayment(ctx(), buyer, order.id, rt.services.payments.sandbox);
      await applyPaymentNotification(ctx(), "sandbox", { notifyId: `sim-${payment.id}`, paymentId: payment.id, providerTxnId: `SIM${i}`, amount: payment.amount, status: "SUCCESS" });
      orderIds.set(name, order.id);
      buyerOf.set(order.id, buyer);
      orderSeq.push(order.id);
    } else if ("receive" in e) {
      const orderId = orderIds.get(String(e.receive)) ?? fail(`${where}: unknown order ${String(e.receive)}`);
      for (const s of await db.select().from(shipments).where(eq(shipments.orderId, orderId))) {
        if (s.status === "AWAITING_SHIPMENT") await shipShipment(ctx(), supplier.id, { shipmentId: s.id, carrier: "模拟快递", trackingNo: `SIM${s.id.slice(0, 8)}` });
      }
      await confirmReceipt(ctx(), buyerOf.get(orderId)!, orderId);
    } else if ("refund" in e) {
      await refund(String(e.refund), e as Record<string, unknown>, where);
    } else if ("withdraw" in e) {
      const userId = userOf(e.withdraw, where);
      const amount = Number(e.amount);
      if (!Number.isSafeInteger(amount) || amount <= 0) fail(`${where}: withdraw needs a positive amount`);
      try {
        await simulateWithdrawal(ctx(), userId, amount);
      } catch (err) {
        if (err instanceof DomainError) fail(`${where}: withdrawal refused: ${err.message}`);
        throw err;
      }
    } else if ("end" in e) {
      // The clock has already moved to this day and due jobs have run.
    } else {
      fail(`${where}: unknown event`);
    }
  }

  /**
   * A goods refund: `line` + `amount`, or `amount` spread over the lines by their remaining
   * amounts, or the whole remaining order. More than remains is refused like a malformed file.
   */
  async function refund(name: string, e: Record<string, unknown>, where: string) {
    const orderId = orderIds.get(name) ?? fail(`${where}: unknown order ${name}`);
    const lines = await db.select().from(orderLines).where(eq(orderLines.orderId, orderId)).orderBy(asc(orderLines.lineNo));
    const remaining = lines.map((l) => l.paidAmount - l.refundedAmount);
    const total = remaining.reduce((s, x) => s + x, 0);
    let perLine: number[];
    if (e.line !== undefined) {
      const index = Number(e.line) - 1;
      const amount = Number(e.amount);
      if (!Number.isInteger(index) || index < 0 || index >= lines.length) fail(`${where}: order ${name} has no line ${String(e.line)}`);
      if (!Number.isSafeInteger(amount) || amount <= 0 || amount > remaining[index]) fail(`${where}: refund exceeds what remains on line ${index + 1}`);
      perLine = remaining.map((_, i) => (i === index ? amount : 0));
    } else if (e.amount !== undefined) {
      const amount = Number(e.amount);
      if (!Number.isSafeInteger(amount) || amount <= 0 || amount > total) fail(`${where}: refund exceeds what remains of ${name}`);
      perLine = spreadRefund(remaining, amount);
    } else {
      if (total <= 0) fail(`${where}: nothing remains to refund on ${name}`);
      perLine = remaining;
    }
    await refundGoodsNow(
      { db, now: clock.now(), payments: rt.services.payments },
      orderId,
      lines.map((l, i) => ({ orderLineId: l.id, amount: perLine[i] })).filter((x) => x.amount > 0),
      { overrideWindow: true },
    );
  }

  return outcome(rt, ids, names, orderIds, orderSeq);
}

async function outcome(rt: Runtime, ids: Map<string, string>, names: Map<string, string>, orderIds: Map<string, string>, orderSeq: string[]): Promise<Outcome> {
  const { db } = rt.services;
  const orderName = new Map([...orderIds].map(([name, id]) => [id, name]));
  const rows = await db
    .select({ r: rewards, lineNo: orderLines.lineNo })
    .from(rewards)
    .innerJoin(orderLines, eq(orderLines.id, rewards.orderLineId))
    .orderBy(asc(rewards.createdAt));
  rows.sort(
    (a, b) =>
      orderSeq.indexOf(a.r.orderId) - orderSeq.indexOf(b.r.orderId) ||
      a.lineNo - b.lineNo ||
      TYPE_ORDER[a.r.type] - TYPE_ORDER[b.r.type],
  );
  const out: Outcome = { users: {}, rewards: [] };
  for (const [name, userId] of ids) {
    const [m] = await db.select().from(teamMembers).where(and(eq(teamMembers.userId, userId)));
    const mine = rows.filter((x) => x.r.receiverId === userId).map((x) => x.r);
    out.users[name] = {
      role: m.role,
      leader: m.leaderId ? (names.get(m.leaderId) ?? null) : null,
      detachedFrom: m.detachedFromId ? (names.get(m.detachedFromId) ?? null) : null,
      pending: mine.filter((r) => r.status === "PENDING").reduce((s, r) => s + r.amount - r.reversedAmount, 0),
      // Wallets are liabilities (credit-negative); `|| 0` avoids reporting -0.
      available: -(await accountBalance(db, `wallet:${userId}`)) || 0,
      reversed: mine.reduce((s, r) => s + r.reversedAmount, 0),
      withdrawn: await withdrawnTotal(db, userId),
    };
  }
  for (const { r, lineNo } of rows) {
    out.rewards.push({
      order: orderName.get(r.orderId)!,
      line: lineNo,
      receiver: names.get(r.receiverId)!,
      type: r.type,
      depth: r.depth,
      amount: r.amount,
      status: r.status,
      ...(r.reversedAmount > 0 && r.status !== "REVERSED" ? { reversedAmount: r.reversedAmount } : {}),
    });
  }
  return out;
}
