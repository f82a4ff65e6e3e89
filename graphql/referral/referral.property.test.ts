/**
 * Property test of the 链动2+1 hard invariants (rule book §1–§4) THROUGH THE REAL SERVICES on a real
 * database: fast-check generates a random invite tree (seeded LEADER / SHARER / REGISTERED people,
 * same-device risk pairs, late agreements), random orders of 1–3 lines with random bases, random
 * receipts and random full / per-line / spread partial refunds before and after settlement, a random
 * rule set (sometimes replaced by a second version mid-history), and replays it with the simulator
 * (binding, checkout, payment, shipping, receipt, after-sale refunds, settlement jobs, promotion).
 * Then it checks, over the rows in the database:
 *
 *  1. every reward's depth is within 1..maxDepth of the rule-set version recorded on it, and equals
 *     the receiver's real distance above the buyer in the invite tree (DIRECT: the inviter, depth 1);
 *  2. per order line, Σ rewards ≤ ⌊capTotal × base⌋ of that version; each type ≤ its own rate; at
 *     most one reward per type; PEER only on a granted TEAM, ≤ rPeer × TEAM;
 *  3. every reward with reversed_amount > 0 is on a line with a SUCCEEDED refund, and reversed_amount
 *     is exactly amount − ⌊amount × remaining ÷ base⌋ of the line's refunds (REVERSED iff all of it) —
 *     the one exception being a pair that risk control flags later (shared phone, address, payer
 *     account), whose pending rewards are reversed in full without a refund;
 *  4. no reward to the buyer; the generated same-device pairs are flagged at binding and their buyer
 *     produces no reward and qualifies nobody (a pair flagged later keeps only what had settled
 *     before); every flag has a shared device or a recorded risk pair; qualifiedDirects counts
 *     exactly the unflagged invitees with a settled order;
 *  5. the ledger verifies (every transaction sums to zero, every wallet hash chain recomputes), each
 *     wallet's balance equals the sum of its chain and the net of its SETTLED rewards, the
 *     commissions payable equals the PENDING rewards, and per reward the ledger holds exactly its
 *     settlement and its reversals; settlement happened only after receipt + settleDays and, once
 *     the history is past every return window, did happen; no job failed;
 *  6. idempotency: running the due jobs again, re-running every settlement job, re-delivering every
 *     refund (and retrying every refunded after-sale), re-running every reward reversal and
 *     re-delivering every payment notification changes no reward, ledger row, refund or balance.
 *
 * Each run starts from an empty, migrated database: one runtime per file (booting one costs 4–10 s on
 * PGlite), emptied between runs and its frozen clock thawed (see resetDatabase). Reproduce a failure with the seed and path
 * fast-check prints: LIANBO_PROPERTY_SEED=<seed> LIANBO_PROPERTY_PATH=<path>; more runs with
 * LIANBO_PROPERTY_RUNS=<n>. LIANBO_PROPERTY_SHRINK=0 skips shrinking (each shrink step is a full run).
 */
import fc from "fast-check";
import { sql, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf, type Db } from "@/db/client";
import {
  afterSaleLines,
  afterSales,
  invites,
  jobs,
  ledgerAccounts,
  ledgerEntries,
  ledgerTransactions,
  orderLines,
  orders,
  paymentNotifications,
  payments,
  refunds,
  rewards,
  ruleSets,
  teamMembers,
  users,
} from "@/db/schema";
import { createTestRuntime, type TestRuntime } from "../test/harness";
import { DAY } from "../platform/clock";
import { verifyLedger } from "../ledger/ledger-verify.service";
import { verifyWalletChain } from "../ledger/ledger.service";
import { applyRefundSucceeded } from "../order/aftersale-refund.service";
import { refundAfterSale } from "../order/aftersale.service";
import { applyPaymentNotification } from "../payment/payment.service";
import { priceLeavesRequiredMargin } from "../store/store.rules";
import { ruleSetViolation, spreadRefund, type RuleSet } from "./referral.rules";
import { ensureDefaultRuleSet, publishRuleSet } from "./rule-set.service";
import { reverseRewardsForRefund } from "./reward-reversal.service";
import { settleOrderJob } from "./settlement.service";
import { scheduleTeamRollup } from "./team-stats.service";
import { DAY_ZERO, runScenario, validateScenario, type Scenario } from "./simulator";

const SEED = Number(process.env.LIANBO_PROPERTY_SEED ?? 20_261_125);
const RUNS = Number(process.env.LIANBO_PROPERTY_RUNS ?? 15);
const PATH = process.env.LIANBO_PROPERTY_PATH;
const SHRINK = process.env.LIANBO_PROPERTY_SHRINK !== "0";

/** Day 0 of every simulation (the simulator's: midnight, 1 January 2026, Asia/Shanghai). */
const at = (day: number) => new Date(DAY_ZERO.getTime() + day * DAY);
const MAX_SETTLE_DAYS = 10;

type Rules = Omit<RuleSet, "version">;
const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
const bp = (amount: number, rate: number) => Math.floor((amount * rate) / 10_000);

// ————————————————————————————————————————— generation —————————————————————————————————————————

