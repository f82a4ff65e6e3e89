/**
 * In-process memory of sold-out flash sales: once a sale is known to be empty, later buyers in this
 * process are answered SOLD_OUT without a single database read. Entries expire after a few seconds
 * of the application clock,
 * so a release (an unpaid order expiring) reopens the sale for everyone soon after; another app
 * instance learns it from `flash_sales.sold_out_at`, read once per request.
 */
const TTL_MS = 3_000;

class SoldOutCache {
  private readonly until = new Map<string, number>();

  mark(saleId: string, now: Date) {
    this.until.set(saleId, now.getTime() + TTL_MS);
  }

  forget(saleId: string) {
    this.until.delete(saleId);
  }

  isSoldOut(saleId: string, now: Date): boolean {
    const until = this.until.get(saleId);
    if (until === undefined) return false;
    if (until < now.getTime()) {
      this.until.delete(saleId);
      return false;
    }
    return true;
  }
}

export const soldOutCache = new SoldOutCache();
