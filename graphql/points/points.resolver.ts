import { Arg, Authorized, Ctx as C, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import { desc, eq } from "drizzle-orm";
import { pointsEntries } from "@/db/schema";
import { Permission } from "../core/permissions";
import { viewerOf, type Ctx } from "../core/context";
import { pageWindow, toPage } from "../core/connection";
import { Money } from "../core/money.type";
import { runMutation } from "../core/payload";
import { formatFen } from "../platform/money";
import { imageUrl } from "../catalog/catalog.service";
import { couponFaceText } from "../marketing/coupon.rules";
import { adjustPoints, pointsBalance, readPointsSettings, updatePointsSettings } from "./points.service";
import { expiringSoon } from "./points-expiry.service";
import { createMallItem, disableMallItem, mallCouponOptions, mallItems, redeemedCounts, redeemMallItem, type MallItemRow, type MallItemView } from "./points-mall.service";
import { MallItemErrorCode, PointsErrorCode, PointsSettingsErrorCode, POINTS_KIND_TEXT, RedeemErrorCode, type PointsKind, type PointsSettings } from "./points.rules";
import {
  AdjustPointsInput,
  AdjustPointsPayload,
  CreatePointsMallItemInput,
  MallCouponOption,
  MyPoints,
  OperatorPointsMallItem,
  PointsEntry,
  PointsEntryConnection,
  PointsMallItem,
  PointsMallItemPayload,
  PointsMallKindEnum,
  PointsRedemption,
  PointsSettingsInput,
  PointsSettingsType,
  RedeemPointsItemInput,
  RedeemPointsItemPayload,
  UpdatePointsSettingsPayload,
} from "./points.types";

type CouponLike = { kind: "THRESHOLD" | "PERCENT" | "NO_THRESHOLD"; thresholdFen: number | bigint; amountFen: number | bigint; percentBp: number; capFen: number | bigint | null };
const face = (c: CouponLike) => couponFaceText({ ...c, thresholdFen: Number(c.thresholdFen), amountFen: Number(c.amountFen), capFen: c.capFen === null ? null : Number(c.capFen) });

function toMallItem(i: MallItemView, redeemedByMe: number): PointsMallItem {
  return Object.assign(new PointsMallItem(), {
    id: i.id,
    kind: i.kind as PointsMallKindEnum,
    title: i.title,
    pointsPrice: i.pointsCost,
    remaining: i.totalQuantity - i.redeemedCount,
    perUserLimit: i.perUserLimit,
    redeemedByMe,
    endsAt: i.endsAt,
    couponFace: i.coupon ? face(i.coupon) : null,
    couponUsableUntil: i.coupon?.usableUntil ?? null,
    productTitle: i.productTitle,
    skuLabel: i.skuLabel,
    image: i.imageKey ? imageUrl(i.imageKey) : null,
    price: i.priceFen === null ? null : Money.of(i.priceFen),
  });
}

const toOperatorItem = (i: MallItemView | MallItemRow) =>
  Object.assign(new OperatorPointsMallItem(), {
    ...toMallItem({ coupon: null, productTitle: null, skuLabel: null, imageKey: null, priceFen: null, ...i }, 0),
    totalQuantity: i.totalQuantity,
    redeemedCount: i.redeemedCount,
    startsAt: i.startsAt,
    disabledAt: i.disabledAt,
  });

const toSettings = (s: PointsSettings) =>
  Object.assign(new PointsSettingsType(), { enabled: s.enabled, earnPerYuan: s.earnPerYuan, spendPoints: s.spendRate.points, spendFen: s.spendRate.fen, maxDeductBp: s.maxDeductBp, expiryDays: s.expiryDays });

/** My points, their history, the points mall and redeeming in it. */
@Authorized(Permission.SHOP_BUY)
@Resolver()
export class MyPointsResolver {
  @Query(() => MyPoints, { description: "My points balance, what expires within 30 days, and the rates" })
  async myPoints(@C() ctx: Ctx) {
    const userId = viewerOf(ctx).userId;
    const [settings, balance, soon] = await Promise.all([readPointsSettings(ctx.db), pointsBalance(ctx.db, userId), expiringSoon(ctx.db, userId, ctx.now)]);
    return Object.assign(new MyPoints(), {
      balance,
      expiringSoon: soon.points,
      expiringAt: soon.at,
      rateText: `${settings.spendRate.points}积分抵${formatFen(settings.spendRate.fen)}`,
      earnText: `每消费¥1得${settings.earnPerYuan}积分`,
      enabled: settings.enabled,
    });
  }

  @Query(() => PointsEntryConnection, { description: "My points history, newest first" })
  async myPointsEntries(@C() ctx: Ctx, @Arg("first", () => Int, { nullable: true }) first?: number, @Arg("after", () => String, { nullable: true }) after?: string) {
    const window = pageWindow(first, after);
    const rows = await ctx.db
      .select()
      .from(pointsEntries)
      .where(eq(pointsEntries.userId, viewerOf(ctx).userId))
      .orderBy(desc(pointsEntries.createdAt), desc(pointsEntries.id))
      .offset(window.offset)
      .limit(window.limit + 1);
    const page = toPage(rows, window);
    return {
      nodes: page.nodes.map((e) => Object.assign(new PointsEntry(), { ...e, kindText: POINTS_KIND_TEXT[e.kind as PointsKind] ?? e.kind })),
      pageInfo: page.pageInfo,
    };
  }

  @Query(() => [PointsMallItem], { description: "What the points mall offers now, cheapest first" })
  async pointsMall(@C() ctx: Ctx) {
    const items = await mallItems(ctx.db, { activeAt: ctx.now });
    const mine = await redeemedCounts(ctx.db, viewerOf(ctx).userId, items.map((i) => i.id));
    return items.map((i) => toMallItem(i, mine.get(i.id) ?? 0));
  }

  @Mutation(() => RedeemPointsItemPayload, { description: "Redeem a points-mall item (总量 and 每人限兑 hold under concurrency)" })
  async redeemPointsItem(@C() ctx: Ctx, @Arg("input", () => RedeemPointsItemInput) input: RedeemPointsItemInput) {
    const userId = viewerOf(ctx).userId;
    const { result, errors } = await runMutation(RedeemErrorCode, () => redeemMallItem(ctx, userId, input));
    const redemption = result ? Object.assign(new PointsRedemption(), { ...result, balance: await pointsBalance(ctx.db, userId) }) : null;
    return Object.assign(new RedeemPointsItemPayload(), { redemption, errors });
  }
}

/** The operator's points console: rates, the mall's items, adjustments. */
@Authorized(Permission.PLATFORM_ADMIN)
@Resolver()
export class PointsAdminResolver {
  @Query(() => PointsSettingsType, { description: "The points rates in force" })
  async pointsSettings(@C() ctx: Ctx) {
    return toSettings(await readPointsSettings(ctx.db));
  }

  @Mutation(() => UpdatePointsSettingsPayload, { description: "Set the points rates (validated, audit-logged)" })
  async updatePointsSettings(@C() ctx: Ctx, @Arg("input", () => PointsSettingsInput) input: PointsSettingsInput) {
    const { result, errors } = await runMutation(PointsSettingsErrorCode, () =>
      updatePointsSettings(ctx, viewerOf(ctx).userId, {
        enabled: input.enabled,
        earnPerYuan: input.earnPerYuan,
        spendRate: { points: input.spendPoints, fen: input.spendFen },
        maxDeductBp: input.maxDeductBp,
        expiryDays: input.expiryDays,
      }),
    );
    return Object.assign(new UpdatePointsSettingsPayload(), { settings: result ? toSettings(result) : null, errors });
  }

  @Query(() => [OperatorPointsMallItem], { description: "Every points-mall item, newest first (at most 100)" })
  async operatorPointsMallItems(@C() ctx: Ctx) {
    return (await mallItems(ctx.db, {})).map(toOperatorItem);
  }

  @Query(() => [MallCouponOption], { description: "Platform coupons that can be sold in the points mall" })
  async pointsMallCouponOptions(@C() ctx: Ctx) {
    return (await mallCouponOptions(ctx.db, ctx.now)).map((c) =>
      Object.assign(new MallCouponOption(), { id: c.id, title: c.title, face: face(c), claimStartsAt: c.claimStartsAt, claimEndsAt: c.claimEndsAt, remaining: c.totalQuantity - c.claimedCount }),
    );
  }

  @Mutation(() => PointsMallItemPayload, { description: "Put a platform coupon or a product in the points mall" })
  async createPointsMallItem(@C() ctx: Ctx, @Arg("input", () => CreatePointsMallItemInput) input: CreatePointsMallItemInput) {
    const { result, errors } = await runMutation(MallItemErrorCode, () => createMallItem(ctx, viewerOf(ctx).userId, { ...input, pointsCost: input.pointsPrice }));
    return Object.assign(new PointsMallItemPayload(), { item: result ? toOperatorItem(result) : null, errors });
  }

  @Mutation(() => PointsMallItemPayload, { description: "Stop a points-mall item" })
  async disablePointsMallItem(@C() ctx: Ctx, @Arg("itemId", () => ID) itemId: string) {
    const { result, errors } = await runMutation(MallItemErrorCode, () => disableMallItem(ctx, viewerOf(ctx).userId, itemId));
    return Object.assign(new PointsMallItemPayload(), { item: result ? toOperatorItem(result) : null, errors });
  }

  @Mutation(() => AdjustPointsPayload, { description: "Grant or take a person's points, with a reason (audit-logged)" })
  async adjustPoints(@C() ctx: Ctx, @Arg("input", () => AdjustPointsInput) input: AdjustPointsInput) {
    const { result, errors } = await runMutation(PointsErrorCode, () => adjustPoints(ctx, viewerOf(ctx).userId, input));
    return Object.assign(new AdjustPointsPayload(), { balance: result?.balance ?? null, errors });
  }
}
