import { GraphQLError } from "graphql";

/**
 * Expected failures of a business rule. Services throw them; resolvers turn them into the typed
 * `errors` of a mutation payload. `code` is a value of that mutation's error-code enum.
 */
export class DomainError<C extends string = string> extends Error {
  constructor(
    readonly code: C,
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

/** Codes that may reach a client with their message; everything else is masked. */
export const PUBLIC_ERROR_CODES = new Set([
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "BAD_USER_INPUT",
  "RATE_LIMITED",
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "PERSISTED_QUERY_NOT_FOUND",
  "OPERATION_RESOLUTION_FAILURE",
  "BAD_REQUEST",
]);

/** The same answer for "does not exist" and "not yours": no way to probe other people's ids. */
export function notFound(what = "对象"): GraphQLError {
  return new GraphQLError(`${what}不存在`, { extensions: { code: "NOT_FOUND" } });
}

export function unauthenticated(): GraphQLError {
  return new GraphQLError("请先登录", { extensions: { code: "UNAUTHENTICATED" } });
}

export function forbidden(): GraphQLError {
  return new GraphQLError("没有权限", { extensions: { code: "FORBIDDEN" } });
}

export function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT" } });
}

export function rateLimited(): GraphQLError {
  return new GraphQLError("操作太频繁，请稍后再试", { extensions: { code: "RATE_LIMITED" } });
}
