import { Arg, Authorized, Ctx as C, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import { Permission } from "../core/permissions";
import { storeIdOf, type Ctx } from "../core/context";
import { notFound } from "../core/errors";
import { requireId } from "../core/ids";
import { pageWindow, toPage } from "../core/connection";
import { Money } from "../core/money.type";
import { decryptPii } from "../platform/crypto";
import { maskName, maskPhone } from "../platform/mask";
import * as queries from "./order-queries.service";
import { toMerchantOrder, toShopShipment } from "./mappers";
import { MaskedShipTo, MerchantOrder, MerchantOrderReward, MerchantOrderConnection, MerchantOrderLine, OrderStatus, ShopShipment } from "./order.types";


import { and, inArray, ne } from "drizzle-orm";
import { groupBuys } from "@/db/schema";
import { GROUP_HOLD_TEXT } from "../marketing/group-buy.rules";
import type { OrderRow } from "./checkout.service";
/** A merchant's view of their store's orders: buyer data masked, their own margin visible. */
@Authorized(Permission.STORE_MANAGE)
@Resolver(() => MerchantOrder)
export class MerchantOrderResolver {
  @Query(() => MerchantOrderConnection, { description: "Orders of the viewer's store" })
  async merchantOrders(
    @C() ctx: Ctx,
    @Arg("status", () => OrderStatus, { nullable: true }) status?: OrderStatus,
    @Arg("first", () => Int, { nullable: true }) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ) {
    const window = pageWindow(first, after);
    const page = toPage(await queries.storeOrders(ctx.db, storeIdOf(ctx), status ?? null, window), window);
    const held = await heldByGroup(ctx.db, page.nodes);
    return { ...page, nodes: page.nodes.map((r) => withGroupHold(toMerchantOrder(r), held)) };
  }

  @Query(() => MerchantOrder)
  async merchantOrder(@C() ctx: Ctx, @Arg("id", () => ID) id: string) {
    const row = await queries.storeOrder(ctx.db, storeIdOf(ctx), requireId(id, "订单"));
    if (!row) throw notFound("订单");
    return withGroupHold(toMerchantOrder(row), await heldByGroup(ctx.db, [row]));
  }

  @FieldResolver(() => [MerchantOrderLine])
  async lines(@Root() o: MerchantOrder, @C() ctx: Ctx) {
    return (await ctx.loaders.linesByOrder.load(o.id)).map((l) =>
      Object.assign(new MerchantOrderLine(), {
        id: l.id,
        title: l.productTitle,
        skuLabel: l.skuLabel,
        quantity: l.quantity,
        unitPrice: Money.of(l.unitPrice),
        unitSupplyPrice: Money.of(l.unitSupplyPrice),
        paidAmount: Money.of(l.paidAmount),
        // The platform pays its own discounts (platform coupon, points) to the merchant as if cash.
        grossMargin: Money.of(l.paidAmount + l.platformDiscountAmount - l.unitSupplyPrice * l.quantity),
      }),
    );
  }

  @FieldResolver(() => Money, { description: "Σ line margins (before fee and commissions)" })
  async grossMargin(@Root() o: MerchantOrder, @C() ctx: Ctx) {
    const lines = await ctx.loaders.linesByOrder.load(o.id);
    return Money.of(lines.reduce((s, l) => s + l.paidAmount + l.platformDiscountAmount - l.unitSupplyPrice * l.quantity, 0));
  }

  @FieldResolver(() => [MerchantOrderReward], { description: "链动2+1 rewards this sale paid (receivers masked)" })
  async rewards(@Root() o: MerchantOrder, @C() ctx: Ctx) {
    const rows = await ctx.loaders.rewardsByOrder.load(o.id);
    return rows.map((r) =>
      Object.assign(new MerchantOrderReward(), {
        type: r.type,
        depth: r.depth,
        status: r.status,
        amount: Money.of(r.amount),
        reversedAmount: Money.of(r.reversedAmount),
        receiver: maskName(r.receiverNickname),
      }),
    );
  }

  @FieldResolver(() => Money, { description: "What the rewards cost the merchant's margin (net of reversals)" })
  async rewardsCost(@Root() o: MerchantOrder, @C() ctx: Ctx) {
    const rows = await ctx.loaders.rewardsByOrder.load(o.id);
    return Money.of(rows.reduce((s, r) => s + r.amount - r.reversedAmount, 0));
  }

  @FieldResolver(() => MaskedShipTo)
  shipTo(@Root() o: MerchantOrder): MaskedShipTo {
    return Object.assign(new MaskedShipTo(), {
      recipient: maskName(decryptPii(o.row.shipRecipientEnc)),
      phone: maskPhone(decryptPii(o.row.shipPhoneEnc)),
      region: o.row.shipRegion,
    });
  }

  @FieldResolver(() => [ShopShipment])
  async shipments(@Root() o: MerchantOrder, @C() ctx: Ctx) {
    return (await ctx.loaders.shipmentsByOrder.load(o.id)).map(toShopShipment);
  }
}

/** Paid orders whose group (拼团) has not succeeded yet: held back from shipping, shown as such. */
async function heldByGroup(db: Ctx["db"], rows: OrderRow[]): Promise<Set<string>> {
  const grouped = rows.filter((r) => r.groupBuyId && r.status === "PAID");
  if (!grouped.length) return new Set();
  const open = await db.select({ id: groupBuys.id }).from(groupBuys).where(and(inArray(groupBuys.id, grouped.map((r) => r.groupBuyId!)), ne(groupBuys.status, "SUCCEEDED")));
  const openIds = new Set(open.map((g) => g.id));
  return new Set(grouped.filter((r) => openIds.has(r.groupBuyId!)).map((r) => r.id));
}

function withGroupHold(o: MerchantOrder, held: Set<string>): MerchantOrder {
  return held.has(o.id) ? Object.assign(o, { statusText: GROUP_HOLD_TEXT }) : o;
}