const BOOK_RULES: Rules = { k: 2, rDirectBp: 1000, rTeamBp: 500, rPeerBp: 2000, maxDepth: 3, capTotalBp: 2000, settleDays: 7 };

/** Rule sets within the ceilings, with rates high enough that the cap often trims TEAM and PEER. */
const rulesArb: fc.Arbitrary<Rules> = fc.oneof(
  fc.constant(BOOK_RULES),
  fc
    .record({
      k: fc.constantFrom(1, 1, 2, 2, 3),
      rDirectBp: fc.integer({ min: 0, max: 3000 }),
      rTeamBp: fc.integer({ min: 0, max: 2500 }),
      rPeerBp: fc.integer({ min: 0, max: 10_000 }),
      maxDepth: fc.integer({ min: 1, max: 3 }),
      capTotalBp: fc.integer({ min: 0, max: 3000 }),
      settleDays: fc.integer({ min: 7, max: MAX_SETTLE_DAYS }),
    })
    .filter((r) => ruleSetViolation(r) === null),
);

/**
 * A paid line amount the simulator can list (its supply price is half the amount; the listing must
 * leave the margin for the highest cap plus the platform fee): tiny ones exercise the flooring.
 */
const amountArb = fc
  .oneof(fc.integer({ min: 3, max: 300 }), fc.integer({ min: 300, max: 200_000 }))
  .filter((a) => priceLeavesRequiredMargin(a, Math.max(1, Math.floor(a / 2)), { commissionCapBp: 3000, platformFeeBp: 500 }));

const seedArb = fc.record({ role: fc.constantFrom("LEADER", "LEADER", "SHARER", "REGISTERED") as fc.Arbitrary<"LEADER" | "SHARER" | "REGISTERED"> });

const refundArb = fc.record({
  after: fc.integer({ min: 0, max: 25 }),
  kind: fc.constantFrom("full", "line", "spread") as fc.Arbitrary<"full" | "line" | "spread">,
  linePick: fc.nat(),
  permille: fc.oneof(fc.integer({ min: 1, max: 999 }), fc.constant(1000)),
  tie: fc.nat(3),
});

/** An order: placed and paid `dayOffset` days after its buyer registered; maybe received; maybe refunded. */
const orderBodyArb = fc.record({
  dayOffset: fc.integer({ min: 0, max: 8 }),
  lines: fc.array(amountArb, { minLength: 1, maxLength: 3 }),
  receiveAfter: fc.option(fc.oneof(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 12 })), { nil: null, freq: 8 }),
  receiveTie: fc.nat(3),
  refunds: fc.oneof({ arbitrary: fc.constant([]), weight: 3 }, { arbitrary: fc.array(refundArb, { minLength: 1, maxLength: 2 }), weight: 2 }),
});

const personArb = fc.record({
  /** Through the first registrant (a hub that gets promoted), the previous person (deep chains), or anyone earlier. */
  inviterPick: fc.oneof(fc.constant("first" as const), fc.constant("last" as const), fc.nat()),
  /** Two waves, so late recruits often buy after early ones got their inviters promoted (PEER needs that). */
  day: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 35 }), fc.integer({ min: 20, max: 35 })),
  role: fc.constantFrom("SHARER", "SHARER", "SHARER", "SHARER", "REGISTERED") as fc.Arbitrary<"SHARER" | "REGISTERED">,
  /** Registers on the inviter's device: a risk pair (§6). */
  sameDevice: fc.integer({ min: 0, max: 99 }).map((x) => x < 12),
  /** A REGISTERED person may accept the agreement later. */
  agreeAfter: fc.option(fc.integer({ min: 0, max: 15 }), { nil: null }),
  /** Most people buy soon after registering, so inviters qualify and get promoted. */
  order: fc.option(orderBodyArb, { nil: null, freq: 8 }),
});

/** A few more orders by anyone, seeds included (a LEADER buying gets no TEAM on their own purchase). */
const orderArb = fc.record({ buyerPick: fc.nat(), body: orderBodyArb });

const historyArb = fc.record({
  rules: rulesArb,
  /** A second rule-set version taking effect mid-history (rewards keep the version they were computed with). */
  later: fc.oneof(
    { arbitrary: fc.constant(null), weight: 2 },
    { arbitrary: fc.record({ day: fc.integer({ min: 1, max: 30 }), rules: rulesArb }), weight: 1 },
  ),
  seeds: fc.array(seedArb, { minLength: 1, maxLength: 2 }),
  people: fc.array(personArb, { minLength: 2, maxLength: 9 }),
  orders: fc.array(orderArb, { maxLength: 4 }),
});
type History = typeof historyArb extends fc.Arbitrary<infer T> ? T : never;

type Built = {
  scenario: Scenario;
  later: { day: number; rules: Rules } | null;
  /** Person → device, and person → inviter (absent for seeds). */
  device: Map<string, string>;
  inviterOf: Map<string, string>;
};

/**
 * Turns the random choices into a valid scenario file: registrations in day order, each through an
 * earlier person; orders after their buyer registered; a receipt only while the order is still paid
 * (a full refund before receipt calls the order off); refund amounts resolved against what remains
 * at that point (exactly as the simulator spreads them), so no refund is refused.
 */
