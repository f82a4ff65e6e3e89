import { and, asc, desc, eq, inArray, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { afterSaleLines, afterSales, orderLines, orders, refunds } from "@/db/schema";
import type { AfterSaleRow, RefundRow } from "./aftersale-refund.service";

type Window = { offset: number; limit: number };

/** True while the order has an after-sale not yet decided or not yet refunded (REQUESTED or APPROVED). */
export async function hasOpenAfterSale(db: Db, orderId: string): Promise<boolean> {
  const [open] = await db
    .select({ id: afterSales.id })
    .from(afterSales)
    .where(and(eq(afterSales.orderId, orderId), inArray(afterSales.status, ["REQUESTED", "APPROVED"])))
    .limit(1);
  return !!open;
}
export type AfterSaleStatusValue = AfterSaleRow["status"];

/** An after-sale with everything its views show, loaded for a whole page in a fixed number of queries. */
export type AfterSaleView = {
  row: AfterSaleRow;
  orderNo: string;
  lines: { orderLineId: string; title: string; skuLabel: string; amount: number }[];
  refund: RefundRow | null;
};

function page(db: Db, where: SQL | undefined, window: Window) {
  return db
    .select()
    .from(afterSales)
    .where(where)
    .orderBy(desc(afterSales.createdAt), asc(afterSales.id))
    .offset(window.offset)
    .limit(window.limit + 1);
}

/** Lines, refund and order number for a page of after-sales: three queries whatever the page size. */
async function withDetails(db: Db, rows: AfterSaleRow[]): Promise<AfterSaleView[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const [lines, refundRows, orderRows] = await Promise.all([
    db
      .select({ afterSaleId: afterSaleLines.afterSaleId, orderLineId: afterSaleLines.orderLineId, amount: afterSaleLines.amount, title: orderLines.productTitle, skuLabel: orderLines.skuLabel, lineNo: orderLines.lineNo })
      .from(afterSaleLines)
      .innerJoin(orderLines, eq(orderLines.id, afterSaleLines.orderLineId))
      .where(inArray(afterSaleLines.afterSaleId, ids))
      .orderBy(asc(orderLines.lineNo)),
    db.select().from(refunds).where(inArray(refunds.afterSaleId, ids)),
    db.select({ id: orders.id, orderNo: orders.orderNo }).from(orders).where(inArray(orders.id, [...new Set(rows.map((r) => r.orderId))])),
  ]);
  const orderNoOf = new Map(orderRows.map((o) => [o.id, o.orderNo]));
  return rows.map((row) => ({
    row,
    orderNo: orderNoOf.get(row.orderId)!,
    lines: lines.filter((l) => l.afterSaleId === row.id).map(({ orderLineId, title, skuLabel, amount }) => ({ orderLineId, title, skuLabel, amount })),
    refund: refundRows.find((r) => r.afterSaleId === row.id) ?? null,
  }));
}

/** The consumer's own after-sales, newest first, optionally of one order. */
export async function consumerAfterSales(db: Db, userId: string, orderId: string | null, window: Window) {
  return withDetails(db, await page(db, and(eq(afterSales.userId, userId), orderId ? eq(afterSales.orderId, orderId) : undefined), window));
}

/** A store's after-sales (the merchant sees only their own store's), newest first. */
export async function storeAfterSales(db: Db, storeId: string, status: AfterSaleStatusValue | null, window: Window) {
  return withDetails(db, await page(db, and(eq(afterSales.storeId, storeId), status ? eq(afterSales.status, status) : undefined), window));
}

/** One after-sale with its details (after a mutation). */
export async function afterSaleView(db: Db, id: string): Promise<AfterSaleView> {
  const rows = await db.select().from(afterSales).where(eq(afterSales.id, id));
  return (await withDetails(db, rows))[0];
}
