import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { createTestRuntime, gqlOk, type TestRuntime } from "./test/harness";

describe("smoke", () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime({ seedDemo: true });
  });
  afterAll(() => rt?.dispose());

  it("serves a storefront", async () => {
    const data = await gqlOk(rt, null, `{ shopProducts(storeSlug: "xiaomei", first: 5) { nodes { id title priceRange { min { formatted } } skus { label price { amount } } } pageInfo { hasNextPage } } }`);
    expect(data.shopProducts.nodes.length).toBe(5);
  });
});
