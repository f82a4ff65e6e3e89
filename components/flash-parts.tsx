/** Flash sale (秒杀) display pieces safe for both server and client components. */
export type FlashState = "UPCOMING" | "ACTIVE" | "SOLD_OUT" | "ENDED";

/** A ShopFlashSale as pages ask for it. */
export type ShopFlashSaleData = {
  id: string;
  productTitle: string;
  skuLabel: string;
  image: string | null;
  flashPrice: { amount: number };
  listPrice: { amount: number };
  perUserLimit: number;
  startsAt: string;
  endsAt: string;
  state: FlashState;
  remaining: number;
  totalStock: number;
};

/** The fields of ShopFlashSaleData, for queries. */
export const SHOP_FLASH_SALE_FIELDS = "id productTitle skuLabel image flashPrice { amount } listPrice { amount } perUserLimit startsAt endsAt state remaining totalStock";

export const FLASH_STATE_TEXT: Record<FlashState, string> = {
  UPCOMING: "即将开始",
  ACTIVE: "抢购中",
  SOLD_OUT: "已抢光",
  ENDED: "已结束",
};

const BADGE_CLASS: Record<FlashState, string> = { UPCOMING: "tag-blue", ACTIVE: "", SOLD_OUT: "tag-gray", ENDED: "tag-gray" };

export function FlashBadge({ state }: { state: FlashState }) {
  return <span className={`tag ${BADGE_CLASS[state]}`} data-testid="flash-state">{FLASH_STATE_TEXT[state]}</span>;
}

/** Share of the units taken (in unpaid or paid orders), rounded down: 100% only when none is left. */
export function takenPercent(remaining: number, totalStock: number): number {
  if (totalStock <= 0) return 0;
  return Math.floor(((totalStock - Math.max(0, remaining)) * 100) / totalStock);
}

export function FlashProgress({ remaining, totalStock }: { remaining: number; totalStock: number }) {
  const pct = takenPercent(remaining, totalStock);
  return (
    <div className="flash-progress" data-testid="flash-progress">
      <div className="flash-bar"><div style={{ width: `${pct}%` }} /></div>
      <span className="muted">已抢 {pct}%</span>
    </div>
  );
}
