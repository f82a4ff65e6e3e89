import { Arg, Authorized, Ctx as C, Field, Int, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import { Permission } from "../core/permissions";
import { viewerOf, type Ctx } from "../core/context";
import { pageWindow, toPage } from "../core/connection";
import { ErrorType, runMutation } from "../core/payload";
import { isUuid } from "../core/ids";
import { DomainError } from "../core/errors";
import { pairPage, peopleByIds, rebindPage, reviewPage, type PersonRef } from "./risk-queries.service";
import { freezeMember, resolveReview, ReviewErrorCode } from "./review.service";
import { rebindMember, RebindErrorCode } from "./rebind.service";
import {
  FreezeMemberInput,
  RebindConnection,
  RebindMemberInput,
  RebindView,
  ResolveRiskReviewInput,
  RiskPairConnection,
  RiskPairView,
  RiskPerson,
  RiskReviewConnection,
  RiskReviewStatusEnum,
  RiskReviewView,
} from "./risk.types";

const RiskReviewError = ErrorType("RiskReviewError", ReviewErrorCode);
const RebindError = ErrorType("RebindError", RebindErrorCode);

@ObjectType("RiskReviewPayload")
class RiskReviewPayload {
  @Field(() => RiskReviewView, { nullable: true }) review!: RiskReviewView | null;
  @Field(() => [RiskReviewError]) errors!: InstanceType<typeof RiskReviewError>[];
}

@ObjectType("RebindMemberPayload")
class RebindMemberPayload {
  @Field(() => RebindView, { nullable: true }) rebind!: RebindView | null;
  @Field(() => [RebindError]) errors!: InstanceType<typeof RebindError>[];
}

const UNKNOWN: PersonRef = { userId: "", nickname: "（已注销）", phone: null, inviteCode: null, frozen: false, inviteDisabled: false };
const toPerson = (p: PersonRef | undefined) => {
  const v = p ?? UNKNOWN;
  return Object.assign(new RiskPerson(), { id: v.userId, nickname: v.nickname, phone: v.phone, inviteCode: v.inviteCode, frozen: v.frozen, inviteDisabled: v.inviteDisabled });
};

/** What risk control found, in words an operator reads at a glance. */
function detailText(reason: string, d: Record<string, unknown>): string {
  if (reason === "REFUND_RATE") return `近 ${d.windowDays} 天下级订单 ${d.paidOrders} 笔，其中 ${d.refundedOrders} 笔退款`;
  if (reason === "BULK_REGISTRATION") return `${d.windowMinutes} 分钟内同一设备或网络经其邀请码注册 ${d.registrations} 人，邀请码已暂停`;
  return `人工冻结：${String(d.note ?? "")}`;
}

type ReviewRow = Awaited<ReturnType<typeof reviewPage>>["rows"][number];
const toReview = (r: ReviewRow, people: Map<string, PersonRef>) =>
  Object.assign(new RiskReviewView(), {
    id: r.id,
    person: toPerson(people.get(r.userId)),
    reason: r.reason,
    detailText: detailText(r.reason, r.detail as Record<string, unknown>),
    status: r.status as RiskReviewStatusEnum,
    resolution: r.resolution,
    createdAt: r.createdAt,
    resolvedAt: r.resolvedAt,
  });

type RebindRow = Awaited<ReturnType<typeof rebindPage>>["rows"][number];
const rebindPeople = (r: RebindRow) => [r.userId, r.fromInviterId ?? "", r.toInviterId, r.operatorId];
const toRebind = (r: RebindRow, people: Map<string, PersonRef>) =>
  Object.assign(new RebindView(), {
    id: r.id,
    person: toPerson(people.get(r.userId)),
    from: r.fromInviterId ? toPerson(people.get(r.fromInviterId)) : null,
    to: toPerson(people.get(r.toInviterId)),
    operator: toPerson(people.get(r.operatorId)),
    reason: r.reason,
    createdAt: r.createdAt,
  });

/** The operator's risk console (rule book §6): frozen people, disabled codes, risk pairs, re-binds. */
@Authorized(Permission.PLATFORM_ADMIN)
@Resolver()
export class RiskConsoleResolver {
  @Query(() => RiskReviewConnection, { description: "Risk reviews by status (open ones oldest first)" })
  async riskReviews(
    @C() ctx: Ctx,
    @Arg("status", () => RiskReviewStatusEnum, { defaultValue: RiskReviewStatusEnum.OPEN }) status: RiskReviewStatusEnum,
    @Arg("first", () => Int, { nullable: true }) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ) {
    const window = pageWindow(first, after);
    const { rows, people } = await reviewPage(ctx.db, status, window);
    const page = toPage(rows, window);
    return { nodes: page.nodes.map((r) => toReview(r, people)), pageInfo: page.pageInfo };
  }

  @Query(() => RiskPairConnection, { description: "Risk pairs, newest first" })
  async riskPairs(@C() ctx: Ctx, @Arg("first", () => Int, { nullable: true }) first?: number, @Arg("after", () => String, { nullable: true }) after?: string) {
    const window = pageWindow(first, after);
    const { rows, people } = await pairPage(ctx.db, window);
    const page = toPage(rows, window);
    return {
      nodes: page.nodes.map(({ pair, orderNo }) =>
        Object.assign(new RiskPairView(), {
          id: pair.id,
          invitee: toPerson(people.get(pair.userId)),
          inviter: toPerson(people.get(pair.inviterId)),
          kind: pair.kind,
          orderNo,
          createdAt: pair.createdAt,
        }),
      ),
      pageInfo: page.pageInfo,
    };
  }

  @Query(() => RebindConnection, { description: "The re-bind log, newest first" })
  async rebindLog(@C() ctx: Ctx, @Arg("first", () => Int, { nullable: true }) first?: number, @Arg("after", () => String, { nullable: true }) after?: string) {
    const window = pageWindow(first, after);
    const { rows, people } = await rebindPage(ctx.db, window);
    const page = toPage(rows, window);
    return { nodes: page.nodes.map((r) => toRebind(r, people)), pageInfo: page.pageInfo };
  }

  @Mutation(() => RiskReviewPayload, { description: "Close a risk review: CLEAR lifts the measure, CONFIRM keeps it" })
  async resolveRiskReview(@C() ctx: Ctx, @Arg("input", () => ResolveRiskReviewInput) input: ResolveRiskReviewInput) {
    const { result, errors } = await runMutation(ReviewErrorCode, async () => {
      if (!isUuid(input.reviewId)) throw new DomainError(ReviewErrorCode.REVIEW_NOT_FOUND, "审核单不存在", "reviewId");
      return resolveReview(ctx, viewerOf(ctx).userId, input);
    });
    return this.reviewPayload(ctx, result, errors);
  }

  @Mutation(() => RiskReviewPayload, { description: "Freeze a person for review (their rewards stop settling and paying out)" })
  async freezeMember(@C() ctx: Ctx, @Arg("input", () => FreezeMemberInput) input: FreezeMemberInput) {
    const { result, errors } = await runMutation(ReviewErrorCode, () => freezeMember(ctx, viewerOf(ctx).userId, input));
    return this.reviewPayload(ctx, result ?? null, errors);
  }

  @Mutation(() => RebindMemberPayload, { description: "Re-bind a person to another inviter, with a reason (logged)" })
  async rebindMember(@C() ctx: Ctx, @Arg("input", () => RebindMemberInput) input: RebindMemberInput) {
    const { result, errors } = await runMutation(RebindErrorCode, () => rebindMember(ctx, viewerOf(ctx).userId, input));
    const rebind = result ? toRebind(result, await peopleByIds(ctx.db, rebindPeople(result))) : null;
    return Object.assign(new RebindMemberPayload(), { rebind, errors });
  }

  private async reviewPayload(ctx: Ctx, review: ReviewRow | null | undefined, errors: { code: string; message: string; field: string | null }[]) {
    if (!review) return Object.assign(new RiskReviewPayload(), { review: null, errors });
    return Object.assign(new RiskReviewPayload(), { review: toReview(review, await peopleByIds(ctx.db, [review.userId])), errors });
  }
}
