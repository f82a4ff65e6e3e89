import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { Money } from "../core/money.type";
import { Connection } from "../core/connection";
import { ErrorType } from "../core/payload";
import { MallItemErrorCode, PointsErrorCode, PointsSettingsErrorCode, RedeemErrorCode } from "./points.rules";

export enum PointsMallKindEnum {
  COUPON = "COUPON",
  PRODUCT = "PRODUCT",
}
registerEnumType(PointsMallKindEnum, { name: "PointsMallKind", description: "COUPON 平台券, PRODUCT 实物" });

@ObjectType("MyPoints", { description: "My points (积分) balance and what expires soon" })
export class MyPoints {
  @Field(() => Int) balance!: number;
  @Field(() => Int, { description: "Points expiring within 30 days" }) expiringSoon!: number;
  @Field(() => Date, { nullable: true, description: "When the first of them expire" }) expiringAt!: Date | null;
  @Field(() => String, { description: "How points are worth at checkout, e.g. 100积分抵¥1.00" }) rateText!: string;
  @Field(() => String, { description: "How points are earned, e.g. 每消费¥1得1积分" }) earnText!: string;
  @Field(() => Boolean) enabled!: boolean;
}

@ObjectType("PointsEntry", { description: "One line of my points history" })
export class PointsEntry {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: "EARN, EARN_REVERSAL, SPEND, SPEND_RETURN, EXPIRE, REDEEM, ADJUST" }) kind!: string;
  @Field(() => String, { description: "The kind in Chinese" }) kindText!: string;
  @Field(() => Int, { description: "Signed: + credited, − debited" }) amount!: number;
  @Field(() => String) memo!: string;
  @Field(() => ID, { nullable: true }) orderId!: string | null;
  @Field(() => Date, { nullable: true, description: "For credits: when they expire" }) expiresAt!: Date | null;
  @Field(() => Date) createdAt!: Date;
}
export const PointsEntryConnection = Connection("PointsEntryConnection", PointsEntry);

@ObjectType("PointsMallItem", { description: "Something the points mall offers" })
export class PointsMallItem {
  @Field(() => ID) id!: string;
  @Field(() => PointsMallKindEnum) kind!: PointsMallKindEnum;
  @Field(() => String) title!: string;
  @Field(() => Int, { description: "Points it takes to redeem one" }) pointsPrice!: number;
  @Field(() => Int) remaining!: number;
  @Field(() => Int) perUserLimit!: number;
  @Field(() => Int, { description: "How many I redeemed" }) redeemedByMe!: number;
  @Field(() => Date) endsAt!: Date;
  @Field(() => String, { nullable: true, description: "COUPON: its face, e.g. 满99减10" }) couponFace!: string | null;
  @Field(() => Date, { nullable: true, description: "COUPON: usable until" }) couponUsableUntil!: Date | null;
  @Field(() => String, { nullable: true, description: "PRODUCT: the product and spec" }) productTitle!: string | null;
  @Field(() => String, { nullable: true }) skuLabel!: string | null;
  @Field(() => String, { nullable: true }) image!: string | null;
  @Field(() => Money, { nullable: true, description: "PRODUCT: the listing price (what it is worth)" }) price!: Money | null;
}

@ObjectType("OperatorPointsMallItem")
export class OperatorPointsMallItem extends PointsMallItem {
  @Field(() => Int) totalQuantity!: number;
  @Field(() => Int) redeemedCount!: number;
  @Field(() => Date) startsAt!: Date;
  @Field(() => Date, { nullable: true }) disabledAt!: Date | null;
}

@ObjectType("PointsRedemption")
export class PointsRedemption {
  @Field(() => ID) id!: string;
  @Field(() => Int) points!: number;
  @Field(() => ID, { nullable: true, description: "The coupon I now hold (COUPON)" }) userCouponId!: string | null;
  @Field(() => ID, { nullable: true, description: "The order shipped to me (PRODUCT)" }) orderId!: string | null;
  @Field(() => Int, { description: "My balance afterwards" }) balance!: number;
}

export const RedeemPointsError = ErrorType("RedeemPointsError", RedeemErrorCode);
export const PointsSettingsError = ErrorType("PointsSettingsError", PointsSettingsErrorCode);
export const PointsMallItemError = ErrorType("PointsMallItemError", MallItemErrorCode);
export const AdjustPointsError = ErrorType("AdjustPointsError", PointsErrorCode);

