import { getRuntime } from "@/graphql/runtime-access";
import { currentIp, currentViewer } from "./viewer";

export class QueryError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/**
 * Executes a GraphQL operation in-process with the request's viewer (same schema, limits and error
 * masking as /api/graphql). Throws QueryError with the first error's code.
 */
export async function query<T>(source: string, variables?: Record<string, unknown>): Promise<T> {
  const rt = await getRuntime();
  const [viewer, ip] = await Promise.all([currentViewer(), currentIp()]);
  const result = await rt.execute<T>({ query: source, variables }, viewer, ip);
  if (result.errors.length) {
    const first = result.errors[0];
    throw new QueryError(String(first.extensions?.code ?? "INTERNAL_SERVER_ERROR"), first.message);
  }
  // graphql-js builds results with null prototypes; pages pass them on to client components,
  // which accept only plain objects — so hand over exactly what the wire would carry.
  return JSON.parse(JSON.stringify(result.data)) as T;
}

/** Like query, but NOT_FOUND becomes null (for pages that show a 404). */
export async function queryOrNull<T>(source: string, variables?: Record<string, unknown>): Promise<T | null> {
  try {
    return await query<T>(source, variables);
  } catch (e) {
    if (e instanceof QueryError && e.code === "NOT_FOUND") return null;
    throw e;
  }
}
