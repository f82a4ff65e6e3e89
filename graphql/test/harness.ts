import { randomBytes } from "node:crypto";
import type { GraphQLFormattedError } from "graphql";
import { bootRuntime, type BootOptions, type Runtime } from "../runtime";
import type { Viewer } from "../core/viewer";
import { loadViewer } from "../identity/identity.service";

/**
 * A real runtime for integration tests: a fresh database created on the Postgres server named by
 * DATABASE_URL (dropped afterwards), or an in-memory PGlite when it is unset. Never a mock.
 */
export type TestRuntime = Runtime & { dbName: string | null; dispose(): Promise<void> };

async function adminSql(url: string) {
  const { default: postgres } = await import("postgres");
  return postgres(url, { max: 1, onnotice: () => {} });
}

export async function createTestRuntime(
  opts: { seedDemo?: boolean; poolSize?: number; logger?: BootOptions["logger"] } = {},
): Promise<TestRuntime> {
  const base = process.env.DATABASE_URL;
  let dbName: string | null = null;
  let url: string | undefined;
  if (base) {
    dbName = `lianbo_test_${randomBytes(6).toString("hex")}`;
    const admin = await adminSql(base);
    await admin.unsafe(`create database ${dbName}`);
    await admin.end();
    const u = new URL(base);
    u.pathname = `/${dbName}`;
    url = u.toString();
  }
  const runtime = await bootRuntime({
    databaseUrl: url,
    dataDir: "memory://",
    seedDemo: opts.seedDemo ?? false,
    workers: false,
    poolSize: opts.poolSize ?? 20,
    logger: opts.logger,
  });
  return Object.assign(runtime, {
    dbName,
    dispose: async () => {
      await runtime.close();
      if (base && dbName) {
        const admin = await adminSql(base);
        await admin.unsafe(`drop database if exists ${dbName} with (force)`);
        await admin.end();
      }
    },
  });
}

/** Runs a GraphQL operation as a viewer (null = anonymous) through the real schema and server. */
export async function gql<T = Record<string, any>>(
  rt: Runtime,
  viewer: Viewer | null,
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ data: T | null; errors: GraphQLFormattedError[] }> {
  return rt.execute<T>({ query, variables }, viewer, "127.0.0.1");
}

/** Like gql, but fails the test on any error. */
export async function gqlOk<T = Record<string, any>>(rt: Runtime, viewer: Viewer | null, query: string, variables?: Record<string, unknown>) {
  const result = await gql<T>(rt, viewer, query, variables);
  if (result.errors.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  return result.data as T;
}

export async function viewerOf(rt: Runtime, userId: string): Promise<Viewer> {
  const v = await loadViewer(rt.services.db, userId, 1);
  if (!v) throw new Error("no viewer");
  return v;
}

/**
 * Counts the SQL statements a runtime sends: pass it as createTestRuntime's logger, then `count`
 * one operation — for tests that a list costs the same statements whatever its length.
 */
export function statementLog() {
  const log = {
    statements: [] as string[],
    logQuery(query: string) {
      log.statements.push(query);
    },
    async count<T>(run: () => Promise<T>): Promise<{ data: T; queries: number }> {
      log.statements = [];
      const data = await run();
      return { data, queries: log.statements.length };
    },
  };
  return log;
}
