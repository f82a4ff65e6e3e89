import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { Money } from "../core/money.type";
import { Connection } from "../core/connection";

export enum ReferralRoleEnum {
  REGISTERED = "REGISTERED",
  SHARER = "SHARER",
  LEADER = "LEADER",
}
registerEnumType(ReferralRoleEnum, { name: "ReferralRole" });

export enum TeamRelation {
  DIRECT = "DIRECT",
  TEAM = "TEAM",
}
registerEnumType(TeamRelation, { name: "TeamRelation", description: "DIRECT: people I invited; TEAM: people I lead" });

export enum RewardStatusEnum {
  PENDING = "PENDING",
  SETTLED = "SETTLED",
  REVERSED = "REVERSED",
}
registerEnumType(RewardStatusEnum, { name: "RewardStatus" });

@ObjectType("RuleBook", { description: "The 链动2+1 rules in force, in plain numbers" })
export class RuleBook {
  @Field(() => Int) version!: number;
  @Field(() => Int, { description: "Qualified direct referrals needed to become 团长" }) k!: number;
  @Field(() => Int) rDirectBp!: number;
  @Field(() => Int) rTeamBp!: number;
  @Field(() => Int, { description: "Share of the team reward, one generation only" }) rPeerBp!: number;
  @Field(() => Int) maxDepth!: number;
  @Field(() => Int) capTotalBp!: number;
  @Field(() => Int) settleDays!: number;
}

@ObjectType("MyReferral")
export class MyReferral {
  @Field(() => String) inviteCode!: string;
  @Field(() => String, { description: "Path of the invite link (prefix with the site origin)" }) invitePath!: string;
  @Field(() => ReferralRoleEnum) role!: ReferralRoleEnum;
  @Field(() => String) roleText!: string;
  @Field(() => String, { nullable: true }) leaderName!: string | null;
  @Field(() => Int) directCount!: number;
  @Field(() => Int) teamSize!: number;
  @Field(() => Money, { description: "Goods paid by my team (maintained, not counted on request)" }) teamSales!: Money;
  @Field(() => Int) qualifiedDirects!: number;
  @Field(() => Int, { description: "Qualified direct referrals still needed to become 团长 (0 when reached)" }) neededForLeader!: number;
  @Field(() => Boolean) frozen!: boolean;
  @Field(() => Boolean, { description: "Risk control paused my invite code until an operator reviews it" }) inviteDisabled!: boolean;
  @Field(() => Money) pending!: Money;
  @Field(() => Money) settled!: Money;
  @Field(() => Money) reversed!: Money;
}

@ObjectType("TeamMember", { description: "A person in the viewer's referrals or team, masked" })
export class TeamMemberView {
  @Field(() => ID) id!: string;
  @Field(() => String) nickname!: string;
  @Field(() => ReferralRoleEnum) role!: ReferralRoleEnum;
  @Field(() => Date) joinedAt!: Date;
  @Field(() => Boolean, { description: "Has counted toward the inviter's promotion" }) qualified!: boolean;
  @Field(() => String, { description: "Why this person does or does not count yet" }) countsText!: string;
}

@ObjectType("MyReward", { description: "One reward, traceable to the order line that paid it" })
export class MyReward {
  @Field(() => ID) id!: string;
  @Field(() => String) type!: string;
  @Field(() => String) typeText!: string;
  @Field(() => RewardStatusEnum) status!: RewardStatusEnum;
  @Field(() => Int) depth!: number;
  @Field(() => Money) base!: Money;
  @Field(() => Money) amount!: Money;
  @Field(() => Money) reversedAmount!: Money;
  @Field(() => String) productTitle!: string;
  @Field(() => String, { description: "The buyer, masked" }) buyer!: string;
  @Field(() => Int) ruleSetVersion!: number;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) settledAt!: Date | null;
}

export const TeamMemberConnection = Connection("TeamMemberConnection", TeamMemberView);
export const MyRewardConnection = Connection("MyRewardConnection", MyReward);

@ObjectType("PromoterAgreement", { description: "The promoter agreement (推广协议) version in force" })
export class PromoterAgreement {
  @Field(() => String) version!: string;
  @Field(() => String) title!: string;
  @Field(() => Date) effectiveAt!: Date;
  @Field(() => [String]) clauses!: string[];
}
