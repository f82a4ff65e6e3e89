import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { SafeIntResolver } from "graphql-scalars";
import { Money } from "../core/money.type";
import { ErrorType } from "../core/payload";
import { CommentErrorCode, LiveErrorCode } from "./live.rules";
import { AnchorErrorCode } from "./anchor.service";
import { ShopCoupon } from "../marketing/coupon.types";
import { LiveMarketingErrorCode } from "./live-marketing.service";
import type { LiveRow } from "./live.service";

@ObjectType("LiveShelfSku", { description: "A SKU on a live's shelf as viewers see it (no cost fields)" })
export class LiveShelfSku {
  @Field(() => ID) skuId!: string;
  @Field(() => String) label!: string;
  @Field(() => Money, { description: "The store's price, struck through when a live price applies" }) listPrice!: Money;
  @Field(() => Money, { nullable: true, description: "Live-only price: applies to orders placed from the room while it is live" }) livePrice!: Money | null;
  @Field(() => Boolean) inStock!: boolean;
  @Field(() => Int, { nullable: true, description: "Per-person limit at the live price" }) perUserLimit!: number | null;
}

@ObjectType("LiveShelfItem")
export class LiveShelfItem {
  @Field(() => ID) productId!: string;
  @Field(() => ID, { description: "The store's ShopProduct id (its product page)" }) shopProductId!: string;
  @Field(() => String) title!: string;
  @Field(() => String, { nullable: true }) image!: string | null;
  @Field(() => Boolean) onShelf!: boolean;
  @Field(() => Boolean, { description: "The host marked it sold out in this room (已售罄): the room offers no checkout for it until unmarked" }) soldOut!: boolean;
  @Field(() => [LiveShelfSku]) skus!: LiveShelfSku[];
}

@ObjectType("LiveComment")
export class LiveCommentView {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: "The writer's public nickname" }) nickname!: string;
  @Field(() => String, { description: "As shown (masked where the filter masked it)" }) body!: string;
  @Field(() => String, { description: "VISIBLE, or HELD (under review: only its writer sees it)" }) status!: string;
  @Field(() => Boolean) pinned!: boolean;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType("LiveChapter", { description: "A replay chapter: the stretch where a product was explained" })
export class LiveChapter {
  @Field(() => ID) productId!: string;
  @Field(() => String) title!: string;
  @Field(() => Int) startMs!: number;
  @Field(() => Int) endMs!: number;
}

@ObjectType("LiveTask", { description: "邀请好友看直播: bring inviteTarget new viewers through my share link → the coupon" })
export class LiveTaskView {
  @Field(() => ID) id!: string;
  @Field(() => Int) inviteTarget!: number;
  @Field(() => String) couponTitle!: string;
  @Field(() => String) couponFace!: string;
  @Field(() => Int, { description: "New viewers who came through my link so far" }) invited!: number;
  @Field(() => Boolean) rewarded!: boolean;
}

/**
 * The room's own columns are plain fields; its relations (host, store, shelf, pin, comments,
 * chapters, reservation, coupons, tasks) are field resolvers over per-request DataLoaders
 * (live-fields.resolver.ts), so a list of lives costs a few batched queries.
 */
@ObjectType("ShopLive", { description: "A live (or its replay) as a viewer sees it" })
export class ShopLive {
  /** The row behind it, for the field resolvers (not a GraphQL field). */
  row!: LiveRow;
  /** Who is looking, for their own held comments, claimed coupons and task progress (null: the host's view). */
  forUserId!: string | null;
  @Field(() => ID) id!: string;
  @Field(() => String) title!: string;
  @Field(() => String, { description: "SCHEDULED, LIVE, ENDED" }) status!: string;
  @Field(() => String) hostName!: string;
  @Field(() => String, { nullable: true }) storeSlug!: string | null;
  @Field(() => String, { nullable: true }) cover!: string | null;
  @Field(() => Date) scheduledAt!: Date;
  @Field(() => Date, { nullable: true }) startedAt!: Date | null;
  @Field(() => Date, { nullable: true }) endedAt!: Date | null;
  @Field(() => String, { nullable: true, description: "HLS: the live stream while live, the replay after" }) videoUrl!: string | null;
  @Field(() => Int) likeCount!: number;
  @Field(() => ID, { nullable: true, description: "The product being explained now (讲解中)" }) pinnedProductId!: string | null;
  @Field(() => [LiveShelfItem]) shelf!: LiveShelfItem[];
  @Field(() => [LiveCommentView], { description: "Latest comments; the viewer's own held ones included for them" }) comments!: LiveCommentView[];
  @Field(() => [LiveChapter], { description: "Replay chapters (after the live)" }) chapters!: LiveChapter[];
  @Field(() => Boolean) reservedByMe!: boolean;
  @Field(() => String, { nullable: true, description: "The host's latest announcement (公告) while live" }) announcement!: string | null;
  @Field(() => [ShopCoupon], { description: "Live-only coupons claimable in the room while it is live (claim with source LIVE)" }) coupons!: ShopCoupon[];
  @Field(() => [LiveTaskView], { description: "Invite-to-watch tasks, with my progress" }) tasks!: LiveTaskView[];
  @Field(() => String, { nullable: true, description: "Why it ended, when an operator ended it" }) endReason!: string | null;
  @Field(() => Boolean, { description: "The platform took the replay down (no video, no chapters)" }) replayHidden!: boolean;
  @Field(() => Boolean, { description: "全员禁言: only the host may comment" }) commentsMuted!: boolean;
}

