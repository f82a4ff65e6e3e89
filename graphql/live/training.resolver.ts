import { Arg, Authorized, Ctx as C, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, type ClassType } from "type-graphql";
import { Permission } from "../core/permissions";
import { pageWindow, toPage } from "../core/connection";
import { supplierIdOf, viewerOf, type Ctx } from "../core/context";
import { DomainError } from "../core/errors";
import { Money } from "../core/money.type";
import { runMutation } from "../core/payload";
import { imageUrl } from "../catalog/catalog.service";
import { LiveErrorCode } from "./live.rules";
import { announceLive, endLive, pinProduct, reserveLive, setCommentsMuted, setOnShelf, startLive, type LiveRow } from "./live.service";
import { banViewer, moderateComment, writerOf } from "./live-comment.service";
import { enterableLive } from "./live-room.service";
import { forgetLive, liveRoomFields, toRoom } from "./room-fields";
import { toScriptView } from "./live-script.resolver";
import { LiveBanKind, LiveModerationErrorCode, LiveModerationPayload } from "./live-admin.types";
import { scheduleTrainingLive, supplierTrainingLive, supplierTrainingLives, trainingLivesForMerchants, type TrainingShelfItem as ShelfRow } from "./training.service";
import {
  ScheduleTrainingLiveInput,
  SupplierTrainingLive,
  SupplierTrainingLiveConnection,
  TrainingLive,
  TrainingLiveConnection,
  TrainingLivePayload,
  TrainingReservationPayload,
  TrainingShelfItem,
  TrainingShelfSku,
} from "./training.types";

const toSupplierTrainingLive = (live: LiveRow) => Object.assign(toRoom(new SupplierTrainingLive(), live, null), { peakViewers: live.peakViewers });

const toShelfItem = (s: ShelfRow) =>
  Object.assign(new TrainingShelfItem(), {
    productId: s.productId,
    title: s.title,
    image: s.imageKey ? imageUrl(s.imageKey) : null,
    onShelf: s.onShelf,
    skus: s.skus.map((k) => Object.assign(new TrainingShelfSku(), { skuId: k.skuId, label: k.label, supplyPrice: Money.of(k.supplyPrice), suggestedPrice: Money.of(k.suggestedPrice), inStock: k.stock > 0 })),
    script: s.script ? toScriptView({ script: s.script, productTitle: s.title }) : null,
  });

/** Who may read a training live's relations: whoever may reach a TrainingLive at all. */
const READERS = [Permission.STORE_MANAGE, Permission.CATALOG_MANAGE, Permission.PLATFORM_ADMIN];

/**
 * A training live's own relations on top of every room's (room-fields.ts): its supplier, its shelf
 * with supply prices and scripts, and how many merchants reserved it. Shared by TrainingLive and
 * SupplierTrainingLive.
 */
function trainingLiveFields<T extends TrainingLive>(of: ClassType<T>) {
  @Resolver(() => of)
  abstract class TrainingLiveFieldsBase extends liveRoomFields(of, READERS, { hostFallback: "讲师", shelfTitles: (ctx, id) => ctx.loaders.trainingShelf.load(id) }) {
    @Authorized(...READERS)
    @FieldResolver(() => String)
    supplierName(@Root() l: T, @C() ctx: Ctx) {
      return l.row.supplierId ? ctx.loaders.supplierName.load(l.row.supplierId) : "";
    }

    @Authorized(...READERS)
    @FieldResolver(() => [TrainingShelfItem])
    async shelf(@Root() l: T, @C() ctx: Ctx) {
      return (await ctx.loaders.trainingShelf.load(l.id)).map(toShelfItem);
    }

    @Authorized(...READERS)
    @FieldResolver(() => Int, { description: "How many merchants reserved it" })
    reservationCount(@Root() l: T, @C() ctx: Ctx) {
      return ctx.loaders.reservationCount.load(l.id);
    }
  }
  return TrainingLiveFieldsBase;
}

@Resolver(() => TrainingLive)
export class TrainingLiveFieldsResolver extends trainingLiveFields(TrainingLive) {}

/** The host's counters on top of the shared relations. */
@Resolver(() => SupplierTrainingLive)
export class SupplierTrainingLiveFieldsResolver extends trainingLiveFields(SupplierTrainingLive) {
  @Authorized(Permission.CATALOG_MANAGE)
  @FieldResolver(() => Int)
  async uniqueViewers(@Root() l: SupplierTrainingLive, @C() ctx: Ctx) {
    return (await ctx.loaders.roomCounts.load(l.id)).uniqueViewers;
  }

  @Authorized(Permission.CATALOG_MANAGE)
  @FieldResolver(() => Int)
  async commentCount(@Root() l: SupplierTrainingLive, @C() ctx: Ctx) {
    return (await ctx.loaders.roomCounts.load(l.id)).commentCount;
  }
}

