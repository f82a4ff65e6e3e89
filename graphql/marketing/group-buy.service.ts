import { createHash } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { addresses, groupBuyMembers, groupBuyOffers, groupBuys, listingPrices, listings, skus, stores } from "@/db/schema";
import { DomainError } from "../core/errors";
import { isUuid } from "../core/ids";
import { enqueueJob } from "../platform/jobs";
import { readEconomics } from "../platform/settings";
import { isUniqueViolation, withTxRetry } from "../platform/retry";
import { minimumRetailPrice } from "../store/store.rules";
import { inviterOfCode } from "../referral/binding.service";
import { DuplicateKey, existingByKey, priceItems, reserveStock, writeOrder, type OrderRow } from "../order/checkout.service";
import { PAYMENT_WINDOW_MS, isValidIdempotencyKey, quoteOrder } from "../order/order.rules";
import {
  GroupBuyOfferErrorCode,
  GroupOrderErrorCode,
  MAX_GROUP_QUANTITY,
  checkGroupBuyOffer,
  groupDeadline,
  groupOrderExpiry,
  joinRefusal,
  offerState,
} from "./group-buy.rules";

type Ctx = { db: Db; now: Date };
export type GroupBuyOfferRow = typeof groupBuyOffers.$inferSelect;
export type GroupBuyRow = typeof groupBuys.$inferSelect;

const offerError = (code: keyof typeof GroupBuyOfferErrorCode, message: string, field: string | null = null) => new DomainError(code, message, field);
const orderError = (code: keyof typeof GroupOrderErrorCode, message: string, field: string | null = null) => new DomainError(code, message, field);

/** The merchant offers one SKU of their own store's listing for groups (拼团). Nothing is written on bad input. */
export async function createGroupBuyOffer(
  ctx: Ctx,
  storeId: string,
  userId: string,
  input: { skuId: string; groupPrice: number; groupSize: number; timeLimitMinutes: number; startsAt: Date; endsAt: Date },
): Promise<GroupBuyOfferRow> {
  if (!isUuid(input.skuId)) throw offerError("LISTING_NOT_FOUND", "店铺没有在售该规格", "skuId");
  const economics = await readEconomics(ctx.db, ctx.now);
  const [offered] = await ctx.db
    .select({ supplyPrice: skus.supplyPrice, listingId: listings.id, listPrice: listingPrices.retailPrice })
    .from(skus)
    .innerJoin(listings, and(eq(listings.productId, skus.productId), eq(listings.storeId, storeId), eq(listings.status, "ON_SHELF")))
    .innerJoin(listingPrices, and(eq(listingPrices.listingId, listings.id), eq(listingPrices.skuId, skus.id)))
    .where(eq(skus.id, input.skuId));
  if (!offered) throw offerError("LISTING_NOT_FOUND", "店铺没有在售该规格", "skuId");
  const problem = checkGroupBuyOffer({
    ...input,
    listPrice: offered.listPrice,
    minimumPrice: minimumRetailPrice(offered.supplyPrice, economics),
    now: ctx.now,
  });
  if (problem) throw offerError(problem.code, problem.message, problem.field);
  const [offer] = await ctx.db
    .insert(groupBuyOffers)
    .values({ storeId, listingId: offered.listingId, skuId: input.skuId, groupPrice: input.groupPrice, groupSize: input.groupSize, timeLimitMinutes: input.timeLimitMinutes, startsAt: input.startsAt, endsAt: input.endsAt, createdBy: userId, createdAt: ctx.now })
    .returning();
  return offer;
}

/** The merchant stops an offer: no new groups; groups already open run to their deadline. */
export async function disableGroupBuyOffer(ctx: Ctx, storeId: string, offerId: string): Promise<GroupBuyOfferRow> {
  if (!isUuid(offerId)) throw offerError("OFFER_NOT_FOUND", "拼团活动不存在", "id");
  const [offer] = await ctx.db.select().from(groupBuyOffers).where(and(eq(groupBuyOffers.id, offerId), eq(groupBuyOffers.storeId, storeId)));
  if (!offer) throw offerError("OFFER_NOT_FOUND", "拼团活动不存在", "id");
  const [disabled] = await ctx.db
    .update(groupBuyOffers)
    .set({ disabledAt: ctx.now })
    .where(and(eq(groupBuyOffers.id, offer.id), isNull(groupBuyOffers.disabledAt)))
    .returning();
  if (!disabled) throw offerError("ALREADY_DISABLED", "活动已停止", "id");
  return disabled;
}

