/**
 * The supplier catalogue's Advertising Law check, through GraphQL on the real database: a product
 * whose title or description uses an absolute term (最, 第一, 国家级…) is refused with AD_LAW_TERMS
 * on that field, naming the words, and nothing is written — on create and on edit alike.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { products, skus } from "@/db/schema";
import { createTestRuntime, gql, gqlOk, type TestRuntime } from "../test/harness";
import { createProductFixture, createShop, createSupplier, uploadImage, type SupplierFixture } from "../test/fixtures";

const CREATE = `mutation($input: CreateProductInput!) { createProduct(input: $input) { product { id title } errors { code message field } } }`;
const UPDATE = `mutation($input: UpdateProductInput!) { updateProduct(input: $input) { product { id title description category } errors { code message field } } }`;

describe("product texts and the Advertising Law", () => {
  let rt: TestRuntime;
  let supplier: SupplierFixture;
  beforeAll(async () => {
    rt = await createTestRuntime();
    supplier = await createSupplier(rt);
  });
  afterAll(() => rt?.dispose());

  const counts = async () => ({
    products: Number((await rt.services.db.select({ n: count() }).from(products))[0].n),
    skus: Number((await rt.services.db.select({ n: count() }).from(skus))[0].n),
  });
  const draft = async (over: Record<string, unknown> = {}) => ({
    title: "赣南脐橙 当季现摘",
    description: "江西赣州产区，果园直发，酸甜多汁。",
    category: "生鲜水果",
    specAxes: [{ name: "规格", values: ["5斤装"] }],
    imageKeys: [await uploadImage(rt, supplier.userId)],
    skus: [{ specs: [{ axis: "规格", value: "5斤装" }], supplyPrice: 2_590, suggestedPrice: 3_990, stock: 10 }],
    ...over,
  });

  describe("creating a product", () => {
    it("given clean texts, when the supplier creates it, then it is saved without errors", async () => {
      const r = await gqlOk<any>(rt, supplier.viewer, CREATE, { input: await draft() });
      expect(r.createProduct.errors).toEqual([]);
      expect(r.createProduct.product.title).toBe("赣南脐橙 当季现摘");
    });

    it.each<[string, Record<string, string>, string, string[]]>([
      ["a title claiming to be the best", { title: "全网最低价 赣南脐橙" }, "title", ["全网最低"]],
      ["a description with 国家级 and 第一", { description: "国家级果园出品，销量第一的好橙子" }, "description", ["国家级", "销量第一"]],
      ["an absolute term in traditional characters with a symbol inserted", { title: "國.家級 赣南脐橙" }, "title", ["國.家級"]],
    ])("given %s, when it is created, then AD_LAW_TERMS on %s names the words and nothing is written", async (_, over, field, words) => {
      const before = await counts();

      const r = await gqlOk<any>(rt, supplier.viewer, CREATE, { input: await draft(over) });

      expect(r.createProduct.product).toBeNull();
      expect(r.createProduct.errors).toHaveLength(1);
      expect(r.createProduct.errors[0]).toMatchObject({ code: "AD_LAW_TERMS", field });
      for (const w of words) expect(r.createProduct.errors[0].message).toContain(w);
      expect(await counts()).toEqual(before);
    });

    it("given words of everyday speech that contain a listed character (最近, 第一次), then they are not refused", async () => {
      const r = await gqlOk<any>(rt, supplier.viewer, CREATE, { input: await draft({ description: "最近新到的一批，第一次购买送小样。" }) });
      expect(r.createProduct.errors).toEqual([]);
    });
  });

  describe("editing a product's texts", () => {
    it("given clean texts, when the supplier edits its product, then title, description and category change", async () => {
      const { product } = await createProductFixture(rt, supplier);
      const r = await gqlOk<any>(rt, supplier.viewer, UPDATE, { input: { productId: product.id, title: "福鼎白茶 寿眉饼", description: "三年陈寿眉，枣香明显。", category: "茶叶冲饮" } });
      expect(r.updateProduct).toEqual({ product: { id: product.id, title: "福鼎白茶 寿眉饼", description: "三年陈寿眉，枣香明显。", category: "茶叶冲饮" }, errors: [] });
    });

    it("given a description with 顶级, when edited, then AD_LAW_TERMS on description and the stored texts are unchanged", async () => {
      const { product } = await createProductFixture(rt, supplier, { title: "福鼎白茶" });

      const r = await gqlOk<any>(rt, supplier.viewer, UPDATE, { input: { productId: product.id, title: "福鼎白茶 寿眉", description: "顶级白茶，口感醇厚", category: "茶叶冲饮" } });

      expect(r.updateProduct.product).toBeNull();
      expect(r.updateProduct.errors).toEqual([expect.objectContaining({ code: "AD_LAW_TERMS", field: "description" })]);
      expect(r.updateProduct.errors[0].message).toContain("顶级");
      const [row] = await rt.services.db.select().from(products).where(eq(products.id, product.id));
      expect({ title: row.title, description: row.description }).toEqual({ title: "福鼎白茶", description: product.description });
    });

    it("given another supplier's product, then PRODUCT_NOT_FOUND and it is unchanged; a merchant cannot edit products at all", async () => {
      const other = await createSupplier(rt);
      const { product } = await createProductFixture(rt, other, { title: "别家的茶" });
      const input = { productId: product.id, title: "改个名字", description: "", category: "茶叶冲饮" };

      const r = await gqlOk<any>(rt, supplier.viewer, UPDATE, { input });
      const merchant = await gql<any>(rt, (await createShop(rt)).store.viewer, UPDATE, { input });

      expect(r.updateProduct.errors).toEqual([expect.objectContaining({ code: "PRODUCT_NOT_FOUND" })]);
      expect(merchant.errors.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
      const [row] = await rt.services.db.select().from(products).where(eq(products.id, product.id));
      expect(row.title).toBe("别家的茶");
    });
  });
});