function buildScenario(h: History): Built {
  const device = new Map<string, string>();
  const inviterOf = new Map<string, string>();
  const seeds = new Set<string>();
  const regDay = new Map<string, number>();
  const names: string[] = [];
  const users = h.seeds.map((s, i) => {
    const id = `S${i}`;
    names.push(id);
    seeds.add(id);
    device.set(id, `dev-${id}`);
    regDay.set(id, 0);
    return { id, role: s.role, device: `dev-${id}` };
  });
  type Ev = { day: number; prio: number; tie: number; seq: number; e: Record<string, unknown> };
  const evs: Ev[] = [];
  let seq = 0;
  const push = (day: number, prio: number, tie: number, e: Record<string, unknown>) => evs.push({ day, prio, tie, seq: seq++, e: { day, ...e } });

  const people = [...h.people].sort((a, b) => a.day - b.day);
  for (const [i, p] of people.entries()) {
    const id = `P${i}`;
    const inviter =
      p.inviterPick === "last" ? names[names.length - 1] : p.inviterPick === "first" ? names[Math.min(seeds.size, names.length - 1)] : names[p.inviterPick % names.length];
    const dev = p.sameDevice ? device.get(inviter)! : `dev-${id}`;
    names.push(id);
    device.set(id, dev);
    inviterOf.set(id, inviter);
    regDay.set(id, p.day);
    push(p.day, 0, 0, { register: id, invitedBy: inviter, role: p.role, device: dev });
    if (p.role === "REGISTERED" && p.agreeAfter !== null) push(p.day + p.agreeAfter, 1, 0, { agree: id });
  }

  type OrderState = { status: "PAID" | "COMPLETED" | "CANCELLED"; remaining: number[] };
  const refundSpec = new Map<number, History["orders"][number]["body"]["refunds"][number]>();
  const placed = [
    ...people.flatMap((p, i) => (p.order ? [{ buyer: `P${i}`, o: p.order }] : [])),
    ...h.orders.map((x) => ({ buyer: names[x.buyerPick % names.length], o: x.body })),
  ];
  for (const [i, { buyer, o }] of placed.entries()) {
    const day = regDay.get(buyer)! + o.dayOffset;
    const name = `O${i}`;
    push(day, 2, 0, { order: name, buyer, lines: o.lines });
    if (o.receiveAfter !== null) push(day + o.receiveAfter, 3, o.receiveTie, { receive: name });
    for (const r of o.refunds) {
      push(day + r.after, 3, r.tie, { refund: name });
      refundSpec.set(seq - 1, r);
    }
  }
  evs.sort((a, b) => a.day - b.day || a.prio - b.prio || a.tie - b.tie || a.seq - b.seq);

  const state = new Map<string, OrderState>();
  const events: Scenario["events"] = [];
  for (const ev of evs) {
    const e = ev.e;
    if ("order" in e) {
      state.set(String(e.order), { status: "PAID", remaining: [...(e.lines as number[])] });
    } else if ("receive" in e) {
      const s = state.get(String(e.receive))!;
      if (s.status !== "PAID") continue;
      s.status = "COMPLETED";
    } else if ("refund" in e) {
      const s = state.get(String(e.refund))!;
      const r = refundSpec.get(ev.seq)!;
      const total = sum(s.remaining);
      if (total === 0) continue;
      let out: Record<string, unknown>;
      const line = r.linePick % s.remaining.length;
      if (r.kind === "full") {
        out = { day: e.day, refund: e.refund };
        s.remaining = s.remaining.map(() => 0);
      } else if (r.kind === "line" && s.remaining[line] > 0) {
        const amount = Math.max(1, Math.floor((s.remaining[line] * r.permille) / 1000));
        out = { day: e.day, refund: e.refund, line: line + 1, amount };
        s.remaining[line] -= amount;
      } else {
        const amount = Math.max(1, Math.floor((total * r.permille) / 1000));
        out = { day: e.day, refund: e.refund, amount };
        const per = spreadRefund(s.remaining, amount);
        s.remaining = s.remaining.map((x, i) => x - per[i]);
      }
      if (s.status === "PAID" && sum(s.remaining) === 0) s.status = "CANCELLED";
      events.push(out as Scenario["events"][number]);
      continue;
    }
    events.push(e as Scenario["events"][number]);
  }
  const lastDay = Math.max(0, ...events.map((e) => e.day), h.later?.day ?? 0);
  // Past every return window: every received order has had its settlement job run.
  events.push({ day: lastDay + MAX_SETTLE_DAYS + 1, end: true });
  return { scenario: { rules: h.rules, users, events }, later: h.later, device, inviterOf };
}

// ———————————————————————————————————————— the database ————————————————————————————————————————

let rt: TestRuntime;
let db: Db;

/**
 * Empties every table of the migrated database and redoes what boot does (the default rule set
 * version 1, the team-stat fold job), so each run starts where a fresh runtime would. The ledger's
 * append-only triggers refuse TRUNCATE, as they should in the application: this test-only reset
 * skips triggers for its own transaction (session_replication_role = replica), nothing else.
 */