@InputType("RedeemPointsItemInput")
export class RedeemPointsItemInput {
  @Field(() => ID) itemId!: string;
  @Field(() => String, { description: "Client-generated key: a retry returns the same redemption" }) idempotencyKey!: string;
  @Field(() => ID, { nullable: true, description: "PRODUCT: where to ship it" }) addressId?: string | null;
}

@ObjectType("RedeemPointsItemPayload")
export class RedeemPointsItemPayload {
  @Field(() => PointsRedemption, { nullable: true }) redemption!: PointsRedemption | null;
  @Field(() => [RedeemPointsError]) errors!: InstanceType<typeof RedeemPointsError>[];
}

@ObjectType("PointsSettings", { description: "The operator's points rates" })
export class PointsSettingsType {
  @Field(() => Boolean) enabled!: boolean;
  @Field(() => Int, { description: "Points per ¥1 of cash paid for goods" }) earnPerYuan!: number;
  @Field(() => Int, { description: "spendPoints points deduct spendFen fen" }) spendPoints!: number;
  @Field(() => Int) spendFen!: number;
  @Field(() => Int, { description: "Most of the goods after coupons points may pay, basis points" }) maxDeductBp!: number;
  @Field(() => Int) expiryDays!: number;
}

@InputType("PointsSettingsInput")
export class PointsSettingsInput {
  @Field(() => Boolean) enabled!: boolean;
  @Field(() => Int) earnPerYuan!: number;
  @Field(() => Int) spendPoints!: number;
  @Field(() => Int) spendFen!: number;
  @Field(() => Int) maxDeductBp!: number;
  @Field(() => Int) expiryDays!: number;
}

@ObjectType("UpdatePointsSettingsPayload")
export class UpdatePointsSettingsPayload {
  @Field(() => PointsSettingsType, { nullable: true }) settings!: PointsSettingsType | null;
  @Field(() => [PointsSettingsError]) errors!: InstanceType<typeof PointsSettingsError>[];
}

@InputType("CreatePointsMallItemInput")
export class CreatePointsMallItemInput {
  @Field(() => PointsMallKindEnum) kind!: PointsMallKindEnum;
  @Field(() => String) title!: string;
  @Field(() => Int, { description: "Points it takes to redeem one" }) pointsPrice!: number;
  @Field(() => Int) totalQuantity!: number;
  @Field(() => Int) perUserLimit!: number;
  @Field(() => Date) startsAt!: Date;
  @Field(() => Date) endsAt!: Date;
  @Field(() => ID, { nullable: true, description: "COUPON: a platform coupon" }) couponId?: string | null;
  @Field(() => String, { nullable: true, description: "PRODUCT: the store that sells it" }) storeSlug?: string | null;
  @Field(() => ID, { nullable: true, description: "PRODUCT: the SKU" }) skuId?: string | null;
}

@ObjectType("PointsMallItemPayload")
export class PointsMallItemPayload {
  @Field(() => OperatorPointsMallItem, { nullable: true }) item!: OperatorPointsMallItem | null;
  @Field(() => [PointsMallItemError]) errors!: InstanceType<typeof PointsMallItemError>[];
}

@ObjectType("MallCouponOption", { description: "A platform coupon the operator may sell in the points mall" })
export class MallCouponOption {
  @Field(() => ID) id!: string;
  @Field(() => String) title!: string;
  @Field(() => String) face!: string;
  @Field(() => Date) claimStartsAt!: Date;
  @Field(() => Date) claimEndsAt!: Date;
  @Field(() => Int) remaining!: number;
}

@InputType("AdjustPointsInput")
export class AdjustPointsInput {
  @Field(() => String, { description: "The person's phone number" }) phone!: string;
  @Field(() => Int, { description: "+ grant, − take" }) amount!: number;
  @Field(() => String) reason!: string;
  @Field(() => String, { description: "Client-generated key: a retry is a no-op" }) requestId!: string;
}

@ObjectType("AdjustPointsPayload")
export class AdjustPointsPayload {
  @Field(() => Int, { nullable: true, description: "The person's balance afterwards" }) balance!: number | null;
  @Field(() => [AdjustPointsError]) errors!: InstanceType<typeof AdjustPointsError>[];
}
