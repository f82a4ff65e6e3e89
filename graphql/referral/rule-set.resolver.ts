import { Arg, Authorized, Ctx as C, Field, InputType, Int, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import { desc } from "drizzle-orm";
import { ruleSets, auditLog } from "@/db/schema";
import { Permission } from "../core/permissions";
import { viewerOf, type Ctx } from "../core/context";
import { ErrorType, runMutation } from "../core/payload";
import { DomainError } from "../core/errors";
import { RuleSetErrorCode } from "./referral.rules";
import { publishRuleSet } from "./rule-set.service";

const PublishErrorCode = { ...RuleSetErrorCode, EFFECTIVE_IN_PAST: "EFFECTIVE_IN_PAST" } as const;
const RuleSetError = ErrorType("RuleSetError", PublishErrorCode);
const SimulationErrorCode = { INVALID_SCENARIO: "INVALID_SCENARIO" } as const;
const SimulationError = ErrorType("SimulationError", SimulationErrorCode);

@ObjectType("RuleSetVersion")
class RuleSetVersion {
  @Field(() => Int) version!: number;
  @Field(() => Int) k!: number;
  @Field(() => Int) rDirectBp!: number;
  @Field(() => Int) rTeamBp!: number;
  @Field(() => Int) rPeerBp!: number;
  @Field(() => Int) maxDepth!: number;
  @Field(() => Int) capTotalBp!: number;
  @Field(() => Int) settleDays!: number;
  @Field(() => Date) effectiveAt!: Date;
  @Field(() => Date) createdAt!: Date;
}

@InputType("PublishRuleSetInput")
class PublishRuleSetInput {
  @Field(() => Int) k!: number;
  @Field(() => Int) rDirectBp!: number;
  @Field(() => Int) rTeamBp!: number;
  @Field(() => Int) rPeerBp!: number;
  @Field(() => Int) maxDepth!: number;
  @Field(() => Int) capTotalBp!: number;
  @Field(() => Int) settleDays!: number;
  @Field(() => Date, { nullable: true, description: "Defaults to now; never in the past" }) effectiveAt?: Date | null;
}

@ObjectType("PublishRuleSetPayload")
class PublishRuleSetPayload {
  @Field(() => RuleSetVersion, { nullable: true }) ruleSet!: RuleSetVersion | null;
  @Field(() => [RuleSetError]) errors!: InstanceType<typeof RuleSetError>[];
}

@ObjectType("SimulationPayload")
class SimulationPayload {
  @Field(() => String, { nullable: true, description: "The outcome, in the simulator's JSON format" }) outcome!: string | null;
  @Field(() => [SimulationError]) errors!: InstanceType<typeof SimulationError>[];
}

/** The operator's 链动2+1 console: rule-set versions within the ceilings, and the simulator. */
@Authorized(Permission.PLATFORM_ADMIN)
@Resolver()
export class RuleSetAdminResolver {
  @Query(() => [RuleSetVersion], { description: "Rule-set versions, newest first" })
  async ruleSets(@C() ctx: Ctx) {
    const rows = await ctx.db.select().from(ruleSets).orderBy(desc(ruleSets.version)).limit(50);
    return rows.map((r) => Object.assign(new RuleSetVersion(), r));
  }

  @Mutation(() => PublishRuleSetPayload, { description: "Publish a new version; values beyond a ceiling are refused" })
  async publishRuleSet(@C() ctx: Ctx, @Arg("input", () => PublishRuleSetInput) input: PublishRuleSetInput) {
    const { result, errors } = await runMutation(PublishErrorCode, async () => {
      const effectiveAt = input.effectiveAt ?? ctx.now;
      if (effectiveAt.getTime() < ctx.now.getTime() - 60_000) {
        throw new DomainError(PublishErrorCode.EFFECTIVE_IN_PAST, "生效时间不能早于现在（规则不得追溯）", "effectiveAt");
      }
      const { effectiveAt: _e, ...values } = input;
      return ctx.db.transaction(async (tx) => {
        const published = await publishRuleSet(tx, values, { effectiveAt, now: ctx.now, actorId: viewerOf(ctx).userId });
        await tx.insert(auditLog).values({
          actorUserId: viewerOf(ctx).userId,
          action: "rule_set.publish",
          subjectType: "rule_set",
          subjectId: String(published.version),
          detail: JSON.stringify({ ...values, effectiveAt }),
          createdAt: ctx.now,
        });
        return Object.assign(new RuleSetVersion(), { ...published, effectiveAt, createdAt: ctx.now });
      });
    });
    return { ruleSet: result, errors };
  }

  @Mutation(() => SimulationPayload, { description: "Run a scenario (JSON) on a throwaway embedded database" })
  async simulateScenario(@C() _ctx: Ctx, @Arg("scenario", () => String) scenario: string) {
    const { runScenario, validateScenario, ScenarioError } = await import("./simulator");
    const { bootRuntime } = await import("../runtime");
    try {
      const parsed = validateScenario(JSON.parse(scenario));
      const rt = await bootRuntime({ dataDir: "memory://", seedDemo: false, workers: false });
      try {
        return { outcome: JSON.stringify(await runScenario(rt, parsed), null, 2), errors: [] };
      } finally {
        await rt.close();
      }
    } catch (e) {
      if (e instanceof ScenarioError || e instanceof SyntaxError || e instanceof DomainError) {
        return { outcome: null, errors: [{ code: "INVALID_SCENARIO", message: e.message, field: "scenario" }] };
      }
      throw e;
    }
  }
}
