import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRuntime, gqlOk, statementLog, type TestRuntime } from "./test/harness";
import { createProductFixture, createShop, listInStore, order, pay, type Shop } from "./test/fixtures";
import type { Viewer } from "./core/viewer";

/** Counts every SQL statement the runtime sends (the drizzle logger). */
const sqlLog = statementLog();

const STOREFRONT = (first: number) => `query($slug: String!) {
  shopProducts(storeSlug: $slug, first: ${first}) {
    nodes {
      id title images
      skus { id label specs { axis value } price { amount formatted } originalPrice { amount } stock }
      priceRange { min { amount formatted } max { amount formatted } }
      soldCount inStock
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

const MERCHANT_ORDERS = (first: number) => `{
  merchantOrders(first: ${first}) {
    nodes { id orderNo status totalAmount { amount } grossMargin { amount }
      lines { title quantity paidAmount { amount } grossMargin { amount } }
      shipTo { recipient phone region } shipments { status trackingNo } }
  }
}`;

const SUPPLIER_SHIPMENTS = (first: number) => `{
  supplierShipments(first: ${first}) {
    nodes { id status orderNo storeName freightAmount { amount } lines { title quantity unitSupplyPrice { amount } } shipTo { recipient phone region detail } }
  }
}`;

describe("list pages cost a bounded number of queries (DataLoaders, no N+1)", () => {
  let rt: TestRuntime;
  let shop: Shop;

  beforeAll(async () => {
    rt = await createTestRuntime({ logger: sqlLog });
    shop = await createShop(rt, [{ stock: 1_000 }, { stock: 0 }]);
    for (let i = 0; i < 24; i++) {
      const p = await createProductFixture(rt, shop.supplier, { skus: [{ stock: 5 }, { stock: 7, supplyPrice: 3_000, suggestedPrice: 5_990 }] });
      await listInStore(rt, shop.store, p);
    }
    for (let i = 0; i < 21; i++) {
      const placed = await order(rt, shop.consumer, shop.store, [{ skuId: shop.product.skus[0].id, quantity: 1 }]);
      await pay(rt, shop.consumer, placed.id);
    }
  }, 120_000);
  afterAll(() => rt?.dispose());

  const measure = (viewer: Viewer | null, query: string, variables?: Record<string, unknown>) => sqlLog.count(() => gqlOk(rt, viewer, query, variables));

  it("given a storefront with 25 products, when the list page asks for 5 or 20 with SKUs, prices, sold count and stock, then the query count is the same and at most 8", async () => {
    const five = await measure(null, STOREFRONT(5), { slug: shop.store.slug });
    const twenty = await measure(null, STOREFRONT(20), { slug: shop.store.slug });

    expect(five.data.shopProducts.nodes).toHaveLength(5);
    expect(twenty.data.shopProducts.nodes).toHaveLength(20);
    expect(twenty.data.shopProducts.nodes.every((n: { skus: unknown[] }) => n.skus.length === 2)).toBe(true);
    expect(twenty.queries).toBe(five.queries);
    expect(twenty.queries).toBeLessThanOrEqual(8);
  });

  it("given a store with 21 paid orders, when the merchant lists 5 or 20 with lines, buyer and shipments, then the query count is the same", async () => {
    const five = await measure(shop.store.viewer, MERCHANT_ORDERS(5));
    const twenty = await measure(shop.store.viewer, MERCHANT_ORDERS(20));

    expect(twenty.data.merchantOrders.nodes).toHaveLength(20);
    expect(twenty.queries).toBe(five.queries);
    expect(twenty.queries).toBeLessThanOrEqual(8);
  });

  it("given a supplier with 21 shipments, when it lists 5 or 20 with order, store, lines and address, then the query count is the same", async () => {
    const five = await measure(shop.supplier.viewer, SUPPLIER_SHIPMENTS(5));
    const twenty = await measure(shop.supplier.viewer, SUPPLIER_SHIPMENTS(20));

    expect(twenty.data.supplierShipments.nodes).toHaveLength(20);
    expect(twenty.queries).toBe(five.queries);
    expect(twenty.queries).toBeLessThanOrEqual(8);
  });
});
