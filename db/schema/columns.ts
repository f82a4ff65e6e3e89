import { bigint, timestamp, uuid } from "drizzle-orm/pg-core";

/** Opaque primary key: ids never reveal counts or creation order. */
export const id = () => uuid("id").primaryKey().defaultRandom();

/** Money in integer fen. bigint in number mode: exact up to 2^53 fen. */
export const money = (name: string) => bigint(name, { mode: "number" });

export const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** Rows carry their creation time from the application clock (never the DB's now()). */
export const timestamps = {
  createdAt: tstz("created_at").notNull(),
};