async function resetDatabase() {
  await db.transaction(async (tx) => {
    const tables = rowsOf<{ tablename: string }>(await tx.execute(sql`select tablename from pg_tables where schemaname = 'public'`));
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(sql.raw(`truncate table ${tables.map((t) => `"${t.tablename}"`).join(", ")} restart identity cascade`));
  });
  await ensureDefaultRuleSet(db, DAY_ZERO);
  await scheduleTeamRollup(db, DAY_ZERO, DAY_ZERO);
  // The simulator freezes the clock at day 0, and a clock never moves back: with the database emptied,
  // this runtime is as good as a new one, so its clock is thawed as a new one's would be. (Test-only;
  // the Clock has no public way to do it.)
  rt.services.clock.unfreezeForTests();
}

async function replay(built: Built) {
  await resetDatabase();
  if (built.later) {
    // Published before the history starts, effective on its day; the simulator's own version
    // (effective day 0) is older by effective time, so this one takes over from that day on.
    const rules = built.later.rules;
    await db.transaction((tx) => publishRuleSet(tx, rules, { effectiveAt: at(built.later!.day), now: DAY_ZERO, actorId: null }));
  }
  await runScenario(rt, validateScenario(built.scenario));
}

async function load() {
  const [rw, ol, os, rs, inv, tm, rf, as, asl, acc, ent, txn, jb, us, pay] = await Promise.all([
    db.select().from(rewards),
    db.select().from(orderLines),
    db.select().from(orders),
    db.select().from(ruleSets),
    db.select().from(invites),
    db.select().from(teamMembers),
    db.select().from(refunds),
    db.select().from(afterSales),
    db.select().from(afterSaleLines),
    db.select().from(ledgerAccounts),
    db.select().from(ledgerEntries),
    db.select().from(ledgerTransactions),
    db.select().from(jobs),
    db.select({ id: users.id, nickname: users.nickname }).from(users),
    db.select().from(payments),
  ]);
  return { rewards: rw, lines: ol, orders: os, ruleSets: rs, invites: inv, members: tm, refunds: rf, afterSales: as, afterSaleLines: asl, accounts: acc, entries: ent, transactions: txn, jobs: jb, users: us, payments: pay };
}

// ————————————————————————————————————————— invariants —————————————————————————————————————————

/** When each invite was first recorded as a risk pair ("user:inviter" → time), where risk control records them. */
async function riskPairTimes(): Promise<Map<string, Date>> {
  const [{ table }] = rowsOf<{ table: string | null }>(await db.execute(sql`select to_regclass('public.risk_pairs')::text as "table"`));
  if (!table) return new Map();
  const rows = rowsOf<{ user_id: string; inviter_id: string; at: string | Date }>(
    await db.execute(sql`select user_id, inviter_id, min(created_at) as at from risk_pairs group by user_id, inviter_id`),
  );
  return new Map(rows.map((r) => [`${r.user_id}:${r.inviter_id}`, new Date(r.at)]));
}

