import { ClassType, Field, ObjectType } from "type-graphql";
import { badInput } from "./errors";

/** Hard ceiling on any page: a client can never ask for an unbounded list. */
export const MAX_PAGE_SIZE = 100;

@ObjectType("PageInfo")
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/** Validates `first`/`after` and returns offset and limit (the cursor is an opaque offset). */
export function pageWindow(first: number | undefined | null, after: string | undefined | null) {
  const size = first ?? 20;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw badInput(`first 必须在 1 到 ${MAX_PAGE_SIZE} 之间`);
  }
  let offset = 0;
  if (after) {
    const decoded = Number(Buffer.from(after, "base64url").toString("utf8").replace(/^o:/, ""));
    if (!Number.isInteger(decoded) || decoded < 0) throw badInput("after 游标无效");
    offset = decoded;
  }
  return { offset, limit: size };
}

/** Builds a page from `limit + 1` fetched rows. */
export function toPage<T>(rows: T[], window: { offset: number; limit: number }) {
  const nodes = rows.slice(0, window.limit);
  const end = window.offset + nodes.length;
  return {
    nodes,
    pageInfo: Object.assign(new PageInfo(), {
      hasNextPage: rows.length > window.limit,
      endCursor: nodes.length ? Buffer.from(`o:${end}`).toString("base64url") : null,
    }),
  };
}

/** A connection type: `{ nodes, pageInfo }`, named explicitly (class names are minified in builds). */
export function Connection<T extends object>(name: string, node: ClassType<T>) {
  @ObjectType(name)
  class ConnectionClass {
    @Field(() => [node])
    nodes!: T[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;
  }
  return ConnectionClass;
}

