import { Arg, Authorized, Ctx as C, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { Permission } from "../core/permissions";
import { viewerOf, type Ctx } from "../core/context";
import { notFound } from "../core/errors";
import { isUuid, requireId } from "../core/ids";
import { pageWindow, toPage } from "../core/connection";
import { runMutation } from "../core/payload";
import { decryptPii } from "../platform/crypto";
import { CheckoutErrorCode, OrderErrorCode } from "./order.rules";
import * as checkout from "./checkout.service";
import * as fulfilment from "./fulfilment.service";
import * as queries from "./order-queries.service";
import { toShopOrder, toShopOrderLine, toShopShipment } from "./mappers";
import { ShopStore } from "../store/store.types";
import {
  OrderIdInput,
  OrderPayload,
  OrderStatus,
  OwnShipTo,
  PlaceOrderInput,
  PlaceOrderPayload,
  ShopOrder,
  ShopOrderConnection,
  ShopOrderLine,
  ShopShipment,
} from "./order.types";

/** The consumer's orders: placing, listing, cancelling, confirming receipt. Only their own. */
@Authorized(Permission.SHOP_BUY)
@Resolver(() => ShopOrder)
export class ShopOrderResolver {
  @Query(() => ShopOrderConnection, { description: "The viewer's orders, newest first" })
  async myOrders(
    @C() ctx: Ctx,
    @Arg("status", () => OrderStatus, { nullable: true }) status?: OrderStatus,
    @Arg("first", () => Int, { nullable: true }) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ) {
    const window = pageWindow(first, after);
    const page = toPage(await queries.consumerOrders(ctx.db, viewerOf(ctx).userId, status ?? null, window), window);
    return { ...page, nodes: page.nodes.map(toShopOrder) };
  }

  @Query(() => ShopOrder, { description: "One of the viewer's orders" })
  async myOrder(@C() ctx: Ctx, @Arg("id", () => ID) id: string) {
    const row = await queries.consumerOrder(ctx.db, viewerOf(ctx).userId, requireId(id, "订单"));
    if (!row) throw notFound("订单");
    return toShopOrder(row);
  }

  @FieldResolver(() => [ShopOrderLine])
  async lines(@Root() o: ShopOrder, @C() ctx: Ctx) {
    return (await ctx.loaders.linesByOrder.load(o.id)).map(toShopOrderLine);
  }

  @FieldResolver(() => [ShopShipment])
  async shipments(@Root() o: ShopOrder, @C() ctx: Ctx) {
    return (await ctx.loaders.shipmentsByOrder.load(o.id)).map(toShopShipment);
  }

  @FieldResolver(() => OwnShipTo)
  shipTo(@Root() o: ShopOrder): OwnShipTo {
    return Object.assign(new OwnShipTo(), {
      recipient: decryptPii(o.row.shipRecipientEnc),
      phone: decryptPii(o.row.shipPhoneEnc),
      region: o.row.shipRegion,
      detail: decryptPii(o.row.shipDetailEnc),
    });
  }

  @FieldResolver(() => ShopStore)
  async store(@Root() o: ShopOrder, @C() ctx: Ctx) {
    return ShopStore.from((await ctx.loaders.store.load(o.row.storeId))!);
  }

  @Mutation(() => PlaceOrderPayload, { description: "Place an order and reserve its stock; pay within 15 minutes" })
  async placeOrder(@C() ctx: Ctx, @Arg("input", () => PlaceOrderInput) input: PlaceOrderInput) {
    const { result, errors } = await runMutation(CheckoutErrorCode, () =>
      checkout.placeOrder(ctx, viewerOf(ctx).userId, {
        ...input,
        items: input.items.map((i) => ({ skuId: i.skuId.toLowerCase(), quantity: i.quantity })),
        addressId: input.addressId.toLowerCase(),
        couponIds: input.couponIds?.map((id) => id.toLowerCase()) ?? null,
        liveId: input.liveId?.toLowerCase() ?? null,
      }),
    );
    return { order: result ? toShopOrder(result) : null, errors };
  }

  @Mutation(() => OrderPayload, { description: "Cancel an unpaid order, or a paid zero-cash order (积分兑换/全额抵扣) before any parcel ships" })
  async cancelOrder(@C() ctx: Ctx, @Arg("input", () => OrderIdInput) input: OrderIdInput) {
    const { result, errors } = await runMutation(OrderErrorCode, () =>
      isUuid(input.orderId) ? fulfilment.cancelOrder(ctx, viewerOf(ctx).userId, input.orderId) : Promise.reject(notFound("订单")),
    );
    return { order: result ? toShopOrder(result) : null, errors };
  }

  @Mutation(() => OrderPayload, { description: "Confirm receipt of a shipped order" })
  async confirmReceipt(@C() ctx: Ctx, @Arg("input", () => OrderIdInput) input: OrderIdInput) {
    const { result, errors } = await runMutation(OrderErrorCode, () =>
      isUuid(input.orderId) ? fulfilment.confirmReceipt(ctx, viewerOf(ctx).userId, input.orderId) : Promise.reject(notFound("订单")),
    );
    return { order: result ? toShopOrder(result) : null, errors };
  }
}