/** Training lives to attend: every merchant sees every supplier's (operators too); suppliers do not see each other's. */
@Authorized(Permission.STORE_MANAGE, Permission.PLATFORM_ADMIN)
@Resolver()
export class MerchantTrainingResolver {
  @Query(() => TrainingLiveConnection, { description: "Suppliers' training lives: live now and upcoming first, then replays" })
  async trainingLives(@C() ctx: Ctx, @Arg("first", () => Int, { nullable: true }) first?: number, @Arg("after", () => String, { nullable: true }) after?: string) {
    const window = pageWindow(first, after);
    const page = toPage(await trainingLivesForMerchants(ctx.db, window), window);
    const me = viewerOf(ctx).userId;
    return { nodes: page.nodes.map((l) => toRoom(new TrainingLive(), l, me)), pageInfo: page.pageInfo };
  }

  @Authorized(Permission.STORE_MANAGE)
  @Mutation(() => TrainingReservationPayload, { description: "预约 a scheduled training live: I am notified (消息中心) when it starts. Idempotent" })
  async reserveTrainingLive(@C() ctx: Ctx, @Arg("liveId", () => ID) liveId: string) {
    const { result, errors } = await runMutation(LiveErrorCode, async () => {
      const live = await enterableLive(ctx.db, liveId.toLowerCase(), ctx.viewer);
      if (!live || live.kind !== "TRAINING") throw new DomainError("LIVE_NOT_FOUND", "直播不存在", "liveId");
      await reserveLive(ctx, viewerOf(ctx).userId, live.id, "TRAINING");
      ctx.loaders.reserved.clearAll();
      ctx.loaders.reservationCount.clear(live.id);
      return toRoom(new TrainingLive(), live, viewerOf(ctx).userId);
    });
    return Object.assign(new TrainingReservationPayload(), { live: result, errors });
  }
}

/** One training room: any merchant, the supplier running it and operators may enter (enterableLive decides); consumers cannot. */
@Authorized(Permission.STORE_MANAGE, Permission.CATALOG_MANAGE, Permission.PLATFORM_ADMIN)
@Resolver()
export class TrainingRoomResolver {
  @Query(() => TrainingLive, { nullable: true, description: "A training room or its replay (null when it does not exist or is not mine to enter)" })
  async trainingLive(@C() ctx: Ctx, @Arg("id", () => ID) id: string) {
    const live = await enterableLive(ctx.db, id.toLowerCase(), ctx.viewer);
    return live && live.kind === "TRAINING" ? toRoom(new TrainingLive(), live, viewerOf(ctx).userId) : null;
  }
}

async function trainingPayload(ctx: Ctx, run: () => Promise<LiveRow>) {
  const { result, errors } = await runMutation(LiveErrorCode, run);
  if (result) forgetLive(ctx, result.id);
  return Object.assign(new TrainingLivePayload(), { live: result ? toSupplierTrainingLive(result) : null, errors });
}

/**
 * The supplier's training lives and host console: schedule, go live, pin, shelf, announcements and
 * comment moderation — the same live services as a merchant's, with the supplier as the owner, so
 * another supplier (or a merchant) gets LIVE_NOT_FOUND for every one of them.
 */
@Authorized(Permission.CATALOG_MANAGE)
@Resolver()
export class SupplierTrainingResolver {
  @Query(() => SupplierTrainingLiveConnection, { description: "My training lives, newest first" })
  async supplierTrainingLives(@C() ctx: Ctx, @Arg("first", () => Int, { nullable: true }) first?: number, @Arg("after", () => String, { nullable: true }) after?: string) {
    const window = pageWindow(first, after);
    const page = toPage(await supplierTrainingLives(ctx.db, supplierIdOf(ctx), window), window);
    return { nodes: page.nodes.map(toSupplierTrainingLive), pageInfo: page.pageInfo };
  }

  @Query(() => SupplierTrainingLive, { nullable: true, description: "One of my training lives" })
  async supplierTrainingLive(@C() ctx: Ctx, @Arg("id", () => ID) id: string) {
    const live = await supplierTrainingLive(ctx.db, supplierIdOf(ctx), id.toLowerCase());
    return live ? toSupplierTrainingLive(live) : null;
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

  @Mutation(() => TrainingLivePayload, { description: "全员禁言: switch the merchants' comments off (muted true) or back on; the host can still comment" })
  async setTrainingCommentsMuted(@C() ctx: Ctx, @Arg("liveId", () => ID) liveId: string, @Arg("muted", () => Boolean) muted: boolean) {
    return trainingPayload(ctx, () => setCommentsMuted(ctx, this.owner(ctx), liveId.toLowerCase(), muted));
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
