import { Arg, Authorized, Ctx as C, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import { and, eq, sql } from "drizzle-orm";
import { anchors, lives, realNames } from "@/db/schema";
import { Permission } from "../core/permissions";
import { storeIdOf, viewerOf, type Ctx } from "../core/context";
import { runMutation } from "../core/payload";
import { isUuid } from "../core/ids";
import { hitRateLimits } from "../platform/rate-limit";
import { publishEphemeral } from "./live-bus";
import { CommentErrorCode, LiveErrorCode } from "./live.rules";
import { AnchorErrorCode, applyForAnchor } from "./anchor.service";
import { announceLive, endLive, markSoldOut, pinProduct, reserveLive, scheduleLive, setCommentsMuted, setOnShelf, startLive, changeLivePrice, type LiveRow } from "./live.service";
import { moderateComment, postComment, recordBehaviour } from "./live-comment.service";
import { enterableLive, shelfView, storeLives } from "./live-room.service";
import { createLiveCoupon, createLiveTask, LiveMarketingErrorCode } from "./live-marketing.service";
import { CouponErrorCode } from "../marketing/coupon.rules";
import { CreateCouponInput } from "../marketing/coupon.types";
import { forgetLive, toCommentView, toRoom } from "./room-fields";
import { toMerchantLive } from "./live-fields.resolver";
import { AnchorPayload, AnchorStatus, LivePayload, LiveMarketingPayload, MerchantLive, PostLiveCommentPayload, ScheduleLiveInput, ShopLive } from "./live.types";

/** Rooms and replays (public, training lives only to merchants), 预约, comments and likes. */
@Resolver()
export class ShopLiveResolver {
  @Authorized(Permission.PUBLIC)
  @Query(() => ShopLive, { nullable: true, description: "A live room or its replay" })
  async shopLive(@C() ctx: Ctx, @Arg("id", () => ID) id: string) {
    const live = await enterableLive(ctx.db, id.toLowerCase(), ctx.viewer);
    // A training room is described only by TrainingLive (supply prices, scripts): never through this public type.
    return live && live.kind === "SALES" ? toRoom(new ShopLive(), live, ctx.viewer?.userId ?? null) : null;
  }

  @Authorized(Permission.PUBLIC)
  @Query(() => [ShopLive], { description: "A store's lives: live now, upcoming, then replays" })
  async shopStoreLives(@C() ctx: Ctx, @Arg("storeSlug", () => String) storeSlug: string) {
    const rows = (await storeLives(ctx.db, storeSlug)) ?? [];
    return rows.map((l) => toRoom(new ShopLive(), l, ctx.viewer?.userId ?? null));
  }

  @Authorized(Permission.SHOP_BUY)
  @Mutation(() => Boolean, { description: "预约: be notified when this live starts" })
  async reserveLive(@C() ctx: Ctx, @Arg("liveId", () => ID) liveId: string) {
    const live = await enterableLive(ctx.db, liveId.toLowerCase(), ctx.viewer);
    if (!live) return false;
    await reserveLive(ctx, viewerOf(ctx).userId, live.id);
    return true;
  }

  @Authorized(Permission.SIGNED_IN)
  @Mutation(() => PostLiveCommentPayload, { description: "Comment in a live room (filtered before anyone sees it)" })
  async postLiveComment(@C() ctx: Ctx, @Arg("liveId", () => ID) liveId: string, @Arg("text", () => String) text: string) {
    const viewer = viewerOf(ctx);
    const live = await enterableLive(ctx.db, liveId.toLowerCase(), viewer);
    if (!live) return Object.assign(new PostLiveCommentPayload(), { comment: null, errors: [{ code: "LIVE_NOT_FOUND", message: "直播不存在", field: "liveId" }] });
    const { result, errors } = await runMutation(CommentErrorCode, () => postComment(ctx, viewer.userId, live.id, text));
    return Object.assign(new PostLiveCommentPayload(), { comment: result ? toCommentView(result, viewer.nickname) : null, errors });
  }

  @Authorized(Permission.PUBLIC)
  @Mutation(() => Int, { description: "Likes (taps are batched by the client, at most 50 per call); returns the room's total" })
  async likeLive(@C() ctx: Ctx, @Arg("liveId", () => ID) liveId: string, @Arg("taps", () => Int) taps: number) {
    const live = await enterableLive(ctx.db, liveId.toLowerCase(), ctx.viewer);
    if (!live || live.status !== "LIVE") return 0;
    // Taps arrive batched (a few calls a second per viewer at most); more than that from one address is a script.
    if (!(await hitRateLimits(ctx.db, [{ key: `like:${ctx.ip}`, limit: 60, windowMs: 10_000 }], ctx.now))) return Number(live.likeCount);
    const n = Math.max(1, Math.min(50, Math.trunc(taps) || 1));
    const [row] = await ctx.db.update(lives).set({ likeCount: sql`${lives.likeCount} + ${n}` }).where(eq(lives.id, live.id)).returning({ likes: lives.likeCount });
    await publishEphemeral(ctx.db, live.id, "LIKES", { total: Number(row.likes) }, ctx.now);
    if (ctx.viewer) await recordBehaviour(ctx.db, ctx.viewer.userId, { kind: "LIKE", liveId: live.id, value: n }, ctx.now);
    return Number(row.likes);
  }

  @Authorized(Permission.SIGNED_IN)
  @Mutation(() => Boolean, { description: "A viewer opened a product from the room (behaviour event)" })
  async clickLiveProduct(@C() ctx: Ctx, @Arg("liveId", () => ID) liveId: string, @Arg("productId", () => ID) productId: string) {
    if (!isUuid(productId)) return false;
    // Only a product on the shelf of a room this viewer may enter counts (the store's click stats).
    const live = await enterableLive(ctx.db, liveId.toLowerCase(), ctx.viewer);
    if (!live || !(await shelfView(ctx.db, live.id)).some((p) => p.productId === productId.toLowerCase())) return false;
    await recordBehaviour(ctx.db, viewerOf(ctx).userId, { kind: "PRODUCT_CLICK", liveId: live.id, productId: productId.toLowerCase() }, ctx.now);
    return true;
  }
}

/** The merchant's lives and host console. Only their own store's. */
@Authorized(Permission.STORE_MANAGE)
@Resolver()
export class MerchantLiveResolver {
  @Query(() => [MerchantLive], { description: "My store's lives, newest first, with counters" })
  async merchantLives(@C() ctx: Ctx) {
    const rows = await ctx.db.select().from(lives).where(eq(lives.storeId, storeIdOf(ctx))).orderBy(sql`${lives.scheduledAt} desc`).limit(50);
    return rows.map(toMerchantLive);
  }

  @Query(() => MerchantLive, { nullable: true })
  async merchantLive(@C() ctx: Ctx, @Arg("id", () => ID) id: string) {
    if (!isUuid(id)) return null;
    const [live] = await ctx.db.select().from(lives).where(and(eq(lives.id, id.toLowerCase()), eq(lives.storeId, storeIdOf(ctx))));
    return live ? toMerchantLive(live) : null;
  }

  @Mutation(() => LivePayload, { description: "Schedule a live: shelf and live-only prices (never below the listing floor)" })
  async scheduleLive(@C() ctx: Ctx, @Arg("input", () => ScheduleLiveInput) input: ScheduleLiveInput) {
    return livePayload(ctx, () => scheduleLive(ctx, storeIdOf(ctx), viewerOf(ctx).userId, input));
  }

  @Mutation(() => LivePayload, { description: "Go live (certified anchors only); reservers are notified" })
  async startLive(@C() ctx: Ctx, @Arg("liveId", () => ID) liveId: string, @Arg("playbackUrl", () => String, { nullable: true }) playbackUrl?: string | null) {
    return livePayload(ctx, () => startLive(ctx, { storeId: storeIdOf(ctx) }, viewerOf(ctx).userId, liveId.toLowerCase(), playbackUrl));
  }

  @Mutation(() => LivePayload, { description: "End the live; it becomes a replay with chapters" })
  async endLive(@C() ctx: Ctx, @Arg("liveId", () => ID) liveId: string) {
    return livePayload(ctx, () => endLive(ctx, { storeId: storeIdOf(ctx) }, viewerOf(ctx).userId, liveId.toLowerCase()));
  }

  @Mutation(() => LivePayload, { description: "Pin a shelf product (讲解中), or unpin with productId null" })
  async pinLiveProduct(@C() ctx: Ctx, @Arg("liveId", () => ID) liveId: string, @Arg("productId", () => ID, { nullable: true }) productId?: string | null) {
    return livePayload(ctx, async () => {
      await pinProduct(ctx, { storeId: storeIdOf(ctx) }, liveId.toLowerCase(), productId?.toLowerCase() ?? null);
      return ownLive(ctx, liveId);
    });
  }

  @Mutation(() => LivePayload, { description: "Put a product on or off the live shelf" })
  async setLiveShelf(@C() ctx: Ctx, @Arg("liveId", () => ID) liveId: string, @Arg("productId", () => ID) productId: string, @Arg("onShelf", () => Boolean) onShelf: boolean) {
    return livePayload(ctx, async () => {
      await setOnShelf(ctx, { storeId: storeIdOf(ctx) }, liveId.toLowerCase(), productId.toLowerCase(), onShelf);
      return ownLive(ctx, liveId);
    });
  }

  @Mutation(() => LivePayload, { description: "标记售罄: mark a shelf product sold out in the room (no checkout from the room until unmarked; stock untouched), or unmark it" })
  async markLiveSoldOut(@C() ctx: Ctx, @Arg("liveId", () => ID) liveId: string, @Arg("productId", () => ID) productId: string, @Arg("soldOut", () => Boolean) soldOut: boolean) {
    return livePayload(ctx, async () => {
      await markSoldOut(ctx, { storeId: storeIdOf(ctx) }, liveId.toLowerCase(), productId.toLowerCase(), soldOut);
      return ownLive(ctx, liveId);
    });
  }

  @Mutation(() => LivePayload, { description: "全员禁言: switch the audience's comments off (muted true) or back on; the host can still comment" })
  async setLiveCommentsMuted(@C() ctx: Ctx, @Arg("liveId", () => ID) liveId: string, @Arg("muted", () => Boolean) muted: boolean) {
    return livePayload(ctx, () => setCommentsMuted(ctx, { storeId: storeIdOf(ctx) }, liveId.toLowerCase(), muted));
  }

  @Mutation(() => LivePayload, { description: "Change a live-only price (same floor rules)" })
  async changeLivePrice(@C() ctx: Ctx, @Arg("liveId", () => ID) liveId: string, @Arg("skuId", () => ID) skuId: string, @Arg("livePrice", () => Int) livePrice: number) {
    return livePayload(ctx, async () => {
      await changeLivePrice(ctx, { storeId: storeIdOf(ctx) }, liveId.toLowerCase(), { skuId, livePrice });
      return ownLive(ctx, liveId);
    });
  }

  @Mutation(() => LiveMarketingPayload, { description: "A live-only coupon (直播专享券): claimable only in this room while it is live, or as a task's reward" })
  async createLiveCoupon(@C() ctx: Ctx, @Arg("liveId", () => ID) liveId: string, @Arg("input", () => CreateCouponInput) input: CreateCouponInput) {
    const { result, errors } = await runMutation({ ...LiveMarketingErrorCode, ...CouponErrorCode }, () =>
      createLiveCoupon(ctx, storeIdOf(ctx), viewerOf(ctx).userId, liveId.toLowerCase(), { ...input, capFen: input.capFen ?? null, productIds: input.productIds?.map((p) => p.toLowerCase()) ?? null }),
    );
    return Object.assign(new LiveMarketingPayload(), { id: result?.id ?? null, errors });
  }

  @Mutation(() => LiveMarketingPayload, { description: "邀请好友看直播: bring N new viewers → unlock a live-only coupon" })
  async createLiveTask(@C() ctx: Ctx, @Arg("liveId", () => ID) liveId: string, @Arg("couponId", () => ID) couponId: string, @Arg("inviteTarget", () => Int) inviteTarget: number) {
    const { result, errors } = await runMutation(LiveMarketingErrorCode, () => createLiveTask(ctx, storeIdOf(ctx), liveId.toLowerCase(), { couponId: couponId.toLowerCase(), inviteTarget }));
    return Object.assign(new LiveMarketingPayload(), { id: result?.id ?? null, errors });
  }

  @Mutation(() => LivePayload, { description: "Announce to the room (公告, 2–60 characters; refused with the words named if the filter or the Advertising Law objects)" })
  async announceLive(@C() ctx: Ctx, @Arg("liveId", () => ID) liveId: string, @Arg("text", () => String) text: string) {
    return livePayload(ctx, async () => {
      await announceLive(ctx, { storeId: storeIdOf(ctx) }, liveId.toLowerCase(), text);
      return ownLive(ctx, liveId);
    });
  }

  @Mutation(() => Boolean, { description: "Delete or pin a comment in my live" })
  async moderateLiveComment(@C() ctx: Ctx, @Arg("commentId", () => ID) commentId: string, @Arg("action", () => String) action: string) {
    if (action !== "DELETE" && action !== "PIN") return false;
    await moderateComment(ctx, { storeId: storeIdOf(ctx) }, commentId.toLowerCase(), action, viewerOf(ctx).userId);
    return true;
  }
}

async function ownLive(ctx: Ctx, liveId: string): Promise<LiveRow> {
  const [live] = await ctx.db.select().from(lives).where(eq(lives.id, liveId.toLowerCase()));
  return live;
}

async function livePayload(ctx: Ctx, run: () => Promise<LiveRow>) {
  const { result, errors } = await runMutation(LiveErrorCode, run);
  if (result) forgetLive(ctx, result.id);
  return Object.assign(new LivePayload(), { live: result ? toMerchantLive(result) : null, errors });
}

/** Anchor certification, as the applicant sees it. */
@Resolver()
export class AnchorResolver {
  @Authorized(Permission.SIGNED_IN)
  @Query(() => AnchorStatus)
  async myAnchor(@C() ctx: Ctx) {
    return anchorStatus(ctx, viewerOf(ctx).userId);
  }

  @Authorized(Permission.SIGNED_IN)
  @Mutation(() => AnchorPayload, { description: "Apply to be an anchor (real name verified now if not yet)" })
  async applyForAnchor(@C() ctx: Ctx, @Arg("name", () => String, { nullable: true }) name?: string | null, @Arg("idNumber", () => String, { nullable: true }) idNumber?: string | null) {
    const userId = viewerOf(ctx).userId;
    const codes = { ...AnchorErrorCode, IDENTITY_MISMATCH: "IDENTITY_MISMATCH", INVALID_NAME: "INVALID_NAME", INVALID_ID_NUMBER: "INVALID_ID_NUMBER", ID_NUMBER_IN_USE: "ID_NUMBER_IN_USE", REAL_NAME_LOCKED: "REAL_NAME_LOCKED" } as const;
    const { result, errors } = await runMutation(codes, () => applyForAnchor(ctx, userId, name && idNumber ? { name, idNumber } : null));
    return Object.assign(new AnchorPayload(), { anchor: result ? await anchorStatus(ctx, userId) : null, errors });
  }
}

async function anchorStatus(ctx: Ctx, userId: string): Promise<AnchorStatus> {
  const [[a], [rn]] = await Promise.all([
    ctx.db.select().from(anchors).where(eq(anchors.userId, userId)),
    ctx.db.select({ at: realNames.verifiedAt }).from(realNames).where(eq(realNames.userId, userId)),
  ]);
  return Object.assign(new AnchorStatus(), { status: a?.status ?? "NONE", tier: a?.tier ?? 0, note: a?.note ?? null, realNameVerified: Boolean(rn) });
}