/** Every invariant violation, as readable lines (empty when all hold). */
async function violations(built: Built): Promise<string[]> {
  const d = await load();
  const bad: string[] = [];
  const nameOf = new Map(d.users.map((u) => [u.id, u.nickname]));
  const who = (id: string | null) => (id ? (nameOf.get(id) ?? id) : "null");
  const versionOf = new Map(d.ruleSets.map((r) => [r.version, r]));
  const lineOf = new Map(d.lines.map((l) => [l.id, l]));
  const orderOf = new Map(d.orders.map((o) => [o.id, o]));
  const inviterOf = new Map(d.invites.map((i) => [i.userId, i]));
  const memberOf = new Map(d.members.map((m) => [m.userId, m]));
  const label = (r: (typeof d.rewards)[number]) =>
    `${r.type} to ${who(r.receiverId)} on ${who(r.buyerId)}'s line ${lineOf.get(r.orderLineId)?.lineNo} (amount ${r.amount}, base ${r.base}, v${r.ruleSetVersion})`;
  /** The receiver's distance above the buyer in the invite tree, or null when not an ancestor. */
  const distance = (buyer: string, receiver: string) => {
    let up: string | undefined = buyer;
    for (let steps = 0; steps < 100 && up; steps++) {
      if (up === receiver) return steps;
      up = inviterOf.get(up)?.inviterId;
    }
    return null;
  };

  // Risk pairs: a same-device pair is flagged when bound (so its buyer never produces a reward); other
  // risk controls (shared phone, address, payer account) may flag a pair later, recorded with a time.
  const pairTimes = await riskPairTimes();
  const flaggedAt = (inv: (typeof d.invites)[number]) =>
    pairTimes.get(`${inv.userId}:${inv.inviterId}`) ?? (built.device.get(who(inv.userId)) === built.device.get(who(inv.inviterId)) ? inv.boundAt : null);
  // The generated tree is the stored one, and same-device pairs are flagged (others only with a recorded reason).
  for (const [name, inviter] of built.inviterOf) {
    const inv = d.invites.find((i) => who(i.userId) === name);
    if (!inv || who(inv.inviterId) !== inviter) bad.push(`${name} should be bound to ${inviter}, is ${inv ? who(inv.inviterId) : "unbound"}`);
    const pair = built.device.get(name) === built.device.get(inviter);
    if (inv && pair && !inv.riskFlagged) bad.push(`${name}→${inviter}: same device, not risk-flagged`);
    if (inv && inv.riskFlagged && !flaggedAt(inv)) bad.push(`${name}→${inviter}: risk-flagged without a shared device or a recorded risk pair`);
  }

  // 1 and 2: depth ceiling of the recorded version, real tree distance, cap and rates per line.
  const byLine = new Map<string, typeof d.rewards>();
  for (const r of d.rewards) byLine.set(r.orderLineId, [...(byLine.get(r.orderLineId) ?? []), r]);
  for (const r of d.rewards) {
    const rules = versionOf.get(r.ruleSetVersion);
    if (!rules) {
      bad.push(`${label(r)}: rule-set version not stored`);
      continue;
    }
    if (r.depth < 1 || r.depth > rules.maxDepth) bad.push(`${label(r)}: depth ${r.depth} outside 1..${rules.maxDepth}`);
    const dist = distance(r.buyerId, r.receiverId);
    if (dist !== r.depth) bad.push(`${label(r)}: recorded depth ${r.depth}, tree distance ${dist}`);
    if (r.type === "DIRECT" && inviterOf.get(r.buyerId)?.inviterId !== r.receiverId) bad.push(`${label(r)}: DIRECT not to the inviter`);
    // 4: never to the buyer; a reward belongs to the order's buyer.
    if (r.receiverId === r.buyerId) bad.push(`${label(r)}: paid to the buyer`);
    if (orderOf.get(r.orderId)?.userId !== r.buyerId) bad.push(`${label(r)}: buyer is not the order's buyer`);
    if (lineOf.get(r.orderLineId)?.orderId !== r.orderId) bad.push(`${label(r)}: line is not on the order`);
  }
  for (const [lineId, rs] of byLine) {
    const line = lineOf.get(lineId)!;
    const versions = new Set(rs.map((r) => r.ruleSetVersion));
    if (versions.size !== 1) bad.push(`line ${lineId}: rewards from versions ${[...versions]}`);
    const rules = versionOf.get(rs[0].ruleSetVersion);
    if (!rules) continue;
    for (const r of rs) if (r.base !== line.paidAmount) bad.push(`${label(r)}: base ${r.base} ≠ paid ${line.paidAmount}`);
    const total = sum(rs.map((r) => r.amount));
    const cap = bp(line.paidAmount, rules.capTotalBp);
    if (total > cap) bad.push(`line ${lineId} of ${who(rs[0].buyerId)}: Σ rewards ${total} > cap ${cap} (base ${line.paidAmount}, ${rules.capTotalBp} bp, v${rules.version})`);
    for (const type of ["DIRECT", "TEAM", "PEER"] as const) {
      const of = rs.filter((r) => r.type === type);
      if (of.length > 1) bad.push(`line ${lineId}: ${of.length} ${type} rewards`);
    }
    const team = rs.find((r) => r.type === "TEAM");
    for (const r of rs) {
      const limit =
        r.type === "DIRECT" ? bp(line.paidAmount, rules.rDirectBp) : r.type === "TEAM" ? bp(line.paidAmount, rules.rTeamBp) : team ? bp(team.amount, rules.rPeerBp) : 0;
      if (r.amount > limit) bad.push(`${label(r)}: above its rate (${limit})`);
      // Roles only go up and detachedFrom is set once, so today's rows still tell who could receive.
      const receiver = memberOf.get(r.receiverId);
      if (r.type === "DIRECT" && receiver?.role === "REGISTERED") bad.push(`${label(r)}: DIRECT to a REGISTERED inviter`);
      if (r.type === "TEAM" && receiver?.role !== "LEADER") bad.push(`${label(r)}: TEAM to a ${receiver?.role}`);
      if (r.type === "PEER" && (!team || memberOf.get(team.receiverId)?.detachedFromId !== r.receiverId)) bad.push(`${label(r)}: PEER not to the TEAM receiver's detachedFrom`);
    }
  }

  // 3: reversals come from succeeded refunds, exactly pro rata.
  const refundedOf = new Map<string, number>();
  const refundedBySucceeded = new Set<string>();
  for (const f of d.refunds.filter((f) => f.status === "SUCCEEDED")) {
    for (const l of d.afterSaleLines.filter((x) => x.afterSaleId === f.afterSaleId)) {
      refundedOf.set(l.orderLineId, (refundedOf.get(l.orderLineId) ?? 0) + l.amount);
      refundedBySucceeded.add(l.orderLineId);
    }
  }
  for (const line of d.lines) {
    if (line.refundedAmount !== (refundedOf.get(line.id) ?? 0)) bad.push(`line ${line.id}: refunded ${line.refundedAmount}, succeeded refunds ${refundedOf.get(line.id) ?? 0}`);
  }
  for (const r of d.rewards) {
    const line = lineOf.get(r.orderLineId)!;
    // A pair flagged after the reward was created has its pending rewards reversed in full, refund or not.
    const riskReversed = !!inviterOf.get(r.buyerId)?.riskFlagged && r.reversedAmount === r.amount;
    if (r.reversedAmount > 0 && !refundedBySucceeded.has(r.orderLineId) && !riskReversed) bad.push(`${label(r)}: reversed ${r.reversedAmount} without a succeeded refund`);
    const remaining = line.paidAmount - line.refundedAmount;
    const expected = r.amount - (remaining <= 0 ? 0 : Math.floor((r.amount * remaining) / r.base));
    if (r.reversedAmount !== expected && !riskReversed) bad.push(`${label(r)}: reversed ${r.reversedAmount}, pro rata ${expected} (line refunded ${line.refundedAmount})`);
    if ((r.status === "REVERSED") !== (r.reversedAmount === r.amount)) bad.push(`${label(r)}: status ${r.status} with reversed ${r.reversedAmount}`);
  }

  // 4: risk-flagged buyers accrue nothing and never qualify anyone; qualification is counted right.
  for (const inv of d.invites.filter((i) => i.riskFlagged)) {
    const since = flaggedAt(inv);
    const theirs = d.rewards.filter((r) => r.buyerId === inv.userId);
    const sameDevice = built.device.get(who(inv.userId)) === built.device.get(who(inv.inviterId));
    if (sameDevice && theirs.length) bad.push(`${who(inv.userId)}, on ${who(inv.inviterId)}'s device (flagged at binding), produced ${theirs.length} rewards`);
    for (const r of theirs) {
      const settledBefore = r.settledAt && since && r.settledAt.getTime() <= since.getTime();
      if (r.status !== "REVERSED" && !settledBefore) bad.push(`${label(r)}: risk-flagged buyer's reward is ${r.status}`);
    }
    const q = memberOf.get(inv.userId)?.qualifiedAt;
    if (q && !(since && q.getTime() <= since.getTime())) bad.push(`risk-flagged ${who(inv.userId)} qualified ${who(inv.inviterId)}`);
  }
  for (const m of d.members) {
    const settledOrder = d.orders.some((o) => o.userId === m.userId && o.settledAt);
    const inv = inviterOf.get(m.userId);
    if (inv && !inv.riskFlagged && !!m.qualifiedAt !== settledOrder) bad.push(`${who(m.userId)}: qualifiedAt ${m.qualifiedAt?.toISOString() ?? null} with${settledOrder ? "" : "out"} a settled order`);
    if (!inv && m.qualifiedAt) bad.push(`${who(m.userId)}: qualified nobody's invite (seeded)`);
    const directs = d.invites.filter((i) => i.inviterId === m.userId && memberOf.get(i.userId)?.qualifiedAt).length;
    if (m.qualifiedDirects !== directs) bad.push(`${who(m.userId)}: qualifiedDirects ${m.qualifiedDirects}, qualified invitees ${directs}`);
  }

  // 5: the ledger.
  const report = await verifyLedger(db);
  if (!report.ok) bad.push(`ledger verify: ${JSON.stringify({ unbalanced: report.unbalanced, brokenWallets: report.brokenWallets, inFlight: report.inFlight })}`);
  const accountOf = new Map(d.accounts.map((a) => [a.id, a]));
  const txnOf = new Map(d.transactions.map((t) => [t.id, t]));
  const balance = new Map<string, number>();
  for (const e of d.entries) balance.set(accountOf.get(e.accountId)!.code, (balance.get(accountOf.get(e.accountId)!.code) ?? 0) + e.amount);
  const net = (r: (typeof d.rewards)[number]) => r.amount - r.reversedAmount;
  for (const a of d.accounts.filter((a) => a.kind === "wallet")) {
    const chain = await verifyWalletChain(db, a.code);
    if (chain.balance !== (balance.get(a.code) ?? 0)) bad.push(`${a.code}: chain balance ${chain.balance} ≠ Σ entries ${balance.get(a.code)}`);
  }
  for (const m of d.members) {
    const owed = sum(d.rewards.filter((r) => r.receiverId === m.userId && r.status === "SETTLED").map(net));
    const held = -(balance.get(`wallet:${m.userId}`) ?? 0);
    if (held !== owed) bad.push(`${who(m.userId)}: wallet ${held} ≠ Σ settled rewards net of reversals ${owed} (no withdrawals here)`);
  }
  const payable = -(balance.get("platform:commissions_payable") ?? 0);
  const pending = sum(d.rewards.filter((r) => r.status === "PENDING").map(net));
  if (payable !== pending) bad.push(`commissions payable ${payable} ≠ Σ pending rewards ${pending}`);
  for (const r of d.rewards) {
    const mine = d.transactions.filter((t) => t.reference === r.id || t.reference.startsWith(`${r.id}:`));
    const settles = mine.filter((t) => t.kind === "reward_settle");
    if (settles.length !== (r.settledAt ? 1 : 0)) bad.push(`${label(r)}: ${settles.length} settlement transactions, settledAt ${r.settledAt?.toISOString() ?? null}`);
    const ids = new Set(mine.map((t) => t.id));
    const entries = d.entries.filter((e) => ids.has(e.transactionId));
    const walletNet = -sum(entries.filter((e) => accountOf.get(e.accountId)!.code === `wallet:${r.receiverId}`).map((e) => e.amount));
    if (walletNet !== (r.status === "SETTLED" ? net(r) : 0)) bad.push(`${label(r)}: wallet received ${walletNet} net, status ${r.status}, reversed ${r.reversedAmount}`);
    const reversed = sum(entries.filter((e) => txnOf.get(e.transactionId)!.kind === "reward_reversal" && accountOf.get(e.accountId)!.code.startsWith("merchant:")).map((e) => -e.amount));
    if (reversed !== r.reversedAmount) bad.push(`${label(r)}: ledger reversed ${reversed} ≠ reversed_amount ${r.reversedAmount}`);
    if (mine.some((t) => !["reward_settle", "reward_reversal"].includes(t.kind))) bad.push(`${label(r)}: unexpected ledger kinds ${mine.map((t) => t.kind)}`);
    const order = orderOf.get(r.orderId)!;
    if (r.settledAt && (!order.settledAt || r.settledAt.getTime() !== order.settledAt.getTime())) bad.push(`${label(r)}: settled ${r.settledAt.toISOString()} but order settled ${order.settledAt?.toISOString() ?? null}`);
    if (r.status === "SETTLED" && !r.settledAt) bad.push(`${label(r)}: SETTLED without settledAt`);
    if (r.status === "PENDING" && order.settledAt && !memberOf.get(r.receiverId)?.frozen) bad.push(`${label(r)}: still PENDING on a settled order, receiver not frozen`);
    if (!d.payments.some((p) => p.orderId === r.orderId && p.status === "SUCCEEDED")) bad.push(`${label(r)}: on an order without a successful payment`);
  }

  // Settlement: only after receipt + settleDays, and — the history being past every window — always.
  for (const o of d.orders) {
    const lines = d.lines.filter((l) => l.orderId === o.id);
    const fullyRefunded = lines.every((l) => l.refundedAmount === l.paidAmount);
    if (o.settledAt) {
      if (o.status !== "COMPLETED" || !o.completedAt) bad.push(`order of ${who(o.userId)}: settled while ${o.status}`);
      else {
        const rules = [...d.ruleSets].filter((r) => r.effectiveAt <= o.completedAt!).sort((a, b) => +b.effectiveAt - +a.effectiveAt || b.version - a.version)[0];
        if (o.settledAt.getTime() < o.completedAt.getTime() + rules.settleDays * DAY) bad.push(`order of ${who(o.userId)}: settled before receipt + ${rules.settleDays} days`);
      }
    } else if (o.status === "COMPLETED" && !fullyRefunded) {
      bad.push(`order of ${who(o.userId)}: received on ${o.completedAt?.toISOString()}, not refunded in full, never settled`);
    }
    if (o.status === "CANCELLED" && !fullyRefunded) bad.push(`order of ${who(o.userId)}: cancelled though not refunded in full`);
  }

  for (const j of d.jobs) if (j.status === "FAILED" || j.lastError) bad.push(`job ${j.kind} ${JSON.stringify(j.payload)}: ${j.status} ${j.lastError}`);
  return bad;
}

