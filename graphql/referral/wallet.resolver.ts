import { Arg, Authorized, Ctx as C, FieldResolver, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { Permission } from "../core/permissions";
import { viewerOf, type Ctx } from "../core/context";
import { pageWindow, toPage } from "../core/connection";
import { Money } from "../core/money.type";
import { runMutation } from "../core/payload";
import { decryptPii } from "../platform/crypto";
import { maskName } from "../platform/mask";
import { payoutProviderOf } from "../payment/payout-provider";
import { realNameVerifierOf } from "./real-name-verifier";
import { SharerErrorCode, becomeSharerWithRealName } from "./sharer.service";
import { maskAccount } from "./withdrawal.rules";
import { ReviewErrorCode, WithdrawalErrorCode, requestWithdrawal, retryFailedWithdrawal, reviewWithdrawal, type WithdrawalRow } from "./withdrawal.service";
import * as wallet from "./wallet.service";
import {
  BecomeSharerInput,
  BecomeSharerPayload,
  MyWithdrawal,
  MyWithdrawalConnection,
  RequestWithdrawalInput,
  RequestWithdrawalPayload,
  RetryWithdrawalInput,
  ReviewWithdrawalInput,
  ReviewWithdrawalPayload,
  STATUS_TEXT,
  Wallet,
  WalletEntry,
  WalletEntryConnection,
  WithdrawalReview,
  WithdrawalReviewConnection,
  WithdrawalStatusEnum,
} from "./wallet.types";
import type { ReferralRoleEnum } from "./referral.types";

const ENTRY_TITLE: Record<string, string> = {
  reward_settle: "奖励结算入账",
  withdrawal_request: "提现申请（已扣减）",
  withdrawal_return: "提现驳回退回",
  reward_reversal: "退款冲回",
};
/** Any other debit of a wallet is a claw-back of a settled reward after a refund. */
const entryTitle = (kind: string, amount: number) => ENTRY_TITLE[kind] ?? (amount > 0 ? "退款冲回" : "入账");

const toMyWithdrawal = (w: WithdrawalRow) =>
  Object.assign(new MyWithdrawal(), {
    id: w.id,
    amount: Money.of(w.amount),
    fee: Money.of(w.fee),
    netAmount: Money.of(w.amount - w.fee),
    status: w.status as WithdrawalStatusEnum,
    statusText: STATUS_TEXT[w.status as WithdrawalStatusEnum],
    payoutNo: w.payoutNo,
    payeeAccount: maskAccount(decryptPii(w.payeeAccountEnc)),
    note: w.note,
    createdAt: w.createdAt,
    paidAt: w.paidAt,
  });

const toReview = (w: WithdrawalRow, nickname: string) =>
  Object.assign(new WithdrawalReview(), {
    id: w.id,
    userId: w.userId,
    nickname,
    payeeName: maskName(decryptPii(w.payeeNameEnc)),
    payeeAccount: maskAccount(decryptPii(w.payeeAccountEnc)),
    amount: Money.of(w.amount),
    fee: Money.of(w.fee),
    status: w.status as WithdrawalStatusEnum,
    payoutNo: w.payoutNo,
    note: w.note,
    createdAt: w.createdAt,
    reviewedAt: w.reviewedAt,
    paidAt: w.paidAt,
  });

/** The consumer's wallet (我的收益, 提现) and becoming a SHARER. Always the viewer's own. */
@Authorized(Permission.SHOP_BUY)
@Resolver(() => Wallet)
export class MyWalletResolver {
  @Query(() => Wallet, { description: "My wallet: balances; entries and chain check on demand" })
  async myWallet(@C() ctx: Ctx) {
    const userId = viewerOf(ctx).userId;
    const s = await wallet.walletSummary(ctx.db, userId);
    return Object.assign(new Wallet(), {
      userId,
      available: Money.of(s.available),
      pending: Money.of(s.pending),
      reversed: Money.of(s.reversed),
      withdrawn: Money.of(s.withdrawn),
      inFlight: Money.of(s.inFlight),
    });
  }

  @FieldResolver(() => Boolean, { description: "My wallet's hash chain recomputed now: nothing altered or removed" })
  async chainVerified(@Root() w: Wallet, @C() ctx: Ctx) {
    return wallet.walletChainVerified(ctx.db, w.userId);
  }

  @FieldResolver(() => WalletEntryConnection, { description: "Wallet entries, newest first" })
  async entries(
    @Root() w: Wallet,
    @C() ctx: Ctx,
    @Arg("first", () => Int, { nullable: true }) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ) {
    const window = pageWindow(first, after);
    const page = toPage(await wallet.walletEntries(ctx.db, w.userId, window), window);
    return {
      ...page,
      nodes: page.nodes.map((e) =>
        Object.assign(new WalletEntry(), {
          id: e.id,
          seq: e.seq ?? 0,
          amount: Money.of(-e.amount || 0),
          kind: e.kind,
          title: entryTitle(e.kind, e.amount),
          orderId: e.orderId,
          hash: e.hash ?? "",
          prevHash: e.prevHash ?? "",
          createdAt: e.createdAt,
        }),
      ),
    };
  }

  @Query(() => MyWithdrawalConnection, { description: "My withdrawals, newest first" })
  async myWithdrawals(
    @C() ctx: Ctx,
    @Arg("first", () => Int, { nullable: true }) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ) {
    const window = pageWindow(first, after);
    const page = toPage(await wallet.withdrawalsOf(ctx.db, viewerOf(ctx).userId, window), window);
    return { ...page, nodes: page.nodes.map(toMyWithdrawal) };
  }

  @Mutation(() => BecomeSharerPayload, { description: "Accept the promoter agreement and verify my real name: become a SHARER, for free" })
  async becomeSharer(@C() ctx: Ctx, @Arg("input", () => BecomeSharerInput) input: BecomeSharerInput) {
    const { result, errors } = await runMutation(SharerErrorCode, () =>
      becomeSharerWithRealName(ctx, viewerOf(ctx).userId, input, realNameVerifierOf(ctx.services)),
    );
    return Object.assign(new BecomeSharerPayload(), { role: (result?.role as ReferralRoleEnum | undefined) ?? null, errors });
  }

  @Mutation(() => RequestWithdrawalPayload, { description: "Withdraw from my wallet; the amount is debited now and reviewed" })
  async requestWithdrawal(@C() ctx: Ctx, @Arg("input", () => RequestWithdrawalInput) input: RequestWithdrawalInput) {
    const { result, errors } = await runMutation(WithdrawalErrorCode, () => requestWithdrawal(ctx, viewerOf(ctx).userId, input));
    return Object.assign(new RequestWithdrawalPayload(), { withdrawal: result ? toMyWithdrawal(result) : null, errors });
  }
}

/** The operator's withdrawal review (§5, §6): queue, approve/reject, re-review of failed payouts. */
@Authorized(Permission.PLATFORM_ADMIN)
@Resolver()
export class WithdrawalReviewResolver {
  @Query(() => WithdrawalReviewConnection, { description: "Withdrawals by status (all when omitted), oldest first" })
  async withdrawalQueue(
    @C() ctx: Ctx,
    @Arg("status", () => WithdrawalStatusEnum, { nullable: true }) status?: WithdrawalStatusEnum,
    @Arg("first", () => Int, { nullable: true }) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ) {
    const window = pageWindow(first, after);
    const page = toPage(await wallet.withdrawalQueue(ctx.db, status ?? null, window), window);
    return { ...page, nodes: page.nodes.map((r) => toReview(r.withdrawal, r.nickname)) };
  }

  @Mutation(() => ReviewWithdrawalPayload, { description: "Approve (then pay out) or reject (money back to the wallet) a requested withdrawal" })
  async reviewWithdrawal(@C() ctx: Ctx, @Arg("input", () => ReviewWithdrawalInput) input: ReviewWithdrawalInput) {
    const payouts = payoutProviderOf(ctx.services);
    const { result, errors } = await runMutation(ReviewErrorCode, () => reviewWithdrawal(ctx, viewerOf(ctx).userId, input, payouts));
    return Object.assign(new ReviewWithdrawalPayload(), { withdrawal: result ? toReview(result, await wallet.nicknameOf(ctx.db, result.userId)) : null, errors });
  }

  @Mutation(() => ReviewWithdrawalPayload, { description: "Send a failed payout back to review; its payout number is kept" })
  async retryWithdrawal(@C() ctx: Ctx, @Arg("input", () => RetryWithdrawalInput) input: RetryWithdrawalInput) {
    const { result, errors } = await runMutation(ReviewErrorCode, () => retryFailedWithdrawal(ctx, viewerOf(ctx).userId, input.id));
    return Object.assign(new ReviewWithdrawalPayload(), { withdrawal: result ? toReview(result, await wallet.nicknameOf(ctx.db, result.userId)) : null, errors });
  }
}
