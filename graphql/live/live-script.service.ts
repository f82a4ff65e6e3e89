import { and, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { files, liveProducts, liveScripts, lives, products } from "@/db/schema";
import { DomainError } from "../core/errors";
import { isUuid } from "../core/ids";
import { currentMatcher } from "./live-comment.service";
import { moderate } from "./moderation.rules";
import { MATERIAL_TYPES } from "../platform/upload.rules";

type Ctx = { db: Db; now: Date };
export type LiveScriptRow = typeof liveScripts.$inferSelect;
export type AdHit = { term: string; start: number; end: number; field: string };

export const ScriptErrorCode = {
  PRODUCT_NOT_FOUND: "PRODUCT_NOT_FOUND",
  SCRIPT_NOT_FOUND: "SCRIPT_NOT_FOUND",
  INVALID_TITLE: "INVALID_TITLE",
  INVALID_BODY: "INVALID_BODY",
  INVALID_POINTS: "INVALID_POINTS",
  INVALID_MATERIAL: "INVALID_MATERIAL",
} as const;

export type ScriptInput = { productId: string; title: string; sellingPoints: string[]; body: string; materials: { label: string; fileKey: string }[] };

const fail = (code: keyof typeof ScriptErrorCode, message: string, field: string) => new DomainError(code, message, field);

/**
 * Every Advertising Law hit (and every term held for review, such as contact diversion) in some
 * texts, per field, with its place in that field's text so an editor can mark it. Shared by scripts
 * (which keep the hits as warnings) and the supplier catalogue (which refuses them).
 */
export async function adCopyHits(db: Db, now: Date, fields: [field: string, text: string][]): Promise<AdHit[]> {
  const matcher = await currentMatcher(db, now);
  return fields.flatMap(([field, text]) =>
    moderate(text, matcher, "AD_COPY")
      .hits.filter((h) => h.category === "AD_LAW" || h.category === "HOLD")
      .map((h) => ({ term: h.term, start: h.start, end: h.end, field })),
  );
}

/**
 * Every hit in a script, per field (title, sellingPoints.N, body). Hits do not block saving (the
 * supplier decides and rewrites); they are stored with the script and shown to merchants too.
 */
export async function adHitsOf(db: Db, now: Date, s: Pick<ScriptInput, "title" | "sellingPoints" | "body">): Promise<AdHit[]> {
  return adCopyHits(db, now, [["title", s.title], ...s.sellingPoints.map((p, i): [string, string] => [`sellingPoints.${i}`, p]), ["body", s.body]]);
}

function check(input: ScriptInput) {
  const title = input.title.trim();
  if ([...title].length < 2 || [...title].length > 40) throw fail("INVALID_TITLE", "标题需 2–40 个字", "title");
  const body = input.body.trim();
  if ([...body].length < 10 || [...body].length > 5_000) throw fail("INVALID_BODY", "讲解话术需 10–5000 个字", "body");
  const points = input.sellingPoints.map((p) => p.trim()).filter(Boolean);
  if (points.length > 10 || points.some((p) => [...p].length > 60)) throw fail("INVALID_POINTS", "卖点最多 10 条，每条 60 字以内", "sellingPoints");
  if (input.materials.length > 20 || input.materials.some((m) => !m.label.trim() || [...m.label].length > 40)) throw fail("INVALID_MATERIAL", "素材最多 20 个，每个需有 40 字以内的名称", "materials");
  return { title, body, points };
}

/**
 * A script's material files: each is either already in the script being edited (a colleague's
 * upload stays) or a material this person uploaded — never someone else's file (an after-sale
 * photo, another supplier's pack), which merchants would otherwise be served.
 */
async function checkMaterials(db: Db, supplierId: string, userId: string, keys: string[], scriptId?: string | null) {
  if (!keys.length) return;
  const [current] = scriptId && isUuid(scriptId) ? await db.select({ materials: liveScripts.materials }).from(liveScripts).where(and(eq(liveScripts.id, scriptId), eq(liveScripts.supplierId, supplierId))) : [];
  const kept = new Set((current?.materials ?? []).map((m) => m.fileKey));
  const fresh = [...new Set(keys.filter((k) => !kept.has(k)))];
  if (!fresh.length) return;
  const mine = await db
    .select({ key: files.key })
    .from(files)
    .where(and(inArray(files.key, fresh), eq(files.ownerUserId, userId), inArray(files.contentType, Object.keys(MATERIAL_TYPES))));
  if (mine.length !== fresh.length) throw fail("INVALID_MATERIAL", "素材文件不存在或不是你上传的，请重新上传", "materials");
}

/** A supplier saves a script for one of its own products (new, or replacing one of its scripts), with its material pack. */
export async function saveLiveScript(ctx: Ctx, supplierId: string, userId: string, input: ScriptInput, scriptId?: string | null): Promise<LiveScriptRow> {
  const { title, body, points } = check(input);
  if (!isUuid(input.productId)) throw fail("PRODUCT_NOT_FOUND", "商品不存在", "productId");
  const [product] = await ctx.db.select({ id: products.id }).from(products).where(and(eq(products.id, input.productId), eq(products.supplierId, supplierId)));
  if (!product) throw fail("PRODUCT_NOT_FOUND", "只能为自己的商品编写话术", "productId");
  await checkMaterials(ctx.db, supplierId, userId, input.materials.map((m) => m.fileKey), scriptId);
  const adHits = await adHitsOf(ctx.db, ctx.now, { title, sellingPoints: points, body });
  const values = { title, sellingPoints: points, body, materials: input.materials.map((m) => ({ label: m.label.trim(), fileKey: m.fileKey })), adHits, updatedAt: ctx.now };
  if (scriptId) {
    if (!isUuid(scriptId)) throw fail("SCRIPT_NOT_FOUND", "话术不存在", "scriptId");
    const [row] = await ctx.db
      .update(liveScripts)
      .set({ ...values, productId: product.id })
      .where(and(eq(liveScripts.id, scriptId), eq(liveScripts.supplierId, supplierId)))
      .returning();
    if (!row) throw fail("SCRIPT_NOT_FOUND", "话术不存在", "scriptId");
    return row;
  }
  const [row] = await ctx.db.insert(liveScripts).values({ ...values, supplierId, productId: product.id, createdBy: userId, createdAt: ctx.now }).returning();
  return row;
}

/** A supplier's scripts, newest first. */
export function supplierScripts(db: Db, supplierId: string) {
  return db.select({ script: liveScripts, productTitle: products.title }).from(liveScripts).innerJoin(products, eq(products.id, liveScripts.productId)).where(eq(liveScripts.supplierId, supplierId)).orderBy(desc(liveScripts.updatedAt)).limit(100);
}

/** The scripts for the products on a live's shelf — what the merchant's live console shows. Only the store's own lives. */
export async function scriptsForLive(db: Db, storeId: string, liveId: string) {
  if (!isUuid(liveId)) return [];
  const [live] = await db.select({ id: lives.id }).from(lives).where(and(eq(lives.id, liveId), eq(lives.storeId, storeId)));
  if (!live) return [];
  const shelf = await db.select({ productId: liveProducts.productId }).from(liveProducts).where(eq(liveProducts.liveId, liveId));
  if (!shelf.length) return [];
  return db
    .select({ script: liveScripts, productTitle: products.title })
    .from(liveScripts)
    .innerJoin(products, eq(products.id, liveScripts.productId))
    .where(inArray(liveScripts.productId, shelf.map((s) => s.productId)))
    .orderBy(desc(liveScripts.updatedAt));
}