// ———————————————————————————————————————— idempotency ————————————————————————————————————————

/** Everything a repeated settlement, refund or payment notification must leave as it was. */
async function snapshot() {
  const d = await load();
  const balances: Record<string, number> = {};
  const codeOf = new Map(d.accounts.map((a) => [a.id, a.code]));
  for (const e of d.entries) balances[codeOf.get(e.accountId)!] = (balances[codeOf.get(e.accountId)!] ?? 0) + e.amount;
  const byId = <T extends { id: string }>(xs: T[]) => [...xs].sort((a, b) => a.id.localeCompare(b.id));
  return {
    counts: { rewards: d.rewards.length, ledgerEntries: d.entries.length, ledgerTransactions: d.transactions.length, refunds: d.refunds.length, afterSales: d.afterSales.length },
    rewards: byId(d.rewards).map((r) => ({ id: r.id, status: r.status, amount: r.amount, reversedAmount: r.reversedAmount, settledAt: r.settledAt })),
    balances,
    orders: byId(d.orders).map((o) => ({ id: o.id, status: o.status, settledAt: o.settledAt })),
    lines: byId(d.lines).map((l) => ({ id: l.id, refundedAmount: l.refundedAmount })),
    refunds: byId(d.refunds).map((f) => ({ id: f.id, status: f.status, amount: f.amount })),
    members: [...d.members]
      .sort((a, b) => a.userId.localeCompare(b.userId))
      .map((m) => ({ userId: m.userId, role: m.role, leaderId: m.leaderId, detachedFromId: m.detachedFromId, qualifiedDirects: m.qualifiedDirects, qualifiedAt: m.qualifiedAt })),
  };
}

