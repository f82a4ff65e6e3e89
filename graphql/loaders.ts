import DataLoader from "dataloader";
import type { Db } from "@/db/client";
import { productsByIds, skusByProductIds, supplierNamesByIds } from "./catalog/catalog.service";
import { listingIdsByStoreProduct, pricesByListingIds, resellerCountsByProductIds } from "./store/store.service";
import { linesByOrderIds, linesByShipmentIds, ordersByIds, shipmentsByOrderIds, storesByIds } from "./order/order-queries.service";
import { readEconomics } from "./platform/settings";
import { rewardsByOrderIds } from "./referral/rewards.service";
import { shelvesByLiveIds } from "./live/live-room.service";
import { nicknamesByUserIds, pinnedProductIdsByLiveIds, reservationCountsByLiveIds, reservedByKeys, roomCountsByLiveIds, trainingShelvesByLiveIds } from "./live/training.queries";

/** Per-request DataLoaders: every relation resolves in one batched query per page, whatever its length. */
export function createLoaders(db: Db, now: Date) {
  return {
    product: new DataLoader((ids: readonly string[]) => productsByIds(db, ids)),
    skusByProduct: new DataLoader((ids: readonly string[]) => skusByProductIds(db, ids)),
    supplierName: new DataLoader((ids: readonly string[]) => supplierNamesByIds(db, ids)),
    listingPrices: new DataLoader((ids: readonly string[]) => pricesByListingIds(db, ids)),
    listingByStoreProduct: new DataLoader((keys: readonly string[]) => listingIdsByStoreProduct(db, keys)),
    resellerCount: new DataLoader((ids: readonly string[]) => resellerCountsByProductIds(db, ids)),
    linesByOrder: new DataLoader((ids: readonly string[]) => linesByOrderIds(db, ids)),
    linesByShipment: new DataLoader((ids: readonly string[]) => linesByShipmentIds(db, ids)),
    shipmentsByOrder: new DataLoader((ids: readonly string[]) => shipmentsByOrderIds(db, ids)),
    order: new DataLoader((ids: readonly string[]) => ordersByIds(db, ids)),
    store: new DataLoader((ids: readonly string[]) => storesByIds(db, ids)),
    rewardsByOrder: new DataLoader((ids: readonly string[]) => rewardsByOrderIds(db, ids)),
    nickname: new DataLoader((ids: readonly string[]) => nicknamesByUserIds(db, ids)),
    liveShelf: new DataLoader((ids: readonly string[]) => shelvesByLiveIds(db, ids)),
    trainingShelf: new DataLoader((ids: readonly string[]) => trainingShelvesByLiveIds(db, ids)),
    pinnedProduct: new DataLoader((ids: readonly string[]) => pinnedProductIdsByLiveIds(db, ids)),
    reservationCount: new DataLoader((ids: readonly string[]) => reservationCountsByLiveIds(db, ids)),
    /** Keys `${liveId}:${userId}`. */
    reserved: new DataLoader((keys: readonly string[]) => reservedByKeys(db, keys)),
    roomCounts: new DataLoader((ids: readonly string[]) => roomCountsByLiveIds(db, ids)),
    economics: new DataLoader(async (keys: readonly string[]) => {
      const e = await readEconomics(db, now);
      return keys.map(() => e);
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
