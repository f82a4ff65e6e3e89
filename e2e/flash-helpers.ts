import { expect, type Page } from "@playwright/test";

/** A SKU of the signed-in merchant's store that can go on a flash sale now. */
export type FlashSku = { skuId: string; title: string; label: string; listPrice: number; minPrice: number; stock: number };

const SKUS = `{
  merchantListings(first: 100) { nodes { status title skus { skuId label retailPrice { amount } minRetailPrice { amount } stock } } }
  merchantFlashSales(first: 100) { nodes { skuId state } }
}`;

/** Calls /api/graphql with the page's session (a JSON post, as the browser does). */
export async function gql<T>(page: Page, query: string, variables?: Record<string, unknown>): Promise<T> {
  const res = await page.request.post("/api/graphql", { data: { query, variables } });
  expect(res.ok()).toBe(true);
  const body = (await res.json()) as { data: T; errors?: unknown[] };
  expect(body.errors ?? []).toEqual([]);
  return body.data;
}

/**
 * An on-shelf SKU of the merchant's store with no sale that is not over, room between its floor and
 * its price, and enough stock.
 */
export async function pickFlashSku(page: Page, minStock = 20): Promise<FlashSku> {
  type Data = {
    merchantListings: { nodes: { status: string; title: string; skus: { skuId: string; label: string; retailPrice: { amount: number }; minRetailPrice: { amount: number }; stock: number }[] }[] };
    merchantFlashSales: { nodes: { skuId: string; state: string }[] };
  };
  const d = await gql<Data>(page, SKUS);
  const taken = new Set(d.merchantFlashSales.nodes.filter((s) => s.state !== "ENDED").map((s) => s.skuId));
  const sku = d.merchantListings.nodes
    .filter((l) => l.status === "ON_SHELF")
    .flatMap((l) => l.skus.map((s) => ({ skuId: s.skuId, title: l.title, label: s.label, listPrice: s.retailPrice.amount, minPrice: s.minRetailPrice.amount, stock: s.stock })))
    .find((s) => !taken.has(s.skuId) && s.listPrice - s.minPrice >= 100 && s.stock >= minStock);
  expect(sku, "a SKU that can go on a flash sale").toBeTruthy();
  return sku!;
}

/** The application clock (it may run ahead of this machine's in development). */
export async function appNow(page: Page): Promise<number> {
  const res = await page.request.get("/api/dev/clock");
  expect(res.ok()).toBe(true);
  return Date.parse(((await res.json()) as { now: string }).now);
}

export const yuan = (fen: number) => (fen / 100).toFixed(2);
