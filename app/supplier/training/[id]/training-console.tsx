"use client";

import { useRouter } from "next/navigation";
import { LivePlayer } from "@/components/live-player";
import { useRoomEvents } from "@/components/live/use-room-events";
import { ConsoleComments, ConsoleMessages, ConsoleStats, EndedSummary, StartPanel, useHostRunner, type HostApi, type HostCounters } from "@/components/live/host-console-parts";
import { AnnounceForm } from "@/components/live/announce-form";
import { ReplayChapters } from "@/components/live/replay-chapters";
import { TrainingProductCard } from "@/components/live/training-product";
import type { TrainingLiveData } from "@/components/live/training-types";

const ERRORS = "errors { code message field }";
/** The supplier's host operations (SupplierTrainingResolver): the same console, its own mutations. */
const TRAINING_API: HostApi = {
  start: { query: `mutation($liveId: ID!, $url: String) { startTrainingLive(liveId: $liveId, playbackUrl: $url) { live { id } ${ERRORS} } }`, field: "startTrainingLive" },
  end: { query: `mutation($liveId: ID!) { endTrainingLive(liveId: $liveId) { live { id } ${ERRORS} } }`, field: "endTrainingLive" },
  pin: { query: `mutation($liveId: ID!, $productId: ID) { pinTrainingProduct(liveId: $liveId, productId: $productId) { live { id } ${ERRORS} } }`, field: "pinTrainingProduct" },
  shelf: { query: `mutation($liveId: ID!, $productId: ID!, $on: Boolean!) { setTrainingShelf(liveId: $liveId, productId: $productId, onShelf: $on) { live { id } ${ERRORS} } }`, field: "setTrainingShelf" },
  moderate: { query: `mutation($id: ID!, $action: String!) { moderateTrainingComment(commentId: $id, action: $action) }`, field: "moderateTrainingComment" },
  ban: { query: `mutation($liveId: ID!, $commentId: ID!, $kind: LiveBanKind!) { banTrainingViewer(liveId: $liveId, commentId: $commentId, kind: $kind) { ok ${ERRORS} } }`, field: "banTrainingViewer" },
  muteAll: { query: `mutation($liveId: ID!, $muted: Boolean!) { setTrainingCommentsMuted(liveId: $liveId, muted: $muted) { live { id } ${ERRORS} } }`, field: "setTrainingCommentsMuted" },
};
const ANNOUNCE = { query: `mutation($l: ID!, $t: String!) { announceTrainingLive(liveId: $l, text: $t) { live { id } ${ERRORS} } }`, field: "announceTrainingLive" };

/**
 * A training live's host console: the merchant console's parts (counters, comments and their
 * moderation, go-live, ended summary) around a training shelf — supply prices and scripts, 讲解 and
 * 上/下架, no prices to change and nothing to sell.
 */
export function TrainingConsole({ live }: { live: TrainingLiveData & HostCounters }) {
  const router = useRouter();
  const [state, dispatch] = useRoomEvents(live, null, (kind) => {
    if (kind === "START" || kind === "END") router.refresh();
  });
  const runner = useHostRunner();
  const { busy, run } = runner;
  const apply = (kind: string, data: Record<string, unknown>) => dispatch({ type: "event", kind, data, me: null });
  const counters = { ...live, likeCount: state.likes };

  if (state.status === "SCHEDULED") {
    return (
      <StartPanel
        liveId={live.id}
        scheduledAt={live.scheduledAt}
        videoUrl={live.videoUrl}
        api={TRAINING_API}
        summary={`货架 ${live.shelf.length} 件商品 · 仅店主可进入`}
        shelf={live.shelf.map((p) => <TrainingProductCard key={p.productId} product={p} pinned={false} />)}
      />
    );
  }
  if (state.status === "ENDED") {
    return (
      <div className="console-grid">
        <EndedSummary live={counters} startedAt={live.startedAt} endedAt={live.endedAt} endReason={live.endReason} replayHidden={live.replayHidden} />
        <section className="card">
          <ReplayChapters videoUrl={live.videoUrl} chapters={live.chapters} hidden={live.replayHidden} />
        </section>
      </div>
    );
  }

  return (
    <div className="console-grid">
      <div>
        <ConsoleStats state={state} live={counters} />
        <ConsoleMessages runner={runner} />
        <section className="card">
          <div className="row between">
            <h3 style={{ margin: 0 }}>培训货架</h3>
            <span className="row">
              {state.pinnedProductId && <button className="btn btn-sm" disabled={busy} onClick={() => run(TRAINING_API.pin, { liveId: live.id, productId: null }, () => apply("UNPIN", {}))}>取消讲解</button>}
              <button className="btn btn-sm" disabled={busy} onClick={() => confirm("确定结束直播？结束后将生成回放。") && run(TRAINING_API.end, { liveId: live.id }, () => router.refresh())} data-testid="end-live">结束直播</button>
            </span>
          </div>
          {state.shelf.map((p) => (
            <TrainingProductCard
              key={p.productId}
              product={p}
              pinned={p.productId === state.pinnedProductId}
              actions={
                <span className="row" data-testid="console-shelf-row">
                  <button className="btn btn-sm" disabled={busy} onClick={() => run(TRAINING_API.shelf, { liveId: live.id, productId: p.productId, on: !p.onShelf }, () => apply(p.onShelf ? "SHELF_OFF" : "SHELF_ON", { productId: p.productId }))}>
                    {p.onShelf ? "下架" : "上架"}
                  </button>
                  {p.productId !== state.pinnedProductId && p.onShelf && (
                    <button className="btn btn-sm btn-primary" disabled={busy} onClick={() => run(TRAINING_API.pin, { liveId: live.id, productId: p.productId }, () => apply("PIN", { productId: p.productId }))} data-testid="pin">
                      讲解
                    </button>
                  )}
                </span>
              }
            />
          ))}
        </section>
        <AnnounceForm liveId={live.id} op={ANNOUNCE} />
      </div>
      <div>
        <section className="card">
          <h3>直播画面预览</h3>
          <div className="console-preview">{live.videoUrl ? <LivePlayer src={live.videoUrl} live loop /> : <p className="muted">无播放地址</p>}</div>
          <p className="muted">店主在“店主工作台 → 培训直播”进入直播间，画面有几秒延迟。</p>
        </section>
        <ConsoleComments liveId={live.id} state={state} api={TRAINING_API} runner={runner} apply={apply} />
      </div>
    </div>
  );
}
