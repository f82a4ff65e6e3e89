import { Arg, Authorized, Ctx as C, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { Permission } from "../core/permissions";
import { supplierIdOf, viewerOf, type Ctx } from "../core/context";
import { notFound } from "../core/errors";
import { isUuid, requireId } from "../core/ids";
import { pageWindow, toPage } from "../core/connection";
import { Money } from "../core/money.type";
import { runMutation } from "../core/payload";
import { decryptPii } from "../platform/crypto";
import { maskName, maskPhone } from "../platform/mask";
import { auditLog } from "@/db/schema";
import * as queries from "./order-queries.service";
import * as fulfilment from "./fulfilment.service";
import { OrderErrorCode } from "./order.rules";
import { toSupplierShipment } from "./mappers";
import {
  RevealedRecipient,
  ShipShipmentInput,
  ShipShipmentPayload,
  ShipmentStatus,
  ShippingAddress,
  SupplierShipment,
  SupplierShipmentConnection,
  SupplierShipmentLine,
} from "./order.types";


/** A supplier's fulfilment: shipments of paid orders, addresses to ship to (buyer phone masked). */
@Authorized(Permission.FULFILMENT)
@Resolver(() => SupplierShipment)
export class SupplierShipmentResolver {
  @Query(() => SupplierShipmentConnection, { description: "The viewer's supplier shipments, newest first" })
  async supplierShipments(
    @C() ctx: Ctx,
    @Arg("status", () => ShipmentStatus, { nullable: true }) status?: ShipmentStatus,
    @Arg("first", () => Int, { nullable: true }) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ) {
    const window = pageWindow(first, after);
    const page = toPage(await queries.supplierShipments(ctx.db, supplierIdOf(ctx), status ?? null, window), window);
    return { ...page, nodes: page.nodes.map(toSupplierShipment) };
  }

  @Query(() => SupplierShipment)
  async supplierShipment(@C() ctx: Ctx, @Arg("id", () => ID) id: string) {
    const row = await queries.supplierShipment(ctx.db, supplierIdOf(ctx), requireId(id, "发货单"));
    if (!row) throw notFound("发货单");
    return toSupplierShipment(row);
  }

  @FieldResolver(() => String)
  async orderNo(@Root() s: SupplierShipment, @C() ctx: Ctx) {
    return (await ctx.loaders.order.load(s.row.orderId))!.orderNo;
  }

  @FieldResolver(() => String, { description: "The store that sold it" })
  async storeName(@Root() s: SupplierShipment, @C() ctx: Ctx) {
    const order = (await ctx.loaders.order.load(s.row.orderId))!;
    return (await ctx.loaders.store.load(order.storeId))!.name;
  }

  @FieldResolver(() => [SupplierShipmentLine])
  async lines(@Root() s: SupplierShipment, @C() ctx: Ctx) {
    return (await ctx.loaders.linesByShipment.load(s.id)).map((l) =>
      Object.assign(new SupplierShipmentLine(), {
        id: l.id,
        title: l.productTitle,
        skuLabel: l.skuLabel,
        quantity: l.quantity,
        unitSupplyPrice: Money.of(l.unitSupplyPrice),
      }),
    );
  }

  @FieldResolver(() => ShippingAddress)
  async shipTo(@Root() s: SupplierShipment, @C() ctx: Ctx) {
    const order = (await ctx.loaders.order.load(s.row.orderId))!;
    return Object.assign(new ShippingAddress(), {
      recipient: maskName(decryptPii(order.shipRecipientEnc)),
      phone: maskPhone(decryptPii(order.shipPhoneEnc)),
      region: order.shipRegion,
      detail: decryptPii(order.shipDetailEnc),
    });
  }

  @Mutation(() => ShipShipmentPayload, { description: "Ship with carrier and tracking number" })
  async shipShipment(@C() ctx: Ctx, @Arg("input", () => ShipShipmentInput) input: ShipShipmentInput) {
    const supplierId = supplierIdOf(ctx);
    const { result, errors } = await runMutation(OrderErrorCode, async () => {
      if (!isUuid(input.shipmentId)) throw notFound("发货单");
      return fulfilment.shipShipment(ctx, supplierId, { ...input, shipmentId: input.shipmentId.toLowerCase() });
    });
    return { shipment: result ? toSupplierShipment(result) : null, errors };
  }

  @Mutation(() => RevealedRecipient, { description: "Full recipient name for the label; audited" })
  async revealShipmentRecipient(@C() ctx: Ctx, @Arg("shipmentId", () => ID) shipmentId: string) {
    const row = await queries.supplierShipment(ctx.db, supplierIdOf(ctx), requireId(shipmentId, "发货单"));
    if (!row) throw notFound("发货单");
    const order = (await ctx.loaders.order.load(row.orderId))!;
    await ctx.db.insert(auditLog).values({
      actorUserId: viewerOf(ctx).userId,
      action: "reveal.recipient",
      subjectType: "shipment",
      subjectId: row.id,
      createdAt: ctx.now,
    });
    return Object.assign(new RevealedRecipient(), { recipient: decryptPii(order.shipRecipientEnc) });
  }
}
