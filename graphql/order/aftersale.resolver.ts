import { Arg, Authorized, Ctx as C, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import { Permission } from "../core/permissions";
import { storeIdOf, viewerOf, type Ctx } from "../core/context";
import { requireId } from "../core/ids";
import { pageWindow, toPage } from "../core/connection";
import { runMutation } from "../core/payload";
import { AfterSaleErrorCode } from "./aftersale.rules";
import * as service from "./aftersale.service";
import * as queries from "./aftersale-queries.service";
import {
  AfterSaleIdInput,
  AfterSaleStatus,
  DecideAfterSaleInput,
  MerchantAfterSale,
  MerchantAfterSaleConnection,
  MerchantAfterSalePayload,
  RequestAfterSaleInput,
  ShopAfterSale,
  ShopAfterSaleConnection,
  ShopAfterSalePayload,
  toAfterSale,
} from "./aftersale.types";

/** The service context a refund needs: the request's database and clock, and the payment providers. */
const refundCtx = (ctx: Ctx) => ({ db: ctx.db, now: ctx.now, payments: ctx.services.payments });

/** The consumer's after-sales (refund only): ask, withdraw, follow. Only their own orders. */
@Authorized(Permission.SHOP_BUY)
@Resolver(() => ShopAfterSale)
export class ShopAfterSaleResolver {
  @Query(() => ShopAfterSaleConnection, { description: "The viewer's after-sale requests, newest first" })
  async myAfterSales(
    @C() ctx: Ctx,
    @Arg("orderId", () => ID, { nullable: true }) orderId?: string,
    @Arg("first", () => Int, { nullable: true }) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ) {
    const window = pageWindow(first, after);
    const rows = await queries.consumerAfterSales(ctx.db, viewerOf(ctx).userId, orderId ? requireId(orderId, "订单") : null, window);
    const page = toPage(rows, window);
    return { ...page, nodes: page.nodes.map((v) => toAfterSale(ShopAfterSale, v)) };
  }

  @Mutation(() => ShopAfterSalePayload, { description: "Ask money back on lines of one's own paid order (refund only)" })
  async requestAfterSale(@C() ctx: Ctx, @Arg("input", () => RequestAfterSaleInput) input: RequestAfterSaleInput) {
    const { result, errors } = await runMutation(AfterSaleErrorCode, async () => {
      const row = await service.requestAfterSale(ctx, viewerOf(ctx).userId, input);
      return queries.afterSaleView(ctx.db, row.id);
    });
    return { afterSale: result ? toAfterSale(ShopAfterSale, result) : null, errors };
  }

  @Mutation(() => ShopAfterSalePayload, { description: "Withdraw a request the merchant has not decided yet" })
  async cancelAfterSale(@C() ctx: Ctx, @Arg("input", () => AfterSaleIdInput) input: AfterSaleIdInput) {
    const { result, errors } = await runMutation(AfterSaleErrorCode, async () => {
      const row = await service.cancelAfterSale(ctx, viewerOf(ctx).userId, input.afterSaleId);
      return queries.afterSaleView(ctx.db, row.id);
    });
    return { afterSale: result ? toAfterSale(ShopAfterSale, result) : null, errors };
  }
}


/** A merchant's after-sales: the requests on their own store, and the decision on each. */
@Authorized(Permission.STORE_MANAGE)
@Resolver(() => MerchantAfterSale)
export class MerchantAfterSaleResolver {
  @Query(() => MerchantAfterSaleConnection, { description: "After-sale requests on the viewer's store, newest first" })
  async merchantAfterSales(
    @C() ctx: Ctx,
    @Arg("status", () => AfterSaleStatus, { nullable: true }) status?: AfterSaleStatus,
    @Arg("first", () => Int, { nullable: true }) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ) {
    const window = pageWindow(first, after);
    const page = toPage(await queries.storeAfterSales(ctx.db, storeIdOf(ctx), status ?? null, window), window);
    return { ...page, nodes: page.nodes.map((v) => toAfterSale(MerchantAfterSale, v)) };
  }

  @Mutation(() => MerchantAfterSalePayload, { description: "Approve (and refund at once) or reject a request on the viewer's store" })
  async decideAfterSale(@C() ctx: Ctx, @Arg("input", () => DecideAfterSaleInput) input: DecideAfterSaleInput) {
    const { result, errors } = await runMutation(AfterSaleErrorCode, async () => {
      const row = await service.decideAfterSale(refundCtx(ctx), storeIdOf(ctx), input, viewerOf(ctx).userId);
      return queries.afterSaleView(ctx.db, row.id);
    });
    return { afterSale: result ? toAfterSale(MerchantAfterSale, result) : null, errors };
  }
}
