import { Arg, Authorized, Ctx as C, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import { Permission } from "../core/permissions";
import { storeIdOf, viewerOf, type Ctx } from "../core/context";
import { pageWindow, toPage } from "../core/connection";
import { Money } from "../core/money.type";
import { runMutation } from "../core/payload";
import { isUuid } from "../core/ids";
import { imageUrl } from "../catalog/catalog.service";
import { toShopOrder } from "../order/mappers";
import { FlashOrderErrorCode, FlashSaleErrorCode, flashSaleState } from "./flash-sale.rules";
import { cancelFlashSale, createFlashSale, flashCounters, placeFlashOrder } from "./flash-sale.service";
import { flashSaleView, merchantFlashSales, remainingUnits, shopFlashSales, type FlashSaleView } from "./flash-sale-queries.service";
import {
  CreateFlashSaleInput,
  FlashSalePayload,
  FlashSaleStateEnum,
  MerchantFlashSale,
  MerchantFlashSaleConnection,
  PlaceFlashOrderInput,
  PlaceFlashOrderPayload,
  ShopFlashSale,
} from "./flash-sale.types";

function toShop(v: FlashSaleView, remaining: number, now: Date): ShopFlashSale {
  const s = v.sale;
  return Object.assign(new ShopFlashSale(), {
    id: s.id,
    productId: v.productId,
    skuId: s.skuId,
    productTitle: v.title,
    skuLabel: v.skuLabel,
    image: v.imageKeys[0] ? imageUrl(v.imageKeys[0]) : null,
    flashPrice: Money.of(s.flashPrice),
    listPrice: Money.of(v.listPrice),
    perUserLimit: s.perUserLimit,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    state: flashSaleState(s, now) as FlashSaleStateEnum,
    remaining,
    totalStock: s.totalStock,
  });
}

/** The consumer's flash venue (public) and 秒杀 checkout (signed-in buyers). */
@Resolver()
export class ShopFlashSaleResolver {
  @Authorized(Permission.PUBLIC)
  @Query(() => [ShopFlashSale], { description: "A store's flash sales that are running or coming" })
  async shopFlashSales(@C() ctx: Ctx, @Arg("storeSlug", () => String) storeSlug: string) {
    const rows = (await shopFlashSales(ctx.db, storeSlug, ctx.now)) ?? [];
    const left = await remainingUnits(ctx.db, rows.map((r) => r.sale.id));
    return rows.map((r) => toShop(r, left.get(r.sale.id) ?? 0, ctx.now));
  }

  @Authorized(Permission.PUBLIC)
  @Query(() => ShopFlashSale, { nullable: true })
  async shopFlashSale(@C() ctx: Ctx, @Arg("id", () => ID) id: string) {
    const row = isUuid(id) ? await flashSaleView(ctx.db, id) : null;
    if (!row) return null;
    const left = await remainingUnits(ctx.db, [row.sale.id]);
    return toShop(row, left.get(row.sale.id) ?? 0, ctx.now);
  }

  @Authorized(Permission.SHOP_BUY)
  @Mutation(() => PlaceFlashOrderPayload, { description: "秒杀: order one SKU at the flash price; pay within 5 minutes" })
  async placeFlashOrder(@C() ctx: Ctx, @Arg("input", () => PlaceFlashOrderInput) input: PlaceFlashOrderInput) {
    const { result, errors } = await runMutation(FlashOrderErrorCode, () => placeFlashOrder(ctx, viewerOf(ctx).userId, input, ctx.ip));
    return Object.assign(new PlaceFlashOrderPayload(), { order: result ? toShopOrder(result) : null, errors });
  }
}

/** The merchant's flash sales with live counters. Only their own store's. */
@Authorized(Permission.STORE_MANAGE)
@Resolver()
export class MerchantFlashSaleResolver {
  @Query(() => MerchantFlashSaleConnection, { description: "My store's flash sales, newest first, with counters" })
  async merchantFlashSales(@C() ctx: Ctx, @Arg("first", () => Int, { nullable: true }) first?: number, @Arg("after", () => String, { nullable: true }) after?: string) {
    const window = pageWindow(first, after);
    const page = toPage(await merchantFlashSales(ctx.db, storeIdOf(ctx), window), window);
    return { nodes: await this.withCounters(ctx, page.nodes), pageInfo: page.pageInfo };
  }

  @Mutation(() => FlashSalePayload, { description: "Put one SKU on a flash sale; its units are set aside from the SKU's stock" })
  async createFlashSale(@C() ctx: Ctx, @Arg("input", () => CreateFlashSaleInput) input: CreateFlashSaleInput) {
    const { result, errors } = await runMutation(FlashSaleErrorCode, () => createFlashSale(ctx, storeIdOf(ctx), viewerOf(ctx).userId, input));
    return this.payload(ctx, result?.id ?? null, errors);
  }

  @Mutation(() => FlashSalePayload, { description: "Call off a sale that has not started; its units go back to the SKU" })
  async cancelFlashSale(@C() ctx: Ctx, @Arg("id", () => ID) id: string) {
    const { result, errors } = await runMutation(FlashSaleErrorCode, () => cancelFlashSale(ctx, storeIdOf(ctx), id));
    return this.payload(ctx, result?.id ?? null, errors);
  }

  private async payload(ctx: Ctx, id: string | null, errors: { code: string; message: string; field: string | null }[]) {
    const row = id ? await flashSaleView(ctx.db, id) : null;
    const [flashSale] = row ? await this.withCounters(ctx, [row]) : [null];
    return Object.assign(new FlashSalePayload(), { flashSale, errors });
  }

  private async withCounters(ctx: Ctx, rows: FlashSaleView[]): Promise<MerchantFlashSale[]> {
    const counters = await flashCounters(ctx.db, rows.map((r) => r.sale.id));
    return rows.map((r) => {
      const c = counters.get(r.sale.id) ?? { remaining: 0, reserved: 0, sold: 0 };
      return Object.assign(new MerchantFlashSale(), { ...toShop(r, c.remaining, ctx.now), reserved: c.reserved, sold: c.sold, closeReason: r.sale.closeReason });
    });
  }
}
