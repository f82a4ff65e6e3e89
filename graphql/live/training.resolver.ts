import { Arg, Authorized, Ctx as C, ID, Mutation, Query, Resolver } from "type-graphql";
import { count, countDistinct, eq } from "drizzle-orm";
import { liveComments, liveViewers, users } from "@/db/schema";
import { Permission } from "../core/permissions";
import { supplierIdOf, viewerOf, type Ctx } from "../core/context";
import { DomainError } from "../core/errors";
import { Money } from "../core/money.type";
import { runMutation } from "../core/payload";
import { imageUrl } from "../catalog/catalog.service";
import { LiveErrorCode } from "./live.rules";
import { announceLive, endLive, latestAnnouncement, pinnedProductId, pinProduct, replayChapters, setOnShelf, startLive, type LiveRow } from "./live.service";
import { banViewer, commentsFor, moderateComment, writerOf } from "./live-comment.service";
import { enterableLive } from "./live-room.service";
import { toCommentView } from "./live.resolver";
import { toScriptView } from "./live-script.resolver";
import { LiveBanKind, LiveModerationErrorCode, LiveModerationPayload } from "./live-admin.types";
import { LiveChapter } from "./live.types";
import { scheduleTrainingLive, supplierNameOf, supplierTrainingLive, supplierTrainingLives, trainingLivesForMerchants, trainingShelfView } from "./training.service";
import { ScheduleTrainingLiveInput, SupplierTrainingLive, TrainingLive, TrainingLivePayload, TrainingShelfItem, TrainingShelfSku } from "./training.types";

/** A training room as a merchant (or its supplier) sees it; `forUserId` also sees their own held comments. */
async function toTrainingLive(ctx: Ctx, live: LiveRow, forUserId: string | null): Promise<TrainingLive> {
  const [shelf, pinned, comments, chapters, [host], supplierName, announcement] = await Promise.all([
    trainingShelfView(ctx.db, live.id),
    live.status === "LIVE" ? pinnedProductId(ctx.db, live.id) : Promise.resolve(null),
    commentsFor(ctx.db, live.id, forUserId),
    live.status === "ENDED" ? replayChapters(ctx.db, live) : Promise.resolve([]),
    ctx.db.select({ nickname: users.nickname }).from(users).where(eq(users.id, live.hostUserId)),
    supplierNameOf(ctx.db, live.supplierId),
    live.status === "LIVE" ? latestAnnouncement(ctx.db, live.id) : Promise.resolve(null),
  ]);
  const titleOf = new Map(shelf.map((s) => [s.productId, s.title]));
  return Object.assign(new TrainingLive(), {
    id: live.id,
    title: live.title,
    status: live.status,
    hostName: host?.nickname ?? "讲师",
    supplierName,
    cover: live.coverKey ? imageUrl(live.coverKey) : null,
    scheduledAt: live.scheduledAt,
    startedAt: live.startedAt,
    endedAt: live.endedAt,
    videoUrl: live.status === "LIVE" ? live.playbackUrl : live.status === "ENDED" && !live.replayHiddenAt ? live.replayUrl : null,
    likeCount: Number(live.likeCount),
    pinnedProductId: pinned,
    shelf: shelf.map((s) =>
      Object.assign(new TrainingShelfItem(), {
        productId: s.productId,
        title: s.title,
        image: s.imageKey ? imageUrl(s.imageKey) : null,
        onShelf: s.onShelf,
        skus: s.skus.map((k) => Object.assign(new TrainingShelfSku(), { skuId: k.skuId, label: k.label, supplyPrice: Money.of(k.supplyPrice), suggestedPrice: Money.of(k.suggestedPrice), inStock: k.stock > 0 })),
        script: s.script ? toScriptView({ script: s.script, productTitle: s.title }) : null,
      }),
    ),
    comments: comments.map((r) => toCommentView(r.comment, r.nickname)),
    chapters: live.replayHiddenAt ? [] : chapters.map((c) => Object.assign(new LiveChapter(), { ...c, title: titleOf.get(c.productId) ?? "商品" })),
    announcement,
    endReason: live.endReason,
    replayHidden: live.replayHiddenAt !== null,
  });
}

