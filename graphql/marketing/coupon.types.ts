import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { SafeIntResolver } from "graphql-scalars";
import { Connection } from "../core/connection";
import { ErrorType } from "../core/payload";
import { ClaimErrorCode, CouponErrorCode } from "./coupon.rules";

export enum CouponKindEnum {
  THRESHOLD = "THRESHOLD",
  PERCENT = "PERCENT",
  NO_THRESHOLD = "NO_THRESHOLD",
}
registerEnumType(CouponKindEnum, { name: "CouponKind", description: "THRESHOLD 满减, PERCENT 折扣, NO_THRESHOLD 无门槛" });

@ObjectType("ShopCoupon", { description: "A coupon in a store's coupon centre" })
export class ShopCoupon {
  @Field(() => ID) id!: string;
  @Field(() => String) title!: string;
  @Field(() => String, { description: "STORE (the store funds it) or PLATFORM (usable in every store)" }) issuer!: string;
  @Field(() => String, { description: "e.g. 满99减10" }) face!: string;
  @Field(() => String, { description: "Which products: 全店通用, 指定商品, 平台券 · 全平台通用…" }) scopeText!: string;
  @Field(() => Date) claimEndsAt!: Date;
  @Field(() => Date) usableUntil!: Date;
  @Field(() => Int) remaining!: number;
  @Field(() => Int) perUserLimit!: number;
  @Field(() => Int, { description: "How many of it I hold (0 when signed out)" }) claimedByMe!: number;
}

@ObjectType("MyCoupon")
export class MyCoupon {
  @Field(() => ID) id!: string;
  @Field(() => String) title!: string;
  @Field(() => String) face!: string;
  @Field(() => String, { nullable: true }) storeName!: string | null;
  @Field(() => String, { nullable: true }) storeSlug!: string | null;
  @Field(() => Date) usableUntil!: Date;
  @Field(() => String, { description: "AVAILABLE, USED or EXPIRED" }) status!: string;
  @Field(() => String, { description: "CENTRE, PRODUCT, LIVE, TASK, WELCOME" }) source!: string;
}

@ObjectType("MerchantCoupon")
export class MerchantCoupon extends ShopCoupon {
  @Field(() => CouponKindEnum) kind!: CouponKindEnum;
  @Field(() => Date) claimStartsAt!: Date;
  @Field(() => Int) totalQuantity!: number;
  @Field(() => Int) claimed!: number;
  @Field(() => Int, { description: "Used in paid orders" }) used!: number;
  @Field(() => Boolean) welcome!: boolean;
  @Field(() => Boolean, { description: "Stopped: can no longer be claimed" }) disabled!: boolean;
}

export const MyCouponConnection = Connection("MyCouponConnection", MyCoupon);
export const MerchantCouponConnection = Connection("MerchantCouponConnection", MerchantCoupon);
export const CouponError = ErrorType("CouponError", CouponErrorCode);
export const ClaimError = ErrorType("ClaimCouponError", ClaimErrorCode);

@InputType("CreateCouponInput")
export class CreateCouponInput {
  @Field(() => String) title!: string;
  @Field(() => CouponKindEnum) kind!: CouponKindEnum;
  @Field(() => SafeIntResolver, { defaultValue: 0, description: "Threshold in fen (满减, optional for 折扣)" }) thresholdFen!: number;
  @Field(() => SafeIntResolver, { defaultValue: 0, description: "Amount off in fen (满减, 无门槛)" }) amountFen!: number;
  @Field(() => Int, { defaultValue: 0, description: "Share off in basis points (折扣: 1000 = 9折)" }) percentBp!: number;
  @Field(() => SafeIntResolver, { nullable: true, description: "Most a 折扣 coupon takes off, in fen" }) capFen?: number | null;
  @Field(() => [ID], { nullable: true, description: "Only these of my products; omitted: the whole store" }) productIds?: string[] | null;
  @Field(() => Int) totalQuantity!: number;
  @Field(() => Int) perUserLimit!: number;
  @Field(() => Date) claimStartsAt!: Date;
  @Field(() => Date) claimEndsAt!: Date;
  @Field(() => Date) usableUntil!: Date;
  @Field(() => Boolean, { defaultValue: false, description: "Given to people who register through an invite into my store" }) welcome!: boolean;
}

@ObjectType("CreateCouponPayload")
export class CreateCouponPayload {
  @Field(() => MerchantCoupon, { nullable: true }) coupon!: MerchantCoupon | null;
  @Field(() => [CouponError]) errors!: InstanceType<typeof CouponError>[];
}

@ObjectType("ClaimCouponPayload")
export class ClaimCouponPayload {
  @Field(() => MyCoupon, { nullable: true }) coupon!: MyCoupon | null;
  @Field(() => [ClaimError]) errors!: InstanceType<typeof ClaimError>[];
}
