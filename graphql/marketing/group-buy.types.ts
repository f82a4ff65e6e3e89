import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { Money } from "../core/money.type";
import { Connection } from "../core/connection";
import { ErrorType } from "../core/payload";
import { ShopOrder } from "../order/order.types";
import { GroupBuyOfferErrorCode, GroupOrderErrorCode } from "./group-buy.rules";

export enum GroupBuyOfferStateEnum {
  UPCOMING = "UPCOMING",
  ACTIVE = "ACTIVE",
  ENDED = "ENDED",
  DISABLED = "DISABLED",
}
registerEnumType(GroupBuyOfferStateEnum, { name: "GroupBuyOfferState" });

export enum GroupBuyStatusEnum {
  OPEN = "OPEN",
  SUCCEEDED = "SUCCEEDED",
  FAILED = "FAILED",
}
registerEnumType(GroupBuyStatusEnum, { name: "GroupBuyStatus" });

@ObjectType("ShopGroupBuySummary", { description: "An open group on the product page, to join" })
export class ShopGroupBuySummary {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: "The leader's nickname, masked (张**)" }) leaderName!: string;
  @Field(() => Int) groupSize!: number;
  @Field(() => Int, { description: "People still needed for the group to succeed (还差 N 人)" }) peopleNeeded!: number;
  @Field(() => Int, { description: "Seats free now (some may be held by members still paying)" }) seatsLeft!: number;
  @Field(() => Date) deadline!: Date;
}

@ObjectType("ShopGroupBuyOffer", { description: "A group-buy offer as a consumer sees it (no cost fields)" })
export class ShopGroupBuyOffer {
  @Field(() => ID) id!: string;
  @Field(() => ID, { description: "The shop product (as shopProduct takes it)" }) productId!: string;
  @Field(() => ID) skuId!: string;
  @Field(() => String) productTitle!: string;
  @Field(() => String) skuLabel!: string;
  @Field(() => String, { nullable: true }) image!: string | null;
  @Field(() => Money) groupPrice!: Money;
  @Field(() => Money, { description: "The store's own price, struck through" }) listPrice!: Money;
  @Field(() => Int) groupSize!: number;
  @Field(() => Int) timeLimitMinutes!: number;
  @Field(() => Date) startsAt!: Date;
  @Field(() => Date) endsAt!: Date;
  @Field(() => GroupBuyOfferStateEnum) state!: GroupBuyOfferStateEnum;
  @Field(() => [ShopGroupBuySummary], { description: "Open groups to join, soonest deadline first (at most 5)" }) openGroups!: ShopGroupBuySummary[];
}

@ObjectType("ShopGroupMember", { description: "A member of a group, masked" })
export class ShopGroupMember {
  @Field(() => String, { description: "Nickname, masked (张**)" }) name!: string;
  @Field(() => Boolean) isLeader!: boolean;
  @Field(() => Boolean, { description: "Paid (a seat held by someone still paying is false)" }) paid!: boolean;
  @Field(() => Boolean, { description: "Refunded after the group failed" }) refunded!: boolean;
}

@ObjectType("ShopGroupBuy", { description: "One group (拼团) as anyone with the share link sees it" })
export class ShopGroupBuy {
  @Field(() => ID) id!: string;
  @Field(() => String) storeSlug!: string;
  @Field(() => ShopGroupBuyOffer) offer!: ShopGroupBuyOffer;
  @Field(() => GroupBuyStatusEnum) status!: GroupBuyStatusEnum;
  @Field(() => String, { description: "拼团中 / 拼团成功 / 拼团失败·已退款" }) statusText!: string;
  @Field(() => Int) groupSize!: number;
  @Field(() => Int) seatsTaken!: number;
  @Field(() => Int) paidCount!: number;
  @Field(() => Int) peopleNeeded!: number;
  @Field(() => Int) seatsLeft!: number;
  @Field(() => Date) deadline!: Date;
  @Field(() => Date, { nullable: true }) succeededAt!: Date | null;
  @Field(() => Date, { nullable: true }) failedAt!: Date | null;
  @Field(() => Boolean, { description: "Whether a new member can take a seat now" }) joinable!: boolean;
  @Field(() => [ShopGroupMember]) members!: ShopGroupMember[];
  @Field(() => ID, { nullable: true, description: "The viewer's own order in this group, if they hold a seat" }) myOrderId!: string | null;
}

@ObjectType("ShopOrderGroupBuy", { description: "The group an order holds a seat in" })
export class ShopOrderGroupBuy {
  @Field(() => ID) id!: string;
  @Field(() => GroupBuyStatusEnum) status!: GroupBuyStatusEnum;
  @Field(() => String) statusText!: string;
  @Field(() => String, { nullable: true, description: "Shown instead of the order's status while the paid order waits for its group (拼团中，待成团)" })
  orderStatusText!: string | null;
  @Field(() => Int) groupSize!: number;
  @Field(() => Int) paidCount!: number;
  @Field(() => Date) deadline!: Date;
  @Field(() => String, { description: "The group's page" }) path!: string;
}

