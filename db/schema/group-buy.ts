import { sql } from "drizzle-orm";
import { check, index, integer, pgEnum, pgTable, smallint, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { id, money, timestamps, tstz } from "./columns";
import { users } from "./identity";
import { skus } from "./catalog";
import { listings, stores } from "./store";

/**
 * A group-buy offer (拼团): one SKU of a store's listing at a group price for groups of `groupSize`,
 * each group open for `timeLimitMinutes` after it is opened, offered between startsAt and endsAt.
 * Units come from the SKU's own stock like a regular order.
 */
export const groupBuyOffers = pgTable(
  "group_buy_offers",
  {
    id: id(),
    storeId: uuid("store_id").notNull().references(() => stores.id),
    listingId: uuid("listing_id").notNull().references(() => listings.id),
    skuId: uuid("sku_id").notNull().references(() => skus.id),
    groupPrice: money("group_price").notNull(),
    groupSize: smallint("group_size").notNull(),
    timeLimitMinutes: integer("time_limit_minutes").notNull(),
    startsAt: tstz("starts_at").notNull(),
    endsAt: tstz("ends_at").notNull(),
    disabledAt: tstz("disabled_at"),
    createdBy: uuid("created_by").references(() => users.id),
    ...timestamps,
  },
  (t) => [
    index("group_buy_offers_store_idx").on(t.storeId, t.endsAt),
    check(
      "group_buy_offers_numbers",
      sql`${t.groupPrice} > 0 and ${t.groupSize} between 2 and 20 and ${t.timeLimitMinutes} between 5 and 4320 and ${t.endsAt} > ${t.startsAt}`,
    ),
  ],
);

export const groupBuyStatusEnum = pgEnum("group_buy_status", ["OPEN", "SUCCEEDED", "FAILED"]);

/**
 * One group. `seatsTaken` counts members holding a seat (ordered, paid or not yet expired); it never
 * passes `groupSize` (a conditional UPDATE, backed by the CHECK), so racing for the last seat can
 * never make a group of N+1. The group succeeds when `paidCount` reaches `groupSize`.
 */
export const groupBuys = pgTable(
  "group_buys",
  {
    id: id(),
    offerId: uuid("offer_id").notNull().references(() => groupBuyOffers.id),
    leaderId: uuid("leader_id").notNull().references(() => users.id),
    status: groupBuyStatusEnum("status").notNull().default("OPEN"),
    groupSize: smallint("group_size").notNull(),
    seatsTaken: smallint("seats_taken").notNull().default(0),
    paidCount: smallint("paid_count").notNull().default(0),
    deadline: tstz("deadline").notNull(),
    succeededAt: tstz("succeeded_at"),
    failedAt: tstz("failed_at"),
    ...timestamps,
  },
  (t) => [
    index("group_buys_offer_idx").on(t.offerId, t.status),
    index("group_buys_deadline_idx").on(t.status, t.deadline),
    check("group_buys_seats", sql`${t.seatsTaken} between 0 and ${t.groupSize} and ${t.paidCount} between 0 and ${t.seatsTaken}`),
  ],
);

export const groupMemberStatusEnum = pgEnum("group_member_status", ["RESERVED", "PAID", "RELEASED", "REFUNDED"]);

/** A person's seat in a group, through one order. One live seat (RESERVED or PAID) per person per group. */
export const groupBuyMembers = pgTable(
  "group_buy_members",
  {
    id: id(),
    groupId: uuid("group_id").notNull().references(() => groupBuys.id),
    userId: uuid("user_id").notNull().references(() => users.id),
    orderId: uuid("order_id").notNull(),
    status: groupMemberStatusEnum("status").notNull().default("RESERVED"),
    /** The invite code carried by the share link the member joined through, if any. */
    joinedVia: uuid("joined_via"),
    paidAt: tstz("paid_at"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("group_buy_members_order_uq").on(t.orderId),
    uniqueIndex("group_buy_members_live_uq").on(t.groupId, t.userId).where(sql`${t.status} in ('RESERVED', 'PAID')`),
    index("group_buy_members_group_idx").on(t.groupId, t.createdAt),
  ],
);
