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
  /** The title or description uses words the Advertising Law forbids (最, 第一, 国家级…); the message names them. */
  AD_LAW_TERMS: "AD_LAW_TERMS",
  INVALID_DESCRIPTION: "INVALID_DESCRIPTION",
} as const;
export type CatalogErrorCodeValue = keyof typeof CatalogErrorCode;

export const MAX_PRICE_FEN = 10_000_000_00; // ¥10,000,000
export const MAX_STOCK = 1_000_000;

/** "红 / L" — the SKU label, in axis order. */
export function skuLabel(specs: SpecValue[]): string {
  return specs.length ? specs.map((s) => s.value).join(" / ") : "默认";
}

export const MAX_DESCRIPTION_CHARS = 2_000;

/** A product's title, description and category (checked on create and on every edit). */
export function validateProductTexts(t: { title: string; description: string; category: string }): CatalogViolation | null {
  const title = t.title.trim();
  if (title.length < 2 || title.length > 60) return { code: "INVALID_TITLE", message: "商品名称需 2–60 个字", field: "title" };
  if ([...t.description.trim()].length > MAX_DESCRIPTION_CHARS) return { code: "INVALID_DESCRIPTION", message: `商品描述最多 ${MAX_DESCRIPTION_CHARS} 个字`, field: "description" };
  if (!t.category.trim()) return { code: "INVALID_TITLE", message: "请选择类目", field: "category" };
  return null;
}

export const PRODUCT_TEXT_LABELS: Record<string, string> = { title: "商品名称", description: "商品描述" };

/**
 * The refusal for Advertising Law hits in product texts: the first field with hits, naming the
 * words as written there (deduplicated), or null when there are none.
 */
export function adLawViolation(texts: Record<string, string>, hits: { field: string; start: number; end: number }[]): CatalogViolation | null {
  const field = Object.keys(texts).find((f) => hits.some((h) => h.field === f));
  if (!field) return null;
  const words = [...new Set(hits.filter((h) => h.field === field).map((h) => texts[field].slice(h.start, h.end)))];
  return { code: "AD_LAW_TERMS", message: `${PRODUCT_TEXT_LABELS[field] ?? field}含广告法禁用语：${words.join("、")}，请修改后再保存`, field };
}

/**
 * Validates a supplier's product draft. Every SKU names exactly one value per axis, in axis order,
 * from that axis' values; combinations are unique; prices and stock are integers in range.
 * Returns the first violation, or null.
 */
export function validateProductDraft(draft: ProductDraft): CatalogViolation | null {
  const v = (code: CatalogErrorCodeValue, message: string, field: string) => ({ code, message, field });
  const texts = validateProductTexts(draft);
  if (texts) return texts;
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
