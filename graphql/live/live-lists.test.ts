/**
 * Lists of sales lives — the storefront's 直播 strip and the merchant's live list — read their
 * relations (host, store, shelf with live prices, pin, reservation, host counters) through
 * DataLoaders: the statement count does not grow with the number of lives.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { listings } from "@/db/schema";
import { createTestRuntime, gqlOk, statementLog, type TestRuntime } from "../test/harness";
import { createShop, ctxOf, type Shop } from "../test/fixtures";
import { scheduleLive } from "./live.service";

const STORE_LIVES = `query($slug: String!) { shopStoreLives(storeSlug: $slug) { id title status hostName storeSlug cover reservedByMe pinnedProductId
  shelf { productId title skus { label listPrice { amount } livePrice { amount } } } } }`;
const MERCHANT_LIVES = `{ merchantLives { id title status hostName peakViewers uniqueViewers reservations commentCount likeCount shelf { productId } } }`;

const sqlLog = statementLog();

describe("live lists cost a bounded number of statements", () => {
  let rt: TestRuntime;
  let shop: Shop;
  let listingId: string;
  const schedule = async (count: number) => {
    for (let i = 0; i < count; i++) {
      await scheduleLive(ctxOf(rt), shop.store.storeId, shop.store.userId, { title: `店铺专场 ${i}`, scheduledAt: new Date(rt.services.clock.now().getTime() + (i + 1) * 60_000), listingIds: [listingId], prices: [] });
    }
  };
  const measure = (viewer: Parameters<typeof gqlOk>[1], query: string, variables?: Record<string, unknown>) => sqlLog.count(() => gqlOk<any>(rt, viewer, query, variables));

  beforeAll(async () => {
    rt = await createTestRuntime({ logger: sqlLog });
    shop = await createShop(rt, [{ stock: 10 }, { stock: 5 }]);
    [{ id: listingId }] = await rt.services.db.select({ id: listings.id }).from(listings).where(eq(listings.storeId, shop.store.storeId));
  });
  afterAll(() => rt?.dispose());

  it("given 2 and then 6 lives, when a visitor, a buyer and the merchant list them with hosts, shelves and counters, then each list costs the same statements both times", async () => {
    await schedule(2);
    const guestTwo = await measure(null, STORE_LIVES, { slug: shop.store.slug });
    const buyerTwo = await measure(shop.consumer.viewer, STORE_LIVES, { slug: shop.store.slug });
    const hostTwo = await measure(shop.store.viewer, MERCHANT_LIVES);
    await schedule(4);
    const guestSix = await measure(null, STORE_LIVES, { slug: shop.store.slug });
    const buyerSix = await measure(shop.consumer.viewer, STORE_LIVES, { slug: shop.store.slug });
    const hostSix = await measure(shop.store.viewer, MERCHANT_LIVES);

    expect(guestSix.data.shopStoreLives).toHaveLength(6);
    expect(guestSix.data.shopStoreLives.every((l: any) => l.shelf.length === 1 && l.shelf[0].skus.length === 2 && l.hostName && l.storeSlug === shop.store.slug)).toBe(true);
    expect(hostSix.data.merchantLives).toHaveLength(6);
    expect([guestSix.queries, buyerSix.queries, hostSix.queries]).toEqual([guestTwo.queries, buyerTwo.queries, hostTwo.queries]);
    expect(Math.max(guestSix.queries, buyerSix.queries, hostSix.queries)).toBeLessThanOrEqual(8);
  });
});
