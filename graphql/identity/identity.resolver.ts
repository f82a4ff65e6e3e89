import { Arg, Authorized, Ctx as C, Field, InputType, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import { Permission, type Role } from "../core/permissions";
import type { Ctx } from "../core/context";
import { ErrorType, runMutation } from "../core/payload";
import { DomainError } from "../core/errors";
import * as identity from "./identity.service";
import { SignInErrorCode } from "./identity.service";

const SignInError = ErrorType("SignInError", SignInErrorCode);

@ObjectType("Me", { description: "The signed-in person" })
class Me {
  @Field(() => String) id!: string;
  @Field(() => String) nickname!: string;
  @Field(() => [String]) roles!: Role[];
  @Field(() => Boolean) hasStore!: boolean;
  @Field(() => Boolean) isSupplier!: boolean;
}

@InputType("RequestSmsCodeInput")
class RequestSmsCodeInput {
  @Field(() => String) phone!: string;
}

@ObjectType("RequestSmsCodePayload")
class RequestSmsCodePayload {
  @Field(() => Boolean, { description: "Always true when accepted, whether or not the phone has an account" }) sent!: boolean;
  @Field(() => [SignInError]) errors!: InstanceType<typeof SignInError>[];
}

@InputType("IssueApiTokenInput", { description: "Phone + SMS code, or login + password" })
class IssueApiTokenInput {
  @Field(() => String, { nullable: true }) phone?: string;
  @Field(() => String, { nullable: true }) code?: string;
  @Field(() => String, { nullable: true }) login?: string;
  @Field(() => String, { nullable: true }) password?: string;
  @Field(() => String, { defaultValue: "api" }) label!: string;
}

@ObjectType("ApiToken")
class ApiToken {
  @Field(() => String, { description: "Send as `Authorization: Bearer <token>`; shown once" }) token!: string;
  @Field(() => Date) expiresAt!: Date;
}

@ObjectType("IssueApiTokenPayload")
class IssueApiTokenPayload {
  @Field(() => ApiToken, { nullable: true }) apiToken!: ApiToken | null;
  @Field(() => [SignInError]) errors!: InstanceType<typeof SignInError>[];
}

/** Signing in: SMS codes, bearer tokens for non-browser clients, and who am I. */
@Authorized(Permission.PUBLIC)
@Resolver()
export class IdentityResolver {
  @Query(() => Me, { nullable: true, description: "The signed-in person, or null" })
  me(@C() ctx: Ctx): Me | null {
    const v = ctx.viewer;
    if (!v) return null;
    return Object.assign(new Me(), { id: v.userId, nickname: v.nickname, roles: v.roles, hasStore: !!v.storeId, isSupplier: !!v.supplierId });
  }

  @Mutation(() => RequestSmsCodePayload, { description: "Send a 6-digit sign-in code by SMS" })
  async requestSmsCode(@C() ctx: Ctx, @Arg("input", () => RequestSmsCodeInput) input: RequestSmsCodeInput) {
    const { errors } = await runMutation(SignInErrorCode, () => identity.requestSmsCode(ctx, { phone: input.phone, ip: ctx.ip }));
    return { sent: errors.length === 0, errors };
  }

  @Mutation(() => IssueApiTokenPayload, { description: "Issue a bearer token for a mini-program or script" })
  async issueApiToken(@C() ctx: Ctx, @Arg("input", () => IssueApiTokenInput) input: IssueApiTokenInput) {
    const { result, errors } = await runMutation(SignInErrorCode, async () => {
      let user: { id: string; sessionVersion: number };
      if (input.phone && input.code) user = await identity.signInWithSms(ctx, { phone: input.phone, code: input.code, ip: ctx.ip });
      else if (input.login && input.password) user = await identity.signInWithPassword(ctx, { login: input.login, password: input.password, ip: ctx.ip });
      else throw new DomainError(SignInErrorCode.INVALID_CREDENTIALS, "请提供手机号和验证码，或账号和密码");
      return Object.assign(new ApiToken(), await identity.issueApiToken(ctx, user, input.label));
    });
    return { apiToken: result, errors };
  }
}