/** Runs settlement and refunds again, every way they can be delivered twice. */
async function repeatEverything() {
  const { clock, payments: providers } = rt.services;
  const now = clock.now();
  // The due jobs once more, then every settlement job re-delivered (as after a worker crash).
  await rt.services.runJobs();
  await db.update(jobs).set({ status: "PENDING" }).where(eq(jobs.kind, "order.settle"));
  await rt.services.runJobs();
  for (const o of await db.select({ id: orders.id }).from(orders)) await db.transaction((tx) => settleOrderJob(tx, { orderId: o.id }, { now }));
  // Every refund confirmed again, every refunded after-sale retried, every reversal recomputed.
  const succeeded = await db.select().from(refunds).where(eq(refunds.status, "SUCCEEDED"));
  for (const f of succeeded) expect(await applyRefundSucceeded({ db, now }, f.refundNo)).toBe("ALREADY_APPLIED");
  for (const a of await db.select().from(afterSales).where(eq(afterSales.status, "REFUNDED"))) await refundAfterSale({ db, now, payments: providers }, a.id);
  for (const f of succeeded) {
    const [order] = await db.select().from(orders).where(eq(orders.id, f.orderId));
    const asked = await db.select().from(afterSaleLines).where(eq(afterSaleLines.afterSaleId, f.afterSaleId!));
    const lines = (await db.select().from(orderLines).where(eq(orderLines.orderId, f.orderId))).filter((l) => asked.some((a) => a.orderLineId === l.id));
    const changed = await db.transaction((tx) =>
      reverseRewardsForRefund(tx, { storeId: order.storeId, refundId: f.id, lines: lines.map((l) => ({ id: l.id, remainingBase: l.paidAmount - l.refundedAmount })) }, now),
    );
    expect(changed).toEqual([]);
  }
  // Every payment notification delivered again: the same one, and a new one for the same payment.
  for (const p of await db.select().from(payments).where(eq(payments.status, "SUCCEEDED"))) {
    const n = { paymentId: p.id, providerTxnId: p.providerTxnId ?? "", amount: p.amount, status: "SUCCESS" as const };
    const [first] = await db.select().from(paymentNotifications).where(eq(paymentNotifications.paymentId, p.id)).limit(1);
    expect(await applyPaymentNotification({ db, now }, p.provider, { ...n, notifyId: first.notifyId })).toBe("DUPLICATE");
    expect(await applyPaymentNotification({ db, now }, p.provider, { ...n, notifyId: `again-${p.id}` })).toBe("ALREADY_PAID");
  }
}

