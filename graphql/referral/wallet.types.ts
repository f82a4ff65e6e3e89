import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { SafeIntResolver } from "graphql-scalars";
import { Connection } from "../core/connection";
import { Money } from "../core/money.type";
import { ErrorType } from "../core/payload";
import { ReferralRoleEnum } from "./referral.types";
import { WithdrawalErrorCode } from "./withdrawal.rules";
import { ReviewErrorCode } from "./withdrawal.service";
import { SharerErrorCode } from "./sharer.service";

/*
 * GraphQL shapes of wallets and withdrawals. The consumer's types (Wallet, WalletEntry,
 * MyWithdrawal) and the operator's (WithdrawalReview) are separate: the operator sees whose request
 * it is, the consumer only their own, and neither ever sees a full payee account.
 */

export enum WithdrawalStatusEnum {
  REQUESTED = "REQUESTED",
  APPROVED = "APPROVED",
  PAID = "PAID",
  FAILED = "FAILED",
  REJECTED = "REJECTED",
}
registerEnumType(WithdrawalStatusEnum, { name: "WithdrawalStatus", description: "REQUESTED → APPROVED → PAID | FAILED (→ REQUESTED); REQUESTED → REJECTED" });

export const STATUS_TEXT: Record<WithdrawalStatusEnum, string> = {
  REQUESTED: "审核中",
  APPROVED: "打款中",
  PAID: "已到账",
  FAILED: "打款失败，待重新审核",
  REJECTED: "已驳回，金额已退回余额",
};

@ObjectType("Wallet", { description: "我的收益: the viewer's own wallet" })
export class Wallet {
  /** Not a field: the entries and chain resolvers read the owner from here, never from an argument. */
  userId!: string;
  @Field(() => Money, { description: "Withdrawable now (negative after a refund of a settled reward)" }) available!: Money;
  @Field(() => Money, { description: "Rewards waiting for their order's return window" }) pending!: Money;
  @Field(() => Money, { description: "Everything ever taken back by refunds" }) reversed!: Money;
  @Field(() => Money, { description: "Paid out to the viewer" }) withdrawn!: Money;
  @Field(() => Money, { description: "Requested and debited, not yet paid out" }) inFlight!: Money;
}

@ObjectType("WalletEntry", { description: "One link of the wallet's hash chain" })
export class WalletEntry {
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: "Position in the chain, from 1" }) seq!: number;
  @Field(() => Money, { description: "Positive: money in; negative: money out" }) amount!: Money;
  @Field(() => String, { description: "Ledger kind, e.g. reward_settle, withdrawal_request" }) kind!: string;
  @Field(() => String) title!: string;
  @Field(() => ID, { nullable: true, description: "The order a reward entry came from" }) orderId!: string | null;
  @Field(() => String, { description: "SHA-256 of this link" }) hash!: string;
  @Field(() => String, { description: "Hash of the previous link (64 zeros for the first)" }) prevHash!: string;
  @Field(() => Date) createdAt!: Date;
}

export const WalletEntryConnection = Connection("WalletEntryConnection", WalletEntry);

@ObjectType("MyWithdrawal", { description: "One of the viewer's withdrawals" })
export class MyWithdrawal {
  @Field(() => ID) id!: string;
  @Field(() => Money) amount!: Money;
  @Field(() => Money) fee!: Money;
  @Field(() => Money, { description: "What arrives: amount − fee" }) netAmount!: Money;
  @Field(() => WithdrawalStatusEnum) status!: WithdrawalStatusEnum;
  @Field(() => String) statusText!: string;
  @Field(() => String, { description: "Payout number, the same across retries" }) payoutNo!: string;
  @Field(() => String, { description: "Masked: ****1234" }) payeeAccount!: string;
  @Field(() => String, { nullable: true, description: "Reviewer's note or failure reason" }) note!: string | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) paidAt!: Date | null;
}

export const MyWithdrawalConnection = Connection("MyWithdrawalConnection", MyWithdrawal);

@ObjectType("WithdrawalReview", { description: "A withdrawal in the operator's review queue" })
export class WithdrawalReview {
  @Field(() => ID) id!: string;
  @Field(() => ID) userId!: string;
  @Field(() => String) nickname!: string;
  @Field(() => String, { description: "Masked (张**): it already matched the verified real name" }) payeeName!: string;
  @Field(() => String, { description: "Masked: ****1234" }) payeeAccount!: string;
  @Field(() => Money) amount!: Money;
  @Field(() => Money) fee!: Money;
  @Field(() => WithdrawalStatusEnum) status!: WithdrawalStatusEnum;
  @Field(() => String) payoutNo!: string;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) reviewedAt!: Date | null;
  @Field(() => Date, { nullable: true }) paidAt!: Date | null;
}

export const WithdrawalReviewConnection = Connection("WithdrawalReviewConnection", WithdrawalReview);

@InputType("BecomeSharerInput")
export class BecomeSharerInput {
  @Field(() => String, { description: "Version of the promoter agreement the viewer accepted" }) agreementVersion!: string;
  @Field(() => String, { description: "Legal name as on the ID card" }) name!: string;
  @Field(() => String, { description: "18-character resident ID number" }) idNumber!: string;
}

export const SharerError = ErrorType("BecomeSharerError", SharerErrorCode);

@ObjectType("BecomeSharerPayload")
export class BecomeSharerPayload {
  @Field(() => ReferralRoleEnum, { nullable: true }) role!: ReferralRoleEnum | null;
  @Field(() => [SharerError]) errors!: InstanceType<typeof SharerError>[];
}

@InputType("RequestWithdrawalInput")
export class RequestWithdrawalInput {
  @Field(() => SafeIntResolver, { description: "Amount in fen" }) amount!: number;
  @Field(() => String, { description: "Must equal the verified real name" }) payeeName!: string;
  @Field(() => String) payeeAccount!: string;
}

export const WithdrawalError = ErrorType("WithdrawalError", WithdrawalErrorCode);

@ObjectType("RequestWithdrawalPayload")
export class RequestWithdrawalPayload {
  @Field(() => MyWithdrawal, { nullable: true }) withdrawal!: MyWithdrawal | null;
  @Field(() => [WithdrawalError]) errors!: InstanceType<typeof WithdrawalError>[];
}

@InputType("ReviewWithdrawalInput")
export class ReviewWithdrawalInput {
  @Field(() => ID) id!: string;
  @Field(() => Boolean) approve!: boolean;
  @Field(() => String, { nullable: true, description: "Required when rejecting: the person reads it" }) note?: string | null;
}

@InputType("RetryWithdrawalInput")
export class RetryWithdrawalInput {
  @Field(() => ID) id!: string;
}

export const ReviewError = ErrorType("ReviewWithdrawalError", ReviewErrorCode);

@ObjectType("ReviewWithdrawalPayload")
export class ReviewWithdrawalPayload {
  @Field(() => WithdrawalReview, { nullable: true }) withdrawal!: WithdrawalReview | null;
  @Field(() => [ReviewError]) errors!: InstanceType<typeof ReviewError>[];
}
