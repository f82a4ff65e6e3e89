import { sql } from "drizzle-orm";
import { bigint, boolean, check, foreignKey, index, integer, jsonb, pgEnum, pgTable, primaryKey, smallint, text, unique, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { id, money, timestamps, tstz } from "./columns";
import { suppliers, users } from "./identity";
import { products, skus } from "./catalog";
import { coupons, userCoupons } from "./marketing";
import { listings, stores } from "./store";

export const liveKindEnum = pgEnum("live_kind", ["SALES", "TRAINING"]);
export const liveStatusEnum = pgEnum("live_status", ["SCHEDULED", "LIVE", "ENDED", "CANCELLED"]);

/**
 * A live session: a merchant selling in their store (SALES), or a supplier training merchants
 * (TRAINING, seen by merchants only). Video is pushed by the anchor to their streaming service; the
 * live stores the HLS playback URL, and after it ends the replay URL.
 */
export const lives = pgTable(
  "lives",
  {
    id: id(),
    kind: liveKindEnum("kind").notNull(),
    storeId: uuid("store_id").references(() => stores.id),
    supplierId: uuid("supplier_id").references(() => suppliers.id),
    hostUserId: uuid("host_user_id").notNull().references(() => users.id),
    title: text("title").notNull(),
    coverKey: text("cover_key"),
    scheduledAt: tstz("scheduled_at").notNull(),
    status: liveStatusEnum("status").notNull().default("SCHEDULED"),
    playbackUrl: text("playback_url"),
    replayUrl: text("replay_url"),
    startedAt: tstz("started_at"),
    endedAt: tstz("ended_at"),
    /** Who ended it and why, when not the host (an operator ending a live). */
    endedBy: uuid("ended_by").references(() => users.id),
    endReason: text("end_reason"),
    /** An operator hid the replay (reason recorded). */
    replayHiddenAt: tstz("replay_hidden_at"),
    replayHiddenReason: text("replay_hidden_reason"),
    likeCount: bigint("like_count", { mode: "number" }).notNull().default(0),
    peakViewers: integer("peak_viewers").notNull().default(0),
    /** The host switched on 全员禁言: only the host may comment until it is switched off. */
    commentsMutedAt: tstz("comments_muted_at"),
    ...timestamps,
  },
  (t) => [
    index("lives_store_idx").on(t.storeId, t.scheduledAt),
    index("lives_supplier_idx").on(t.supplierId, t.scheduledAt),
    index("lives_status_idx").on(t.status, t.scheduledAt),
    check("lives_owner", sql`(${t.kind} = 'SALES' and ${t.storeId} is not null and ${t.supplierId} is null) or (${t.kind} = 'TRAINING' and ${t.supplierId} is not null and ${t.storeId} is null)`),
    // Lets the shelf name the live's kind in its foreign key, so its CHECK can hold per kind.
    unique("lives_id_kind_uq").on(t.id, t.kind),
  ],
);

/**
 * The live's product shelf, in display order; a product can be taken off the shelf during the live.
 * A sales live shelves the store's listings (consumer prices, buyable); a training live shelves the
 * supplier's own products with no listing (supply prices and scripts, nothing to buy). The row
 * carries its live's kind (pinned by the foreign key to the live's own) so the database itself
 * refuses a sales row without a listing or a training row with one.
 */
export const liveProducts = pgTable(
  "live_products",
  {
    liveId: uuid("live_id").notNull(),
    liveKind: liveKindEnum("live_kind").notNull(),
    listingId: uuid("listing_id").references(() => listings.id),
    productId: uuid("product_id").notNull().references(() => products.id),
    position: smallint("position").notNull(),
    onShelf: boolean("on_shelf").notNull().default(true),
    /** The host marked it sold out (已售罄) in this room; cleared when they unmark it. Stock is not touched. */
    soldOutAt: tstz("sold_out_at"),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.liveId, t.productId] }),
    foreignKey({ name: "live_products_live_fk", columns: [t.liveId, t.liveKind], foreignColumns: [lives.id, lives.kind] }),
    check("live_products_source", sql`(${t.liveKind} = 'SALES') = (${t.listingId} is not null)`),
  ],
);

