import { Arg, Authorized, Ctx as C, Mutation, Query, Resolver } from "type-graphql";
import { Permission } from "../core/permissions";
import { viewerOf, type Ctx } from "../core/context";
import { notFound } from "../core/errors";
import { isUuid } from "../core/ids";
import { Money } from "../core/money.type";
import { runMutation } from "../core/payload";
import { imageUrl } from "../catalog/catalog.service";
import { storeBySlug } from "../store/store.service";
import * as cart from "./cart.service";
import * as address from "./address.service";
import { priceItems } from "./checkout.service";
import { COUPON_REJECT_TEXT } from "../marketing/pricing.rules";
import { couponFaceText } from "../marketing/coupon.rules";
import {
  Address,
  AddressInput,
  AddressPayload,
  AddToCartInput,
  Cart,
  CartLine,
  CartPayload,
  CheckoutCoupon,
  CheckoutPreview,
  CheckoutPreviewInput,
  CheckoutPreviewLine,
  SetCartQuantityInput,
} from "./order.types";
import { CheckoutError } from "./order.types";
import { CheckoutErrorCode } from "./order.rules";
import { Field, ObjectType } from "type-graphql";

@ObjectType("CheckoutPreviewPayload")
class CheckoutPreviewPayload {
  @Field(() => CheckoutPreview, { nullable: true }) preview!: CheckoutPreview | null;
  @Field(() => [CheckoutError]) errors!: InstanceType<typeof CheckoutError>[];
}

async function loadCart(ctx: Ctx, storeId: string): Promise<Cart> {
  const rows = await cart.cartLines(ctx.db, viewerOf(ctx).userId, storeId);
  const lines = rows.map((r) =>
    Object.assign(new CartLine(), {
      id: r.id,
      skuId: r.skuId,
      productId: r.listingId,
      title: r.title,
      skuLabel: r.label,
      image: r.imageKeys[0] ? imageUrl(r.imageKeys[0]) : null,
      quantity: r.quantity,
      unitPrice: r.price == null ? null : Money.of(Number(r.price)),
      stock: r.stock,
      available: Boolean(r.available) && r.price != null,
    }),
  );
  const goods = lines.filter((l) => l.available).reduce((s, l) => s + (l.unitPrice?.amount ?? 0) * l.quantity, 0);
  return Object.assign(new Cart(), { lines, goodsAmount: Money.of(goods), itemCount: lines.reduce((n, l) => n + l.quantity, 0) });
}

const toAddress = (a: address.AddressView) => Object.assign(new Address(), a);

/** The consumer's cart, address book and checkout preview. */
@Authorized(Permission.SHOP_BUY)
@Resolver()
export class ShopCartResolver {
  @Query(() => Cart, { description: "The viewer's cart in one store" })
  async myCart(@C() ctx: Ctx, @Arg("storeSlug", () => String) storeSlug: string) {
    const store = await storeBySlug(ctx.db, storeSlug);
    if (!store) throw notFound("店铺");
    return loadCart(ctx, store.id);
  }

  @Mutation(() => CartPayload)
  async addToCart(@C() ctx: Ctx, @Arg("input", () => AddToCartInput) input: AddToCartInput) {
    const { result, errors } = await runMutation(cart.CartErrorCode, async () => {
      if (!isUuid(input.skuId)) throw notFound("商品");
      const storeId = await cart.addToCart(ctx, viewerOf(ctx).userId, { ...input, skuId: input.skuId.toLowerCase() });
      return loadCart(ctx, storeId);
    });
    return { cart: result, errors };
  }

  @Mutation(() => CartPayload, { description: "Change a cart line's quantity; 0 removes it" })
  async setCartQuantity(
    @C() ctx: Ctx,
    @Arg("storeSlug", () => String) storeSlug: string,
    @Arg("input", () => SetCartQuantityInput) input: SetCartQuantityInput,
  ) {
    const store = await storeBySlug(ctx.db, storeSlug);
    if (!store || !isUuid(input.itemId)) throw notFound("购物车商品");
    const { result, errors } = await runMutation(cart.CartErrorCode, async () => {
      await cart.setCartQuantity(ctx, viewerOf(ctx).userId, input);
      return loadCart(ctx, store.id);
    });
    return { cart: result, errors };
  }