@ObjectType("GroupBuyOfferCounters", { description: "Live counters of an offer" })
export class GroupBuyOfferCounters {
  @Field(() => Int) groupsOpen!: number;
  @Field(() => Int) groupsSucceeded!: number;
  @Field(() => Int) groupsFailed!: number;
  @Field(() => Int, { description: "Seats held in open groups (paid or paying)" }) seatsTaken!: number;
  @Field(() => Int, { description: "Paid seats in open and succeeded groups" }) paidMembers!: number;
  @Field(() => Money, { description: "Paid in succeeded groups, less refunds" }) gmv!: Money;
}

@ObjectType("MerchantGroupBuyOffer")
export class MerchantGroupBuyOffer {
  @Field(() => ID) id!: string;
  @Field(() => ID) skuId!: string;
  @Field(() => String) productTitle!: string;
  @Field(() => String) skuLabel!: string;
  @Field(() => String, { nullable: true }) image!: string | null;
  @Field(() => Money) groupPrice!: Money;
  @Field(() => Money) listPrice!: Money;
  @Field(() => Int) groupSize!: number;
  @Field(() => Int) timeLimitMinutes!: number;
  @Field(() => Date) startsAt!: Date;
  @Field(() => Date) endsAt!: Date;
  @Field(() => GroupBuyOfferStateEnum) state!: GroupBuyOfferStateEnum;
  @Field(() => GroupBuyOfferCounters) counters!: GroupBuyOfferCounters;
}

@ObjectType("MerchantGroupBuy", { description: "One group of my offer" })
export class MerchantGroupBuy {
  @Field(() => ID) id!: string;
  @Field(() => GroupBuyStatusEnum) status!: GroupBuyStatusEnum;
  @Field(() => String, { description: "Masked" }) leaderName!: string;
  @Field(() => Int) groupSize!: number;
  @Field(() => Int) seatsTaken!: number;
  @Field(() => Int) paidCount!: number;
  @Field(() => Date) deadline!: Date;
  @Field(() => Date) createdAt!: Date;
}

export const MerchantGroupBuyOfferConnection = Connection("MerchantGroupBuyOfferConnection", MerchantGroupBuyOffer);
export const MerchantGroupBuyConnection = Connection("MerchantGroupBuyConnection", MerchantGroupBuy);

export const GroupBuyOfferError = ErrorType("GroupBuyOfferError", GroupBuyOfferErrorCode);
export const GroupOrderError = ErrorType("GroupOrderError", GroupOrderErrorCode);

@InputType("CreateGroupBuyOfferInput")
export class CreateGroupBuyOfferInput {
  @Field(() => ID) skuId!: string;
  @Field(() => Int, { description: "Group price in fen" }) groupPrice!: number;
  @Field(() => Int, { description: "People per group, 2–20" }) groupSize!: number;
  @Field(() => Int, { description: "Minutes a group has to fill, 5–4320" }) timeLimitMinutes!: number;
  @Field(() => Date) startsAt!: Date;
  @Field(() => Date) endsAt!: Date;
}

@ObjectType("GroupBuyOfferPayload")
export class GroupBuyOfferPayload {
  @Field(() => MerchantGroupBuyOffer, { nullable: true }) offer!: MerchantGroupBuyOffer | null;
  @Field(() => [GroupBuyOfferError]) errors!: InstanceType<typeof GroupBuyOfferError>[];
}

@InputType("OpenGroupBuyInput")
export class OpenGroupBuyInput {
  @Field(() => ID) offerId!: string;
  @Field(() => Int, { defaultValue: 1 }) quantity!: number;
  @Field(() => ID) addressId!: string;
  @Field(() => String, { description: "Client-generated key: retries return the same order" }) idempotencyKey!: string;
}

@InputType("JoinGroupBuyInput")
export class JoinGroupBuyInput {
  @Field(() => ID) groupBuyId!: string;
  @Field(() => Int, { defaultValue: 1 }) quantity!: number;
  @Field(() => ID) addressId!: string;
  @Field(() => String, { description: "Client-generated key: retries return the same order" }) idempotencyKey!: string;
  @Field(() => String, { nullable: true, description: "The invite code the share link carried" }) inviteCode?: string | null;
}

@ObjectType("GroupOrderPayload")
export class GroupOrderPayload {
  @Field(() => ShopOrder, { nullable: true }) order!: ShopOrder | null;
  @Field(() => ID, { nullable: true }) groupBuyId!: string | null;
  @Field(() => [GroupOrderError]) errors!: InstanceType<typeof GroupOrderError>[];
}