async function toSupplierTrainingLive(ctx: Ctx, live: LiveRow): Promise<SupplierTrainingLive> {
  const [base, [v], [c]] = await Promise.all([
    toTrainingLive(ctx, live, null),
    ctx.db.select({ n: countDistinct(liveViewers.viewerKey) }).from(liveViewers).where(eq(liveViewers.liveId, live.id)),
    ctx.db.select({ n: count() }).from(liveComments).where(eq(liveComments.liveId, live.id)),
  ]);
  return Object.assign(new SupplierTrainingLive(), { ...base, peakViewers: live.peakViewers, uniqueViewers: Number(v.n), commentCount: Number(c.n) });
}

/** Training lives to attend: every merchant sees every supplier's (operators too); suppliers do not see each other's. */
@Authorized(Permission.STORE_MANAGE, Permission.PLATFORM_ADMIN)
@Resolver()
export class MerchantTrainingResolver {
  @Query(() => [TrainingLive], { description: "Suppliers' training lives: live now and upcoming first, then replays" })
  async trainingLives(@C() ctx: Ctx) {
    const rows = await trainingLivesForMerchants(ctx.db);
    return Promise.all(rows.map((r) => toTrainingLive(ctx, r.live, viewerOf(ctx).userId)));
  }
}

/** One training room: any merchant, the supplier running it and operators may enter (enterableLive decides); consumers cannot. */
@Authorized(Permission.STORE_MANAGE, Permission.CATALOG_MANAGE, Permission.PLATFORM_ADMIN)
@Resolver()
export class TrainingRoomResolver {
  @Query(() => TrainingLive, { nullable: true, description: "A training room or its replay (null when it does not exist or is not mine to enter)" })
  async trainingLive(@C() ctx: Ctx, @Arg("id", () => ID) id: string) {
    const live = await enterableLive(ctx.db, id.toLowerCase(), ctx.viewer);
    return live && live.kind === "TRAINING" ? toTrainingLive(ctx, live, viewerOf(ctx).userId) : null;
  }
}

async function trainingPayload(ctx: Ctx, run: () => Promise<LiveRow>) {
  const { result, errors } = await runMutation(LiveErrorCode, run);
  return Object.assign(new TrainingLivePayload(), { live: result ? await toSupplierTrainingLive(ctx, result) : null, errors });
}

/**
 * The supplier's training lives and host console: schedule, go live, pin, shelf, announcements and
 * comment moderation — the same live services as a merchant's, with the supplier as the owner, so
 * another supplier (or a merchant) gets LIVE_NOT_FOUND for every one of them.
 */
@Authorized(Permission.CATALOG_MANAGE)
@Resolver()
export class SupplierTrainingResolver {
  @Query(() => [SupplierTrainingLive], { description: "My training lives, newest first" })
  async supplierTrainingLives(@C() ctx: Ctx) {
    return Promise.all((await supplierTrainingLives(ctx.db, supplierIdOf(ctx))).map((l) => toSupplierTrainingLive(ctx, l)));
  }

  @Query(() => SupplierTrainingLive, { nullable: true, description: "One of my training lives" })
  async supplierTrainingLive(@C() ctx: Ctx, @Arg("id", () => ID) id: string) {
    const live = await supplierTrainingLive(ctx.db, supplierIdOf(ctx), id.toLowerCase());
    return live ? toSupplierTrainingLive(ctx, live) : null;
  }

  @Mutation(() => TrainingLivePayload, { description: "Schedule a training live for merchants: my products on the shelf, no prices, nothing to buy" })
  async scheduleTrainingLive(@C() ctx: Ctx, @Arg("input", () => ScheduleTrainingLiveInput) input: ScheduleTrainingLiveInput) {
    return trainingPayload(ctx, () => scheduleTrainingLive(ctx, supplierIdOf(ctx), viewerOf(ctx).userId, input));
  }

