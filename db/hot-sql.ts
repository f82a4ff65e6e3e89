import { getTableColumns, getTableName, type Column, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { rowsOf, type Db } from "./client";

/**
 * Hand-written statements for the hottest paths (a flash-sale spike, the bearer lookup every API
 * request makes). Each is one FIXED text — lists go in as array parameters (`= any($1::uuid[])`,
 * `unnest(...)`) instead of one placeholder per item — so it is ONE prepared statement per
 * connection whatever the batch size, and building it costs nothing at run time. drizzle's query
 * builder spends tenths of a millisecond of CPU per statement on these (it checks the class of
 * every chunk); prepared-statement caches would otherwise hold one text per list length.
 *
 * Rows come back decoded exactly as drizzle's select decodes them, through the same columns.
 */
export type Field = { path: string[]; field: Column | SQL };

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Every column of `table` as `alias."col"`, in the table's key order, with the fields that decode them under `key`. */
export function columnsOf(table: PgTable, alias: string, key?: string): { list: string; fields: Field[] } {
  const entries = Object.entries(getTableColumns(table) as Record<string, Column>);
  if (!entries.length) throw new Error(`columnsOf: ${getTableName(table)} has no columns`);
  return {
    list: entries.map(([, c]) => `${alias}.${quote(c.name)}`).join(", "),
    fields: entries.map(([k, c]) => ({ path: key ? [key, k] : [k], field: c })),
  };
}

/**
 * Runs a fixed statement text with its parameters, prepared (postgres.js; PGlite ignores it). With
 * `fields` the selected columns are decoded into objects (one field per selected column, in order);
 * without, the driver's rows are returned as they are.
 */
export async function runHot<T>(db: Db, text: string, params: unknown[], fields?: Field[]): Promise<T[]> {
  // Any name turns on postgres.js's prepare (see db/insert-rows.ts); fields decode as drizzle does.
  const result = await db._.session.prepareQuery({ sql: text, params }, fields as never, "hot", false).execute();
  return fields ? (result as T[]) : rowsOf<T>(result);
}
