import type { RoomBase, RoomChapter } from "./room-types";
import type { Material } from "./material-list";

/** A training room as the browser holds it: what trainingLive (or supplierTrainingLive) returned, kept current by the room's events. */
export type TrainingSku = { skuId: string; label: string; supplyPrice: { amount: number }; suggestedPrice: { amount: number }; inStock: boolean };
export type TrainingScript = { id: string; title: string; sellingPoints: string[]; body: string; materials: Material[]; adHits: { term: string; field: string; start: number; end: number }[] };
export type TrainingProduct = { productId: string; title: string; image: string | null; onShelf: boolean; skus: TrainingSku[]; script: TrainingScript | null };

export type TrainingLiveData = RoomBase<TrainingProduct> & {
  title: string;
  hostName: string;
  supplierName: string;
  cover: string | null;
  scheduledAt: string;
  startedAt: string | null;
  endedAt: string | null;
  videoUrl: string | null;
  chapters: RoomChapter[];
  replayHidden: boolean;
  reservedByMe: boolean;
  reservationCount: number;
  commentsMuted: boolean;
};

export const TRAINING_LIVE_FIELDS = `id title status hostName supplierName cover scheduledAt startedAt endedAt videoUrl likeCount pinnedProductId
  shelf { productId title image onShelf
    skus { skuId label supplyPrice { amount } suggestedPrice { amount } inStock }
    script { id title sellingPoints body materials { label kind url } adHits { term field start end } } }
  comments { id nickname body status pinned }
  chapters { productId title startMs endMs }
  announcement endReason replayHidden reservedByMe reservationCount commentsMuted`;