export type GroupOrderInput = { quantity: number; addressId: string; idempotencyKey: string };
export type GroupOrderResult = { order: OrderRow; groupBuyId: string };

function requestHashOf(kind: "open" | "join", target: string, input: GroupOrderInput): string {
  return createHash("sha256").update(JSON.stringify(["group", kind, target, input.quantity, input.addressId])).digest("hex");
}

/** The checks both opening and joining make before their transaction; an idempotent replay returns early. */
async function prepare(ctx: Ctx, userId: string, input: GroupOrderInput, hash: string) {
  if (!isValidIdempotencyKey(input.idempotencyKey)) throw orderError("INVALID_IDEMPOTENCY_KEY", "请求编号需为 8–64 位字母数字", "idempotencyKey");
  const replay = await existingByKey(ctx.db, userId, input.idempotencyKey, hash).catch((e) => {
    if (e instanceof DomainError && e.code === "IDEMPOTENCY_KEY_REUSED") throw orderError("IDEMPOTENCY_KEY_REUSED", e.message, "idempotencyKey");
    throw e;
  });
  if (replay) return { replay };
  if (!Number.isInteger(input.quantity) || input.quantity < 1 || input.quantity > MAX_GROUP_QUANTITY) {
    throw orderError("INVALID_QUANTITY", `每人每团限购 ${MAX_GROUP_QUANTITY} 件`, "quantity");
  }
  if (!isUuid(input.addressId)) throw orderError("ADDRESS_NOT_FOUND", "收货地址不存在", "addressId");
  const [address] = await ctx.db
    .select()
    .from(addresses)
    .where(and(eq(addresses.id, input.addressId), eq(addresses.userId, userId), isNull(addresses.deletedAt)));
  if (!address) throw orderError("ADDRESS_NOT_FOUND", "收货地址不存在", "addressId");
  return { replay: null, address };
}

/** Prices one SKU at the group price from the store's current listing (the listing must still be on the shelf). */
async function priceGroupLine(ctx: Ctx, offer: GroupBuyOfferRow, quantity: number) {
  const [store] = await ctx.db.select({ slug: stores.slug }).from(stores).where(eq(stores.id, offer.storeId));
  const priced = await priceItems(ctx.db, store.slug, [{ skuId: offer.skuId, quantity }]).catch((e) => {
    if (e instanceof DomainError) throw orderError("OFFER_NOT_FOUND", "商品已下架", "offerId");
    throw e;
  });
  const line = priced.quote.lines[0];
  const quote = quoteOrder(
    [{ skuId: line.skuId, supplierId: line.supplierId, unitPrice: line.unitPrice, unitSupplyPrice: line.unitSupplyPrice, quantity, groupPrice: offer.groupPrice }],
    "GROUP",
  );
  const { platformFeeBp } = await readEconomics(ctx.db, ctx.now);
  return { priced, quote, platformFeeBp };
}

/**
 * Runs a group order's transaction; a concurrent twin with the same key returns the winner's order,
 * and a second live seat of the same person in one group (the partial unique index) is answered
 * GROUP_ALREADY_JOINED — after the rollback, since a failed statement ends the transaction.
 */
async function inGroupTransaction(ctx: Ctx, userId: string, key: string, hash: string, fn: () => Promise<GroupOrderResult>): Promise<GroupOrderResult> {
  try {
    return await withTxRetry(fn);
  } catch (e) {
    if (e instanceof DuplicateKey) {
      const winner = await existingByKey(ctx.db, userId, key, hash);
      if (winner) return { order: winner, groupBuyId: winner.groupBuyId! };
    }
    if (isUniqueViolation(e)) throw orderError("GROUP_ALREADY_JOINED", "你已在这个团里", "groupBuyId");
    throw e;
  }
}