  @Query(() => [Address], { description: "The viewer's address book, default first" })
  async myAddresses(@C() ctx: Ctx) {
    return (await address.myAddresses(ctx.db, viewerOf(ctx).userId)).map(toAddress);
  }

  @Mutation(() => AddressPayload)
  async createAddress(@C() ctx: Ctx, @Arg("input", () => AddressInput) input: AddressInput) {
    const { result, errors } = await runMutation(address.AddressErrorCode, () => address.createAddress(ctx, viewerOf(ctx).userId, input));
    return { address: result ? toAddress(result) : null, errors };
  }

  @Mutation(() => AddressPayload)
  async deleteAddress(@C() ctx: Ctx, @Arg("id", () => String) id: string) {
    const { errors } = await runMutation(address.AddressErrorCode, async () => {
      if (!isUuid(id)) throw notFound("地址");
      await address.deleteAddress(ctx, viewerOf(ctx).userId, id);
    });
    return { address: null, errors };
  }

  @Query(() => CheckoutPreviewPayload, { description: "Prices items exactly as placing the order would" })
  async checkoutPreview(@C() ctx: Ctx, @Arg("input", () => CheckoutPreviewInput) input: CheckoutPreviewInput) {
    const { result, errors } = await runMutation(CheckoutErrorCode, async () => {
      const items = input.items.map((i) => ({ skuId: i.skuId.toLowerCase(), quantity: i.quantity }));
      const selected = input.couponIds?.map((id) => id.toLowerCase()) ?? null;
      const { bySku, quote, held, pointsAvailable } = await priceItems(ctx.db, input.storeSlug, items, {
        userId: viewerOf(ctx).userId,
        selected,
        now: ctx.now,
        pointsToUse: input.pointsToUse ?? null,
        liveId: input.liveId?.toLowerCase() ?? null,
      });
      const applied = new Map(quote.appliedCoupons.map((c) => [c.id, c.discount]));
      const rejected = new Map(quote.rejectedCoupons.map((c) => [c.id, COUPON_REJECT_TEXT[c.reason]]));
      return Object.assign(new CheckoutPreview(), {
        lines: quote.lines.map((l) => {
          const o = bySku.get(l.skuId)!;
          return Object.assign(new CheckoutPreviewLine(), {
            skuId: l.skuId,
            title: o.product.title,
            skuLabel: o.sku.label,
            image: o.product.imageKeys[0] ? imageUrl(o.product.imageKeys[0]) : null,
            quantity: l.quantity,
            unitPrice: Money.of(l.unitPrice),
            listUnitPrice: Money.of(l.listUnitPrice),
            amount: Money.of(l.amount),
            stock: o.sku.stock,
          });
        }),
        goodsAmount: Money.of(quote.goods),
        freightAmount: Money.of(quote.freight),
        discountAmount: Money.of(quote.discount),
        totalAmount: Money.of(quote.total),
        pointsAvailable: pointsAvailable ?? 0,
        pointsMaxUsable: quote.pointsMaxUsable,
        pointsUsed: quote.pointsUsed,
        pointsDiscount: Money.of(quote.discount - quote.appliedCoupons.reduce((s, c) => s + c.discount, 0)),
        coupons: held.map(({ held: h, coupon: c }) =>
          Object.assign(new CheckoutCoupon(), {
            id: h.id,
            issuer: c.issuer,
            title: c.title,
            face: couponFaceText({ ...c, thresholdFen: Number(c.thresholdFen), amountFen: Number(c.amountFen), capFen: c.capFen === null ? null : Number(c.capFen) }),
            usableUntil: c.usableUntil,
            applied: applied.has(h.id),
            discount: Money.of(applied.get(h.id) ?? 0),
            reason: applied.has(h.id) ? null : (rejected.get(h.id) ?? null),
          }),
        ),
      });
    });
    return { preview: result, errors };
  }
}
