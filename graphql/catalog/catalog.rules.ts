import type { SpecAxis, SpecValue } from "@/db/schema";

export type SkuDraft = { specs: SpecValue[]; supplyPrice: number; suggestedPrice: number; stock: number };
export type ProductDraft = {
  title: string;
  description: string;
  category: string;
  specAxes: SpecAxis[];
  imageKeys: string[];
  skus: SkuDraft[];
};

export type CatalogViolation = { code: CatalogErrorCodeValue; message: string; field: string };

export const CatalogErrorCode = {
  INVALID_TITLE: "INVALID_TITLE",
  INVALID_SPEC_AXES: "INVALID_SPEC_AXES",
  INVALID_SKU_SPECS: "INVALID_SKU_SPECS",
  DUPLICATE_SKU: "DUPLICATE_SKU",
  INVALID_PRICE: "INVALID_PRICE",
  INVALID_STOCK: "INVALID_STOCK",
  INVALID_IMAGE: "INVALID_IMAGE",
  PRODUCT_NOT_FOUND: "PRODUCT_NOT_FOUND",
} as const;
export type CatalogErrorCodeValue = keyof typeof CatalogErrorCode;

export const MAX_PRICE_FEN = 10_000_000_00; // ¥10,000,000
export const MAX_STOCK = 1_000_000;

/** "红 / L" — the SKU label, in axis order. */
export function skuLabel(specs: SpecValue[]): string {
  return specs.length ? specs.map((s) => s.value).join(" / ") : "默认";
}

/**
 * Validates a supplier's product draft. Every SKU names exactly one value per axis, in axis order,
 * from that axis' values; combinations are unique; prices and stock are integers in range.
 * Returns the first violation, or null.
 */
export function validateProductDraft(draft: ProductDraft): CatalogViolation | null {
  const v = (code: CatalogErrorCodeValue, message: string, field: string) => ({ code, message, field });
  const title = draft.title.trim();
  if (title.length < 2 || title.length > 60) return v("INVALID_TITLE", "商品名称需 2–60 个字", "title");
  if (!draft.category.trim()) return v("INVALID_TITLE", "请选择类目", "category");
  if (draft.specAxes.length > 3) return v("INVALID_SPEC_AXES", "规格最多 3 组", "specAxes");
  const axisNames = new Set<string>();
  for (const axis of draft.specAxes) {
    const name = axis.name.trim();
    if (!name || axisNames.has(name)) return v("INVALID_SPEC_AXES", "规格名不能为空或重复", "specAxes");
    axisNames.add(name);
    const values = axis.values.map((x) => x.trim());
    if (!values.length || values.some((x) => !x) || new Set(values).size !== values.length || values.length > 30) {
      return v("INVALID_SPEC_AXES", `规格「${name}」的取值不能为空或重复`, "specAxes");
    }
  }
  if (draft.imageKeys.length < 1 || draft.imageKeys.length > 9) return v("INVALID_IMAGE", "请上传 1–9 张商品图片", "imageKeys");
  if (!draft.skus.length || draft.skus.length > 200) return v("INVALID_SKU_SPECS", "至少需要一个 SKU", "skus");
  const seen = new Set<string>();
  for (const [i, sku] of draft.skus.entries()) {
    const field = `skus.${i}`;
    const matches =
      sku.specs.length === draft.specAxes.length &&
      sku.specs.every((s, j) => s.axis === draft.specAxes[j].name && draft.specAxes[j].values.includes(s.value));
    if (!matches) return v("INVALID_SKU_SPECS", "SKU 的规格必须与规格组一一对应", field);
    const label = skuLabel(sku.specs);
    if (seen.has(label)) return v("DUPLICATE_SKU", `SKU「${label}」重复`, field);
    seen.add(label);
    for (const [key, value] of [["supplyPrice", sku.supplyPrice], ["suggestedPrice", sku.suggestedPrice]] as const) {
      if (!Number.isSafeInteger(value) || value <= 0 || value > MAX_PRICE_FEN) {
        return v("INVALID_PRICE", "价格必须是大于 0 的金额", `${field}.${key}`);
      }
    }
    if (sku.suggestedPrice < sku.supplyPrice) return v("INVALID_PRICE", "建议零售价不能低于供货价", `${field}.suggestedPrice`);
    if (!Number.isInteger(sku.stock) || sku.stock < 0 || sku.stock > MAX_STOCK) {
      return v("INVALID_STOCK", "库存必须是 0 到 1,000,000 的整数", `${field}.stock`);
    }
  }
  return null;
}