/** Live-only prices per SKU: applied only to orders placed from the room while it is live. */
export const livePrices = pgTable(
  "live_prices",
  {
    liveId: uuid("live_id").notNull().references(() => lives.id),
    skuId: uuid("sku_id").notNull().references(() => skus.id),
    livePrice: money("live_price").notNull(),
    perUserLimit: integer("per_user_limit"),
  },
  (t) => [primaryKey({ columns: [t.liveId, t.skuId] }), check("live_prices_positive", sql`${t.livePrice} > 0`)],
);

/** 预约: a consumer asked to be told when the live starts. */
export const liveReservations = pgTable(
  "live_reservations",
  {
    liveId: uuid("live_id").notNull().references(() => lives.id),
    userId: uuid("user_id").notNull().references(() => users.id),
    notifiedAt: tstz("notified_at"),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.liveId, t.userId] }), index("live_reservations_user_idx").on(t.userId)],
);

/**
 * Everything that happened in a room, in order (id is the SSE event id, so a reconnecting viewer
 * resumes after the last one it saw): start/end, pin/unpin (replay chapters come from these),
 * shelf and price changes, sold-out, announcements, comments.
 */
export const liveEvents = pgTable(
  "live_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    liveId: uuid("live_id").notNull().references(() => lives.id),
    kind: text("kind").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    at: tstz("at").notNull(),
  },
  (t) => [index("live_events_live_idx").on(t.liveId, t.id)],
);

export const commentStatusEnum = pgEnum("live_comment_status", ["VISIBLE", "HELD", "DELETED", "REJECTED"]);

/** A viewer's comment: what was shown (masked if needed), the original, and the filter's verdict. */
export const liveComments = pgTable(
  "live_comments",
  {
    id: id(),
    liveId: uuid("live_id").notNull().references(() => lives.id),
    userId: uuid("user_id").notNull().references(() => users.id),
    body: text("body").notNull(),
    original: text("original").notNull(),
    /** DELIVER, MASK or HOLD: the filter's verdict. */
    verdict: text("verdict").notNull(),
    hits: jsonb("hits").$type<{ term: string; category: string }[]>().notNull().default([]),
    status: commentStatusEnum("status").notNull(),
    pinnedAt: tstz("pinned_at"),
    moderatedBy: uuid("moderated_by").references(() => users.id),
    ...timestamps,
  },
  (t) => [index("live_comments_live_idx").on(t.liveId, t.createdAt), index("live_comments_held_idx").on(t.status, t.createdAt)],
);

/** Who watched: one row per viewer per live (signed-in user or anonymous device), with watch time and who shared the link. */
export const liveViewers = pgTable(
  "live_viewers",
  {
    liveId: uuid("live_id").notNull().references(() => lives.id),
    viewerKey: text("viewer_key").notNull(),
    userId: uuid("user_id").references(() => users.id),
    sharerId: uuid("sharer_id").references(() => users.id),
    firstSeenAt: tstz("first_seen_at").notNull(),
    lastSeenAt: tstz("last_seen_at").notNull(),
    watchMs: bigint("watch_ms", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.liveId, t.viewerKey] }), index("live_viewers_sharer_idx").on(t.liveId, t.sharerId)],
);

export const liveBanKindEnum = pgEnum("live_ban_kind", ["MUTE", "BLOCK"]);

/** A viewer muted (cannot comment) or blocked (cannot enter) in a live, by its host. */
export const liveBans = pgTable(
  "live_bans",
  {
    liveId: uuid("live_id").notNull().references(() => lives.id),
    userId: uuid("user_id").notNull().references(() => users.id),
    kind: liveBanKindEnum("kind").notNull(),
    byUserId: uuid("by_user_id").notNull().references(() => users.id),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.liveId, t.userId, t.kind] })],
);

export const anchorStatusEnum = pgEnum("anchor_status", ["PENDING", "APPROVED", "REJECTED", "SUSPENDED"]);

