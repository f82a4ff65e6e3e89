import { Arg, Authorized, Ctx as C, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import { Permission } from "../core/permissions";
import { storeIdOf, supplierIdOf, viewerOf, type Ctx } from "../core/context";
import { ErrorType, runMutation } from "../core/payload";
import { imageUrl } from "../catalog/catalog.service";
import { materialKindOf } from "../platform/upload.rules";
import { saveLiveScript, scriptsForLive, ScriptErrorCode, supplierScripts, type LiveScriptRow } from "./live-script.service";

@ObjectType("AdLawHit", { description: "An Advertising Law absolute term found in a text, with where it is (UTF-16 offsets)" })
export class AdLawHit {
  @Field(() => String) term!: string;
  @Field(() => String, { description: "title, sellingPoints.N or body" }) field!: string;
  @Field(() => Int) start!: number;
  @Field(() => Int) end!: number;
}

@ObjectType("LiveScriptMaterial", { description: "One file of a script's material pack (素材包)" })
export class LiveScriptMaterial {
  @Field(() => String) label!: string;
  @Field(() => String, { description: "Where to view or download it" }) url!: string;
  @Field(() => String, { description: "IMAGE, PDF or VIDEO" }) kind!: string;
  @Field(() => String, { description: "The uploaded file's key (to keep it when saving the script again)" }) fileKey!: string;
}

@ObjectType("LiveScript", { description: "A supplier's standard live script (讲解话术) for one product" })
export class LiveScriptView {
  @Field(() => ID) id!: string;
  @Field(() => ID) productId!: string;
  @Field(() => String) productTitle!: string;
  @Field(() => String) title!: string;
  @Field(() => [String]) sellingPoints!: string[];
  @Field(() => String) body!: string;
  @Field(() => [LiveScriptMaterial]) materials!: LiveScriptMaterial[];
  @Field(() => [AdLawHit], { description: "广告法 terms found when it was saved" }) adHits!: AdLawHit[];
  @Field(() => Date) updatedAt!: Date;
}

@InputType("LiveScriptMaterialInput")
export class LiveScriptMaterialInput {
  @Field(() => String) label!: string;
  @Field(() => String, { description: "An uploaded file's key (POST /api/uploads/materials: images ≤5 MB, PDF ≤20 MB, MP4 ≤30 MB)" }) fileKey!: string;
}

@InputType("LiveScriptInput")
export class LiveScriptInput {
  @Field(() => ID) productId!: string;
  @Field(() => String) title!: string;
  @Field(() => [String], { defaultValue: [] }) sellingPoints!: string[];
  @Field(() => String) body!: string;
  @Field(() => [LiveScriptMaterialInput], { defaultValue: [] }) materials!: LiveScriptMaterialInput[];
}

const ScriptError = ErrorType("LiveScriptError", ScriptErrorCode);

@ObjectType("LiveScriptPayload")
export class LiveScriptPayload {
  @Field(() => LiveScriptView, { nullable: true }) script!: LiveScriptView | null;
  @Field(() => [ScriptError]) errors!: InstanceType<typeof ScriptError>[];
}

export function toScriptView(r: { script: LiveScriptRow; productTitle: string }): LiveScriptView {
  return Object.assign(new LiveScriptView(), {
    ...r.script,
    productTitle: r.productTitle,
    materials: r.script.materials.map((m) => Object.assign(new LiveScriptMaterial(), { label: m.label, url: imageUrl(m.fileKey), kind: materialKindOf(m.fileKey), fileKey: m.fileKey })),
    adHits: r.script.adHits.map((h) => Object.assign(new AdLawHit(), h)),
  });
}

/** Suppliers write standard live scripts for their products; merchants read them in their live console. */
@Resolver()
export class LiveScriptResolver {
  @Authorized(Permission.CATALOG_MANAGE)
  @Query(() => [LiveScriptView], { description: "My live scripts, newest first" })
  async supplierLiveScripts(@C() ctx: Ctx) {
    return (await supplierScripts(ctx.db, supplierIdOf(ctx))).map(toScriptView);
  }

  @Authorized(Permission.CATALOG_MANAGE)
  @Mutation(() => LiveScriptPayload, { description: "Save a live script (new, or replacing scriptId); 广告法 terms are marked, not blocked" })
  async saveLiveScript(@C() ctx: Ctx, @Arg("input", () => LiveScriptInput) input: LiveScriptInput, @Arg("scriptId", () => ID, { nullable: true }) scriptId?: string | null) {
    const { result, errors } = await runMutation(ScriptErrorCode, () => saveLiveScript(ctx, supplierIdOf(ctx), viewerOf(ctx).userId, { ...input, productId: input.productId.toLowerCase() }, scriptId?.toLowerCase()));
    if (!result) return Object.assign(new LiveScriptPayload(), { script: null, errors });
    const [row] = (await supplierScripts(ctx.db, supplierIdOf(ctx))).filter((r) => r.script.id === result.id);
    return Object.assign(new LiveScriptPayload(), { script: toScriptView(row), errors });
  }

  @Authorized(Permission.STORE_MANAGE)
  @Query(() => [LiveScriptView], { description: "Suppliers' scripts for the products on my live's shelf" })
  async liveScriptsForLive(@C() ctx: Ctx, @Arg("liveId", () => ID) liveId: string) {
    return (await scriptsForLive(ctx.db, storeIdOf(ctx), liveId.toLowerCase())).map(toScriptView);
  }
}
