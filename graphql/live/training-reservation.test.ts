/**
 * Training lives before they start: merchants reserve (预约) a supplier's training live and are
 * told in their notification centre when it starts; the lists page through cursors and cost the
 * same handful of statements whatever their length (relations through DataLoaders).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, count, eq, sql } from "drizzle-orm";
import { rowsOf } from "@/db/client";
import { liveReservations, notifications } from "@/db/schema";
import { createTestRuntime, gql, gqlOk, statementLog, type TestRuntime } from "../test/harness";
import { createConsumer, createProductFixture, createShop, createSupplier, ctxOf, type ConsumerFixture, type ProductFixture, type Shop, type SupplierFixture } from "../test/fixtures";
import { scheduleLive } from "./live.service";
import { scheduleTrainingLive } from "./training.service";

const MIN = 60_000;
const PLAYBACK = "https://cdn.example.com/training/room.m3u8";
const RESERVE = `mutation($id: ID!) { reserveTrainingLive(liveId: $id) { live { id reservedByMe reservationCount } errors { code field } } }`;
const RESERVE_AS_BUYER = `mutation($id: ID!) { reserveLive(liveId: $id) }`;
const START = `mutation($id: ID!) { startTrainingLive(liveId: $id, playbackUrl: "${PLAYBACK}") { live { status } errors { code } } }`;
const ROOM = `query($id: ID!) { trainingLive(id: $id) { id reservedByMe reservationCount } }`;
const INBOX = `{ unreadNotificationCount myNotifications(first: 10) { nodes { kind title body link read } } }`;
const MERCHANT_LIST = (first: number, after: string | null = null) =>
  `{ trainingLives(first: ${first}${after ? `, after: "${after}"` : ""}) {
    nodes { id title status hostName supplierName pinnedProductId reservedByMe reservationCount shelf { productId title skus { label supplyPrice { amount } } script { title } } }
    pageInfo { hasNextPage endCursor } } }`;
const SUPPLIER_LIST = (first: number) =>
  `{ supplierTrainingLives(first: ${first}) { nodes { id reservationCount uniqueViewers commentCount peakViewers hostName shelf { productId } } pageInfo { hasNextPage } } }`;

/** Counts every SQL statement the runtime sends (the drizzle logger). */
const sqlLog = statementLog();

