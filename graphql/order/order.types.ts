import { Field, ID, InputType, Int, InterfaceType, ObjectType, registerEnumType } from "type-graphql";
import { SafeIntResolver } from "graphql-scalars";
import { Money } from "../core/money.type";
import { Connection } from "../core/connection";
import { ErrorType } from "../core/payload";
import { CheckoutErrorCode, OrderErrorCode } from "./order.rules";
import { CartErrorCode } from "./cart.service";
import { AddressErrorCode } from "./address.service";
import type { OrderRow } from "./checkout.service";
import type { ShipmentRow } from "./fulfilment.service";

export enum OrderStatus {
  PENDING_PAYMENT = "PENDING_PAYMENT",
  PAID = "PAID",
  SHIPPED = "SHIPPED",
  COMPLETED = "COMPLETED",
  CANCELLED = "CANCELLED",
}
registerEnumType(OrderStatus, { name: "OrderStatus" });

export enum ShipmentStatus {
  AWAITING_SHIPMENT = "AWAITING_SHIPMENT",
  SHIPPED = "SHIPPED",
  RECEIVED = "RECEIVED",
}
registerEnumType(ShipmentStatus, { name: "ShipmentStatus" });

/** Fields every view of an order shares. Money only; no costs. */
@InterfaceType("OrderSummary", { description: "What every role's view of an order shares" })
export abstract class OrderBase {
  @Field(() => ID) id!: string;
  @Field(() => String) orderNo!: string;
  @Field(() => OrderStatus) status!: OrderStatus;
  @Field(() => String, { description: "Status in Chinese, e.g. 待发货" }) statusText!: string;
  @Field(() => Money) goodsAmount!: Money;
  @Field(() => Money) freightAmount!: Money;
  @Field(() => Money) totalAmount!: Money;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) paidAt!: Date | null;
  row!: OrderRow;
}

@ObjectType("ShopOrderLine")
export class ShopOrderLine {
  @Field(() => ID) id!: string;
  @Field(() => String) title!: string;
  @Field(() => String) skuLabel!: string;
  @Field(() => String, { nullable: true }) image!: string | null;
  @Field(() => Int) quantity!: number;
  @Field(() => Money) unitPrice!: Money;
  @Field(() => Money) amount!: Money;
  @Field(() => Money, { description: "Refunded so far through after-sales" }) refundedAmount!: Money;
}

@ObjectType("ShopShipment")
export class ShopShipment {
  @Field(() => ID) id!: string;
  @Field(() => ShipmentStatus) status!: ShipmentStatus;
  @Field(() => String, { nullable: true }) carrier!: string | null;
  @Field(() => String, { nullable: true }) trackingNo!: string | null;
  @Field(() => Date, { nullable: true }) shippedAt!: Date | null;
  @Field(() => Date, { nullable: true }) receivedAt!: Date | null;
  @Field(() => Date, { nullable: true, description: "When receipt will be confirmed automatically" }) autoReceiveAt!: Date | null;
}

/** The consumer's own shipping address on an order (their own data, shown in full). */
@ObjectType("OwnShipTo")
export class OwnShipTo {
  @Field(() => String) recipient!: string;
  @Field(() => String) phone!: string;
  @Field(() => String) region!: string;
  @Field(() => String) detail!: string;
}

/** The consumer's view of their order. */
@ObjectType("ShopOrder", { implements: OrderBase })
export class ShopOrder extends OrderBase {
  @Field(() => Money, { description: "Coupons and points taken off" }) discountAmount!: Money;
  @Field(() => Int, { description: "Points spent on this order (积分抵扣)" }) pointsUsed!: number;
  @Field(() => Date, { nullable: true, description: "Unpaid orders are cancelled at this time" }) expiresAt!: Date | null;
}

/** Shipping details as a merchant sees them: who and where, masked. */
@ObjectType("MaskedShipTo")
export class MaskedShipTo {
  @Field(() => String, { description: "Masked, e.g. 张*" }) recipient!: string;
  @Field(() => String, { description: "Masked, e.g. 138****1234" }) phone!: string;
  @Field(() => String) region!: string;
}

@ObjectType("MerchantOrderLine")
export class MerchantOrderLine {
  @Field(() => ID) id!: string;
  @Field(() => String) title!: string;
  @Field(() => String) skuLabel!: string;
  @Field(() => Int) quantity!: number;
  @Field(() => Money) unitPrice!: Money;
  @Field(() => Money) unitSupplyPrice!: Money;
  @Field(() => Money) paidAmount!: Money;
  @Field(() => Money, { description: "paid − supply cost" }) grossMargin!: Money;
}

@ObjectType("MerchantOrderReward", { description: "A 链动2+1 reward paid from this sale, receiver masked" })
export class MerchantOrderReward {
  @Field(() => String) type!: string;
  @Field(() => Int) depth!: number;
  @Field(() => String) status!: string;
  @Field(() => Money) amount!: Money;
  @Field(() => Money) reversedAmount!: Money;
  @Field(() => String) receiver!: string;
}

