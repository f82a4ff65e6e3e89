import { Arg, Authorized, Ctx as C, Int, Query, Resolver } from "type-graphql";
import { Permission } from "../core/permissions";
import { viewerOf, type Ctx } from "../core/context";
import { pageWindow, toPage } from "../core/connection";
import { Money } from "../core/money.type";
import { maskName } from "../platform/mask";
import { ruleSetAt } from "./rule-set.service";
import * as team from "./team.service";
import { PromoterAgreement, MyReferral, MyRewardConnection, MyReward, ReferralRoleEnum, RewardStatusEnum, RuleBook, TeamMemberConnection, TeamMemberView, TeamRelation } from "./referral.types";

import { agreementInForce } from "./agreement";
const ROLE_TEXT = { REGISTERED: "注册用户", SHARER: "分享者", LEADER: "团长" } as const;
const TYPE_TEXT = { DIRECT: "直推奖", TEAM: "团队奖", PEER: "平级奖" } as const;

/** The public rule page reads this: anyone may see the rules in force. */
@Authorized(Permission.PUBLIC)
@Resolver()
export class RuleBookResolver {
  @Query(() => RuleBook, { description: "The 链动2+1 rule set in force" })
  async ruleBook(@C() ctx: Ctx) {
    return Object.assign(new RuleBook(), await ruleSetAt(ctx.db, ctx.now));
  }

  @Query(() => PromoterAgreement, { description: "The promoter agreement in force (read before becoming a SHARER)" })
  promoterAgreement(@C() ctx: Ctx) {
    return Object.assign(new PromoterAgreement(), agreementInForce(ctx.now));
  }
}

/** The consumer's 链动2+1 pages: invite, team, earnings. Only their own. */
@Authorized(Permission.SHOP_BUY)
@Resolver()
export class MyReferralResolver {
  @Query(() => MyReferral)
  async myReferral(@C() ctx: Ctx) {
    const userId = viewerOf(ctx).userId;
    const s = await team.referralSummary(ctx.db, userId, ctx.now);
    const totals = await team.rewardTotals(ctx.db, userId);
    return Object.assign(new MyReferral(), {
      inviteCode: s.member.inviteCode,
      invitePath: `/i/${s.member.inviteCode}`,
      role: s.member.role as ReferralRoleEnum,
      roleText: ROLE_TEXT[s.member.role],
      leaderName: s.leaderName ? maskName(s.leaderName) : null,
      directCount: s.directs,
      teamSize: s.teamSize,
      teamSales: Money.of(s.teamSales),
      qualifiedDirects: s.member.qualifiedDirects,
      neededForLeader: s.member.role === "LEADER" ? 0 : Math.max(0, s.rules.k - s.member.qualifiedDirects),
      frozen: s.member.frozen,
      inviteDisabled: !!s.member.inviteDisabledAt,
      pending: Money.of(totals.pending),
      settled: Money.of(totals.settled),
      reversed: Money.of(totals.reversed),
    });
  }

  @Query(() => TeamMemberConnection, { description: "People I invited (DIRECT) or lead (TEAM)" })
  async myTeam(
    @C() ctx: Ctx,
    @Arg("relation", () => TeamRelation) relation: TeamRelation,
    @Arg("first", () => Int, { nullable: true }) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ) {
    const window = pageWindow(first, after);
    const page = toPage(await team.teamList(ctx.db, viewerOf(ctx).userId, relation, window), window);
    return {
      ...page,
      nodes: page.nodes.map((m) =>
        Object.assign(new TeamMemberView(), {
          id: m.userId,
          nickname: maskName(m.nickname),
          role: m.role as ReferralRoleEnum,
          joinedAt: m.joinedAt,
          qualified: !!m.qualifiedAt,
          countsText: m.riskFlagged ? "与邀请人存在关联风险，不计入" : m.qualifiedAt ? "已计入" : "首笔订单结算后计入",
        }),
      ),
    };
  }

  @Query(() => MyRewardConnection, { description: "My rewards, each traceable to its order line" })
  async myRewards(
    @C() ctx: Ctx,
    @Arg("status", () => RewardStatusEnum, { nullable: true }) status?: RewardStatusEnum,
    @Arg("first", () => Int, { nullable: true }) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ) {
    const window = pageWindow(first, after);
    const page = toPage(await team.rewardList(ctx.db, viewerOf(ctx).userId, status ?? null, window), window);
    return {
      ...page,
      nodes: page.nodes.map(({ reward: r, productTitle, buyerNickname }) =>
        Object.assign(new MyReward(), {
          id: r.id,
          type: r.type,
          typeText: TYPE_TEXT[r.type],
          status: r.status as RewardStatusEnum,
          depth: r.depth,
          base: Money.of(r.base),
          amount: Money.of(r.amount),
          reversedAmount: Money.of(r.reversedAmount),
          productTitle,
          buyer: maskName(buyerNickname),
          ruleSetVersion: r.ruleSetVersion,
          createdAt: r.createdAt,
          settledAt: r.settledAt,
        }),
      ),
    };
  }
}
