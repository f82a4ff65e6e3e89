/**
 * runHot with columnsOf (the hot paths' hand-written selects) against drizzle's own select of the
 * same rows, on either driver: every column decoded the same (timestamps, bigints, nulls, jsonb),
 * under a key or flat; array parameters of any length go in one fixed text.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inArray } from "drizzle-orm";
import { addresses, orders } from "@/db/schema";
import { createTestRuntime, type TestRuntime } from "@/graphql/test/harness";
import { createShop, type Shop } from "@/graphql/test/fixtures";
import { insertRows } from "./insert-rows";
import { columnsOf, runHot } from "./hot-sql";

describe("runHot + columnsOf", () => {
  let rt: TestRuntime;
  let shop: Shop;
  const db = () => rt.services.db;

  beforeAll(async () => {
    rt = await createTestRuntime();
    shop = await createShop(rt);
  });
  afterAll(() => rt?.dispose());

  it("given addresses, when read by a fixed text with an id array, then each row equals drizzle's select of it (under the key)", async () => {
    const { list, fields } = columnsOf(addresses, "a", "address");
    const mine = await db().select().from(addresses).where(inArray(addresses.userId, [shop.consumer.userId]));
    expect(mine.length).toBeGreaterThan(0);

    const ids = mine.map((a) => a.id);
    const rows = await runHot<{ address: typeof addresses.$inferSelect }>(db(), `select ${list} from addresses a where a.id = any($1::uuid[]) order by a.id`, [ids], fields);

    expect(rows.map((r) => r.address)).toEqual([...mine].sort((x, y) => (x.id < y.id ? -1 : 1)));
    // The same text answers an empty array and a longer one.
    expect(await runHot(db(), `select ${list} from addresses a where a.id = any($1::uuid[])`, [[]], fields)).toEqual([]);
    expect(await runHot(db(), `select ${list} from addresses a where a.id = any($1::uuid[])`, [[...ids, ...ids, "00000000-0000-0000-0000-000000000000"]], fields)).toHaveLength(ids.length);
  });

  it("given an order with nulls, bigints and timestamps, when read flat, then it equals drizzle's select; without fields the driver's rows come back", async () => {
    const [order] = await insertRows(
      db(),
      orders,
      [
        {
          orderNo: `H${Date.now()}`,
          userId: shop.consumer.userId,
          storeId: shop.store.storeId,
          status: "PENDING_PAYMENT",
          goodsAmount: 5_990,
          freightAmount: 0,
          totalAmount: 5_990,
          discountAmount: 0,
          platformDiscountAmount: 0,
          pointsUsed: 0,
          shipRecipientEnc: "enc:r",
          shipPhoneEnc: "enc:p",
          shipRegion: "浙江省 杭州市 西湖区",
          shipDetailEnc: "enc:d",
          platformFeeBp: 300,
          channel: "FLASH",
          groupBuyId: null,
          liveId: null,
          idempotencyKey: `hot-${Date.now()}`,
          requestHash: "h".repeat(64),
          expiresAt: new Date("2026-12-07T08:05:00.123Z"),
          createdAt: new Date("2026-12-07T08:00:00.456Z"),
        },
      ],
      { returning: true },
    );
    const { list, fields } = columnsOf(orders, "o");
    const [read] = await runHot<typeof orders.$inferSelect>(db(), `select ${list} from orders o where o.id = $1`, [order.id], fields);
    const [viaDrizzle] = await db().select().from(orders).where(inArray(orders.id, [order.id]));

    expect(read).toEqual(viaDrizzle);
    expect(read.expiresAt).toEqual(new Date("2026-12-07T08:05:00.123Z"));
    expect(read.paidAt).toBeNull();
    expect(await runHot<{ n: number }>(db(), "select count(*)::int as n from orders where id = $1", [order.id])).toEqual([{ n: 1 }]);
  });

  // The flash batch sends its counters, a savepoint and the try for units it guards in one round
  // trip, relying on this: a rollback to that savepoint must undo the try and nothing before it.
  it("given statements started with runHot one after another without waiting, with fields or without, then they execute in the order they were started", async () => {
    await rt.services.db.transaction(async (tx) => {
      await runHot(tx, "create temporary sequence hot_order_seq", []);
      const field = columnsOf(addresses, "a").fields.find((f) => f.path[0] === "id")!;
      const started = Array.from({ length: 12 }, (_, i) =>
        i % 2
          ? runHot<{ n: string }>(tx, "select nextval('hot_order_seq')::text as n", []).then((r) => Number(r[0].n))
          : runHot<{ id: string }>(tx, "select nextval('hot_order_seq')::text as id", [], [field]).then((r) => Number(r[0].id)),
      );
      expect(await Promise.all(started)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    });
  });
});