/** A store's order as its merchant sees it: buyer data masked, own margin shown. */
@ObjectType("MerchantOrder", { implements: OrderBase })
export class MerchantOrder extends OrderBase {}

/** Shipping details a supplier needs to ship: full address, masked recipient and phone. */
@ObjectType("ShippingAddress")
export class ShippingAddress {
  @Field(() => String, { description: "Masked, e.g. 张*" }) recipient!: string;
  @Field(() => String, { description: "Masked, e.g. 138****1234" }) phone!: string;
  @Field(() => String) region!: string;
  @Field(() => String) detail!: string;
}

@ObjectType("SupplierShipmentLine")
export class SupplierShipmentLine {
  @Field(() => ID) id!: string;
  @Field(() => String) title!: string;
  @Field(() => String) skuLabel!: string;
  @Field(() => Int) quantity!: number;
  @Field(() => Money) unitSupplyPrice!: Money;
}

/** One supplier's part of a paid order: what to pack and where to send it. */
@ObjectType("SupplierShipment")
export class SupplierShipment {
  @Field(() => ID) id!: string;
  @Field(() => ShipmentStatus) status!: ShipmentStatus;
  @Field(() => String, { nullable: true }) carrier!: string | null;
  @Field(() => String, { nullable: true }) trackingNo!: string | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) shippedAt!: Date | null;
  @Field(() => Money) freightAmount!: Money;
  row!: ShipmentRow;
}

@ObjectType("CartLine")
export class CartLine {
  @Field(() => ID) id!: string;
  @Field(() => ID) skuId!: string;
  @Field(() => ID) productId!: string;
  @Field(() => String) title!: string;
  @Field(() => String) skuLabel!: string;
  @Field(() => String, { nullable: true }) image!: string | null;
  @Field(() => Int) quantity!: number;
  @Field(() => Money, { nullable: true }) unitPrice!: Money | null;
  @Field(() => Int) stock!: number;
  @Field(() => Boolean) available!: boolean;
}

@ObjectType("Cart")
export class Cart {
  @Field(() => [CartLine]) lines!: CartLine[];
  @Field(() => Money, { description: "Sum of available lines" }) goodsAmount!: Money;
  @Field(() => Int) itemCount!: number;
}

@ObjectType("Address")
export class Address {
  @Field(() => ID) id!: string;
  @Field(() => String) recipient!: string;
  @Field(() => String) phone!: string;
  @Field(() => String) province!: string;
  @Field(() => String) city!: string;
  @Field(() => String) district!: string;
  @Field(() => String) detail!: string;
  @Field(() => Boolean) isDefault!: boolean;
}

@ObjectType("CheckoutPreviewLine")
export class CheckoutPreviewLine {
  @Field(() => ID) skuId!: string;
  @Field(() => String) title!: string;
  @Field(() => String) skuLabel!: string;
  @Field(() => String, { nullable: true }) image!: string | null;
  @Field(() => Int) quantity!: number;
  @Field(() => Money, { description: "The unit price charged (a live-only price when ordered from a live room)" }) unitPrice!: Money;
  @Field(() => Money, { description: "The store's list price, struck through when it differs" }) listUnitPrice!: Money;
  @Field(() => Money) amount!: Money;
  @Field(() => Int) stock!: number;
}

@ObjectType("CheckoutPreview")
export class CheckoutPreview {
  @Field(() => [CheckoutPreviewLine]) lines!: CheckoutPreviewLine[];
  @Field(() => Money) goodsAmount!: Money;
  @Field(() => Money) freightAmount!: Money;
  @Field(() => Money, { description: "Coupon and points discount" }) discountAmount!: Money;
  @Field(() => Int, { description: "My points balance" }) pointsAvailable!: number;
  @Field(() => Int, { description: "The most points this order can use (rate step, cap per order, balance)" }) pointsMaxUsable!: number;
  @Field(() => Int, { description: "Points this price uses" }) pointsUsed!: number;
  @Field(() => Money, { description: "What those points take off (part of discountAmount)" }) pointsDiscount!: Money;
  @Field(() => Money) totalAmount!: Money;
  @Field(() => [CheckoutCoupon], { description: "My coupons usable in this store: applied ones, and why the others are not" }) coupons!: CheckoutCoupon[];
}

@ObjectType("CheckoutCoupon")
export class CheckoutCoupon {
  @Field(() => ID, { description: "My coupon's id (pass it in couponIds)" }) id!: string;
  @Field(() => String, { description: "STORE or PLATFORM: one of each may be used per order" }) issuer!: string;
  @Field(() => String) title!: string;
  @Field(() => String, { description: "e.g. 满99减10" }) face!: string;
  @Field(() => Date) usableUntil!: Date;
  @Field(() => Boolean) applied!: boolean;
  @Field(() => Money) discount!: Money;
  @Field(() => String, { nullable: true, description: "Why it does not apply to this order" }) reason!: string | null;
}

