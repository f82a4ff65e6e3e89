import { boolean, index, integer, pgEnum, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { id, timestamps, tstz } from "./columns";

export const roleEnum = pgEnum("role", ["CONSUMER", "MERCHANT", "SUPPLIER", "OPERATOR"]);
export const userStatusEnum = pgEnum("user_status", ["ACTIVE", "BANNED", "DELETED"]);

/**
 * People. Personal data is stored encrypted (`*_enc`: key id + AES-256-GCM payload); the phone is
 * found through a keyed blind index (`phone_index`), never by decrypting.
 */
export const users = pgTable(
  "users",
  {
    id: id(),
    phoneEnc: text("phone_enc"),
    phoneIndex: text("phone_index"),
    loginName: text("login_name"),
    passwordHash: text("password_hash"),
    nickname: text("nickname").notNull(),
    status: userStatusEnum("status").notNull().default("ACTIVE"),
    /** PIPL Art. 24: the person may switch off personalised recommendations. */
    personalizationEnabled: boolean("personalization_enabled").notNull().default(true),
    deletedAt: tstz("deleted_at"),
    /** Bumped on ban, demotion or sign-out-everywhere: older sessions stop working on the next request. */
    sessionVersion: integer("session_version").notNull().default(1),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("users_phone_index_uq").on(t.phoneIndex),
    uniqueIndex("users_login_name_uq").on(t.loginName),
  ],
);

export const userRoles = pgTable(
  "user_roles",
  {
    userId: uuid("user_id").notNull().references(() => users.id),
    role: roleEnum("role").notNull(),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.userId, t.role] })],
);

export const suppliers = pgTable("suppliers", {
  id: id(),
  name: text("name").notNull(),
  ...timestamps,
});

export const supplierMembers = pgTable(
  "supplier_members",
  {
    supplierId: uuid("supplier_id").notNull().references(() => suppliers.id),
    userId: uuid("user_id").notNull().references(() => users.id),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.supplierId, t.userId] }), uniqueIndex("supplier_members_user_uq").on(t.userId)],
);

/** One-time SMS sign-in codes. Only a keyed hash of the code is stored. */
export const smsCodes = pgTable(
  "sms_codes",
  {
    id: id(),
    phoneIndex: text("phone_index").notNull(),
    codeHash: text("code_hash").notNull(),
    expiresAt: tstz("expires_at").notNull(),
    consumedAt: tstz("consumed_at"),
    failedAttempts: integer("failed_attempts").notNull().default(0),
    ...timestamps,
  },
  (t) => [index("sms_codes_phone_idx").on(t.phoneIndex, t.createdAt)],
);

/** Development outbox for SMS: the demo and tests read codes here; never written in production. */
export const smsOutbox = pgTable("sms_outbox", {
  id: id(),
  phoneIndex: text("phone_index").notNull(),
  phoneEnc: text("phone_enc").notNull(),
  body: text("body").notNull(),
  ...timestamps,
});

/** Fixed-window counters for rate limits (per phone, per IP…). */
export const rateLimits = pgTable(
  "rate_limits",
  {
    key: text("key").notNull(),
    windowStart: tstz("window_start").notNull(),
    hits: integer("hits").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);

/** Bearer tokens for non-browser clients. Only the SHA-256 of the token is stored. */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: id(),
    userId: uuid("user_id").notNull().references(() => users.id),
    tokenHash: text("token_hash").notNull(),
    label: text("label").notNull(),
    sessionVersion: integer("session_version").notNull(),
    expiresAt: tstz("expires_at").notNull(),
    revokedAt: tstz("revoked_at"),
    ...timestamps,
  },
  (t) => [uniqueIndex("api_tokens_hash_uq").on(t.tokenHash)],
);

/** Who saw or changed what: reveals of personal data, manual operator actions. Append-only. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: id(),
    actorUserId: uuid("actor_user_id").references(() => users.id),
    action: text("action").notNull(),
    subjectType: text("subject_type").notNull(),
    subjectId: text("subject_id").notNull(),
    detail: text("detail"),
    ...timestamps,
  },
  (t) => [index("audit_log_subject_idx").on(t.subjectType, t.subjectId)],
);

