import type { Economics } from "../platform/settings";
import { bpCeil } from "../platform/money";

export const ListingErrorCode = {
  PRICE_BELOW_MINIMUM: "PRICE_BELOW_MINIMUM",
  INVALID_PRICE: "INVALID_PRICE",
  MISSING_SKU_PRICE: "MISSING_SKU_PRICE",
  UNKNOWN_SKU: "UNKNOWN_SKU",
  ALREADY_LISTED: "ALREADY_LISTED",
  PRODUCT_NOT_FOUND: "PRODUCT_NOT_FOUND",
  LISTING_NOT_FOUND: "LISTING_NOT_FOUND",
} as const;

/**
 * A retail price R is acceptable when the margin covers the largest commission the rule set may
 * pay plus the platform fee, both rounded up:  R − supply ≥ ⌈R·cap⌉ + ⌈R·fee⌉.  Then every paid
 * order splits exactly into supplier + fee + commissions + merchant payable ≥ 0.
 */
export function priceLeavesRequiredMargin(retail: number, supply: number, e: Economics): boolean {
  return retail - supply >= bpCeil(retail, e.commissionCapBp) + bpCeil(retail, e.platformFeeBp);
}

/**
 * The lowest acceptable retail price for a supply price: every price from it upwards leaves the
 * required margin. (The two roundings up can make a price one fen above a passing price fail, so
 * the first passing price is not enough.) Above (supply + 2) / (1 − cap − fee) the margin always
 * suffices, since ⌈x⌉ < x + 1; walk down from there while the next lower price still passes.
 */
export function minimumRetailPrice(supply: number, e: Economics): number {
  const keep = 10_000 - e.commissionCapBp - e.platformFeeBp;
  if (keep <= 0) throw new Error("economics leave no room for the supplier");
  let r = Math.ceil(((supply + 2) * 10_000) / keep);
  while (priceLeavesRequiredMargin(r - 1, supply, e)) r--;
  return r;
}

export type PriceCheck = { skuId: string; retailPrice: number; supplyPrice: number };
export type PriceViolation = { code: keyof typeof ListingErrorCode; message: string; field: string };

/** Checks a merchant's price per SKU; the first violation wins. */
export function checkListingPrices(prices: PriceCheck[], e: Economics): PriceViolation | null {
  for (const [i, p] of prices.entries()) {
    if (!Number.isSafeInteger(p.retailPrice) || p.retailPrice <= 0 || p.retailPrice > 10_000_000_00) {
      return { code: "INVALID_PRICE", message: "售价必须是大于 0 的金额", field: `prices.${i}.retailPrice` };
    }
    const min = minimumRetailPrice(p.supplyPrice, e);
    if (p.retailPrice < min) {
      return {
        code: "PRICE_BELOW_MINIMUM",
        message: `售价过低：至少 ¥${(min / 100).toFixed(2)}，需覆盖佣金上限与平台服务费`,
        field: `prices.${i}.retailPrice`,
      };
    }
  }
  return null;
}
