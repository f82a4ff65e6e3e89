import { and, asc, desc, eq, ilike, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { files, products, skus, suppliers } from "@/db/schema";
import { DomainError } from "../core/errors";
import { adCopyHits } from "../live/live-script.service";
import { adLawViolation, CatalogErrorCode, skuLabel, validateProductDraft, validateProductTexts, type ProductDraft } from "./catalog.rules";

type Ctx = { db: Db; now: Date };
export type ProductRow = typeof products.$inferSelect;
export type SkuRow = typeof skus.$inferSelect;

/**
 * Product texts reach consumers as advertising: a title or description with words the Advertising
 * Law forbids (最, 第一, 国家级…, as the live scripts' check finds them) is refused, naming them.
 */
async function checkAdLaw(ctx: Ctx, texts: { title: string; description: string }) {
  const fields = { title: texts.title.trim(), description: texts.description.trim() };
  const violation = adLawViolation(fields, await adCopyHits(ctx.db, ctx.now, Object.entries(fields)));
  if (violation) throw new DomainError(violation.code, violation.message, violation.field);
}

/** Creates a product with its SKUs in one transaction. Images must be files this user uploaded; texts pass the Advertising Law check. */
export async function createProduct(ctx: Ctx, supplierId: string, uploaderId: string, draft: ProductDraft): Promise<ProductRow> {
  const violation = validateProductDraft(draft);
  if (violation) throw new DomainError(violation.code, violation.message, violation.field);
  await checkAdLaw(ctx, draft);
  const owned = await ctx.db
    .select({ key: files.key })
    .from(files)
    .where(and(inArray(files.key, draft.imageKeys), eq(files.ownerUserId, uploaderId)));
  if (owned.length !== new Set(draft.imageKeys).size) {
    throw new DomainError(CatalogErrorCode.INVALID_IMAGE, "图片不存在或不属于你", "imageKeys");
  }
  return ctx.db.transaction(async (tx) => {
    const [product] = await tx
      .insert(products)
      .values({
        supplierId,
        title: draft.title.trim(),
        description: draft.description.trim(),
        category: draft.category.trim(),
        specAxes: draft.specAxes.map((a) => ({ name: a.name.trim(), values: a.values.map((x) => x.trim()) })),
        imageKeys: draft.imageKeys,
        createdAt: ctx.now,
      })
      .returning();
    await tx.insert(skus).values(
      draft.skus.map((s) => ({
        productId: product.id,
        specs: s.specs,
        label: skuLabel(s.specs),
        supplyPrice: s.supplyPrice,
        suggestedPrice: s.suggestedPrice,
        stock: s.stock,
        createdAt: ctx.now,
      })),
    );
    return product;
  });
}

export type ProductTexts = { title: string; description: string; category: string };

/** A supplier edits one of its products' title, description and category; the same checks as creating it. */
export async function updateProductTexts(ctx: Ctx, supplierId: string, productId: string, texts: ProductTexts): Promise<ProductRow> {
  const violation = validateProductTexts(texts);
  if (violation) throw new DomainError(violation.code, violation.message, violation.field);
  await checkAdLaw(ctx, texts);
  const [row] = await ctx.db
    .update(products)
    .set({ title: texts.title.trim(), description: texts.description.trim(), category: texts.category.trim() })
    .where(and(eq(products.id, productId), eq(products.supplierId, supplierId)))
    .returning();
  if (!row) throw new DomainError(CatalogErrorCode.PRODUCT_NOT_FOUND, "商品不存在", "productId");
  return row;
}

/**
 * Adds to (or removes from) a SKU's stock atomically; stock can never go below zero, whatever
 * reservations run at the same time.
 */
export async function adjustSkuStock(ctx: Ctx, supplierId: string, skuId: string, delta: number): Promise<SkuRow> {
  if (!Number.isInteger(delta) || Math.abs(delta) > 1_000_000 || delta === 0) {
    throw new DomainError(CatalogErrorCode.INVALID_STOCK, "调整数量必须是非零整数", "delta");
  }
  const [row] = await ctx.db
    .update(skus)
    .set({ stock: sql`${skus.stock} + ${delta}` })
    .where(
      and(
        eq(skus.id, skuId),
        sql`${skus.stock} + ${delta} >= 0`,
        inArray(skus.productId, ctx.db.select({ id: products.id }).from(products).where(eq(products.supplierId, supplierId))),
      ),
    )
    .returning();
  if (row) return row;
  const [exists] = await ctx.db
    .select({ id: skus.id })
    .from(skus)
    .innerJoin(products, eq(products.id, skus.productId))
    .where(and(eq(skus.id, skuId), eq(products.supplierId, supplierId)));
  if (!exists) throw new DomainError(CatalogErrorCode.PRODUCT_NOT_FOUND, "SKU 不存在", "skuId");
  throw new DomainError(CatalogErrorCode.INVALID_STOCK, "库存不能小于 0", "delta");
}

export async function supplierProducts(db: Db, supplierId: string, window: { offset: number; limit: number }) {
  return db
    .select()
    .from(products)
    .where(eq(products.supplierId, supplierId))
    .orderBy(desc(products.createdAt), asc(products.id))
    .offset(window.offset)
    .limit(window.limit + 1);
}

export async function supplierProduct(db: Db, supplierId: string, productId: string) {
  const [row] = await db
    .select()
    .from(products)
    .where(and(eq(products.id, productId), eq(products.supplierId, supplierId)));
  return row ?? null;
}

/** The catalog merchants pick from (选品): active products of every supplier. */
export async function browseCatalog(db: Db, filter: { search?: string | null }, window: { offset: number; limit: number }) {
  const conditions = [eq(products.status, "ACTIVE")];
  if (filter.search?.trim()) conditions.push(ilike(products.title, `%${filter.search.trim().replace(/[%_\\]/g, "")}%`));
  return db
    .select()
    .from(products)
    .where(and(...conditions))
    .orderBy(desc(products.createdAt), asc(products.id))
    .offset(window.offset)
    .limit(window.limit + 1);
}

export async function catalogProduct(db: Db, productId: string) {
  const [row] = await db.select().from(products).where(and(eq(products.id, productId), eq(products.status, "ACTIVE")));
  return row ?? null;
}

/** Loader batch functions. */
export async function skusByProductIds(db: Db, ids: readonly string[]) {
  const rows = await db.select().from(skus).where(inArray(skus.productId, [...ids])).orderBy(asc(skus.createdAt), asc(skus.label));
  return ids.map((id) => rows.filter((r) => r.productId === id));
}

export async function productsByIds(db: Db, ids: readonly string[]) {
  const rows = await db.select().from(products).where(inArray(products.id, [...ids]));
  return ids.map((id) => rows.find((r) => r.id === id) ?? null);
}


export async function supplierNamesByIds(db: Db, ids: readonly string[]) {
  const rows = await db.select({ id: suppliers.id, name: suppliers.name }).from(suppliers).where(inArray(suppliers.id, [...ids]));
  return ids.map((id) => rows.find((r) => r.id === id)?.name ?? "");
}

export const imageUrl = (key: string) => `/api/files/${key}`;
