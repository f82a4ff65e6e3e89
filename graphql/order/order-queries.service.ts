import { and, asc, desc, eq, inArray, isNull, ne, or, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { groupBuys, orderLines, orders, shipments, stores } from "@/db/schema";

type Window = { offset: number; limit: number };
export type OrderStatusValue = (typeof orders.$inferSelect)["status"];
export type OrderLineRow = typeof orderLines.$inferSelect;

function page(db: Db, where: SQL | undefined, window: Window) {
  return db
    .select()
    .from(orders)
    .where(where)
    .orderBy(desc(orders.createdAt), asc(orders.id))
    .offset(window.offset)
    .limit(window.limit + 1);
}

/** A consumer's own orders. */
export function consumerOrders(db: Db, userId: string, status: OrderStatusValue | null, window: Window) {
  return page(db, and(eq(orders.userId, userId), status ? eq(orders.status, status) : undefined), window);
}

export async function consumerOrder(db: Db, userId: string, orderId: string) {
  const [row] = await db.select().from(orders).where(and(eq(orders.id, orderId), eq(orders.userId, userId)));
  return row ?? null;
}

/** A store's orders (the merchant sees only their own store's). */
export function storeOrders(db: Db, storeId: string, status: OrderStatusValue | null, window: Window) {
  return page(db, and(eq(orders.storeId, storeId), status ? eq(orders.status, status) : undefined), window);
}

export async function storeOrder(db: Db, storeId: string, orderId: string) {
  const [row] = await db.select().from(orders).where(and(eq(orders.id, orderId), eq(orders.storeId, storeId)));
  return row ?? null;
}

export type ShipmentStatusValue = (typeof shipments.$inferSelect)["status"];

/** A supplier's shipments of paid orders. */
export async function supplierShipments(db: Db, supplierId: string, status: ShipmentStatusValue | null, window: Window) {
  // A shipment of an order refunded in full before shipping has nothing left to ship; one of a
  // group (拼团) that has not succeeded yet is held back until it does.
  const rows = await db
    .select({ shipment: shipments })
    .from(shipments)
    .innerJoin(orders, eq(orders.id, shipments.orderId))
    .leftJoin(groupBuys, eq(groupBuys.id, orders.groupBuyId))
    .where(and(eq(shipments.supplierId, supplierId), ne(orders.status, "CANCELLED"), notHeldByGroup, status ? eq(shipments.status, status) : undefined))
    .orderBy(desc(shipments.createdAt), asc(shipments.id))
    .offset(window.offset)
    .limit(window.limit + 1);
  return rows.map((r) => r.shipment);
}

export async function supplierShipment(db: Db, supplierId: string, shipmentId: string) {
  const [row] = await db
    .select({ shipment: shipments })
    .from(shipments)
    .innerJoin(orders, eq(orders.id, shipments.orderId))
    .leftJoin(groupBuys, eq(groupBuys.id, orders.groupBuyId))
    .where(and(eq(shipments.id, shipmentId), eq(shipments.supplierId, supplierId), notHeldByGroup));
  return row?.shipment ?? null;
}

/** Not an order of a group (拼团) that has yet to succeed (with group_buys left-joined on the order). */
const notHeldByGroup = or(isNull(orders.groupBuyId), eq(groupBuys.status, "SUCCEEDED"));

/** Loader batch functions. */
export async function linesByOrderIds(db: Db, ids: readonly string[]) {
  const rows = await db.select().from(orderLines).where(inArray(orderLines.orderId, [...ids])).orderBy(orderLines.lineNo);
  return ids.map((id) => rows.filter((r) => r.orderId === id));
}

export async function linesByShipmentIds(db: Db, ids: readonly string[]) {
  const rows = await db.select().from(orderLines).where(inArray(orderLines.shipmentId, [...ids])).orderBy(orderLines.lineNo);
  return ids.map((id) => rows.filter((r) => r.shipmentId === id));
}

export async function shipmentsByOrderIds(db: Db, ids: readonly string[]) {
  const rows = await db.select().from(shipments).where(inArray(shipments.orderId, [...ids])).orderBy(shipments.createdAt);
  return ids.map((id) => rows.filter((r) => r.orderId === id));
}

export async function ordersByIds(db: Db, ids: readonly string[]) {
  const rows = await db.select().from(orders).where(inArray(orders.id, [...ids]));
  return ids.map((id) => rows.find((r) => r.id === id) ?? null);
}

export async function storesByIds(db: Db, ids: readonly string[]) {
  const rows = await db.select().from(stores).where(inArray(stores.id, [...ids]));
  return ids.map((id) => rows.find((r) => r.id === id) ?? null);
}
