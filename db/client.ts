import path from "node:path";
import { mkdirSync } from "node:fs";
import type { Logger } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { PreparePolicy, withPreparePolicy } from "./prepare";

/**
 * A database handle or an open transaction (a transaction is a PgDatabase too). Without drizzle's
 * relational `db.query.*` API: the code writes its queries with the SQL-like builder, and a handle
 * made with a schema builds a relational query builder per table in every PgDatabase constructor —
 * every transaction and savepoint (about 0.1 ms of CPU per transaction, profiled at a flash spike).
 */
export type Db = PgDatabase<PgQueryResultHKT>;

export type Database = {
  db: Db;
  kind: "pglite" | "postgres";
  close(): Promise<void>;
  /** LISTEN/NOTIFY, used for fan-out across app instances. */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
};

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");

/**
 * Opens the database: a Postgres server when a URL is given, otherwise embedded PGlite in
 * `dataDir` (or in memory for `memory://`). A PGlite directory belongs to one process.
 */
export async function openDatabase(opts: { url?: string; dataDir?: string; poolSize?: number; logger?: Logger }): Promise<Database> {
  if (opts.url) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const client = postgres(opts.url, {
      max: opts.poolSize ?? 10,
      onnotice: () => {},
      // Fail a waiting request within seconds instead of hanging when the pool is exhausted.
      connect_timeout: 10,
      idle_timeout: 30,
    });
    // Named prepared statements (see db/prepare.ts), unless a transaction-mode pooler in front of
    // Postgres cannot keep them: LIANBO_DB_PREPARE=off.
    const prepared = withPreparePolicy(client, new PreparePolicy(2_000, 20_000, process.env.LIANBO_DB_PREPARE !== "off"));
    const db = drizzle(prepared, { logger: opts.logger }) as unknown as Db;
    return {
      db,
      kind: "postgres",
      close: () => client.end({ timeout: 5 }),
      listen: async (channel, onMessage) => {
        const sub = await client.listen(channel, onMessage);
        return () => sub.unlisten();
      },
    };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const dataDir = opts.dataDir ?? "memory://";
  if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir);
  const db = drizzle(client, { logger: opts.logger }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    close: () => client.close(),
    listen: async (channel, onMessage) => client.listen(channel, onMessage),
  };
}

export async function migrateDatabase(database: Database): Promise<void> {
  if (database.kind === "postgres") {
    const { migrate } = await import("drizzle-orm/postgres-js/migrator");
    await migrate(database.db as never, { migrationsFolder: MIGRATIONS_FOLDER });
  } else {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(database.db as never, { migrationsFolder: MIGRATIONS_FOLDER });
  }
}

/** Rows of a raw `db.execute(sql…)` on either driver (postgres.js returns an array, PGlite `{ rows }`). */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