/** Stock for the seat, like a regular order: SOLD_OUT when the SKU has not enough left. */
async function reserveUnits(tx: Db, skuId: string, quantity: number) {
  await reserveStock(tx, [{ skuId, quantity }]).catch((e) => {
    if (e instanceof DomainError && e.code === "SOLD_OUT") throw orderError("SOLD_OUT", "库存不足，商品已售罄", "quantity");
    throw e;
  });
}

/**
 * 发起拼团: in ONE transaction, a new group (the buyer leads it, deadline = now + the offer's time
 * limit), its first seat (RESERVED until paid), the SKU's units and the GROUP-channel order, plus
 * the expiry job at the deadline. Others can join once the leader has paid.
 */
export async function openGroupBuy(ctx: Ctx, userId: string, input: GroupOrderInput & { offerId: string }): Promise<GroupOrderResult> {
  const hash = requestHashOf("open", input.offerId, input);
  const prep = await prepare(ctx, userId, input, hash);
  if (prep.replay) return { order: prep.replay, groupBuyId: prep.replay.groupBuyId! };
  if (!isUuid(input.offerId)) throw orderError("OFFER_NOT_FOUND", "拼团活动不存在", "offerId");
  const [offer] = await ctx.db.select().from(groupBuyOffers).where(eq(groupBuyOffers.id, input.offerId));
  if (!offer) throw orderError("OFFER_NOT_FOUND", "拼团活动不存在", "offerId");
  const state = offerState(offer, ctx.now);
  if (state !== "ACTIVE") throw orderError("OFFER_NOT_ACTIVE", state === "UPCOMING" ? "拼团活动尚未开始" : "拼团活动已结束", "offerId");
  const { priced, quote, platformFeeBp } = await priceGroupLine(ctx, offer, input.quantity);
  const deadline = groupDeadline(ctx.now, offer.timeLimitMinutes);

  return inGroupTransaction(ctx, userId, input.idempotencyKey, hash, () =>
    ctx.db.transaction(async (tx) => {
      const [group] = await tx
        .insert(groupBuys)
        .values({ offerId: offer.id, leaderId: userId, groupSize: offer.groupSize, seatsTaken: 1, deadline, createdAt: ctx.now })
        .returning();
      const order = await writeGroupOrder(tx, { ctx, userId, address: prep.address!, priced, quote, platformFeeBp, input, hash, groupId: group.id, deadline }, async (orderId) => {
        await reserveUnits(tx, offer.skuId, input.quantity);
        await tx.insert(groupBuyMembers).values({ groupId: group.id, userId, orderId, createdAt: ctx.now });
      });
      await enqueueJob(tx, { kind: "group.expire", payload: { groupBuyId: group.id }, runAt: deadline, dedupeKey: `group.expire:${group.id}`, now: ctx.now });
      return { order, groupBuyId: group.id };
    }),
  );
}

/**
 * 参团: takes a seat with ONE conditional UPDATE — only while the group is open, before its
 * deadline, its leader has paid, and a seat is free — so racing for the last seat never makes a
 * group of N+1: the losers' UPDATE matches no row and they are told GROUP_FULL (or GROUP_CLOSED).
 * The seat, the units and the order commit together or not at all. `inviteCode` is the code the
 * share link carried (recorded on the seat; binding itself happens at registration).
 */
