import { ApolloServer, HeaderMap, type GraphQLRequest } from "@apollo/server";
import type { GraphQLError, GraphQLFormattedError, ValidationContext } from "graphql";
import { costLimitRule } from "@escape.tech/graphql-armor-cost-limit";
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import type { Ctx } from "./core/context";
import { PUBLIC_ERROR_CODES } from "./core/errors";
import { getSchema } from "./schema";

export const LIMITS = { maxDepth: 10, maxAliases: 15, maxCost: 20000, maxTokens: 4000, maxBodyBytes: 100_000 };

/** Removes 11-digit numbers (phones) and long digit runs from anything that may reach a log. */
export function scrub(text: string): string {
  return text.replace(/\d{7,}/g, (m) => `${m.slice(0, 3)}****${m.slice(-2)}`);
}

/**
 * Expected errors keep their code and message; anything else (a database error can carry a phone
 * number, SQL or parameters) becomes a generic message, and only a scrubbed line goes to the log.
 */
export function maskError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = String(formatted.extensions?.code ?? "");
  if (PUBLIC_ERROR_CODES.has(code)) {
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code } };
  }
  const original = (error as { originalError?: unknown })?.originalError ?? error;
  console.error("[graphql] internal error:", scrub(original instanceof Error ? `${original.name}: ${original.message}` : String(original)));
  return { message: "服务器内部错误，请稍后再试", path: formatted.path, extensions: { code: "INTERNAL_SERVER_ERROR" } };
}

/**
 * A limit rule reports its rejection as a validation error (400, GRAPHQL_VALIDATION_FAILED). Throwing
 * from inside a validation rule (`propagateOnRejection: true`) escapes Apollo's validation step and
 * turns every rejected query into a 500.
 */
const reportRejection = (context: ValidationContext | null, error: GraphQLError) => context?.reportError(error);

export async function createApolloServer(): Promise<ApolloServer<Ctx>> {
  const production = process.env.NODE_ENV === "production";
  const server = new ApolloServer<Ctx>({
    schema: await getSchema(),
    introspection: !production,
    hideSchemaDetailsFromClientErrors: production,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    parseOptions: { maxTokens: LIMITS.maxTokens },
    validationRules: [
      maxDepthRule({ n: LIMITS.maxDepth, propagateOnRejection: false, onReject: [reportRejection] }),
      maxAliasesRule({ n: LIMITS.maxAliases, propagateOnRejection: false, onReject: [reportRejection] }),
      costLimitRule({ maxCost: LIMITS.maxCost, propagateOnRejection: false, onReject: [reportRejection] }),
    ],
    formatError: maskError,
  });
  await server.start();
  return server;
}

export type ExecuteResult<T> = { data: T | null; errors: GraphQLFormattedError[] };

/** In-process execution (server components, tests): same schema, limits and error masking as HTTP. */
export async function executeInProcess<T>(server: ApolloServer<Ctx>, request: GraphQLRequest, ctx: Ctx): Promise<ExecuteResult<T>> {
  const response = await server.executeOperation<T & Record<string, unknown>>(request, { contextValue: ctx });
  if (response.body.kind !== "single") throw new Error("incremental delivery is not supported");
  const { data, errors } = response.body.singleResult;
  return { data: (data as T) ?? null, errors: [...(errors ?? [])] };
}

/** Serves one HTTP request (from the Next route handler) through Apollo. */
export async function executeHttp(server: ApolloServer<Ctx>, request: Request, ctx: () => Promise<Ctx>): Promise<Response> {
  const url = new URL(request.url);
  const headers = new HeaderMap();
  request.headers.forEach((value, key) => headers.set(key, value));
  let body: unknown = undefined;
  if (request.method === "POST") {
    const text = await request.text();
    if (text.length > LIMITS.maxBodyBytes) {
      return Response.json({ errors: [{ message: "请求过大", extensions: { code: "BAD_REQUEST" } }] }, { status: 413 });
    }
    const type = request.headers.get("content-type") ?? "";
    if (type.includes("application/json")) {
      try {
        body = JSON.parse(text);
      } catch {
        return Response.json({ errors: [{ message: "请求格式错误", extensions: { code: "BAD_REQUEST" } }] }, { status: 400 });
      }
    } else {
      body = text;
    }
  }
  const result = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: request.method.toUpperCase(), headers, search: url.search, body },
    context: ctx,
  });
  const out = new Headers();
  for (const [k, v] of result.headers) out.set(k, v);
  out.set("cache-control", "no-store");
  if (result.body.kind === "complete") return new Response(result.body.string, { status: result.status ?? 200, headers: out });
  const chunks: string[] = [];
  for await (const chunk of result.body.asyncIterator) chunks.push(chunk);
  return new Response(chunks.join(""), { status: result.status ?? 200, headers: out });
}