// ——————————————————————————————————————————— the test ———————————————————————————————————————————

describe("链动2+1 invariants for random trees and order histories, through the real services (rule book §1–§4)", () => {
  beforeAll(async () => {
    rt = await createTestRuntime();
    db = rt.services.db;
  });
  afterAll(async () => {
    await rt?.dispose();
  });

  it("given any invite tree, rule set and order/receipt/refund history, then no reward is too deep or over the cap, every reversal had a refund, the ledger adds up, and settlement and refunds are idempotent", async () => {
    const stats = { runs: 0, rewards: 0, peer: 0, deepest: 0, cappedLines: 0, reversed: 0, reversedAfterSettling: 0, settled: 0, flaggedPairs: 0, refunds: 0, promoted: 0, laterRules: 0 };
    await fc.assert(
      fc.asyncProperty(historyArb, async (h) => {
        const built = buildScenario(h);
        await replay(built);
        const found = await violations(built);
        expect(found, JSON.stringify(built.scenario)).toEqual([]);

        const before = await snapshot();
        await repeatEverything();
        expect(await snapshot()).toEqual(before);
        expect(await violations(built)).toEqual([]);

        const d = await load();
        stats.runs++;
        stats.rewards += d.rewards.length;
        stats.peer += d.rewards.filter((r) => r.type === "PEER").length;
        stats.deepest = Math.max(stats.deepest, ...d.rewards.map((r) => r.depth));
        const rulesOf = new Map(d.ruleSets.map((r) => [r.version, r]));
        stats.cappedLines += d.lines.filter((l) => {
          const rs = d.rewards.filter((r) => r.orderLineId === l.id);
          return rs.length > 0 && sum(rs.map((r) => r.amount)) === bp(l.paidAmount, rulesOf.get(rs[0].ruleSetVersion)!.capTotalBp);
        }).length;
        stats.reversed += d.rewards.filter((r) => r.reversedAmount > 0).length;
        stats.reversedAfterSettling += d.rewards.filter((r) => r.reversedAmount > 0 && r.settledAt).length;
        stats.settled += d.rewards.filter((r) => r.settledAt).length;
        stats.flaggedPairs += d.invites.filter((i) => i.riskFlagged).length;
        stats.refunds += d.refunds.length;
        stats.promoted += d.members.filter((m) => m.role === "LEADER" && m.detachedFromId).length;
        stats.laterRules += built.later ? 1 : 0;
      }),
      { seed: SEED, numRuns: RUNS, path: PATH, endOnFailure: !SHRINK, interruptAfterTimeLimit: 120_000 },
    );
    // The generator must reach the interesting cases, or the invariants hold vacuously.
    console.log("[referral.property]", JSON.stringify(stats));
    expect(stats.rewards).toBeGreaterThan(0);
    expect(stats.reversed).toBeGreaterThan(0);
    expect(stats.reversedAfterSettling).toBeGreaterThan(0);
    expect(stats.settled).toBeGreaterThan(0);
    expect(stats.cappedLines).toBeGreaterThan(0);
    expect(stats.flaggedPairs).toBeGreaterThan(0);
  }, 240_000);
});
