import { Arg, Authorized, Ctx as C, Field, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import { Permission } from "../core/permissions";
import { viewerOf, type Ctx } from "../core/context";
import { ErrorType, runMutation } from "../core/payload";
import * as privacy from "./privacy.service";

const PrivacyError = ErrorType("PrivacyError", privacy.PrivacyErrorCode);

@ObjectType("PrivacySettings")
class PrivacySettings {
  @Field(() => Boolean, { description: "Personalised recommendations (PIPL Art. 24)" }) personalizedRecommendations!: boolean;
}

@ObjectType("PrivacyPayload")
class PrivacyPayload {
  @Field(() => Boolean) ok!: boolean;
  @Field(() => [PrivacyError]) errors!: InstanceType<typeof PrivacyError>[];
}

/** The person's rights over their own data: export, recommendations switch, account deletion. */
@Authorized(Permission.SIGNED_IN)
@Resolver()
export class PrivacyResolver {
  @Query(() => String, { description: "Everything held about the viewer, as a JSON document" })
  async myDataExport(@C() ctx: Ctx) {
    return JSON.stringify(await privacy.exportMyData(ctx.db, viewerOf(ctx).userId), null, 2);
  }

  @Query(() => PrivacySettings)
  async myPrivacySettings(@C() ctx: Ctx) {
    const on = await privacy.personalizationOf(ctx.db, viewerOf(ctx).userId);
    return Object.assign(new PrivacySettings(), { personalizedRecommendations: on });
  }

  @Mutation(() => PrivacySettings, { description: "Switch personalised recommendations on or off" })
  async setPersonalizedRecommendations(@C() ctx: Ctx, @Arg("enabled", () => Boolean) enabled: boolean) {
    await privacy.setPersonalization(ctx.db, viewerOf(ctx).userId, enabled);
    return Object.assign(new PrivacySettings(), { personalizedRecommendations: enabled });
  }

  @Mutation(() => PrivacyPayload, { description: "Delete the viewer's account; orders are kept with the buyer pseudonymised" })
  async deleteMyAccount(@C() ctx: Ctx) {
    const { errors } = await runMutation(privacy.PrivacyErrorCode, () => privacy.deleteMyAccount(ctx, viewerOf(ctx).userId));
    return { ok: errors.length === 0, errors };
  }
}
