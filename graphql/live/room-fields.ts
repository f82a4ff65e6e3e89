import { Authorized, Ctx as C, FieldResolver, ID, Resolver, Root, type ClassType } from "type-graphql";
import type { liveComments } from "@/db/schema";
import type { Permission } from "../core/permissions";
import type { Ctx } from "../core/context";
import { imageUrl } from "../catalog/catalog.service";
import { latestAnnouncement, replayChapters, type LiveRow } from "./live.service";
import { commentsFor } from "./live-comment.service";
import { LiveChapter, LiveCommentView } from "./live.types";

/** What every room type (ShopLive, MerchantLive, TrainingLive, SupplierTrainingLive) carries for its field resolvers. */
export type RoomRoot = { row: LiveRow; forUserId: string | null; id: string; status: string; replayHidden: boolean; commentsMuted: boolean };

/**
 * A room type filled with the live's own columns (its relations are the field resolvers);
 * `forUserId` is who looks — their held comments, reservation, coupons, task progress — or null
 * for the host's view.
 */
export function toRoom<T extends RoomRoot>(view: T, live: LiveRow, forUserId: string | null): T {
  return Object.assign(view, {
    row: live,
    forUserId,
    id: live.id,
    title: live.title,
    status: live.status,
    cover: live.coverKey ? imageUrl(live.coverKey) : null,
    scheduledAt: live.scheduledAt,
    startedAt: live.startedAt,
    endedAt: live.endedAt,
    videoUrl: live.status === "LIVE" ? live.playbackUrl : live.status === "ENDED" && !live.replayHiddenAt ? live.replayUrl : null,
    likeCount: Number(live.likeCount),
    endReason: live.endReason,
    replayHidden: live.replayHiddenAt !== null,
    commentsMuted: live.commentsMutedAt !== null,
  });
}

export function toCommentView(c: typeof liveComments.$inferSelect, nickname: string): LiveCommentView {
  return Object.assign(new LiveCommentView(), { id: c.id, nickname, body: c.body, status: c.status, pinned: c.pinnedAt !== null, createdAt: c.createdAt });
}

type RoomKind = {
  /** The host's name when their account has none. */
  hostFallback: string;
  /** The titles of the room's shelf products (its shelf loader), for naming replay chapters. */
  shelfTitles: (ctx: Ctx, liveId: string) => Promise<{ productId: string; title: string }[]>;
};

/**
 * The relations every live room has, whatever its kind: host, the pinned product, comments,
 * replay chapters, the latest announcement, and whether the person looking reserved it. A room
 * type's own resolver extends this with its shelf and extras. type-graphql binds field resolvers
 * to one object type, so each type gets its own subclass; `readers` are the permissions of the
 * operations that can reach the type.
 *
 * Host, pin and reservation go through the request's DataLoaders (lists ask for them); comments,
 * chapters and announcements are read per room — they are asked for on one room at a time.
 */
export function liveRoomFields<T extends RoomRoot>(of: ClassType<T>, readers: Permission[], kind: RoomKind) {
  @Resolver(() => of)
  abstract class LiveRoomFieldsBase {
    @Authorized(...readers)
    @FieldResolver(() => String)
    async hostName(@Root() l: T, @C() ctx: Ctx) {
      return (await ctx.loaders.nickname.load(l.row.hostUserId)) ?? kind.hostFallback;
    }

    @Authorized(...readers)
    @FieldResolver(() => ID, { nullable: true, description: "The product being explained now (讲解中)" })
    pinnedProductId(@Root() l: T, @C() ctx: Ctx) {
      return l.status === "LIVE" ? ctx.loaders.pinnedProduct.load(l.id) : null;
    }

    @Authorized(...readers)
    @FieldResolver(() => [LiveCommentView], { description: "Latest comments; the viewer's own held ones included for them" })
    async comments(@Root() l: T, @C() ctx: Ctx) {
      return (await commentsFor(ctx.db, l.id, l.forUserId)).map((r) => toCommentView(r.comment, r.nickname));
    }

    @Authorized(...readers)
    @FieldResolver(() => [LiveChapter], { description: "Replay chapters (after the live)" })
    async chapters(@Root() l: T, @C() ctx: Ctx) {
      if (l.status !== "ENDED" || l.replayHidden) return [];
      const [chapters, shelf] = await Promise.all([replayChapters(ctx.db, l.row), kind.shelfTitles(ctx, l.id)]);
      const titleOf = new Map(shelf.map((s) => [s.productId, s.title]));
      return chapters.map((c) => Object.assign(new LiveChapter(), { ...c, title: titleOf.get(c.productId) ?? "商品" }));
    }

    @Authorized(...readers)
    @FieldResolver(() => String, { nullable: true, description: "The host's latest announcement (公告) while live" })
    announcement(@Root() l: T, @C() ctx: Ctx) {
      return l.status === "LIVE" ? latestAnnouncement(ctx.db, l.id) : null;
    }

    @Authorized(...readers)
    @FieldResolver(() => Boolean, { description: "I reserved (预约) it: I am notified when it starts" })
    reservedByMe(@Root() l: T, @C() ctx: Ctx) {
      return l.forUserId ? ctx.loaders.reserved.load(`${l.id}:${l.forUserId}`) : false;
    }
  }
  return LiveRoomFieldsBase;
}

/** After a live mutation the request's loaders may hold what it just changed (a second mutation in one operation). */
export function forgetLive(ctx: Ctx, liveId: string) {
  ctx.loaders.liveShelf.clear(liveId);
  ctx.loaders.trainingShelf.clear(liveId);
  ctx.loaders.pinnedProduct.clear(liveId);
  ctx.loaders.reservationCount.clear(liveId);
  ctx.loaders.reserved.clearAll();
  ctx.loaders.roomCounts.clear(liveId);
}
