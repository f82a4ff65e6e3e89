import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { Money } from "../core/money.type";
import { Connection } from "../core/connection";
import { ErrorType } from "../core/payload";
import { ShopOrder } from "../order/order.types";
import { FlashOrderErrorCode, FlashSaleErrorCode } from "./flash-sale.rules";

export enum FlashSaleStateEnum {
  UPCOMING = "UPCOMING",
  ACTIVE = "ACTIVE",
  SOLD_OUT = "SOLD_OUT",
  ENDED = "ENDED",
}
registerEnumType(FlashSaleStateEnum, { name: "FlashSaleState" });

@ObjectType("ShopFlashSale", { description: "A flash sale as a consumer sees it (no cost fields)" })
export class ShopFlashSale {
  @Field(() => ID) id!: string;
  @Field(() => ID) productId!: string;
  @Field(() => ID) skuId!: string;
  @Field(() => String) productTitle!: string;
  @Field(() => String) skuLabel!: string;
  @Field(() => String, { nullable: true }) image!: string | null;
  @Field(() => Money) flashPrice!: Money;
  @Field(() => Money, { description: "The store's own price, struck through" }) listPrice!: Money;
  @Field(() => Int) perUserLimit!: number;
  @Field(() => Date) startsAt!: Date;
  @Field(() => Date) endsAt!: Date;
  @Field(() => FlashSaleStateEnum) state!: FlashSaleStateEnum;
  @Field(() => Int, { description: "Units not taken yet" }) remaining!: number;
  @Field(() => Int) totalStock!: number;
}

@ObjectType("MerchantFlashSale")
export class MerchantFlashSale extends ShopFlashSale {
  @Field(() => Int, { description: "Units held by unpaid orders" }) reserved!: number;
  @Field(() => Int, { description: "Units in paid orders" }) sold!: number;
  @Field(() => String, { nullable: true }) closeReason!: string | null;
}

export const MerchantFlashSaleConnection = Connection("MerchantFlashSaleConnection", MerchantFlashSale);

export const FlashSaleError = ErrorType("FlashSaleError", FlashSaleErrorCode);
export const FlashOrderError = ErrorType("FlashOrderError", FlashOrderErrorCode);

@InputType("CreateFlashSaleInput")
export class CreateFlashSaleInput {
  @Field(() => ID) skuId!: string;
  @Field(() => Int, { description: "Flash price in fen" }) flashPrice!: number;
  @Field(() => Int) totalStock!: number;
  @Field(() => Int) perUserLimit!: number;
  @Field(() => Date) startsAt!: Date;
  @Field(() => Date) endsAt!: Date;
}

@ObjectType("FlashSalePayload")
export class FlashSalePayload {
  @Field(() => MerchantFlashSale, { nullable: true }) flashSale!: MerchantFlashSale | null;
  @Field(() => [FlashSaleError]) errors!: InstanceType<typeof FlashSaleError>[];
}

@InputType("PlaceFlashOrderInput")
export class PlaceFlashOrderInput {
  @Field(() => ID) flashSaleId!: string;
  @Field(() => Int) quantity!: number;
  @Field(() => ID) addressId!: string;
  @Field(() => String, { description: "Client-generated key: retries return the same order" }) idempotencyKey!: string;
}

@ObjectType("PlaceFlashOrderPayload")
export class PlaceFlashOrderPayload {
  @Field(() => ShopOrder, { nullable: true }) order!: ShopOrder | null;
  @Field(() => [FlashOrderError]) errors!: InstanceType<typeof FlashOrderError>[];
}
