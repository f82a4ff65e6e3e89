import { index, integer, jsonb, pgEnum, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { id, timestamps, tstz } from "./columns";

/** Platform-wide settings (fee rate, commission ceiling, the dev clock offset), one row per key. */
export const platformSettings = pgTable("platform_settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedAt: tstz("updated_at").notNull(),
});

export const jobStatusEnum = pgEnum("job_status", ["PENDING", "DONE", "FAILED"]);

/**
 * Durable jobs, claimed with FOR UPDATE SKIP LOCKED. `dedupe_key` makes enqueueing idempotent
 * (e.g. one expiry job per order). `run_at` is on the application clock.
 */
export const jobs = pgTable(
  "jobs",
  {
    id: id(),
    kind: text("kind").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    dedupeKey: text("dedupe_key").notNull(),
    runAt: tstz("run_at").notNull(),
    status: jobStatusEnum("status").notNull().default("PENDING"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    finishedAt: tstz("finished_at"),
    ...timestamps,
  },
  (t) => [uniqueIndex("jobs_dedupe_uq").on(t.dedupeKey), index("jobs_due_idx").on(t.status, t.runAt)],
);

/** Uploaded files (bytes live in the storage backend; this row is the index). */
export const files = pgTable("files", {
  key: text("key").primaryKey(),
  contentType: text("content_type").notNull(),
  byteSize: integer("byte_size").notNull(),
  ownerUserId: text("owner_user_id"),
  ...timestamps,
});