  @Mutation(() => TrainingLivePayload, { description: "Go live (no anchor certification needed for training); merchants can enter" })
  async startTrainingLive(@C() ctx: Ctx, @Arg("liveId", () => ID) liveId: string, @Arg("playbackUrl", () => String, { nullable: true }) playbackUrl?: string | null) {
    return trainingPayload(ctx, () => startLive(ctx, this.owner(ctx), viewerOf(ctx).userId, liveId.toLowerCase(), playbackUrl));
  }

  @Mutation(() => TrainingLivePayload, { description: "End the training live; it becomes a replay with chapters" })
  async endTrainingLive(@C() ctx: Ctx, @Arg("liveId", () => ID) liveId: string) {
    return trainingPayload(ctx, () => endLive(ctx, this.owner(ctx), viewerOf(ctx).userId, liveId.toLowerCase()));
  }

  @Mutation(() => TrainingLivePayload, { description: "Pin a shelf product (讲解中), or unpin with productId null; each pin is a replay chapter" })
  async pinTrainingProduct(@C() ctx: Ctx, @Arg("liveId", () => ID) liveId: string, @Arg("productId", () => ID, { nullable: true }) productId?: string | null) {
    return trainingPayload(ctx, async () => {
      await pinProduct(ctx, this.owner(ctx), liveId.toLowerCase(), productId?.toLowerCase() ?? null);
      return this.mine(ctx, liveId);
    });
  }

  @Mutation(() => TrainingLivePayload, { description: "Put a product on or off the training shelf" })
  async setTrainingShelf(@C() ctx: Ctx, @Arg("liveId", () => ID) liveId: string, @Arg("productId", () => ID) productId: string, @Arg("onShelf", () => Boolean) onShelf: boolean) {
    return trainingPayload(ctx, async () => {
      await setOnShelf(ctx, this.owner(ctx), liveId.toLowerCase(), productId.toLowerCase(), onShelf);
      return this.mine(ctx, liveId);
    });
  }

  @Mutation(() => TrainingLivePayload, { description: "Announce to the room (公告; refused naming the words if the filter or the Advertising Law objects)" })
  async announceTrainingLive(@C() ctx: Ctx, @Arg("liveId", () => ID) liveId: string, @Arg("text", () => String) text: string) {
    return trainingPayload(ctx, async () => {
      await announceLive(ctx, this.owner(ctx), liveId.toLowerCase(), text);
      return this.mine(ctx, liveId);
    });
  }

  @Mutation(() => Boolean, { description: "Delete or pin a comment in my training live" })
  async moderateTrainingComment(@C() ctx: Ctx, @Arg("commentId", () => ID) commentId: string, @Arg("action", () => String) action: string) {
    if (action !== "DELETE" && action !== "PIN") return false;
    await moderateComment(ctx, this.owner(ctx), commentId.toLowerCase(), action, viewerOf(ctx).userId);
    return true;
  }

  @Mutation(() => LiveModerationPayload, { description: "Mute (no comments) or block (out of the room) a viewer of my training live, by one of their comments" })
  async banTrainingViewer(@C() ctx: Ctx, @Arg("liveId", () => ID) liveId: string, @Arg("commentId", () => ID) commentId: string, @Arg("kind", () => LiveBanKind) kind: keyof typeof LiveBanKind) {
    const { result, errors } = await runMutation(LiveModerationErrorCode, async () => {
      const id = liveId.toLowerCase();
      const target = await writerOf(ctx.db, id, commentId.toLowerCase());
      if (!target) throw new DomainError("VIEWER_NOT_FOUND", "找不到该观众", "commentId");
      await banViewer(ctx, this.owner(ctx), id, target, kind, viewerOf(ctx).userId);
      return true;
    });
    return Object.assign(new LiveModerationPayload(), { ok: result === true, errors });
  }

  private owner(ctx: Ctx) {
    return { supplierId: supplierIdOf(ctx) };
  }

  /** The live after a change (the service already proved it is this supplier's). */
  private async mine(ctx: Ctx, liveId: string): Promise<LiveRow> {
    return (await supplierTrainingLive(ctx.db, supplierIdOf(ctx), liveId.toLowerCase()))!;
  }
}
