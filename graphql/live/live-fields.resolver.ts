import { Authorized, Ctx as C, FieldResolver, ID, Int, Resolver, Root, type ClassType } from "type-graphql";
import { Permission } from "../core/permissions";
import type { Ctx } from "../core/context";
import { Money } from "../core/money.type";
import { imageUrl } from "../catalog/catalog.service";
import { claimedCounts } from "../marketing/coupon.service";
import { couponFaceText } from "../marketing/coupon.rules";
import { toShopCoupon } from "../marketing/coupon.resolver";
import { ShopCoupon } from "../marketing/coupon.types";
import { latestAnnouncement, replayChapters, type LiveRow } from "./live.service";
import { commentsFor } from "./live-comment.service";
import { liveCoupons, tasksFor } from "./live-marketing.service";
import type { ShelfItem } from "./live-room.service";
import { LiveChapter, LiveCommentView, LiveShelfItem, LiveShelfSku, LiveTaskView, MerchantLive, ShopLive } from "./live.types";
import type { liveComments } from "@/db/schema";

/** The room's own columns; `forUserId` is who looks (their held comments, coupons, task progress), null for the host's view. */
export function toShopLive<T extends ShopLive>(view: T, live: LiveRow, forUserId: string | null): T {
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
  });
}

/** The host's view of one of their lives (also what live mutations return). */
export const toMerchantLive = (live: LiveRow) => Object.assign(toShopLive(new MerchantLive(), live, null), { peakViewers: live.peakViewers });

export function toCommentView(c: typeof liveComments.$inferSelect, nickname: string): LiveCommentView {
  return Object.assign(new LiveCommentView(), { id: c.id, nickname, body: c.body, status: c.status, pinned: c.pinnedAt !== null, createdAt: c.createdAt });
}

const toShelfItem = (s: ShelfItem) =>
  Object.assign(new LiveShelfItem(), {
    productId: s.productId,
    shopProductId: s.listingId,
    title: s.title,
    image: s.imageKey ? imageUrl(s.imageKey) : null,
    onShelf: s.onShelf,
    soldOut: s.soldOut,
    skus: s.skus.map((k) => Object.assign(new LiveShelfSku(), { skuId: k.skuId, label: k.label, listPrice: Money.of(k.listPrice), livePrice: k.livePrice === null ? null : Money.of(k.livePrice), perUserLimit: k.perUserLimit, inStock: k.stock > 0 })),
  });

/**
 * The relations of a sales live, shared by ShopLive (anyone may read a room they can reach) and
 * MerchantLive (the host's view; reached only through merchant and operator operations, which
 * `readers` names). type-graphql binds field resolvers to one object type, so the pair is built
 * from one factory. Room-only relations (comments, chapters, announcement, coupons, tasks) are read
 * per live: they are asked for on one room at a time, never by a list.
 */
function shopLiveFields<T extends ShopLive>(of: ClassType<T>, readers: Permission[]) {
  @Resolver(() => of)
  abstract class ShopLiveFieldsBase {
    @Authorized(...readers)
    @FieldResolver(() => String)
    async hostName(@Root() l: T, @C() ctx: Ctx) {
      return (await ctx.loaders.nickname.load(l.row.hostUserId)) ?? "主播";
    }

    @Authorized(...readers)
    @FieldResolver(() => String, { nullable: true })
    async storeSlug(@Root() l: T, @C() ctx: Ctx) {
      return l.row.storeId ? ((await ctx.loaders.store.load(l.row.storeId))?.slug ?? null) : null;
    }

    @Authorized(...readers)
    @FieldResolver(() => [LiveShelfItem])
    async shelf(@Root() l: T, @C() ctx: Ctx) {
      return (await ctx.loaders.liveShelf.load(l.id)).map(toShelfItem);
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
      const [chapters, shelf] = await Promise.all([replayChapters(ctx.db, l.row), ctx.loaders.liveShelf.load(l.id)]);
      const titleOf = new Map(shelf.map((s) => [s.productId, s.title]));
      return chapters.map((c) => Object.assign(new LiveChapter(), { ...c, title: titleOf.get(c.productId) ?? "商品" }));
    }

    @Authorized(...readers)
    @FieldResolver(() => Boolean)
    reservedByMe(@Root() l: T, @C() ctx: Ctx) {
      return l.forUserId ? ctx.loaders.reserved.load(`${l.id}:${l.forUserId}`) : false;
    }

    @Authorized(...readers)
    @FieldResolver(() => String, { nullable: true, description: "The host's latest announcement (公告) while live" })
    announcement(@Root() l: T, @C() ctx: Ctx) {
      return l.status === "LIVE" ? latestAnnouncement(ctx.db, l.id) : null;
    }

    @Authorized(...readers)
    @FieldResolver(() => [ShopCoupon], { description: "Live-only coupons claimable in the room while it is live (claim with source LIVE)" })
    async coupons(@Root() l: T, @C() ctx: Ctx) {
      if (l.status !== "LIVE") return [];
      const roomCoupons = await liveCoupons(ctx.db, l.id);
      const mine = l.forUserId ? await claimedCounts(ctx.db, l.forUserId, roomCoupons.map((c) => c.id)) : new Map<string, number>();
      return roomCoupons.map((c) => toShopCoupon(c, mine.get(c.id) ?? 0));
    }

    @Authorized(...readers)
    @FieldResolver(() => [LiveTaskView], { description: "Invite-to-watch tasks, with my progress" })
    async tasks(@Root() l: T, @C() ctx: Ctx) {
      return (await tasksFor(ctx.db, l.id, l.forUserId)).map((t) =>
        Object.assign(new LiveTaskView(), {
          id: t.task.id,
          inviteTarget: t.task.inviteTarget,
          couponTitle: t.coupon.title,
          couponFace: couponFaceText({ ...t.coupon, thresholdFen: Number(t.coupon.thresholdFen), amountFen: Number(t.coupon.amountFen), capFen: t.coupon.capFen === null ? null : Number(t.coupon.capFen) }),
          invited: t.invited,
          rewarded: t.rewarded,
        }),
      );
    }
  }
  return ShopLiveFieldsBase;
}

/** A room is as public as the operation that reached it (shopLive and the store's lives are public). */
@Resolver(() => ShopLive)
export class ShopLiveFieldsResolver extends shopLiveFields(ShopLive, [Permission.PUBLIC]) {}

const HOSTS = [Permission.STORE_MANAGE, Permission.PLATFORM_ADMIN];

/** The host's counters on top of the shared relations. */
@Resolver(() => MerchantLive)
export class MerchantLiveFieldsResolver extends shopLiveFields(MerchantLive, HOSTS) {
  @Authorized(...HOSTS)
  @FieldResolver(() => Int)
  reservations(@Root() l: MerchantLive, @C() ctx: Ctx) {
    return ctx.loaders.reservationCount.load(l.id);
  }

  @Authorized(...HOSTS)
  @FieldResolver(() => Int)
  async uniqueViewers(@Root() l: MerchantLive, @C() ctx: Ctx) {
    return (await ctx.loaders.roomCounts.load(l.id)).uniqueViewers;
  }

  @Authorized(...HOSTS)
  @FieldResolver(() => Int)
  async commentCount(@Root() l: MerchantLive, @C() ctx: Ctx) {
    return (await ctx.loaders.roomCounts.load(l.id)).commentCount;
  }
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
