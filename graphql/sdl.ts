import { lexicographicSortSchema, printSchema } from "graphql";
import { getSchema } from "./schema";

/**
 * The schema as SDL, types and fields sorted so the text only changes when the schema does. The
 * committed graphql/schema.graphql is this text; graphql/sdl.test.ts fails when they drift.
 */
export async function printSdl(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await getSchema()))}\n`;
}
