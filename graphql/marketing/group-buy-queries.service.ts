import { and, asc, desc, eq, gt, inArray, isNull, lte, sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { groupBuyMembers, groupBuyOffers, groupBuys, listingPrices, listings, products, skus, stores, users } from "@/db/schema";
import { JOINABLE_SHOWN } from "./group-buy.rules";

type Window = { offset: number; limit: number };

/** An offer with what a page shows about it: product, SKU label, image, the store's list price and slug. */
function withProduct(db: Db) {
  return db
    .select({
      offer: groupBuyOffers,
      title: products.title,
      productId: products.id,
      imageKeys: products.imageKeys,
      skuLabel: skus.label,
      listPrice: listingPrices.retailPrice,
      storeSlug: stores.slug,
    })
    .from(groupBuyOffers)
    .innerJoin(skus, eq(skus.id, groupBuyOffers.skuId))
    .innerJoin(products, eq(products.id, skus.productId))
    .innerJoin(stores, eq(stores.id, groupBuyOffers.storeId))
    .innerJoin(listingPrices, and(eq(listingPrices.listingId, groupBuyOffers.listingId), eq(listingPrices.skuId, groupBuyOffers.skuId)));
}

export type GroupBuyOfferView = NonNullable<Awaited<ReturnType<typeof offerView>>>;

export async function offerView(db: Db, offerId: string) {
  const [row] = await withProduct(db).where(eq(groupBuyOffers.id, offerId));
  return row ?? null;
}

/** A store's offers running now, optionally for one shop product (a listing id: the product page), on-shelf listings only. */
export async function activeOffers(db: Db, storeSlug: string, productId: string | null, now: Date) {
  return withProduct(db)
    .innerJoin(listings, eq(listings.id, groupBuyOffers.listingId))
    .where(
      and(
        eq(stores.slug, storeSlug),
        productId ? eq(groupBuyOffers.listingId, productId.toLowerCase()) : undefined,
        eq(listings.status, "ON_SHELF"),
        isNull(groupBuyOffers.disabledAt),
        lte(groupBuyOffers.startsAt, now),
        gt(groupBuyOffers.endsAt, now),
      ),
    )
    .orderBy(asc(groupBuyOffers.endsAt), asc(groupBuyOffers.id))
    .limit(20);
}

export function merchantOffers(db: Db, storeId: string, window: Window) {
  return withProduct(db)
    .where(eq(groupBuyOffers.storeId, storeId))
    .orderBy(desc(groupBuyOffers.createdAt), desc(groupBuyOffers.id))
    .offset(window.offset)
    .limit(window.limit + 1);
}

export type GroupRow = typeof groupBuys.$inferSelect;
export type GroupWithLeader = { group: GroupRow; leaderName: string };

/**
 * Groups people can join now, per offer (the soonest deadline first, at most JOINABLE_SHOWN each):
 * open, leader paid, before the deadline, a seat free. One short query per offer (a page shows a few
 * offers; the pages call this with at most 20), each along group_buys_offer_idx.
 */
export async function joinableGroups(db: Db, offerIds: string[], now: Date): Promise<Map<string, GroupWithLeader[]>> {
  const lists = await Promise.all(
    offerIds.slice(0, 20).map((offerId) =>
      db
        .select({ group: groupBuys, leaderName: users.nickname })
        .from(groupBuys)
        .innerJoin(users, eq(users.id, groupBuys.leaderId))
        .where(
          and(
            eq(groupBuys.offerId, offerId),
            eq(groupBuys.status, "OPEN"),
            gt(groupBuys.deadline, now),
            sql`${groupBuys.paidCount} > 0`,
            sql`${groupBuys.seatsTaken} < ${groupBuys.groupSize}`,
          ),
        )
        .orderBy(asc(groupBuys.deadline), asc(groupBuys.id))
        .limit(JOINABLE_SHOWN),
    ),
  );
  return new Map(offerIds.slice(0, 20).map((id, i) => [id, lists[i]]));
}

export async function groupById(db: Db, groupId: string): Promise<GroupRow | null> {
  const [row] = await db.select().from(groupBuys).where(eq(groupBuys.id, groupId));
  return row ?? null;
}

export type MemberView = { userId: string; nickname: string; status: string; orderId: string; createdAt: Date };

/** The people of a group who hold or held a seat (released seats are not shown), in joining order. */
export async function membersOf(db: Db, groupId: string): Promise<MemberView[]> {
  return db
    .select({ userId: groupBuyMembers.userId, nickname: users.nickname, status: groupBuyMembers.status, orderId: groupBuyMembers.orderId, createdAt: groupBuyMembers.createdAt })
    .from(groupBuyMembers)
    .innerJoin(users, eq(users.id, groupBuyMembers.userId))
    .where(and(eq(groupBuyMembers.groupId, groupId), inArray(groupBuyMembers.status, ["RESERVED", "PAID", "REFUNDED"])))
    .orderBy(asc(groupBuyMembers.createdAt), asc(groupBuyMembers.id));
}

/** Groups by id with their store's slug (order pages link to the group). */
export async function groupsByIds(db: Db, ids: readonly string[]) {
  const rows = ids.length
    ? await db
        .select({ group: groupBuys, storeSlug: stores.slug })
        .from(groupBuys)
        .innerJoin(groupBuyOffers, eq(groupBuyOffers.id, groupBuys.offerId))
        .innerJoin(stores, eq(stores.id, groupBuyOffers.storeId))
        .where(inArray(groupBuys.id, [...ids]))
    : [];
  return ids.map((id) => rows.find((r) => r.group.id === id) ?? null);
}

export type OfferCounters = { groupsOpen: number; groupsSucceeded: number; groupsFailed: number; seatsTaken: number; paidMembers: number; gmv: number };
const ZERO: OfferCounters = { groupsOpen: 0, groupsSucceeded: 0, groupsFailed: 0, seatsTaken: 0, paidMembers: 0, gmv: 0 };

/**
 * Live counters per offer: groups open / succeeded / failed, seats held in open groups, paid seats
 * (in open and succeeded groups), and GMV — what buyers paid in succeeded groups, less refunds.
 */
export async function offerCounters(db: Db, offerIds: string[]): Promise<Map<string, OfferCounters>> {
  if (!offerIds.length) return new Map();
  const ids = sql.join(offerIds.map((id) => sql`${id}::uuid`), sql`, `);
  const rows = rowsOf<{ id: string; open: number; succeeded: number; failed: number; seats: number; paid: number; gmv: number }>(
    await db.execute(sql`
      select o.id,
        (select count(*) from group_buys g where g.offer_id = o.id and g.status = 'OPEN')::int as open,
        (select count(*) from group_buys g where g.offer_id = o.id and g.status = 'SUCCEEDED')::int as succeeded,
        (select count(*) from group_buys g where g.offer_id = o.id and g.status = 'FAILED')::int as failed,
        (select coalesce(sum(g.seats_taken), 0) from group_buys g where g.offer_id = o.id and g.status = 'OPEN')::int as seats,
        (select count(*) from group_buy_members m join group_buys g on g.id = m.group_id where g.offer_id = o.id and g.status <> 'FAILED' and m.status = 'PAID')::int as paid,
        (select coalesce(sum(r.total_amount - coalesce((select sum(l.refunded_amount) from order_lines l where l.order_id = r.id), 0)), 0)
           from orders r join group_buys g on g.id = r.group_buy_id
           where g.offer_id = o.id and g.status = 'SUCCEEDED' and r.status in ('PAID', 'SHIPPED', 'COMPLETED'))::bigint as gmv
      from group_buy_offers o where o.id in (${ids})`),
  );
  return new Map(
    offerIds.map((id) => {
      const r = rows.find((x) => x.id === id);
      return [id, r ? { groupsOpen: Number(r.open), groupsSucceeded: Number(r.succeeded), groupsFailed: Number(r.failed), seatsTaken: Number(r.seats), paidMembers: Number(r.paid), gmv: Number(r.gmv) } : ZERO];
    }),
  );
}

/** An offer's groups for the merchant, newest first. */
export function merchantGroups(db: Db, storeId: string, offerId: string, window: Window) {
  return db
    .select({ group: groupBuys, leaderName: users.nickname })
    .from(groupBuys)
    .innerJoin(groupBuyOffers, eq(groupBuyOffers.id, groupBuys.offerId))
    .innerJoin(users, eq(users.id, groupBuys.leaderId))
    .where(and(eq(groupBuys.offerId, offerId), eq(groupBuyOffers.storeId, storeId)))
    .orderBy(desc(groupBuys.createdAt), desc(groupBuys.id))
    .offset(window.offset)
    .limit(window.limit + 1);
}
