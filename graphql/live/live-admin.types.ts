import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { ErrorType } from "../core/payload";
import { AnchorApplication, AnchorError } from "./live.types";

export const AnchorDecision = { APPROVED: "APPROVED", REJECTED: "REJECTED", SUSPENDED: "SUSPENDED" } as const;
registerEnumType(AnchorDecision, { name: "AnchorDecision", description: "An operator's decision on an anchor" });

export const LiveBanKind = { MUTE: "MUTE", BLOCK: "BLOCK" } as const;
registerEnumType(LiveBanKind, { name: "LiveBanKind", description: "MUTE: no comments; BLOCK: out of the room" });

export const ModerationCategory = { HOLD: "HOLD", MASK: "MASK", AD_LAW: "AD_LAW", ALLOW: "ALLOW" } as const;
registerEnumType(ModerationCategory, { name: "ModerationCategory", description: "HOLD (held for review), MASK (starred), AD_LAW (Advertising Law), ALLOW (never a hit)" });

export const LiveModerationErrorCode = {
  LIVE_NOT_FOUND: "LIVE_NOT_FOUND",
  COMMENT_NOT_FOUND: "COMMENT_NOT_FOUND",
  INVALID_TERM: "INVALID_TERM",
  VIEWER_NOT_FOUND: "VIEWER_NOT_FOUND",
} as const;
export const LiveModerationError = ErrorType("LiveModerationError", LiveModerationErrorCode);

@ObjectType("LiveModerationPayload")
export class LiveModerationPayload {
  @Field(() => Boolean, { description: "Done" }) ok!: boolean;
  @Field(() => [LiveModerationError]) errors!: InstanceType<typeof LiveModerationError>[];
}

@ObjectType("ReviewAnchorPayload")
export class ReviewAnchorPayload {
  @Field(() => AnchorApplication, { nullable: true }) anchor!: AnchorApplication | null;
  @Field(() => [AnchorError]) errors!: InstanceType<typeof AnchorError>[];
}

@ObjectType("ModerationWord", { description: "A word an operator added to a list" })
export class ModerationWordView {
  @Field(() => ID) id!: string;
  @Field(() => ModerationCategory) category!: string;
  @Field(() => String) term!: string;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType("OperatorLive", { description: "A live as the platform operator sees it" })
export class OperatorLive {
  @Field(() => ID) id!: string;
  @Field(() => String) title!: string;
  @Field(() => String, { description: "LIVE or ENDED" }) status!: string;
  @Field(() => String) hostName!: string;
  @Field(() => Date, { nullable: true }) startedAt!: Date | null;
  @Field(() => Date, { nullable: true }) endedAt!: Date | null;
  @Field(() => Int) peakViewers!: number;
  @Field(() => String, { nullable: true, description: "Why an operator ended it" }) endReason!: string | null;
  @Field(() => Boolean) replayHidden!: boolean;
  @Field(() => String, { nullable: true }) replayHiddenReason!: string | null;
}

@ObjectType("AdCopyHit", { description: "A word in ad copy the Advertising Law forbids (or the filter lists), by position" })
export class AdCopyHit {
  @Field(() => String, { description: "The listed word" }) term!: string;
  @Field(() => String, { description: "AD_LAW, MASK or HOLD" }) category!: string;
  @Field(() => Int, { description: "UTF-16 offset of the first character in the text" }) start!: number;
  @Field(() => Int, { description: "UTF-16 offset just after the last character" }) end!: number;
  @Field(() => String, { description: "The text as written there" }) text!: string;
}

@ObjectType("AdCopyCheck")
export class AdCopyCheck {
  @Field(() => Boolean, { description: "No hits" }) ok!: boolean;
  @Field(() => [AdCopyHit]) hits!: AdCopyHit[];
}

@ObjectType("ProductLiveChapter", { description: "Where a product was explained in a replay (直播讲解)" })
export class ProductLiveChapter {
  @Field(() => ID) liveId!: string;
  @Field(() => String) liveTitle!: string;
  @Field(() => Int) startMs!: number;
  @Field(() => Int) endMs!: number;
}