export async function joinGroupBuy(ctx: Ctx, userId: string, input: GroupOrderInput & { groupBuyId: string; inviteCode?: string | null }): Promise<GroupOrderResult> {
  const hash = requestHashOf("join", input.groupBuyId, input);
  const prep = await prepare(ctx, userId, input, hash);
  if (prep.replay) return { order: prep.replay, groupBuyId: prep.replay.groupBuyId! };
  if (!isUuid(input.groupBuyId)) throw orderError("GROUP_NOT_FOUND", "拼团不存在", "groupBuyId");
  const [found] = await ctx.db
    .select({ group: groupBuys, offer: groupBuyOffers })
    .from(groupBuys)
    .innerJoin(groupBuyOffers, eq(groupBuyOffers.id, groupBuys.offerId))
    .where(eq(groupBuys.id, input.groupBuyId));
  if (!found) throw orderError("GROUP_NOT_FOUND", "拼团不存在", "groupBuyId");
  const { group, offer } = found;
  const [mine] = await ctx.db
    .select({ id: groupBuyMembers.id })
    .from(groupBuyMembers)
    .where(and(eq(groupBuyMembers.groupId, group.id), eq(groupBuyMembers.userId, userId), sql`${groupBuyMembers.status} in ('RESERVED', 'PAID')`));
  if (mine) throw orderError("GROUP_ALREADY_JOINED", "你已在这个团里", "groupBuyId");
  const refusal = joinRefusal(group, ctx.now);
  if (refusal) throw refusedSeat(refusal);
  const { priced, quote, platformFeeBp } = await priceGroupLine(ctx, offer, input.quantity);
  const via = input.inviteCode && /^[A-Za-z0-9]{4,16}$/.test(input.inviteCode) ? await inviterOfCode(ctx.db, input.inviteCode) : null;

  return inGroupTransaction(ctx, userId, input.idempotencyKey, hash, () =>
    ctx.db.transaction(async (tx) => {
      const order = await writeGroupOrder(tx, { ctx, userId, address: prep.address!, priced, quote, platformFeeBp, input, hash, groupId: group.id, deadline: group.deadline }, async (orderId) => {
          const taken = await tx
            .update(groupBuys)
            .set({ seatsTaken: sql`${groupBuys.seatsTaken} + 1` })
            .where(
              and(
                eq(groupBuys.id, group.id),
                eq(groupBuys.status, "OPEN"),
                sql`${groupBuys.seatsTaken} < ${groupBuys.groupSize}`,
                sql`${groupBuys.paidCount} > 0`,
                sql`${groupBuys.deadline} > ${ctx.now.toISOString()}::timestamptz`,
              ),
            )
            .returning({ id: groupBuys.id });
          if (!taken.length) {
            const [now] = await tx.select().from(groupBuys).where(eq(groupBuys.id, group.id));
            throw refusedSeat(joinRefusal(now, ctx.now) ?? "GROUP_FULL");
          }
          await reserveUnits(tx, offer.skuId, input.quantity);
          await tx.insert(groupBuyMembers).values({ groupId: group.id, userId, orderId, joinedVia: via !== userId ? via : null, createdAt: ctx.now });
      });
      return { order, groupBuyId: group.id };
    }),
  );
}

/** A GROUP-channel order through the one order writer; `takeSeat` reserves the seat and units inside it. */
function writeGroupOrder(
  tx: Db,
  o: {
    ctx: Ctx;
    userId: string;
    address: Parameters<typeof writeOrder>[1]["address"];
    priced: Awaited<ReturnType<typeof priceGroupLine>>["priced"];
    quote: Awaited<ReturnType<typeof priceGroupLine>>["quote"];
    platformFeeBp: number;
    input: GroupOrderInput;
    hash: string;
    groupId: string;
    deadline: Date;
  },
  takeSeat: (orderId: string) => Promise<void>,
) {
  return writeOrder(tx, {
    userId: o.userId,
    store: o.priced.store,
    address: o.address,
    quote: o.quote,
    bySku: o.priced.bySku,
    channel: "GROUP",
    groupBuyId: o.groupId,
    platformFeeBp: o.platformFeeBp,
    idempotencyKey: o.input.idempotencyKey,
    requestHash: o.hash,
    // An unpaid seat is freed by the deadline at the latest.
    expiresAt: groupOrderExpiry(o.ctx.now, o.deadline, PAYMENT_WINDOW_MS),
    now: o.ctx.now,
    reserve: async (orderId) => {
      await takeSeat(orderId);
      return new Map();
    },
  });
}

function refusedSeat(code: "GROUP_FULL" | "GROUP_CLOSED") {
  return code === "GROUP_FULL" ? orderError("GROUP_FULL", "这个团已满员，去开个新团吧", "groupBuyId") : orderError("GROUP_CLOSED", "这个团已结束或暂不能参加", "groupBuyId");
}
