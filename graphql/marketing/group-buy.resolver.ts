import DataLoader from "dataloader";
import { Arg, Authorized, Ctx as C, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { Permission } from "../core/permissions";
import { storeIdOf, viewerOf, type Ctx } from "../core/context";
import { pageWindow, toPage } from "../core/connection";
import { Money } from "../core/money.type";
import { runMutation } from "../core/payload";
import { isUuid } from "../core/ids";
import { maskName } from "../platform/mask";
import { imageUrl } from "../catalog/catalog.service";
import { toShopOrder } from "../order/mappers";
import { ShopOrder } from "../order/order.types";
import { GROUP_HOLD_TEXT, GROUP_STATUS_TEXT, GroupBuyOfferErrorCode, GroupOrderErrorCode, joinRefusal, offerState, peopleNeeded, seatsLeft } from "./group-buy.rules";
import { createGroupBuyOffer, disableGroupBuyOffer, joinGroupBuy, openGroupBuy, type GroupOrderResult } from "./group-buy.service";
import * as q from "./group-buy-queries.service";
import {
  CreateGroupBuyOfferInput,
  GroupBuyOfferCounters,
  GroupBuyOfferPayload,
  GroupBuyOfferStateEnum,
  GroupBuyStatusEnum,
  GroupOrderPayload,
  JoinGroupBuyInput,
  MerchantGroupBuy,
  MerchantGroupBuyConnection,
  MerchantGroupBuyOffer,
  MerchantGroupBuyOfferConnection,
  OpenGroupBuyInput,
  ShopGroupBuy,
  ShopGroupBuyOffer,
  ShopGroupBuySummary,
  ShopGroupMember,
  ShopOrderGroupBuy,
} from "./group-buy.types";

function offerFields(v: q.GroupBuyOfferView, now: Date) {
  const o = v.offer;
  return {
    id: o.id,
    skuId: o.skuId,
    productTitle: v.title,
    skuLabel: v.skuLabel,
    image: v.imageKeys[0] ? imageUrl(v.imageKeys[0]) : null,
    groupPrice: Money.of(o.groupPrice),
    listPrice: Money.of(v.listPrice),
    groupSize: o.groupSize,
    timeLimitMinutes: o.timeLimitMinutes,
    startsAt: o.startsAt,
    endsAt: o.endsAt,
    state: offerState(o, now) as GroupBuyOfferStateEnum,
  };
}

const toSummary = (g: q.GroupWithLeader) =>
  Object.assign(new ShopGroupBuySummary(), {
    id: g.group.id,
    leaderName: maskName(g.leaderName),
    groupSize: g.group.groupSize,
    peopleNeeded: peopleNeeded(g.group),
    seatsLeft: seatsLeft(g.group),
    deadline: g.group.deadline,
  });

const toShopOffer = (v: q.GroupBuyOfferView, open: q.GroupWithLeader[], now: Date) =>
  Object.assign(new ShopGroupBuyOffer(), { ...offerFields(v, now), productId: v.offer.listingId, openGroups: open.map(toSummary) });

const orderPayload = (r: { result: GroupOrderResult | null; errors: { code: string; message: string; field: string | null }[] }) =>
  Object.assign(new GroupOrderPayload(), { order: r.result ? toShopOrder(r.result.order) : null, groupBuyId: r.result?.groupBuyId ?? null, errors: r.errors });

/** The shop's group buys: offers on the product page and the group page (public), opening and joining (buyers). */
@Resolver()
export class ShopGroupBuyResolver {
  @Authorized(Permission.PUBLIC)
  @Query(() => [ShopGroupBuyOffer], { description: "A store's group-buy offers running now (of one product, if given), with open groups to join" })
  async shopGroupBuyOffers(@C() ctx: Ctx, @Arg("storeSlug", () => String) storeSlug: string, @Arg("productId", () => ID, { nullable: true }) productId?: string | null) {
    if (productId && !isUuid(productId)) return [];
    const offers = await q.activeOffers(ctx.db, storeSlug, productId ?? null, ctx.now);
    const open = await q.joinableGroups(ctx.db, offers.map((o) => o.offer.id), ctx.now);
    return offers.map((o) => toShopOffer(o, open.get(o.offer.id) ?? [], ctx.now));
  }

  @Authorized(Permission.PUBLIC)
  @Query(() => ShopGroupBuy, { nullable: true, description: "One group: members (masked), seats, countdown" })
  async shopGroupBuy(@C() ctx: Ctx, @Arg("id", () => ID) id: string) {
    const group = isUuid(id) ? await q.groupById(ctx.db, id.toLowerCase()) : null;
    if (!group) return null;
    const [offer, members] = await Promise.all([q.offerView(ctx.db, group.offerId), q.membersOf(ctx.db, group.id)]);
    if (!offer) return null;
    const viewerId = ctx.viewer?.userId ?? null;
    const mine = viewerId ? members.find((m) => m.userId === viewerId && m.status !== "REFUNDED") : undefined;
    return Object.assign(new ShopGroupBuy(), {
      id: group.id,
      storeSlug: offer.storeSlug,
      offer: toShopOffer(offer, [], ctx.now),
      status: group.status as GroupBuyStatusEnum,
      statusText: GROUP_STATUS_TEXT[group.status],
      groupSize: group.groupSize,
      seatsTaken: group.seatsTaken,
      paidCount: group.paidCount,
      peopleNeeded: peopleNeeded(group),
      seatsLeft: group.status === "OPEN" ? seatsLeft(group) : 0,
      deadline: group.deadline,
      succeededAt: group.succeededAt,
      failedAt: group.failedAt,
      joinable: joinRefusal(group, ctx.now) === null,
      members: members.map((m) =>
        Object.assign(new ShopGroupMember(), { name: maskName(m.nickname), isLeader: m.userId === group.leaderId, paid: m.status === "PAID" || m.status === "REFUNDED", refunded: m.status === "REFUNDED" }),
      ),
      myOrderId: mine?.orderId ?? null,
    });
  }

  @Authorized(Permission.SHOP_BUY)
  @Mutation(() => GroupOrderPayload, { description: "发起拼团: order at the group price and lead a new group; others can join once it is paid" })
  async openGroupBuy(@C() ctx: Ctx, @Arg("input", () => OpenGroupBuyInput) input: OpenGroupBuyInput) {
    return orderPayload(await runMutation(GroupOrderErrorCode, () => openGroupBuy(ctx, viewerOf(ctx).userId, input)));
  }

  @Authorized(Permission.SHOP_BUY)
  @Mutation(() => GroupOrderPayload, { description: "参团: take a seat in an open group and order at the group price" })
  async joinGroupBuy(@C() ctx: Ctx, @Arg("input", () => JoinGroupBuyInput) input: JoinGroupBuyInput) {
    return orderPayload(await runMutation(GroupOrderErrorCode, () => joinGroupBuy(ctx, viewerOf(ctx).userId, { ...input, groupBuyId: input.groupBuyId.toLowerCase() })));
  }
}

/** One group lookup per request for every order of a page (no N+1). */
const groupLoaders = new WeakMap<object, DataLoader<string, Awaited<ReturnType<typeof q.groupsByIds>>[number]>>();
function groupLoader(ctx: Ctx) {
  let loader = groupLoaders.get(ctx.loaders);
  if (!loader) {
    loader = new DataLoader((ids: readonly string[]) => q.groupsByIds(ctx.db, ids));
    groupLoaders.set(ctx.loaders, loader);
  }
  return loader;
}

/** The group of a consumer's own order (their order pages). */
@Authorized(Permission.SHOP_BUY)
@Resolver(() => ShopOrder)
export class ShopOrderGroupBuyResolver {
  @FieldResolver(() => ShopOrderGroupBuy, { nullable: true, description: "The group (拼团) this order holds a seat in" })
  async groupBuy(@Root() order: ShopOrder, @C() ctx: Ctx) {
    const groupId = order.row.groupBuyId;
    if (!groupId) return null;
    const found = await groupLoader(ctx).load(groupId);
    if (!found) return null;
    const g = found.group;
    return Object.assign(new ShopOrderGroupBuy(), {
      id: g.id,
      status: g.status as GroupBuyStatusEnum,
      statusText: GROUP_STATUS_TEXT[g.status],
      orderStatusText: order.row.status === "PAID" && g.status === "OPEN" ? GROUP_HOLD_TEXT : null,
      groupSize: g.groupSize,
      paidCount: g.paidCount,
      deadline: g.deadline,
      path: `/s/${found.storeSlug}/group/${g.id}`,
    });
  }
}

/** The merchant's group buys with live counters. Only their own store's. */
@Authorized(Permission.STORE_MANAGE)
@Resolver()
export class MerchantGroupBuyResolver {
  @Query(() => MerchantGroupBuyOfferConnection, { description: "My store's group-buy offers, newest first, with counters" })
  async merchantGroupBuyOffers(@C() ctx: Ctx, @Arg("first", () => Int, { nullable: true }) first?: number, @Arg("after", () => String, { nullable: true }) after?: string) {
    const window = pageWindow(first, after);
    const page = toPage(await q.merchantOffers(ctx.db, storeIdOf(ctx), window), window);
    return { nodes: await this.withCounters(ctx, page.nodes), pageInfo: page.pageInfo };
  }

  @Query(() => MerchantGroupBuyConnection, { description: "The groups of one of my offers, newest first" })
  async merchantGroupBuys(
    @C() ctx: Ctx,
    @Arg("offerId", () => ID) offerId: string,
    @Arg("first", () => Int, { nullable: true }) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ) {
    const window = pageWindow(first, after);
    const rows = isUuid(offerId) ? await q.merchantGroups(ctx.db, storeIdOf(ctx), offerId.toLowerCase(), window) : [];
    const page = toPage(rows, window);
    return {
      pageInfo: page.pageInfo,
      nodes: page.nodes.map((r) =>
        Object.assign(new MerchantGroupBuy(), {
          id: r.group.id,
          status: r.group.status as GroupBuyStatusEnum,
          leaderName: maskName(r.leaderName),
          groupSize: r.group.groupSize,
          seatsTaken: r.group.seatsTaken,
          paidCount: r.group.paidCount,
          deadline: r.group.deadline,
          createdAt: r.group.createdAt,
        }),
      ),
    };
  }

  @Mutation(() => GroupBuyOfferPayload, { description: "Offer one SKU of my listing for groups at a group price" })
  async createGroupBuyOffer(@C() ctx: Ctx, @Arg("input", () => CreateGroupBuyOfferInput) input: CreateGroupBuyOfferInput) {
    const { result, errors } = await runMutation(GroupBuyOfferErrorCode, () => createGroupBuyOffer(ctx, storeIdOf(ctx), viewerOf(ctx).userId, input));
    return this.payload(ctx, result?.id ?? null, errors);
  }

  @Mutation(() => GroupBuyOfferPayload, { description: "Stop an offer: no new groups; open groups run to their deadline" })
  async disableGroupBuyOffer(@C() ctx: Ctx, @Arg("id", () => ID) id: string) {
    const { result, errors } = await runMutation(GroupBuyOfferErrorCode, () => disableGroupBuyOffer(ctx, storeIdOf(ctx), id.toLowerCase()));
    return this.payload(ctx, result?.id ?? null, errors);
  }

  private async payload(ctx: Ctx, id: string | null, errors: { code: string; message: string; field: string | null }[]) {
    const row = id ? await q.offerView(ctx.db, id) : null;
    const [offer] = row ? await this.withCounters(ctx, [row]) : [null];
    return Object.assign(new GroupBuyOfferPayload(), { offer, errors });
  }

  private async withCounters(ctx: Ctx, rows: q.GroupBuyOfferView[]): Promise<MerchantGroupBuyOffer[]> {
    const counters = await q.offerCounters(ctx.db, rows.map((r) => r.offer.id));
    return rows.map((r) => {
      const c = counters.get(r.offer.id)!;
      return Object.assign(new MerchantGroupBuyOffer(), {
        ...offerFields(r, ctx.now),
        counters: Object.assign(new GroupBuyOfferCounters(), { ...c, gmv: Money.of(c.gmv) }),
      });
    });
  }
}
