import { Authorized, Ctx as C, FieldResolver, Int, Resolver, Root, type ClassType } from "type-graphql";
import { Permission } from "../core/permissions";
import type { Ctx } from "../core/context";
import { Money } from "../core/money.type";
import { imageUrl } from "../catalog/catalog.service";
import { claimedCounts } from "../marketing/coupon.service";
import { couponFaceText } from "../marketing/coupon.rules";
import { toShopCoupon } from "../marketing/coupon.resolver";
import { ShopCoupon } from "../marketing/coupon.types";
import type { LiveRow } from "./live.service";
import { liveCoupons, tasksFor } from "./live-marketing.service";
import type { ShelfItem } from "./live-room.service";
import { LiveShelfItem, LiveShelfSku, LiveTaskView, MerchantLive, ShopLive } from "./live.types";
import { liveRoomFields, toRoom } from "./room-fields";


/** The host's view of one of their lives (also what live mutations return). */
export const toMerchantLive = (live: LiveRow) => Object.assign(toRoom(new MerchantLive(), live, null), { peakViewers: live.peakViewers });

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
 * A sales live's own relations on top of every room's (room-fields.ts): its store, its shelf with
 * list and live prices, and the room-only coupons and tasks (read per room). Shared by ShopLive
 * (anyone may read a room they can reach) and MerchantLive (the host's view, reached only through
 * merchant and operator operations, which `readers` names).
 */
function shopLiveFields<T extends ShopLive>(of: ClassType<T>, readers: Permission[]) {
  @Resolver(() => of)
  abstract class ShopLiveFieldsBase extends liveRoomFields(of, readers, { hostFallback: "主播", shelfTitles: (ctx, id) => ctx.loaders.liveShelf.load(id) }) {
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
