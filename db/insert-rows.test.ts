/**
 * insertRows (the hot-path multi-row INSERT) against drizzle's own insert on the same database:
 * the rows written and the rows returned must be the same, column for column, for any values;
 * conflicts skip exactly the conflicting rows; bad shapes throw before anything is sent.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { count, eq, inArray } from "drizzle-orm";
import { jobs, listings, orderLines, orders } from "@/db/schema";
import { createTestRuntime, type TestRuntime } from "@/graphql/test/harness";
import { createShop, type Shop } from "@/graphql/test/fixtures";
import { insertRows } from "./insert-rows";

describe("insertRows", () => {
  let rt: TestRuntime;
  let shop: Shop;
  let n = 0;
  const db = () => rt.services.db;
  const jobCount = async () => Number((await db().select({ n: count() }).from(jobs))[0].n);
  const orderRow = (over: Partial<typeof orders.$inferInsert> = {}) => ({
    orderNo: `T${Date.now()}${n++}`,
    userId: shop.consumer.userId,
    storeId: shop.store.storeId,
    status: "PENDING_PAYMENT" as const,
    goodsAmount: 5_990,
    freightAmount: 0,
    totalAmount: 5_990,
    discountAmount: 0,
    platformDiscountAmount: 0,
    pointsUsed: 0,
    shipRecipientEnc: "enc:收件人",
    shipPhoneEnc: "enc:phone",
    shipRegion: "浙江省 杭州市 西湖区",
    shipDetailEnc: "enc:detail",
    platformFeeBp: 300,
    channel: "FLASH" as const,
    groupBuyId: null,
    liveId: null,
    idempotencyKey: `key-${n++}`,
    requestHash: "h".repeat(64),
    expiresAt: new Date("2026-12-07T08:05:00.123Z"),
    createdAt: new Date("2026-12-07T08:00:00.456Z"),
    ...over,
  });

  beforeAll(async () => {
    rt = await createTestRuntime();
    shop = await createShop(rt);
  });
  afterAll(() => rt?.dispose());

  it("given order rows, when written with returning, then the rows back equal drizzle's insert…returning() of twins and what a select reads", async () => {
    const mine = [orderRow(), orderRow({ freightAmount: 800, totalAmount: 6_790 })];
    const twins = mine.map((r) => ({ ...r, orderNo: `${r.orderNo}b`, idempotencyKey: `${r.idempotencyKey}b` }));

    const written = await insertRows(db(), orders, mine, { returning: true });
    const viaDrizzle = await db().insert(orders).values(twins).returning();
    const read = await db().select().from(orders).where(inArray(orders.id, written.map((w) => w.id)));

    const strip = ({ id: _id, orderNo: _no, idempotencyKey: _key, ...rest }: typeof orders.$inferSelect) => rest;
    expect(written.map(strip)).toEqual(viaDrizzle.map(strip));
    expect([...read].sort((a, b) => a.orderNo.localeCompare(b.orderNo))).toEqual([...written].sort((a, b) => a.orderNo.localeCompare(b.orderNo)));
    expect(written[0].createdAt).toEqual(new Date("2026-12-07T08:00:00.456Z"));
    expect(written[1].freightAmount).toBe(800);
  });

  it("given one row whose unique key is taken, when written with onConflictDoNothing, then only the other row is written and returned", async () => {
    const [taken] = await insertRows(db(), orders, [orderRow()], { returning: true });
    const fresh = orderRow();

    const back = await insertRows(db(), orders, [{ ...orderRow(), userId: taken.userId, idempotencyKey: taken.idempotencyKey }, fresh], {
      onConflictDoNothing: [orders.userId, orders.idempotencyKey],
      returning: true,
    });

    expect(back.map((o) => o.idempotencyKey)).toEqual([fresh.idempotencyKey]);
    expect(await db().select({ n: count() }).from(orders).where(eq(orders.idempotencyKey, taken.idempotencyKey))).toEqual([{ n: 1 }]);
  });

  it("given rows without returning, then they are written and nothing is returned; an undefined value takes the column's DEFAULT", async () => {
    const [order] = await insertRows(db(), orders, [orderRow()], { returning: true });
    const line = {
      orderId: order.id,
      supplierId: shop.supplier.supplierId,
      listingId: "",
      skuId: shop.product.skus[0].id,
      productTitle: "标题",
      skuLabel: "默认",
      imageKey: null,
      quantity: 1,
      unitPrice: 5_990,
      unitSupplyPrice: 2_000,
      paidAmount: 5_990,
      discountAmount: 0,
      platformDiscountAmount: undefined,
      lineNo: 1,
    };
    const [listing] = await db().select().from(listings).where(eq(listings.storeId, shop.store.storeId)).limit(1);

    expect(await insertRows(db(), orderLines, [{ ...line, listingId: listing.id }])).toEqual([]);
    const [stored] = await db().select().from(orderLines).where(eq(orderLines.orderId, order.id));
    expect(stored).toMatchObject({ productTitle: "标题", platformDiscountAmount: 0, quantity: 1 });
  });

  it.each<[string, () => Promise<unknown>]>([
    ["rows with different columns", () => insertRows(db(), jobs, [{ kind: "a", payload: {}, dedupeKey: `d${n++}`, runAt: new Date(), createdAt: new Date() }, { kind: "b", payload: {}, dedupeKey: `d${n++}`, runAt: new Date() } as never])],
    ["rows with as many but other columns", () => insertRows(db(), jobs, [{ kind: "a", payload: {}, dedupeKey: `d${n++}`, runAt: new Date(), createdAt: new Date() }, { kind: "b", payload: {}, dedupeKey: `d${n++}`, runAt: new Date(), lastError: "x" } as never])],
    ["a row with no columns", () => insertRows(db(), jobs, [{} as never])],
    ["a key that is no column", () => insertRows(db(), jobs, [{ kind: "a", payload: {}, dedupeKey: `d${n++}`, runAt: new Date(), createdAt: new Date(), nope: 1 } as never])],
  ])("given %s, then it throws and nothing is written", async (_, write) => {
    const before = await jobCount();
    await expect(write()).rejects.toThrow(/insertRows/);
    expect(await jobCount()).toBe(before);
  });

  it("property: for any payload, run time and default columns, a job written by insertRows reads back exactly like one written by drizzle", async () => {
    const json = fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 })), { maxKeys: 5, noNullPrototype: true });
    await fc.assert(
      fc.asyncProperty(json, fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }), fc.string({ maxLength: 30 }), async (payload, runAt, kind) => {
        const base = { kind, payload, runAt, createdAt: new Date("2026-12-07T00:00:00Z") };
        const [a] = await insertRows(db(), jobs, [{ ...base, dedupeKey: `p${n++}` }], { returning: true });
        const [b] = await db().insert(jobs).values({ ...base, dedupeKey: `p${n++}` }).returning();
        const strip = ({ id: _id, dedupeKey: _key, ...rest }: typeof jobs.$inferSelect) => rest;
        expect(strip(a)).toEqual(strip(b));
        const [readA] = await db().select().from(jobs).where(eq(jobs.id, a.id));
        expect(readA).toEqual(a);
      }),
      { numRuns: 40 },
    );
  });
});