@ObjectType("MerchantLive")
export class MerchantLive extends ShopLive {
  @Field(() => Int) peakViewers!: number;
  @Field(() => Int) reservations!: number;
  @Field(() => Int) uniqueViewers!: number;
  @Field(() => Int) commentCount!: number;
}

export const LiveError = ErrorType("LiveError", LiveErrorCode);
export const LiveCommentError = ErrorType("LiveCommentError", CommentErrorCode);
export const AnchorError = ErrorType("AnchorError", { ...AnchorErrorCode, IDENTITY_MISMATCH: "IDENTITY_MISMATCH", INVALID_NAME: "INVALID_NAME", INVALID_ID_NUMBER: "INVALID_ID_NUMBER", ID_NUMBER_IN_USE: "ID_NUMBER_IN_USE", REAL_NAME_LOCKED: "REAL_NAME_LOCKED" });

@InputType("LivePriceInput")
export class LivePriceInput {
  @Field(() => ID) skuId!: string;
  @Field(() => SafeIntResolver, { description: "fen" }) livePrice!: number;
  @Field(() => Int, { nullable: true, description: "Per-person limit at the live price (none: unlimited)" }) perUserLimit?: number | null;
}

@InputType("ScheduleLiveInput")
export class ScheduleLiveInput {
  @Field(() => String) title!: string;
  @Field(() => Date) scheduledAt!: Date;
  @Field(() => [ID], { description: "My listings for the shelf, in display order" }) listingIds!: string[];
  @Field(() => [LivePriceInput], { defaultValue: [] }) prices!: LivePriceInput[];
  @Field(() => String, { nullable: true, description: "HLS playback URL of my stream (can also be given when going live)" }) playbackUrl?: string | null;
}

@ObjectType("LivePayload")
export class LivePayload {
  @Field(() => MerchantLive, { nullable: true }) live!: MerchantLive | null;
  @Field(() => [LiveError]) errors!: InstanceType<typeof LiveError>[];
}

@ObjectType("PostLiveCommentPayload")
export class PostLiveCommentPayload {
  @Field(() => LiveCommentView, { nullable: true }) comment!: LiveCommentView | null;
  @Field(() => [LiveCommentError]) errors!: InstanceType<typeof LiveCommentError>[];
}

@ObjectType("AnchorStatus")
export class AnchorStatus {
  @Field(() => String, { description: "NONE, PENDING, APPROVED, REJECTED, SUSPENDED" }) status!: string;
  @Field(() => Int) tier!: number;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field(() => Boolean) realNameVerified!: boolean;
}

@ObjectType("AnchorPayload")
export class AnchorPayload {
  @Field(() => AnchorStatus, { nullable: true }) anchor!: AnchorStatus | null;
  @Field(() => [AnchorError]) errors!: InstanceType<typeof AnchorError>[];
}

@ObjectType("AnchorApplication")
export class AnchorApplication {
  @Field(() => ID) userId!: string;
  @Field(() => String) nickname!: string;
  @Field(() => String, { description: "Masked real name" }) realName!: string;
  @Field(() => String) status!: string;
  @Field(() => Int) tier!: number;
  @Field(() => Date) appliedAt!: Date;
  @Field(() => Int, { description: "Lives hosted" }) sessions!: number;
  @Field(() => Money, { description: "GMV of paid orders placed from their lives" }) gmv!: Money;
  @Field(() => Int, { description: "Comments held or lives ended by operators" }) violations!: number;
}

@ObjectType("HeldLiveComment")
export class HeldLiveComment {
  @Field(() => ID) id!: string;
  @Field(() => ID) liveId!: string;
  @Field(() => String) liveTitle!: string;
  @Field(() => String) nickname!: string;
  @Field(() => String, { description: "What was written" }) original!: string;
  @Field(() => [String], { description: "The listed words it hit" }) terms!: string[];
  @Field(() => Date) createdAt!: Date;
}

export const LiveMarketingError = ErrorType("LiveMarketingError", { ...LiveMarketingErrorCode, INVALID_TITLE: "INVALID_TITLE", INVALID_VALUE: "INVALID_VALUE", INVALID_WINDOW: "INVALID_WINDOW", INVALID_QUANTITY: "INVALID_QUANTITY", INVALID_LIMIT: "INVALID_LIMIT", PRODUCT_NOT_LISTED: "PRODUCT_NOT_LISTED" });

@ObjectType("LiveMarketingPayload")
export class LiveMarketingPayload {
  @Field(() => ID, { nullable: true, description: "The coupon or task created" }) id!: string | null;
  @Field(() => [LiveMarketingError]) errors!: InstanceType<typeof LiveMarketingError>[];
}
