import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { files, liveProducts, lives, liveScripts, products, suppliers } from "@/db/schema";
import { trainingShelvesByLiveIds } from "./training.queries";
import { DomainError } from "../core/errors";
import { isUuid } from "../core/ids";
import { checkLiveDraft, isPlayableUrl, LiveErrorCode } from "./live.rules";
import type { LiveRow } from "./live.service";

type Ctx = { db: Db; now: Date };

const fail = (code: keyof typeof LiveErrorCode, message: string, field: string | null = null) => new DomainError(code, message, field);

export type ScheduleTrainingInput = { title: string; scheduledAt: Date; productIds: string[]; coverKey?: string | null; playbackUrl?: string | null };

/**
 * A supplier schedules a training live (培训直播) for merchants: title, start time, an optional cover
 * (an image this person uploaded) and the shelf — the supplier's own active products, with no
 * listing and no consumer price (nothing is sold in a training room). One transaction: a bad
 * product or cover writes nothing.
 */
export async function scheduleTrainingLive(ctx: Ctx, supplierId: string, hostUserId: string, input: ScheduleTrainingInput): Promise<LiveRow> {
  const productIds = input.productIds.map((id) => id.toLowerCase());
  const problem = checkLiveDraft({ title: input.title, scheduledAt: input.scheduledAt, listingIds: productIds, now: ctx.now });
  if (problem) throw fail(problem.code, problem.message, problem.field === "listingIds" ? "productIds" : problem.field);
  if (input.playbackUrl && !isPlayableUrl(input.playbackUrl)) throw fail("INVALID_PLAYBACK_URL", "播放地址需为 https 的 HLS（.m3u8）地址", "playbackUrl");
  if (!productIds.every(isUuid)) throw fail("PRODUCT_NOT_FOUND", "只能选择本供应商在售的商品", "productIds");
  const own = productIds.length
    ? await ctx.db
        .select({ id: products.id })
        .from(products)
        .where(and(inArray(products.id, productIds), eq(products.supplierId, supplierId), eq(products.status, "ACTIVE")))
    : [];
  if (own.length !== productIds.length) throw fail("PRODUCT_NOT_FOUND", "只能选择本供应商在售的商品", "productIds");
  if (input.coverKey) {
    const [cover] = await ctx.db.select().from(files).where(and(eq(files.key, input.coverKey), eq(files.ownerUserId, hostUserId)));
    if (!cover || !cover.contentType.startsWith("image/")) throw fail("INVALID_COVER", "封面图片不存在，请重新上传", "coverKey");
  }
  return ctx.db.transaction(async (tx) => {
    const [live] = await tx
      .insert(lives)
      .values({ kind: "TRAINING", supplierId, hostUserId, title: input.title.trim(), scheduledAt: input.scheduledAt, playbackUrl: input.playbackUrl ?? null, coverKey: input.coverKey ?? null, createdAt: ctx.now })
      .returning();
    if (productIds.length) {
      await tx.insert(liveProducts).values(productIds.map((productId, i) => ({ liveId: live.id, liveKind: "TRAINING" as const, listingId: null, productId, position: i, createdAt: ctx.now })));
    }
    return live;
  });
}

export type TrainingSku = { skuId: string; label: string; supplyPrice: number; suggestedPrice: number; stock: number };
export type TrainingShelfItem = {
  productId: string;
  title: string;
  imageKey: string | null;
  onShelf: boolean;
  position: number;
  skus: TrainingSku[];
  /** The supplier's latest live script for the product (selling points, script, material pack), if any. */
  script: typeof liveScripts.$inferSelect | null;
};

/**
 * A training room's shelf as merchants see it: the supplier's products in order with each SKU's
 * supply and suggested price, and the product's latest live script. Never served to consumers.
 */
export async function trainingShelfView(db: Db, liveId: string): Promise<TrainingShelfItem[]> {
  return (await trainingShelvesByLiveIds(db, [liveId]))[0];
}

const ORDER = [
  sql`case ${lives.status} when 'LIVE' then 0 when 'SCHEDULED' then 1 else 2 end`,
  sql`case when ${lives.status} = 'ENDED' then -extract(epoch from ${lives.endedAt}) else extract(epoch from ${lives.scheduledAt}) end`,
];

type Window = { offset: number; limit: number };

/**
 * Training lives every merchant may enter: live now and upcoming first, then replays (not taken
 * down); one page of `limit + 1` rows (the extra one says whether there is a next page). The id
 * breaks ties so pages never overlap.
 */
export function trainingLivesForMerchants(db: Db, window: Window): Promise<LiveRow[]> {
  return db
    .select()
    .from(lives)
    .where(and(eq(lives.kind, "TRAINING"), sql`${lives.status} <> 'CANCELLED'`, sql`${lives.replayHiddenAt} is null`))
    .orderBy(...ORDER, asc(lives.id))
    .offset(window.offset)
    .limit(window.limit + 1);
}

/** A supplier's own training lives, newest scheduled first; one page of `limit + 1` rows. */
export function supplierTrainingLives(db: Db, supplierId: string, window: Window): Promise<LiveRow[]> {
  return db
    .select()
    .from(lives)
    .where(and(eq(lives.kind, "TRAINING"), eq(lives.supplierId, supplierId)))
    .orderBy(desc(lives.scheduledAt), asc(lives.id))
    .offset(window.offset)
    .limit(window.limit + 1);
}

/** One of a supplier's training lives, or null (another supplier's is the same null). */
export async function supplierTrainingLive(db: Db, supplierId: string, liveId: string): Promise<LiveRow | null> {
  if (!isUuid(liveId)) return null;
  const [live] = await db.select().from(lives).where(and(eq(lives.id, liveId), eq(lives.kind, "TRAINING"), eq(lives.supplierId, supplierId)));
  return live ?? null;
}
