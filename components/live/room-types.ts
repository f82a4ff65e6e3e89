/** The room as the browser holds it: what `shopLive` returned, kept current by the room's events. */
export type RoomSku = { skuId: string; label: string; listPrice: { amount: number }; livePrice: { amount: number } | null; inStock: boolean; perUserLimit: number | null };
export type RoomProduct = { productId: string; shopProductId: string; title: string; image: string | null; onShelf: boolean; soldOut: boolean; skus: RoomSku[] };
export type RoomComment = { id: string; nickname: string; body: string; status: string; pinned: boolean };
export type RoomChapter = { productId: string; title: string; startMs: number; endMs: number };

/** What every room's shelf item has, sales or training: what the room's events change. */
export type RoomShelfBase = { productId: string; onShelf: boolean; soldOut?: boolean; skus: { skuId: string; inStock: boolean; livePrice?: { amount: number } | null }[] };

/** The part of a room (sales or training) its event stream keeps current. */
export type RoomBase<P extends RoomShelfBase = RoomShelfBase> = {
  id: string;
  status: string;
  pinnedProductId: string | null;
  shelf: P[];
  comments: RoomComment[];
  likeCount: number;
  endReason: string | null;
  announcement: string | null;
  /** 全员禁言 (absent in older data: off). */
  commentsMuted?: boolean;
};

export type ShopLiveData = {
  id: string;
  title: string;
  status: string;
  hostName: string;
  storeSlug: string | null;
  cover: string | null;
  scheduledAt: string;
  startedAt: string | null;
  endedAt: string | null;
  videoUrl: string | null;
  likeCount: number;
  pinnedProductId: string | null;
  shelf: RoomProduct[];
  comments: RoomComment[];
  chapters: RoomChapter[];
  reservedByMe: boolean;
  endReason: string | null;
  replayHidden: boolean;
  coupons: RoomCoupon[];
  tasks: RoomTask[];
  announcement: string | null;
  commentsMuted: boolean;
};
export type RoomCoupon = { id: string; title: string; face: string; scopeText: string; remaining: number; perUserLimit: number; claimedByMe: number };
export type RoomTask = { id: string; inviteTarget: number; couponTitle: string; couponFace: string; invited: number; rewarded: boolean };

export const SHOP_LIVE_FIELDS = `id title status hostName storeSlug cover scheduledAt startedAt endedAt videoUrl likeCount pinnedProductId
  shelf { productId shopProductId title image onShelf soldOut skus { skuId label listPrice { amount } livePrice { amount } inStock perUserLimit } }
  comments { id nickname body status pinned }
  chapters { productId title startMs endMs }
  reservedByMe endReason replayHidden commentsMuted
  announcement
  coupons { id title face scopeText remaining perUserLimit claimedByMe }
  tasks { id inviteTarget couponTitle couponFace invited rewarded }`;

/** The lowest price a viewer pays for a product now: its live price where one is set. */
export function productPrice(p: RoomProduct): { now: number; list: number } {
  const prices = p.skus.map((s) => ({ now: s.livePrice?.amount ?? s.listPrice.amount, list: s.listPrice.amount }));
  prices.sort((a, b) => a.now - b.now);
  return prices[0] ?? { now: 0, list: 0 };
}