describe("training live reservations and lists", () => {
  let rt: TestRuntime;
  let supplier: SupplierFixture;
  let tea: ProductFixture;
  let rice: ProductFixture;
  let merchant: Shop;
  let otherMerchant: Shop;
  let consumer: ConsumerFixture;
  const db = () => rt.services.db;
  const now = () => rt.services.clock.now();
  let minutes = 30;
  const schedule = (title = "新品培训：古树茶卖点讲解") =>
    scheduleTrainingLive(ctxOf(rt), supplier.supplierId, supplier.userId, {
      title,
      scheduledAt: new Date(now().getTime() + minutes++ * MIN),
      productIds: [tea.product.id, rice.product.id],
      playbackUrl: PLAYBACK,
    });
  const reservations = async () => Number((await db().select({ n: count() }).from(liveReservations))[0].n);
  const codes = (r: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => (r.errors ?? []).map((e) => e.extensions?.code);

  beforeAll(async () => {
    rt = await createTestRuntime({ logger: sqlLog });
    supplier = await createSupplier(rt);
    tea = await createProductFixture(rt, supplier, { title: "云南古树普洱" });
    rice = await createProductFixture(rt, supplier, { title: "五常稻花香大米" });
    merchant = await createShop(rt);
    otherMerchant = await createShop(rt);
    consumer = await createConsumer(rt);
  });
  afterAll(() => rt?.dispose());

  describe("预约", () => {
    it("given a scheduled training live, when a merchant reserves it twice and the supplier goes live, then one reservation, and only that merchant is told once, with a link into the room", async () => {
      const live = await schedule();

      const first = await gqlOk<any>(rt, merchant.store.viewer, RESERVE, { id: live.id });
      const again = await gqlOk<any>(rt, merchant.store.viewer, RESERVE, { id: live.id.toUpperCase() });

      expect(first.reserveTrainingLive).toEqual({ live: { id: live.id, reservedByMe: true, reservationCount: 1 }, errors: [] });
      expect(again.reserveTrainingLive).toEqual({ live: { id: live.id, reservedByMe: true, reservationCount: 1 }, errors: [] });
      expect((await gqlOk<any>(rt, otherMerchant.store.viewer, ROOM, { id: live.id })).trainingLive).toEqual({ id: live.id, reservedByMe: false, reservationCount: 1 });
      expect((await gqlOk<any>(rt, supplier.viewer, SUPPLIER_LIST(20))).supplierTrainingLives.nodes.find((l: { id: string }) => l.id === live.id).reservationCount).toBe(1);

      expect((await gqlOk<any>(rt, supplier.viewer, START, { id: live.id })).startTrainingLive).toEqual({ live: { status: "LIVE" }, errors: [] });

      const inbox = await gqlOk<any>(rt, merchant.store.viewer, INBOX);
      expect(inbox.unreadNotificationCount).toBe(1);
      expect(inbox.myNotifications.nodes).toEqual([{ kind: "LIVE_STARTED", title: "你预约的直播开始了", body: live.title, link: `/merchant/training/${live.id}`, read: false }]);
      expect((await gqlOk<any>(rt, otherMerchant.store.viewer, INBOX)).unreadNotificationCount).toBe(0);
      const [reservation] = await db().select().from(liveReservations).where(eq(liveReservations.liveId, live.id));
      expect(reservation.notifiedAt).not.toBeNull();
    });

    it.each<[string, string, string, () => Promise<string>]>([
      ["a training live already live", "INVALID_STATE", "liveId", async () => {
        const live = await schedule("已开播的培训");
        await gqlOk(rt, supplier.viewer, START, { id: live.id });
        return live.id;
      }],
      ["a store's sales live", "LIVE_NOT_FOUND", "liveId", async () => (await scheduleLive(ctxOf(rt), merchant.store.storeId, merchant.store.userId, { title: "店铺专场", scheduledAt: new Date(now().getTime() + 10 * MIN), listingIds: [], prices: [] })).id],
      ["an id that is not an id", "LIVE_NOT_FOUND", "liveId", async () => "not-an-id"],
      ["an id of nothing", "LIVE_NOT_FOUND", "liveId", async () => "00000000-0000-4000-8000-000000000000"],
    ])("given %s, when a merchant reserves it, then %s on %s and nothing is written", async (_, code, field, target) => {
      const id = await target();
      const before = await reservations();

      const r = await gqlOk<any>(rt, otherMerchant.store.viewer, RESERVE, { id });

      expect(r.reserveTrainingLive).toEqual({ live: null, errors: [{ code, field }] });
      expect(await reservations()).toBe(before);
    });

    it("given a consumer or the supplier, when they reserve a training live, then FORBIDDEN; a consumer's reserveLive on it answers false; nothing is written and nobody is notified", async () => {
      const live = await schedule("只给店主的培训");
      const before = await reservations();

      expect(codes(await gql(rt, consumer.viewer, RESERVE, { id: live.id }))).toEqual(["FORBIDDEN"]);
      expect(codes(await gql(rt, supplier.viewer, RESERVE, { id: live.id }))).toEqual(["FORBIDDEN"]);
      expect(codes(await gql(rt, null, RESERVE, { id: live.id }))).toEqual(["UNAUTHENTICATED"]);
      expect((await gqlOk<any>(rt, consumer.viewer, RESERVE_AS_BUYER, { id: live.id })).reserveLive).toBe(false);

      expect(await reservations()).toBe(before);
      await gqlOk(rt, supplier.viewer, START, { id: live.id });
      const told = await db().select({ n: count() }).from(notifications).where(and(eq(notifications.userId, consumer.userId), eq(notifications.kind, "LIVE_STARTED")));
      expect(Number(told[0].n)).toBe(0);
    });
  });

  it.skipIf(!process.env.DATABASE_URL)(
    "given a start in progress (the live row locked by it), when a merchant reserves meanwhile, then the reservation waits for the start and is refused INVALID_STATE — never kept without a notification",
    async () => {
      const live = await schedule("开播与预约赛跑");
      const lockWaiters = async () =>
        Number(rowsOf<{ n: number }>(await db().execute(sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`))[0].n);
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      let locked!: () => void;
      const holding = new Promise<void>((r) => (locked = r));
      // What startLive does: lock the live, mark it LIVE, read who reserved, commit.
      const starter = db().transaction(async (tx) => {
        await tx.execute(sql`select id from lives where id = ${live.id} for update`);
        locked();
        await released;
        await tx.execute(sql`update lives set status = 'LIVE', started_at = now() where id = ${live.id}`);
        return rowsOf<{ user_id: string }>(await tx.execute(sql`select user_id from live_reservations where live_id = ${live.id}`));
      });
      await holding;
      const reserving = gql(rt, otherMerchant.store.viewer, RESERVE, { id: live.id });
      let waited = false;
      for (let i = 0; i < 120 && !waited; i++) {
        waited = (await lockWaiters()) >= 1;
        if (!waited) await new Promise((r) => setTimeout(r, 25));
      }
      release();
      const [seenByStart, answer] = await Promise.all([starter, reserving]);

      expect(waited).toBe(true);
      expect(seenByStart).toEqual([]);
      expect(answer.data).toEqual({ reserveTrainingLive: { live: null, errors: [{ code: "INVALID_STATE", field: "liveId" }] } });
      expect(await db().select().from(liveReservations).where(eq(liveReservations.liveId, live.id))).toEqual([]);
    },
  );

  describe("lists", () => {
    it("given more training lives than a page, when a merchant pages through with first 3, then every live appears exactly once, in the list's order, and the last page says there is no next", async () => {
      for (let i = 0; i < 4; i++) await schedule(`分页培训 ${i}`);
      const all = (await gqlOk<any>(rt, merchant.store.viewer, MERCHANT_LIST(100))).trainingLives.nodes.map((l: { id: string }) => l.id);
      expect(all.length).toBeGreaterThan(6);

      const seen: string[] = [];
      let after: string | null = null;
      for (let pages = 0; pages < 10; pages++) {
        const page: any = (await gqlOk<any>(rt, merchant.store.viewer, MERCHANT_LIST(3, after))).trainingLives;
        seen.push(...page.nodes.map((l: { id: string }) => l.id));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }

      expect(seen).toEqual(all);
      expect(codes(await gql(rt, merchant.store.viewer, MERCHANT_LIST(101)))).toEqual(["BAD_USER_INPUT"]);
    });

    it("given a page of 2 or of 7 lives with host, supplier, shelf, SKUs, scripts, pin and reservations, then both cost the same number of statements, and at most 12", async () => {
      const measure = (query: string, viewer = merchant.store.viewer) => sqlLog.count(() => gqlOk<any>(rt, viewer, query));
      const two = await measure(MERCHANT_LIST(2));
      const seven = await measure(MERCHANT_LIST(7));
      const supplierTwo = await measure(SUPPLIER_LIST(2), supplier.viewer);
      const supplierSeven = await measure(SUPPLIER_LIST(7), supplier.viewer);

      expect(seven.data.trainingLives.nodes).toHaveLength(7);
      expect(seven.data.trainingLives.nodes.every((l: any) => l.shelf.length === 2 && l.hostName && l.supplierName)).toBe(true);
      expect(seven.queries).toBe(two.queries);
      expect(seven.queries).toBeLessThanOrEqual(12);
      expect(supplierSeven.data.supplierTrainingLives.nodes).toHaveLength(7);
      expect(supplierSeven.queries).toBe(supplierTwo.queries);
    });
  });
});
