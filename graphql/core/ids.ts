import { notFound } from "./errors";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (id: string) => UUID.test(id);

/** Ids from clients are opaque: a malformed one is simply "not found", never a database error. */
export function requireId(id: string, what?: string): string {
  if (!isUuid(id)) throw notFound(what);
  return id.toLowerCase();
}
