import { Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "../core/connection";

export enum RiskReviewStatusEnum {
  OPEN = "OPEN",
  CLEARED = "CLEARED",
  CONFIRMED = "CONFIRMED",
}
registerEnumType(RiskReviewStatusEnum, { name: "RiskReviewStatus" });

export enum RiskDecision {
  CLEAR = "CLEAR",
  CONFIRM = "CONFIRM",
}
registerEnumType(RiskDecision, { name: "RiskDecision", description: "CLEAR lifts the freeze or re-enables the invite code; CONFIRM keeps it" });

@ObjectType("RiskPerson", { description: "A person as the risk console shows them: phone masked" })
export class RiskPerson {
  @Field(() => ID) id!: string;
  @Field(() => String) nickname!: string;
  @Field(() => String, { nullable: true }) phone!: string | null;
  @Field(() => String, { nullable: true }) inviteCode!: string | null;
  @Field(() => Boolean) frozen!: boolean;
  @Field(() => Boolean) inviteDisabled!: boolean;
}

@ObjectType("RiskReview")
export class RiskReviewView {
  @Field(() => ID) id!: string;
  @Field(() => RiskPerson) person!: RiskPerson;
  @Field(() => String, { description: "REFUND_RATE, BULK_REGISTRATION or MANUAL" }) reason!: string;
  @Field(() => String, { description: "What was found, in Chinese" }) detailText!: string;
  @Field(() => RiskReviewStatusEnum) status!: RiskReviewStatusEnum;
  @Field(() => String, { nullable: true }) resolution!: string | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) resolvedAt!: Date | null;
}

@ObjectType("RiskPair")
export class RiskPairView {
  @Field(() => ID) id!: string;
  @Field(() => RiskPerson) invitee!: RiskPerson;
  @Field(() => RiskPerson) inviter!: RiskPerson;
  @Field(() => String, { description: "DEVICE, PHONE, ADDRESS or PAYMENT_ACCOUNT" }) kind!: string;
  @Field(() => String, { nullable: true }) orderNo!: string | null;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType("Rebind")
export class RebindView {
  @Field(() => ID) id!: string;
  @Field(() => RiskPerson) person!: RiskPerson;
  @Field(() => RiskPerson, { nullable: true }) from!: RiskPerson | null;
  @Field(() => RiskPerson) to!: RiskPerson;
  @Field(() => RiskPerson) operator!: RiskPerson;
  @Field(() => String) reason!: string;
  @Field(() => Date) createdAt!: Date;
}

export const RiskReviewConnection = Connection("RiskReviewConnection", RiskReviewView);
export const RiskPairConnection = Connection("RiskPairConnection", RiskPairView);
export const RebindConnection = Connection("RebindConnection", RebindView);

@InputType("ResolveRiskReviewInput")
export class ResolveRiskReviewInput {
  @Field(() => ID) reviewId!: string;
  @Field(() => RiskDecision) decision!: RiskDecision;
  @Field(() => String) note!: string;
}

@InputType("FreezeMemberInput")
export class FreezeMemberInput {
  @Field(() => String) phone!: string;
  @Field(() => String) note!: string;
}

@InputType("RebindMemberInput")
export class RebindMemberInput {
  @Field(() => String, { description: "The person to re-bind, by phone" }) memberPhone!: string;
  @Field(() => String, { description: "The new inviter's invite code" }) newInviteCode!: string;
  @Field(() => String) reason!: string;
}
