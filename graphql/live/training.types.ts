import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { Connection } from "../core/connection";
import { Money } from "../core/money.type";
import type { LiveRow } from "./live.service";
import { LiveChapter, LiveCommentView, LiveError } from "./live.types";
import { LiveScriptView } from "./live-script.resolver";

/**
 * Training lives (培训直播): a supplier trains merchants on its products. These types carry supply
 * prices and scripts, so only merchant, supplier and operator operations return them — never a
 * consumer-facing one (ShopLive has no training counterpart).
 */

@ObjectType("TrainingShelfSku", { description: "A SKU on a training live's shelf: what a merchant pays and is advised to charge" })
export class TrainingShelfSku {
  @Field(() => ID) skuId!: string;
  @Field(() => String) label!: string;
  @Field(() => Money, { description: "供货价: what the merchant's store pays the supplier" }) supplyPrice!: Money;
  @Field(() => Money, { description: "建议零售价" }) suggestedPrice!: Money;
  @Field(() => Boolean) inStock!: boolean;
}

@ObjectType("TrainingShelfItem", { description: "A product on a training live's shelf: the supplier's own, with its live script; nothing to buy" })
export class TrainingShelfItem {
  @Field(() => ID) productId!: string;
  @Field(() => String) title!: string;
  @Field(() => String, { nullable: true }) image!: string | null;
  @Field(() => Boolean) onShelf!: boolean;
  @Field(() => [TrainingShelfSku]) skus!: TrainingShelfSku[];
  @Field(() => LiveScriptView, { nullable: true, description: "The supplier's latest live script for it: selling points, script and material pack" }) script!: LiveScriptView | null;
}

/**
 * The room's own columns are plain fields; its relations (host, supplier, shelf, pin, comments,
 * chapters, reservations) are field resolvers over per-request DataLoaders (training.resolver.ts),
 * so a page of lives costs a few batched queries and only what the page asks for.
 */
@ObjectType("TrainingLive", { description: "A supplier's training live (培训直播) or its replay, as merchants see it" })
export class TrainingLive {
  /** The row behind it, for the field resolvers (not a GraphQL field). */
  row!: LiveRow;
  /** Who is looking (the merchant: their held comments and reservation; null for the host's view). */
  forUserId!: string | null;
  @Field(() => ID) id!: string;
  @Field(() => String) title!: string;
  @Field(() => String, { description: "SCHEDULED, LIVE, ENDED" }) status!: string;
  @Field(() => String) hostName!: string;
  @Field(() => String) supplierName!: string;
  @Field(() => String, { nullable: true }) cover!: string | null;
  @Field(() => Date) scheduledAt!: Date;
  @Field(() => Date, { nullable: true }) startedAt!: Date | null;
  @Field(() => Date, { nullable: true }) endedAt!: Date | null;
  @Field(() => String, { nullable: true, description: "HLS: the live stream while live, the replay after" }) videoUrl!: string | null;
  @Field(() => Int) likeCount!: number;
  @Field(() => ID, { nullable: true, description: "The product being explained now (讲解中)" }) pinnedProductId!: string | null;
  @Field(() => [TrainingShelfItem]) shelf!: TrainingShelfItem[];
  @Field(() => [LiveCommentView], { description: "Latest comments; the viewer's own held ones included for them" }) comments!: LiveCommentView[];
  @Field(() => [LiveChapter], { description: "Replay chapters (after the live)" }) chapters!: LiveChapter[];
  @Field(() => String, { nullable: true, description: "The host's latest announcement (公告) while live" }) announcement!: string | null;
  @Field(() => String, { nullable: true, description: "Why it ended, when an operator ended it" }) endReason!: string | null;
  @Field(() => Boolean, { description: "The platform took the replay down" }) replayHidden!: boolean;
  @Field(() => Boolean, { description: "全员禁言: only the host may comment" }) commentsMuted!: boolean;
  @Field(() => Boolean, { description: "I reserved (预约) it: I am notified when it starts" }) reservedByMe!: boolean;
  @Field(() => Int, { description: "How many merchants reserved it" }) reservationCount!: number;
}

export const TrainingLiveConnection = Connection("TrainingLiveConnection", TrainingLive);

@ObjectType("SupplierTrainingLive", { description: "One of my training lives, with its counters (the host's view)" })
export class SupplierTrainingLive extends TrainingLive {
  @Field(() => Int) peakViewers!: number;
  @Field(() => Int) uniqueViewers!: number;
  @Field(() => Int) commentCount!: number;
}

export const SupplierTrainingLiveConnection = Connection("SupplierTrainingLiveConnection", SupplierTrainingLive);

@InputType("ScheduleTrainingLiveInput")
export class ScheduleTrainingLiveInput {
  @Field(() => String) title!: string;
  @Field(() => Date) scheduledAt!: Date;
  @Field(() => [ID], { description: "My products for the shelf, in display order" }) productIds!: string[];
  @Field(() => String, { nullable: true, description: "Cover image: a key from the upload endpoint" }) coverKey?: string | null;
  @Field(() => String, { nullable: true, description: "HLS playback URL of my stream (can also be given when going live)" }) playbackUrl?: string | null;
}

@ObjectType("TrainingLivePayload")
export class TrainingLivePayload {
  @Field(() => SupplierTrainingLive, { nullable: true }) live!: SupplierTrainingLive | null;
  @Field(() => [LiveError]) errors!: InstanceType<typeof LiveError>[];
}

@ObjectType("TrainingReservationPayload")
export class TrainingReservationPayload {
  @Field(() => TrainingLive, { nullable: true }) live!: TrainingLive | null;
  @Field(() => [LiveError]) errors!: InstanceType<typeof LiveError>[];
}
