import { describe, expect, it } from "vitest";
import { MAX_PRICE_FEN, MAX_STOCK, skuLabel, validateProductDraft, type ProductDraft, type SkuDraft } from "./catalog.rules";

const sku = (color: string, size: string, over: Partial<SkuDraft> = {}): SkuDraft => ({
  specs: [
    { axis: "颜色", value: color },
    { axis: "尺码", value: size },
  ],
  supplyPrice: 2_000,
  suggestedPrice: 3_990,
  stock: 10,
  ...over,
});

const draft = (over: Partial<ProductDraft> = {}): ProductDraft => ({
  title: "纯棉短袖T恤",
  description: "",
  category: "服饰",
  specAxes: [
    { name: "颜色", values: ["白", "黑"] },
    { name: "尺码", values: ["M", "L"] },
  ],
  imageKeys: ["uploads/a.png"],
  skus: [sku("白", "M"), sku("黑", "L")],
  ...over,
});

describe("skuLabel", () => {
  it("given values on two axes, then the label joins them in axis order", () => {
    expect(skuLabel(sku("红", "L").specs)).toBe("红 / L");
  });
  it("given no axes, then the label is 默认", () => {
    expect(skuLabel([])).toBe("默认");
  });
});

describe("validateProductDraft", () => {
  it("given a complete draft, then it is valid", () => {
    expect(validateProductDraft(draft())).toBeNull();
  });

  it("given a product without spec axes and one default SKU, then it is valid", () => {
    expect(validateProductDraft(draft({ specAxes: [], skus: [{ specs: [], supplyPrice: 100, suggestedPrice: 100, stock: 0 }] }))).toBeNull();
  });

  it.each([
    { label: "a one-character title", over: { title: "T" }, code: "INVALID_TITLE", field: "title" },
    { label: "a 61-character title", over: { title: "衣".repeat(61) }, code: "INVALID_TITLE", field: "title" },
    { label: "a blank category", over: { category: "  " }, code: "INVALID_TITLE", field: "category" },
    {
      label: "four spec axes",
      over: { specAxes: ["a", "b", "c", "d"].map((name) => ({ name, values: ["1"] })) },
      code: "INVALID_SPEC_AXES",
      field: "specAxes",
    },
    { label: "two axes with the same name", over: { specAxes: [{ name: "颜色", values: ["白"] }, { name: "颜色", values: ["黑"] }] }, code: "INVALID_SPEC_AXES", field: "specAxes" },
    { label: "an axis with a repeated value", over: { specAxes: [{ name: "颜色", values: ["白", "白"] }, { name: "尺码", values: ["M"] }] }, code: "INVALID_SPEC_AXES", field: "specAxes" },
    { label: "an axis with no values", over: { specAxes: [{ name: "颜色", values: [] }, { name: "尺码", values: ["M"] }] }, code: "INVALID_SPEC_AXES", field: "specAxes" },
    { label: "no images", over: { imageKeys: [] }, code: "INVALID_IMAGE", field: "imageKeys" },
    { label: "ten images", over: { imageKeys: Array.from({ length: 10 }, (_, i) => `uploads/${i}.png`) }, code: "INVALID_IMAGE", field: "imageKeys" },
    { label: "no SKUs", over: { skus: [] }, code: "INVALID_SKU_SPECS", field: "skus" },
    { label: "a SKU missing an axis", over: { skus: [{ ...sku("白", "M"), specs: [{ axis: "颜色", value: "白" }] }] }, code: "INVALID_SKU_SPECS", field: "skus.0" },
    { label: "a SKU with a value not on its axis", over: { skus: [sku("白", "M"), sku("红", "M")] }, code: "INVALID_SKU_SPECS", field: "skus.1" },
    {
      label: "a SKU with axes out of order",
      over: { skus: [{ ...sku("白", "M"), specs: [{ axis: "尺码", value: "M" }, { axis: "颜色", value: "白" }] }] },
      code: "INVALID_SKU_SPECS",
      field: "skus.0",
    },
    { label: "the same combination twice", over: { skus: [sku("白", "M"), sku("黑", "L"), sku("白", "M")] }, code: "DUPLICATE_SKU", field: "skus.2" },
    { label: "a zero supply price", over: { skus: [sku("白", "M", { supplyPrice: 0 })] }, code: "INVALID_PRICE", field: "skus.0.supplyPrice" },
    { label: "a fractional supply price", over: { skus: [sku("白", "M", { supplyPrice: 10.5 })] }, code: "INVALID_PRICE", field: "skus.0.supplyPrice" },
    { label: "a price over the ceiling", over: { skus: [sku("白", "M", { suggestedPrice: MAX_PRICE_FEN + 1 })] }, code: "INVALID_PRICE", field: "skus.0.suggestedPrice" },
    { label: "a suggested price under the supply price", over: { skus: [sku("白", "M", { suggestedPrice: 1_999 })] }, code: "INVALID_PRICE", field: "skus.0.suggestedPrice" },
    { label: "negative stock", over: { skus: [sku("白", "M", { stock: -1 })] }, code: "INVALID_STOCK", field: "skus.0.stock" },
    { label: "stock over the ceiling", over: { skus: [sku("白", "M", { stock: MAX_STOCK + 1 })] }, code: "INVALID_STOCK", field: "skus.0.stock" },
    { label: "fractional stock", over: { skus: [sku("白", "M", { stock: 1.5 })] }, code: "INVALID_STOCK", field: "skus.0.stock" },
  ])("given $label, then $code at $field", ({ over, code, field }) => {
    expect(validateProductDraft(draft(over as Partial<ProductDraft>))).toMatchObject({ code, field });
  });

  it("given values whose labels collide (x / y / z split two ways), then DUPLICATE_SKU", () => {
    const collide = draft({
      specAxes: [
        { name: "a", values: ["x / y", "x"] },
        { name: "b", values: ["z", "y / z"] },
      ],
      skus: [
        { specs: [{ axis: "a", value: "x / y" }, { axis: "b", value: "z" }], supplyPrice: 1, suggestedPrice: 1, stock: 1 },
        { specs: [{ axis: "a", value: "x" }, { axis: "b", value: "y / z" }], supplyPrice: 1, suggestedPrice: 1, stock: 1 },
      ],
    });
    // The database keys SKUs by (product, label): the rule must refuse before the insert would fail.
    expect(validateProductDraft(collide)).toMatchObject({ code: "DUPLICATE_SKU", field: "skus.1" });
  });
});
