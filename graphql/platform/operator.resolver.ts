import { Arg, Authorized, Ctx as C, Field, InputType, Int, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import { Permission } from "../core/permissions";
import type { Ctx } from "../core/context";
import { ErrorType, runMutation } from "../core/payload";
import { DomainError } from "../core/errors";
import { auditLog } from "@/db/schema";
import { COMMISSION_CAP_CEILING_BP, readEconomics, writeSetting } from "./settings";
import { unbalancedTransactions } from "../ledger/ledger.service";
import { publishRuleSet, ruleSetAt } from "../referral/rule-set.service";

const EconomicsErrorCode = { CEILING_EXCEEDED: "CEILING_EXCEEDED", INVALID_RATE: "INVALID_RATE" } as const;
const EconomicsError = ErrorType("EconomicsError", EconomicsErrorCode);

@ObjectType("PlatformEconomics")
class PlatformEconomics {
  @Field(() => Int, { description: "Platform fee on paid goods, basis points" }) platformFeeBp!: number;
  @Field(() => Int, { description: "Share reserved for 链动2+1 rewards (capTotal), basis points" }) commissionCapBp!: number;
  @Field(() => Int, { description: "Legal ceiling of commissionCapBp" }) commissionCapCeilingBp!: number;
}

@InputType("UpdateEconomicsInput")
class UpdateEconomicsInput {
  @Field(() => Int) platformFeeBp!: number;
  @Field(() => Int) commissionCapBp!: number;
}

@ObjectType("UpdateEconomicsPayload")
class UpdateEconomicsPayload {
  @Field(() => PlatformEconomics, { nullable: true }) economics!: PlatformEconomics | null;
  @Field(() => [EconomicsError]) errors!: InstanceType<typeof EconomicsError>[];
}

@ObjectType("LedgerHealth")
class LedgerHealth {
  @Field(() => Boolean) balanced!: boolean;
  @Field(() => Int) unbalancedTransactions!: number;
}

const toEconomics = (e: { platformFeeBp: number; commissionCapBp: number }) =>
  Object.assign(new PlatformEconomics(), { ...e, commissionCapCeilingBp: COMMISSION_CAP_CEILING_BP });

/** Platform operation: economics within the legal ceiling, ledger health. */
@Authorized(Permission.PLATFORM_ADMIN)
@Resolver()
export class OperatorResolver {
  @Query(() => PlatformEconomics)
  async platformEconomics(@C() ctx: Ctx) {
    return toEconomics(await readEconomics(ctx.db, ctx.now));
  }

  @Mutation(() => UpdateEconomicsPayload, { description: "Set fee and commission cap; the cap can never exceed 30%" })
  async updateEconomics(@C() ctx: Ctx, @Arg("input", () => UpdateEconomicsInput) input: UpdateEconomicsInput) {
    const { result, errors } = await runMutation(EconomicsErrorCode, async () => {
      if (input.commissionCapBp > COMMISSION_CAP_CEILING_BP) {
        throw new DomainError(EconomicsErrorCode.CEILING_EXCEEDED, "佣金总比例不得超过 30%", "commissionCapBp");
      }
      if (input.commissionCapBp < 0 || input.platformFeeBp < 0 || input.platformFeeBp > 2000) {
        throw new DomainError(EconomicsErrorCode.INVALID_RATE, "比例无效", "platformFeeBp");
      }
      const value = { platformFeeBp: input.platformFeeBp, commissionCapBp: input.commissionCapBp };
      await ctx.db.transaction(async (tx) => {
        await writeSetting(tx, "economics", value, ctx.now);
        // The cap is the 链动2+1 rule set's capTotal: changing it publishes a new rule-set version.
        const { version: _version, ...current } = await ruleSetAt(tx, ctx.now);
        if (current.capTotalBp !== input.commissionCapBp) {
          await publishRuleSet(tx, { ...current, capTotalBp: input.commissionCapBp }, { effectiveAt: ctx.now, now: ctx.now, actorId: ctx.viewer!.userId });
        }
        await tx.insert(auditLog).values({
          actorUserId: ctx.viewer!.userId,
          action: "economics.update",
          subjectType: "platform",
          subjectId: "economics",
          detail: JSON.stringify(value),
          createdAt: ctx.now,
        });
      });
      return toEconomics(value);
    });
    return { economics: result, errors };
  }

  @Query(() => LedgerHealth, { description: "Checks that every ledger transaction sums to zero" })
  async ledgerHealth(@C() ctx: Ctx) {
    const bad = await unbalancedTransactions(ctx.db);
    return Object.assign(new LedgerHealth(), { balanced: bad.length === 0, unbalancedTransactions: bad.length });
  }
}