export const ShopOrderConnection = Connection("ShopOrderConnection", ShopOrder);
export const MerchantOrderConnection = Connection("MerchantOrderConnection", MerchantOrder);
export const SupplierShipmentConnection = Connection("SupplierShipmentConnection", SupplierShipment);

export const CheckoutError = ErrorType("CheckoutError", CheckoutErrorCode);
export const OrderError = ErrorType("OrderError", OrderErrorCode);
export const CartError = ErrorType("CartError", CartErrorCode);
export const AddressError = ErrorType("AddressError", AddressErrorCode);

@InputType("CheckoutItemInput")
export class CheckoutItemInput {
  @Field(() => ID) skuId!: string;
  @Field(() => Int) quantity!: number;
}

@InputType("CheckoutPreviewInput")
export class CheckoutPreviewInput {
  @Field(() => String) storeSlug!: string;
  @Field(() => [CheckoutItemInput]) items!: CheckoutItemInput[];
  @Field(() => [ID], { nullable: true, description: "Coupons to use; omitted: the best combination is preselected; []: none" }) couponIds?: string[] | null;
  @Field(() => Int, { nullable: true, description: "Points to use; omitted: as many as allowed; 0: none" }) pointsToUse?: number | null;
  @Field(() => ID, { nullable: true, description: "Ordered from this live room: its live-only prices apply while it is live" }) liveId?: string | null;
}

@InputType("PlaceOrderInput")
export class PlaceOrderInput {
  @Field(() => String) storeSlug!: string;
  @Field(() => [CheckoutItemInput]) items!: CheckoutItemInput[];
  @Field(() => ID) addressId!: string;
  @Field(() => String, { description: "Client-generated key: retries with the same key return the same order" }) idempotencyKey!: string;
  @Field(() => SafeIntResolver, { nullable: true, description: "The total shown to the buyer, in fen" }) expectedTotal?: number | null;
  @Field(() => Boolean, { defaultValue: false }) fromCart!: boolean;
  @Field(() => [ID], { nullable: true, description: "Coupons to use; omitted: the best combination; []: none" }) couponIds?: string[] | null;
  @Field(() => Int, { nullable: true, description: "Points to use; omitted: as many as allowed; 0: none" }) pointsToUse?: number | null;
  @Field(() => ID, { nullable: true, description: "Ordered from this live room: its live-only prices apply while it is live" }) liveId?: string | null;
}

@ObjectType("PlaceOrderPayload")
export class PlaceOrderPayload {
  @Field(() => ShopOrder, { nullable: true }) order!: ShopOrder | null;
  @Field(() => [CheckoutError]) errors!: InstanceType<typeof CheckoutError>[];
}

@InputType("OrderIdInput")
export class OrderIdInput {
  @Field(() => ID) orderId!: string;
}

@ObjectType("OrderPayload")
export class OrderPayload {
  @Field(() => ShopOrder, { nullable: true }) order!: ShopOrder | null;
  @Field(() => [OrderError]) errors!: InstanceType<typeof OrderError>[];
}

@InputType("AddToCartInput")
export class AddToCartInput {
  @Field(() => String) storeSlug!: string;
  @Field(() => ID) skuId!: string;
  @Field(() => Int) quantity!: number;
}

@InputType("SetCartQuantityInput")
export class SetCartQuantityInput {
  @Field(() => ID) itemId!: string;
  @Field(() => Int, { description: "0 removes the line" }) quantity!: number;
}

@ObjectType("CartPayload")
export class CartPayload {
  @Field(() => Cart, { nullable: true }) cart!: Cart | null;
  @Field(() => [CartError]) errors!: InstanceType<typeof CartError>[];
}

@InputType("AddressInput")
export class AddressInput {
  @Field(() => String) recipient!: string;
  @Field(() => String) phone!: string;
  @Field(() => String) province!: string;
  @Field(() => String) city!: string;
  @Field(() => String) district!: string;
  @Field(() => String) detail!: string;
  @Field(() => Boolean, { defaultValue: false }) isDefault!: boolean;
}

@ObjectType("AddressPayload")
export class AddressPayload {
  @Field(() => Address, { nullable: true }) address!: Address | null;
  @Field(() => [AddressError]) errors!: InstanceType<typeof AddressError>[];
}

@InputType("ShipShipmentInput")
export class ShipShipmentInput {
  @Field(() => ID) shipmentId!: string;
  @Field(() => String) carrier!: string;
  @Field(() => String) trackingNo!: string;
}

@ObjectType("ShipShipmentPayload")
export class ShipShipmentPayload {
  @Field(() => SupplierShipment, { nullable: true }) shipment!: SupplierShipment | null;
  @Field(() => [OrderError]) errors!: InstanceType<typeof OrderError>[];
}

@ObjectType("RevealedRecipient", { description: "Full recipient name for printing a label; every reveal is audited" })
export class RevealedRecipient {
  @Field(() => String) recipient!: string;
}
