import { Arg, Authorized, Ctx as C, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import { Permission } from "../core/permissions";
import { storeIdOf, viewerOf, type Ctx } from "../core/context";
import { pageWindow, toPage } from "../core/connection";
import { runMutation } from "../core/payload";
import { ClaimErrorCode, CouponErrorCode, couponFaceText } from "./coupon.rules";
import { claimableCoupons, claimCoupon, claimedCounts, createPlatformCoupon, createStoreCoupon, disableCoupon, issuedCoupons, myCoupon, myCoupons, type CouponInput, type CouponRow } from "./coupon.service";
import { ClaimCouponPayload, CouponKindEnum, CreateCouponInput, CreateCouponPayload, MerchantCoupon, MerchantCouponConnection, MyCoupon, MyCouponConnection, ShopCoupon } from "./coupon.types";

const face = (c: CouponRow) => couponFaceText({ ...c, thresholdFen: Number(c.thresholdFen), amountFen: Number(c.amountFen), capFen: c.capFen === null ? null : Number(c.capFen) });

export function toShopCoupon(c: CouponRow, claimedByMe: number): ShopCoupon {
  return Object.assign(new ShopCoupon(), {
    id: c.id,
    title: c.title,
    face: face(c),
    issuer: c.issuer,
    scopeText: c.issuer === "PLATFORM" ? (c.productIds?.length ? "平台券 · 指定商品可用" : "平台券 · 全平台通用") : `${c.liveId ? "直播专享 · " : ""}${c.productIds?.length ? "指定商品可用" : "全店通用"}`,
    claimEndsAt: c.claimEndsAt,
    usableUntil: c.usableUntil,
    remaining: c.totalQuantity - c.claimedCount,
    perUserLimit: c.perUserLimit,
    claimedByMe,
  });
}

/** The coupon centre (public; what I hold when signed in), claiming, and my coupons. */
@Resolver()
export class ShopCouponResolver {
  @Authorized(Permission.PUBLIC)
  @Query(() => [ShopCoupon], { description: "Coupons of a store that can be claimed now" })
  async shopCoupons(@C() ctx: Ctx, @Arg("storeSlug", () => String) storeSlug: string) {
    const rows = (await claimableCoupons(ctx.db, storeSlug, ctx.now)) ?? [];
    const mine = ctx.viewer ? await claimedCounts(ctx.db, ctx.viewer.userId, rows.map((r) => r.id)) : new Map<string, number>();
    return rows.map((c) => toShopCoupon(c, mine.get(c.id) ?? 0));
  }

  @Authorized(Permission.SHOP_BUY)
  @Mutation(() => ClaimCouponPayload, { description: "Claim a coupon (总量 and 每人限领 hold under concurrency)" })
  async claimCoupon(@C() ctx: Ctx, @Arg("couponId", () => ID) couponId: string, @Arg("source", () => String, { defaultValue: "CENTRE" }) source: string) {
    // TASK is never the client's to say: task rewards are given by the server when a task is completed.
    const from = ["CENTRE", "PRODUCT", "LIVE"].includes(source) ? source : "CENTRE";
    const { result, errors } = await runMutation(ClaimErrorCode, () => claimCoupon(ctx, viewerOf(ctx).userId, couponId.toLowerCase(), from));
    if (!result) return Object.assign(new ClaimCouponPayload(), { coupon: null, errors });
    const row = await myCoupon(ctx.db, viewerOf(ctx).userId, result.id);
    return Object.assign(new ClaimCouponPayload(), { coupon: toMyCoupon(row, ctx.now), errors });
  }

  @Authorized(Permission.SHOP_BUY)
  @Query(() => MyCouponConnection, { description: "My coupons, newest first" })
  async myCoupons(@C() ctx: Ctx, @Arg("first", () => Int, { nullable: true }) first?: number, @Arg("after", () => String, { nullable: true }) after?: string) {
    const window = pageWindow(first, after);
    const page = toPage(await myCoupons(ctx.db, viewerOf(ctx).userId, window), window);
    return { nodes: page.nodes.map((r) => toMyCoupon(r, ctx.now)), pageInfo: page.pageInfo };
  }
}

type MyRow = Awaited<ReturnType<typeof myCoupons>>[number];
function toMyCoupon(r: MyRow, now: Date): MyCoupon {
  const status = r.held.status === "USED" ? "USED" : r.coupon.usableUntil <= now ? "EXPIRED" : "AVAILABLE";
  return Object.assign(new MyCoupon(), {
    id: r.held.id,
    title: r.coupon.title,
    face: face(r.coupon),
    storeName: r.storeName,
    storeSlug: r.storeSlug,
    usableUntil: r.coupon.usableUntil,
    status,
    source: r.held.source,
  });
}

/** The merchant's coupons: issue, and watch claimed / used. */
@Authorized(Permission.STORE_MANAGE)
@Resolver()
export class MerchantCouponResolver {
  @Query(() => MerchantCouponConnection, { description: "My store's coupons, newest first, with counters" })
  async merchantCoupons(@C() ctx: Ctx, @Arg("first", () => Int, { nullable: true }) first?: number, @Arg("after", () => String, { nullable: true }) after?: string) {
    return couponPage(ctx, { storeId: storeIdOf(ctx) }, first, after);
  }

  @Mutation(() => CreateCouponPayload, { description: "Issue a store coupon (funded from my margin)" })
  async createCoupon(@C() ctx: Ctx, @Arg("input", () => CreateCouponInput) input: CreateCouponInput) {
    const { result, errors } = await runMutation(CouponErrorCode, () => createStoreCoupon(ctx, storeIdOf(ctx), viewerOf(ctx).userId, toCouponInput(input)));
    return Object.assign(new CreateCouponPayload(), { coupon: result ? toMerchantCoupon(result, 0) : null, errors });
  }

  @Mutation(() => CreateCouponPayload, { description: "Stop one of my store's coupons from being claimed (coupons already held stay usable)" })
  async disableCoupon(@C() ctx: Ctx, @Arg("couponId", () => ID) couponId: string) {
    const { result, errors } = await runMutation(CouponErrorCode, () => disableCoupon(ctx, { storeId: storeIdOf(ctx) }, couponId.toLowerCase()));
    return Object.assign(new CreateCouponPayload(), { coupon: result ? toMerchantCoupon(result, 0) : null, errors });
  }
}

/** The operator's platform coupons (funded by the platform): issue, stop, and watch claimed / used. */
@Authorized(Permission.PLATFORM_ADMIN)
@Resolver()
export class PlatformCouponResolver {
  @Query(() => MerchantCouponConnection, { description: "Platform coupons, newest first, with counters" })
  async platformCoupons(@C() ctx: Ctx, @Arg("first", () => Int, { nullable: true }) first?: number, @Arg("after", () => String, { nullable: true }) after?: string) {
    return couponPage(ctx, "PLATFORM", first, after);
  }

  @Mutation(() => CreateCouponPayload, { description: "Issue a platform coupon (usable in every store, or on the named products)" })
  async createPlatformCoupon(@C() ctx: Ctx, @Arg("input", () => CreateCouponInput) input: CreateCouponInput) {
    const { result, errors } = await runMutation(CouponErrorCode, () => createPlatformCoupon(ctx, viewerOf(ctx).userId, toCouponInput(input)));
    return Object.assign(new CreateCouponPayload(), { coupon: result ? toMerchantCoupon(result, 0) : null, errors });
  }

  @Mutation(() => CreateCouponPayload, { description: "Stop a platform coupon from being claimed (coupons already held stay usable)" })
  async disablePlatformCoupon(@C() ctx: Ctx, @Arg("couponId", () => ID) couponId: string) {
    const { result, errors } = await runMutation(CouponErrorCode, () => disableCoupon(ctx, { platform: true, userId: viewerOf(ctx).userId }, couponId.toLowerCase()));
    return Object.assign(new CreateCouponPayload(), { coupon: result ? toMerchantCoupon(result, 0) : null, errors });
  }
}

const toCouponInput = (input: CreateCouponInput): CouponInput => ({ ...input, capFen: input.capFen ?? null, productIds: input.productIds?.map((p) => p.toLowerCase()) ?? null });

async function couponPage(ctx: Ctx, issuer: { storeId: string } | "PLATFORM", first?: number, after?: string) {
  const window = pageWindow(first, after);
  const page = toPage(await issuedCoupons(ctx.db, issuer, window), window);
  return { nodes: page.nodes.map((r) => toMerchantCoupon(r.coupon, Number(r.used))), pageInfo: page.pageInfo };
}

function toMerchantCoupon(c: CouponRow, used: number): MerchantCoupon {
  return Object.assign(new MerchantCoupon(), {
    ...toShopCoupon(c, 0),
    kind: c.kind as CouponKindEnum,
    claimStartsAt: c.claimStartsAt,
    totalQuantity: c.totalQuantity,
    claimed: c.claimedCount,
    used,
    welcome: c.welcome,
    disabled: c.disabledAt !== null,
  });
}