/** An anchor's certification: real name verified, then approved by an operator; tier set by the operator. */
export const anchors = pgTable("anchors", {
  userId: uuid("user_id").primaryKey().references(() => users.id),
  status: anchorStatusEnum("status").notNull().default("PENDING"),
  tier: smallint("tier").notNull().default(1),
  note: text("note"),
  reviewedBy: uuid("reviewed_by").references(() => users.id),
  reviewedAt: tstz("reviewed_at"),
  ...timestamps,
});

/** Words operators add to the shipped lists (data/moderation): HOLD, MASK, AD_LAW or ALLOW. */
export const moderationWords = pgTable(
  "moderation_words",
  {
    id: id(),
    category: text("category").notNull(),
    term: text("term").notNull(),
    createdBy: uuid("created_by").references(() => users.id),
    ...timestamps,
  },
  (t) => [uniqueIndex("moderation_words_uq").on(t.category, t.term), check("moderation_words_category", sql`${t.category} in ('HOLD', 'MASK', 'AD_LAW', 'ALLOW')`)],
);

/**
 * Behaviour events (watch time, comments, likes, product clicks), per viewer: the raw material for
 * customer profiles and recommendations. Recorded only for people who have not switched
 * personalisation off.
 */
export const behaviourEvents = pgTable(
  "behaviour_events",
  {
    id: id(),
    userId: uuid("user_id").references(() => users.id),
    viewerKey: text("viewer_key").notNull(),
    kind: text("kind").notNull(),
    liveId: uuid("live_id"),
    productId: uuid("product_id"),
    value: integer("value").notNull().default(1),
    ...timestamps,
  },
  (t) => [index("behaviour_events_user_idx").on(t.userId, t.createdAt), index("behaviour_events_live_idx").on(t.liveId, t.kind)],
);

/**
 * An invite-to-watch task (邀请好友看直播): a viewer who brings `inviteTarget` distinct new viewers into
 * the room through their share link unlocks the task's coupon (a live-only coupon of the store).
 */
export const liveTasks = pgTable(
  "live_tasks",
  {
    id: id(),
    liveId: uuid("live_id").notNull().references(() => lives.id),
    couponId: uuid("coupon_id").notNull().references(() => coupons.id),
    inviteTarget: smallint("invite_target").notNull(),
    ...timestamps,
  },
  (t) => [index("live_tasks_live_idx").on(t.liveId), check("live_tasks_target", sql`${t.inviteTarget} between 1 and 50`)],
);

/** A sharer's unlocked task: written once, when the target is reached, with the coupon given. */
export const liveTaskRewards = pgTable(
  "live_task_rewards",
  {
    taskId: uuid("task_id").notNull().references(() => liveTasks.id),
    userId: uuid("user_id").notNull().references(() => users.id),
    userCouponId: uuid("user_coupon_id").references(() => userCoupons.id),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.taskId, t.userId] })],
);

/**
 * A supplier's standard live script (讲解话术) for one of its products: selling points, the script
 * text and a material pack (images, files). Checked against the Advertising Law's absolute terms when
 * saved; the hits are kept so the editor can mark them.
 */
export const liveScripts = pgTable(
  "live_scripts",
  {
    id: id(),
    supplierId: uuid("supplier_id").notNull().references(() => suppliers.id),
    productId: uuid("product_id").notNull().references(() => products.id),
    title: text("title").notNull(),
    sellingPoints: jsonb("selling_points").$type<string[]>().notNull().default([]),
    body: text("body").notNull(),
    /** Uploaded files (storage keys) with a label each. */
    materials: jsonb("materials").$type<{ label: string; fileKey: string }[]>().notNull().default([]),
    adHits: jsonb("ad_hits").$type<{ term: string; start: number; end: number; field: string }[]>().notNull().default([]),
    updatedAt: tstz("updated_at").notNull(),
    createdBy: uuid("created_by").references(() => users.id),
    ...timestamps,
  },
  (t) => [index("live_scripts_product_idx").on(t.productId), index("live_scripts_supplier_idx").on(t.supplierId, t.updatedAt)],
);
