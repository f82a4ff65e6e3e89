import { Arg, Authorized, Ctx as C, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { liveProducts, lives, stores } from "@/db/schema";
import { Permission } from "../core/permissions";
import { storeIdOf, viewerOf, type Ctx } from "../core/context";
import { DomainError } from "../core/errors";
import { Money } from "../core/money.type";
import { runMutation } from "../core/payload";
import { isUuid } from "../core/ids";
import { moderate } from "./moderation.rules";
import { AnchorErrorCode, reviewAnchor } from "./anchor.service";
import { endLive, hideReplay, replayChapters } from "./live.service";
import { addModerationWord, banViewer, currentMatcher, reviewHeldComment, writerOf } from "./live-comment.service";
import { addedWords, anchorApplications, heldComments, livesForOperator, type AnchorApplicationRow } from "./live-admin.service";
import { LiveErrorCode } from "./live.rules";
import { AnchorApplication, HeldLiveComment, LivePayload } from "./live.types";
import { toMerchantLive } from "./live-fields.resolver";
import { forgetLive } from "./room-fields";
import {
  AdCopyCheck,
  AdCopyHit,
  AnchorDecision,
  LiveBanKind,
  LiveModerationErrorCode,
  LiveModerationPayload,
  ModerationCategory,
  ModerationWordView,
  OperatorLive,
  ProductLiveChapter,
  ReviewAnchorPayload,
} from "./live-admin.types";

const ANCHOR_CODES = { ...AnchorErrorCode, IDENTITY_MISMATCH: "IDENTITY_MISMATCH", INVALID_NAME: "INVALID_NAME", INVALID_ID_NUMBER: "INVALID_ID_NUMBER", ID_NUMBER_IN_USE: "ID_NUMBER_IN_USE", REAL_NAME_LOCKED: "REAL_NAME_LOCKED" } as const;

const toApplication = (r: AnchorApplicationRow) => Object.assign(new AnchorApplication(), { ...r, gmv: Money.of(r.gmv) });

async function moderation(run: () => Promise<unknown>): Promise<LiveModerationPayload> {
  const { result, errors } = await runMutation(LiveModerationErrorCode, async () => {
    await run();
    return true;
  });
  return Object.assign(new LiveModerationPayload(), { ok: result === true, errors });
}

async function operatorLivePayload(ctx: Ctx, run: () => Promise<typeof lives.$inferSelect>) {
  const { result, errors } = await runMutation(LiveErrorCode, run);
  if (result) forgetLive(ctx, result.id);
  return Object.assign(new LivePayload(), { live: result ? toMerchantLive(result) : null, errors });
}

/** The platform's live console: anchor certification, held comments, takedowns, word lists. Audited. */
@Authorized(Permission.PLATFORM_ADMIN)
@Resolver()
export class LiveAdminResolver {
  @Query(() => [AnchorApplication], { description: "Anchor applications (newest first), optionally of one status" })
  async anchorApplications(@C() ctx: Ctx, @Arg("status", () => String, { nullable: true }) status?: string | null) {
    return (await anchorApplications(ctx.db, { status: status || null })).map(toApplication);
  }

  @Mutation(() => ReviewAnchorPayload, { description: "Approve (tier 1–5), reject or suspend an anchor; a note is required unless approving" })
  async reviewAnchor(
    @C() ctx: Ctx,
    @Arg("userId", () => ID) userId: string,
    @Arg("status", () => AnchorDecision) status: keyof typeof AnchorDecision,
    @Arg("tier", () => Int, { nullable: true }) tier?: number | null,
    @Arg("note", () => String, { nullable: true }) note?: string | null,
  ) {
    const id = userId.toLowerCase();
    const { result, errors } = await runMutation(ANCHOR_CODES, () => reviewAnchor(ctx, viewerOf(ctx).userId, id, { status, tier: tier ?? undefined, note }));
    const [row] = result ? await anchorApplications(ctx.db, { userId: id }) : [];
    return Object.assign(new ReviewAnchorPayload(), { anchor: row ? toApplication(row) : null, errors });
  }

  @Query(() => [HeldLiveComment], { description: "Comments the filter held, waiting for a decision (oldest first)" })
  async heldLiveComments(@C() ctx: Ctx) {
    const rows = await heldComments(ctx.db);
    return rows.map((r) =>
      Object.assign(new HeldLiveComment(), {
        id: r.comment.id,
        liveId: r.comment.liveId,
        liveTitle: r.liveTitle,
        nickname: r.nickname,
        original: r.comment.original,
        terms: [...new Set(r.comment.hits.map((h) => h.term))],
        createdAt: r.comment.createdAt,
      }),
    );
  }

  @Mutation(() => LiveModerationPayload, { description: "Release a held comment to the room, or reject it" })
  async reviewHeldComment(@C() ctx: Ctx, @Arg("commentId", () => ID) commentId: string, @Arg("release", () => Boolean) release: boolean) {
    return moderation(() => reviewHeldComment(ctx, viewerOf(ctx).userId, commentId.toLowerCase(), release));
  }

  @Query(() => [OperatorLive], { description: "Lives on air now, then the latest replays" })
  async operatorLives(@C() ctx: Ctx) {
    return (await livesForOperator(ctx.db)).map(({ live, host }) =>
      Object.assign(new OperatorLive(), {
        id: live.id,
        title: live.title,
        status: live.status,
        hostName: host,
        startedAt: live.startedAt,
        endedAt: live.endedAt,
        peakViewers: live.peakViewers,
        endReason: live.endReason,
        replayHidden: live.replayHiddenAt !== null,
        replayHiddenReason: live.replayHiddenReason,
      }),
    );
  }

  @Mutation(() => LivePayload, { description: "End someone's live (platform takedown) with a reason shown to viewers" })
  async operatorEndLive(@C() ctx: Ctx, @Arg("liveId", () => ID) liveId: string, @Arg("reason", () => String) reason: string) {
    return operatorLivePayload(ctx, () => endLive(ctx, { operator: true }, viewerOf(ctx).userId, liveId.toLowerCase(), reason));
  }

  @Mutation(() => LivePayload, { description: "Take a replay down (video and chapters no longer served), with a reason" })
  async hideReplay(@C() ctx: Ctx, @Arg("liveId", () => ID) liveId: string, @Arg("reason", () => String) reason: string) {
    return operatorLivePayload(ctx, () => hideReplay(ctx, viewerOf(ctx).userId, liveId.toLowerCase(), reason));
  }

  @Query(() => [ModerationWordView], { description: "Words operators added to the shipped lists" })
  async moderationWords(@C() ctx: Ctx) {
    return (await addedWords(ctx.db)).map((w) => Object.assign(new ModerationWordView(), { id: w.id, category: w.category, term: w.term, createdAt: w.createdAt }));
  }

  @Mutation(() => LiveModerationPayload, { description: "Add a word to a list (effective on every instance within 30 s)" })
  async addModerationWord(@C() ctx: Ctx, @Arg("category", () => ModerationCategory) category: keyof typeof ModerationCategory, @Arg("term", () => String) term: string) {
    return moderation(() => addModerationWord(ctx, viewerOf(ctx).userId, category, term));
  }
}

/** The host mutes or blocks a viewer of their live, named directly or by one of their comments. */
@Authorized(Permission.STORE_MANAGE)
@Resolver()
export class MerchantLiveModerationResolver {
  @Mutation(() => LiveModerationPayload, { description: "Mute (no comments) or block (out of the room) a viewer of my live" })
  async banLiveViewer(
    @C() ctx: Ctx,
    @Arg("liveId", () => ID) liveId: string,
    @Arg("kind", () => LiveBanKind) kind: keyof typeof LiveBanKind,
    @Arg("userId", () => ID, { nullable: true }) userId?: string | null,
    @Arg("commentId", () => ID, { nullable: true, description: "Instead of userId: the writer of this comment in the live" }) commentId?: string | null,
  ) {
    return moderation(async () => {
      const id = liveId.toLowerCase();
      let target = userId?.toLowerCase() ?? null;
      if (!target && commentId) target = await writerOf(ctx.db, id, commentId.toLowerCase());
      if (!target) throw new DomainError("VIEWER_NOT_FOUND", "找不到该观众", commentId ? "commentId" : "userId");
      await banViewer(ctx, { storeId: storeIdOf(ctx) }, id, target, kind, viewerOf(ctx).userId);
    });
  }
}

/** Advertising Law check of product and live copy, for the people who write it. */
@Authorized(Permission.STORE_MANAGE, Permission.CATALOG_MANAGE)
@Resolver()
export class AdCopyResolver {
  @Query(() => AdCopyCheck, { description: "Words in the text the Advertising Law forbids (最/第一/国家级…) or the filter lists, with their positions" })
  async checkAdCopy(@C() ctx: Ctx, @Arg("text", () => String) text: string) {
    const verdict = moderate(text.slice(0, 5_000), await currentMatcher(ctx.db, ctx.now), "AD_COPY");
    const hits = verdict.hits.map((h) => Object.assign(new AdCopyHit(), { term: h.term, category: h.category, start: h.start, end: h.end, text: h.text }));
    return Object.assign(new AdCopyCheck(), { ok: hits.length === 0, hits });
  }
}

/** 直播讲解 on a product page: the replay chapters of this store's lives where the product was explained. */
@Authorized(Permission.PUBLIC)
@Resolver()
export class ShopProductChaptersResolver {
  @Query(() => [ProductLiveChapter], { description: "Replay chapters explaining this product (a ShopProduct id), newest live first" })
  async shopProductChapters(@C() ctx: Ctx, @Arg("storeSlug", () => String) storeSlug: string, @Arg("id", () => ID) id: string) {
    if (!isUuid(id)) return [];
    const rows = await ctx.db
      .select({ live: lives, productId: liveProducts.productId })
      .from(lives)
      .innerJoin(stores, eq(stores.id, lives.storeId))
      .innerJoin(liveProducts, and(eq(liveProducts.liveId, lives.id), eq(liveProducts.listingId, id.toLowerCase())))
      .where(and(eq(stores.slug, storeSlug), eq(lives.status, "ENDED"), isNull(lives.replayHiddenAt), sql`${lives.replayUrl} is not null`))
      .orderBy(desc(lives.endedAt))
      .limit(5);
    const chapters = await Promise.all(rows.map(async ({ live, productId }) => (await replayChapters(ctx.db, live)).filter((c) => c.productId === productId).map((c) => ({ ...c, live }))));
    return chapters.flat().map((c) => Object.assign(new ProductLiveChapter(), { liveId: c.live.id, liveTitle: c.live.title, startMs: c.startMs, endMs: c.endMs }));
  }
}
