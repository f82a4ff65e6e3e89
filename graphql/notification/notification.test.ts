/**
 * The notification centre: a promotion announces itself through the real settlement path, and each
 * person reads, counts and marks only their own notifications through GraphQL.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import { notifications, teamMembers } from "@/db/schema";
import { createTestRuntime, gql, gqlOk, type TestRuntime } from "../test/harness";
import { createConsumer, createShop, ctxOf, order, pay, shipmentsOf, type ConsumerFixture, type Person, type Shop } from "../test/fixtures";
import { createReferralCast } from "../order/aftersale-fixtures";
import { confirmReceipt, shipShipment } from "../order/fulfilment.service";
import { DAY } from "../platform/clock";
import { notify } from "./notification.service";

const LIST = `query($first: Int, $after: String) {
  myNotifications(first: $first, after: $after) { nodes { id kind title body link read createdAt } pageInfo { hasNextPage endCursor } }
}`;
const UNREAD = `{ unreadNotificationCount }`;
const MARK = `mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) { unreadCount } }`;

describe("notifications", () => {
  let rt: TestRuntime;
  let shop: Shop;
  const db = () => rt.services.db;

  beforeAll(async () => {
    rt = await createTestRuntime();
    shop = await createShop(rt, [{ stock: 1_000, supplyPrice: 5_000, suggestedPrice: 12_800 }]);
  });
  afterAll(() => rt?.dispose());

  const rowsOf = (userId: string) =>
    db().select({ id: notifications.id, kind: notifications.kind, read: notifications.read }).from(notifications).where(eq(notifications.userId, userId)).orderBy(asc(notifications.createdAt), asc(notifications.id));
  const unread = async (p: Person) => (await gqlOk<{ unreadNotificationCount: number }>(rt, p.viewer, UNREAD)).unreadNotificationCount;

  /** `n` notifications for the person, one second apart starting at `start` (so their order is known). */
  async function seed(userId: string, n: number, start: Date, kind: "WITHDRAWAL" | "RISK_REVIEW" = "WITHDRAWAL") {
    for (let i = 0; i < n; i++) {
      await notify(db(), { userId, kind, title: `通知 ${i + 1}`, body: `第 ${i + 1} 条`, link: "/me/wallet" }, new Date(start.getTime() + i * 1_000));
    }
    return (await rowsOf(userId)).map((r) => r.id);
  }

  describe("promotion", () => {
    async function settledFirstOrder(buyer: ConsumerFixture) {
      const placed = await order(rt, buyer, shop.store, [{ skuId: shop.product.skus[0].id, quantity: 1 }]);
      await pay(rt, buyer, placed.id);
      for (const s of await shipmentsOf(rt, placed.id)) {
        await shipShipment(ctxOf(rt), shop.supplier.supplierId, { shipmentId: s.id, carrier: "顺丰速运", trackingNo: `SF${s.id.slice(0, 8)}` });
      }
      await confirmReceipt(ctxOf(rt), buyer.userId, placed.id);
      await rt.advanceClock(7 * DAY + 60_000);
    }

    it("given a SHARER with one qualified direct, when a second invitee's first order settles, then they become LEADER and get exactly one PROMOTED notification (none before)", async () => {
      const cast = await createReferralCast(rt);
      const first = await cast.boundBuyer();
      const second = await cast.boundBuyer();

      await settledFirstOrder(first);
      const member = async () => (await db().select().from(teamMembers).where(eq(teamMembers.userId, cast.sharer.userId)))[0];
      expect(await member()).toMatchObject({ role: "SHARER", qualifiedDirects: 1 });
      expect((await rowsOf(cast.sharer.userId)).filter((n) => n.kind === "PROMOTED")).toEqual([]);

      await settledFirstOrder(second);

      expect(await member()).toMatchObject({ role: "LEADER", qualifiedDirects: 2, detachedFromId: cast.leader.userId });
      const mine = await gqlOk<{ myNotifications: { nodes: any[] } }>(rt, cast.sharer.viewer, LIST, { first: 20 });
      const promoted = mine.myNotifications.nodes.filter((n) => n.kind === "PROMOTED");
      expect(promoted).toEqual([
        {
          id: expect.any(String),
          kind: "PROMOTED",
          title: "你已成为团长",
          body: "你邀请的 2 位好友已完成首单结算，你已成为团长。此后新加入的成员进入你的团队。",
          link: "/me/team",
          read: false,
          createdAt: expect.any(String),
        },
      ]);
      // The copy is an event, never an income promise (rule book §6).
      expect(promoted[0].body).not.toMatch(/[¥元]|收益|赚/);
      // The buyers and the old leader were not told anything about it.
      for (const p of [first, second, cast.leader]) expect((await rowsOf(p.userId)).filter((n) => n.kind === "PROMOTED")).toEqual([]);
    });
  });

  describe("reading and marking", () => {
    let me: ConsumerFixture;
    let other: ConsumerFixture;
    let mine: string[];
    let theirs: string[];

    beforeAll(async () => {
      me = await createConsumer(rt);
      other = await createConsumer(rt);
      // In the past, so that anything notified "now" later in these tests is the newest.
      const t0 = new Date(rt.services.clock.now().getTime() - 60_000);
      mine = await seed(me.userId, 5, t0);
      theirs = await seed(other.userId, 3, new Date(t0.getTime() + 500), "RISK_REVIEW");
    });

    it("given 5 of mine and 3 of someone else's, when I page through myNotifications 2 at a time, then I get only mine, newest first, in 3 pages", async () => {
      const seen: string[] = [];
      const pages: { n: number; hasNextPage: boolean }[] = [];
      let after: string | null = null;
      do {
        const page: { myNotifications: { nodes: { id: string; title: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await gqlOk(rt, me.viewer, LIST, { first: 2, after });
        seen.push(...page.myNotifications.nodes.map((n) => n.id));
        pages.push({ n: page.myNotifications.nodes.length, hasNextPage: page.myNotifications.pageInfo.hasNextPage });
        after = page.myNotifications.pageInfo.hasNextPage ? page.myNotifications.pageInfo.endCursor : null;
      } while (after);

      expect(seen).toEqual([...mine].reverse());
      expect(pages).toEqual([
        { n: 2, hasNextPage: true },
        { n: 2, hasNextPage: true },
        { n: 1, hasNextPage: false },
      ]);
      const all = await gqlOk<{ myNotifications: { nodes: { title: string }[] } }>(rt, me.viewer, LIST, {});
      expect(all.myNotifications.nodes.map((n) => n.title)).toEqual(["通知 5", "通知 4", "通知 3", "通知 2", "通知 1"]);
      expect(await unread(me)).toBe(5);
      expect(await unread(other)).toBe(3);
    });

    it("given someone else's notification ids, when I mark them read, then nothing changes for them or for me", async () => {
      const before = { mine: await rowsOf(me.userId), theirs: await rowsOf(other.userId) };

      const r = await gqlOk<{ markNotificationsRead: { unreadCount: number } }>(rt, me.viewer, MARK, { ids: theirs });

      expect(r.markNotificationsRead.unreadCount).toBe(5);
      expect({ mine: await rowsOf(me.userId), theirs: await rowsOf(other.userId) }).toEqual(before);
    });

    it("given bad ids — more than 100, a non-uuid — when I mark them read, then BAD_USER_INPUT and nothing is marked; an empty list marks nothing", async () => {
      const before = { mine: await rowsOf(me.userId), theirs: await rowsOf(other.userId) };
      const tooMany = [...mine, ...Array.from({ length: 96 }, () => randomUUID())];
      expect(tooMany).toHaveLength(101);

      for (const ids of [tooMany, [mine[0], "not-a-uuid"], ["1"]]) {
        const r = await gql(rt, me.viewer, MARK, { ids });
        expect(r.data).toBeNull();
        expect(r.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: "BAD_USER_INPUT" }) })]);
      }
      const empty = await gqlOk<{ markNotificationsRead: { unreadCount: number } }>(rt, me.viewer, MARK, { ids: [] });
      expect(empty.markNotificationsRead.unreadCount).toBe(5);
      expect({ mine: await rowsOf(me.userId), theirs: await rowsOf(other.userId) }).toEqual(before);
      // Exactly 100 ids is allowed.
      const hundred = await gqlOk<{ markNotificationsRead: { unreadCount: number } }>(rt, me.viewer, MARK, { ids: tooMany.slice(1) });
      expect(hundred.markNotificationsRead.unreadCount).toBe(1);
      expect((await rowsOf(me.userId)).map((n) => n.read)).toEqual([false, true, true, true, true]);
    });

    it("given some of mine read, when I mark one more by id (upper-case) and then all without ids, then only mine are read and their unread count is untouched", async () => {
      await notify(db(), { userId: me.userId, kind: "WITHDRAWAL", title: "新通知", body: "再来一条" }, rt.services.clock.now());
      expect(await unread(me)).toBe(2);
      const newest = (await gqlOk<{ myNotifications: { nodes: { id: string; read: boolean }[] } }>(rt, me.viewer, LIST, { first: 1 })).myNotifications.nodes[0];
      expect(newest.read).toBe(false);

      const one = await gqlOk<{ markNotificationsRead: { unreadCount: number } }>(rt, me.viewer, MARK, { ids: [newest.id.toUpperCase()] });
      expect(one.markNotificationsRead.unreadCount).toBe(1);
      const all = await gqlOk<{ markNotificationsRead: { unreadCount: number } }>(rt, me.viewer, MARK, {});

      expect(all.markNotificationsRead.unreadCount).toBe(0);
      expect(await unread(me)).toBe(0);
      expect((await rowsOf(me.userId)).every((n) => n.read)).toBe(true);
      expect(await unread(other)).toBe(3);
      expect((await rowsOf(other.userId)).every((n) => !n.read)).toBe(true);
    });

    it("given no viewer, then every notification operation is UNAUTHENTICATED", async () => {
      for (const [query, variables] of [[LIST, {}], [UNREAD, {}], [MARK, {}]] as const) {
        const r = await gql(rt, null, query, variables);
        expect(r.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: "UNAUTHENTICATED" }) })]);
      }
      expect(await unread(other)).toBe(3);
    });
  });
});
