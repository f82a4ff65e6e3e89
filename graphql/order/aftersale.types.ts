import { Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { SafeIntResolver } from "graphql-scalars";
import { Money } from "../core/money.type";
import { Connection } from "../core/connection";
import { ErrorType } from "../core/payload";
import { imageUrl } from "../catalog/catalog.service";
import { AFTER_SALE_STATUS_TEXT, AfterSaleErrorCode } from "./aftersale.rules";
import type { AfterSaleView } from "./aftersale-queries.service";

export enum AfterSaleStatus {
  REQUESTED = "REQUESTED",
  APPROVED = "APPROVED",
  REJECTED = "REJECTED",
  REFUNDED = "REFUNDED",
  CANCELLED = "CANCELLED",
}
registerEnumType(AfterSaleStatus, { name: "AfterSaleStatus" });

export enum RefundStatus {
  PENDING = "PENDING",
  SUCCEEDED = "SUCCEEDED",
  FAILED = "FAILED",
}
registerEnumType(RefundStatus, { name: "RefundStatus" });

export const AfterSaleError = ErrorType("AfterSaleError", AfterSaleErrorCode);

@ObjectType("AfterSaleLine", { description: "How much of one order line is asked back" })
export class AfterSaleLine {
  @Field(() => ID) orderLineId!: string;
  @Field(() => String) title!: string;
  @Field(() => String) skuLabel!: string;
  @Field(() => Money) amount!: Money;
}

@ObjectType("AfterSaleRefund", { description: "The money going back through the payment provider" })
export class AfterSaleRefund {
  @Field(() => String, { description: "Our refund number (the provider sees the same one on every retry)" }) refundNo!: string;
  @Field(() => Money, { description: "Goods asked back, plus freight when the whole order was refunded before shipping" }) amount!: Money;
  @Field(() => RefundStatus) status!: RefundStatus;
  @Field(() => Date, { nullable: true }) completedAt!: Date | null;
}

/** What every view of an after-sale shares: no buyer identity, no cost, margin or commission. */
@ObjectType("AfterSaleBase", { description: "Base of the after-sale views (never returned itself)" })
abstract class AfterSaleBase {
  @Field(() => ID) id!: string;
  @Field(() => ID) orderId!: string;
  @Field(() => String) orderNo!: string;
  @Field(() => AfterSaleStatus) status!: AfterSaleStatus;
  @Field(() => String, { description: "Status in Chinese, e.g. 待商家处理" }) statusText!: string;
  @Field(() => String) reason!: string;
  @Field(() => [String], { description: "Photo URLs" }) photos!: string[];
  @Field(() => Money, { description: "Goods asked back (Σ lines)" }) amount!: Money;
  @Field(() => [AfterSaleLine]) lines!: AfterSaleLine[];
  @Field(() => String, { nullable: true, description: "The merchant's note with the decision" }) merchantNote!: string | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) decidedAt!: Date | null;
  @Field(() => AfterSaleRefund, { nullable: true }) refund!: AfterSaleRefund | null;
}

@ObjectType("ShopAfterSale", { description: "The consumer's own after-sale request" })
export class ShopAfterSale extends AfterSaleBase {}

@ObjectType("MerchantAfterSale", { description: "An after-sale request on the merchant's store" })
export class MerchantAfterSale extends AfterSaleBase {}

export const ShopAfterSaleConnection = Connection("ShopAfterSaleConnection", ShopAfterSale);
export const MerchantAfterSaleConnection = Connection("MerchantAfterSaleConnection", MerchantAfterSale);

/** Row → GraphQL shape (the "reshape" layer); one function for both views, which share their fields. */
export function toAfterSale<T extends AfterSaleBase>(Type: new () => T, v: AfterSaleView): T {
  return Object.assign(new Type(), {
    id: v.row.id,
    orderId: v.row.orderId,
    orderNo: v.orderNo,
    status: v.row.status as AfterSaleStatus,
    statusText: AFTER_SALE_STATUS_TEXT[v.row.status],
    reason: v.row.reason,
    photos: v.row.photoKeys.map(imageUrl),
    amount: Money.of(v.row.amount),
    lines: v.lines.map((l) => Object.assign(new AfterSaleLine(), { ...l, amount: Money.of(l.amount) })),
    merchantNote: v.row.merchantNote,
    createdAt: v.row.createdAt,
    decidedAt: v.row.decidedAt,
    refund: v.refund
      ? Object.assign(new AfterSaleRefund(), {
          refundNo: v.refund.refundNo,
          amount: Money.of(v.refund.amount),
          status: v.refund.status as RefundStatus,
          completedAt: v.refund.completedAt,
        })
      : null,
  });
}

@InputType("AfterSaleLineInput")
export class AfterSaleLineInput {
  @Field(() => ID) orderLineId!: string;
  @Field(() => SafeIntResolver, { description: "Fen to refund on this line" }) amount!: number;
}

@InputType("RequestAfterSaleInput")
export class RequestAfterSaleInput {
  @Field(() => ID) orderId!: string;
  @Field(() => [AfterSaleLineInput], { description: "At most one entry per order line" }) lines!: AfterSaleLineInput[];
  @Field(() => String, { description: "2–200 characters" }) reason!: string;
  @Field(() => [String], { defaultValue: [], description: "Keys of photos the viewer uploaded, at most 6" }) photoKeys!: string[];
}

@InputType("AfterSaleIdInput")
export class AfterSaleIdInput {
  @Field(() => ID) afterSaleId!: string;
}

@InputType("DecideAfterSaleInput")
export class DecideAfterSaleInput {
  @Field(() => ID) afterSaleId!: string;
  @Field(() => Boolean, { description: "true approves and refunds at once; false rejects" }) approve!: boolean;
  @Field(() => String, { nullable: true, description: "Required (2–200 characters) when rejecting" }) note?: string | null;
}

@ObjectType("ShopAfterSalePayload")
export class ShopAfterSalePayload {
  @Field(() => ShopAfterSale, { nullable: true }) afterSale!: ShopAfterSale | null;
  @Field(() => [AfterSaleError]) errors!: InstanceType<typeof AfterSaleError>[];
}

@ObjectType("MerchantAfterSalePayload")
export class MerchantAfterSalePayload {
  @Field(() => MerchantAfterSale, { nullable: true }) afterSale!: MerchantAfterSale | null;
  @Field(() => [AfterSaleError]) errors!: InstanceType<typeof AfterSaleError>[];
}
