"use client";

import { useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { LivePlayer } from "@/components/live-player";
import { useRoomEvents } from "@/components/live/use-room-events";
import type { ShopLiveData } from "@/components/live/room-types";
import { ConsoleComments, ConsoleMessages, ConsoleStats, EndedSummary, StartPanel, useHostRunner, type HostApi } from "@/components/live/host-console-parts";
import { yuan } from "@/components/format";
import { formatOffset } from "@/graphql/live/live.rules";

export type MerchantLiveData = { peakViewers: number; uniqueViewers: number; reservations: number; commentCount: number };

const LIVE_ERRORS = "errors { code message field }";
/** The merchant's host operations (MerchantLiveResolver). */
const MERCHANT_API: HostApi = {
  start: { query: `mutation($liveId: ID!, $url: String) { startLive(liveId: $liveId, playbackUrl: $url) { live { id } ${LIVE_ERRORS} } }`, field: "startLive" },
  end: { query: `mutation($liveId: ID!) { endLive(liveId: $liveId) { live { id } ${LIVE_ERRORS} } }`, field: "endLive" },
  pin: { query: `mutation($liveId: ID!, $productId: ID) { pinLiveProduct(liveId: $liveId, productId: $productId) { live { id } ${LIVE_ERRORS} } }`, field: "pinLiveProduct" },
  shelf: { query: `mutation($liveId: ID!, $productId: ID!, $on: Boolean!) { setLiveShelf(liveId: $liveId, productId: $productId, onShelf: $on) { live { id } ${LIVE_ERRORS} } }`, field: "setLiveShelf" },
  moderate: { query: `mutation($id: ID!, $action: String!) { moderateLiveComment(commentId: $id, action: $action) }`, field: "moderateLiveComment" },
  ban: { query: `mutation($liveId: ID!, $commentId: ID!, $kind: LiveBanKind!) { banLiveViewer(liveId: $liveId, commentId: $commentId, kind: $kind) { ok ${LIVE_ERRORS} } }`, field: "banLiveViewer" },
  muteAll: { query: `mutation($liveId: ID!, $muted: Boolean!) { setLiveCommentsMuted(liveId: $liveId, muted: $muted) { live { id } ${LIVE_ERRORS} } }`, field: "setLiveCommentsMuted" },
};
const PRICE = { query: `mutation($liveId: ID!, $skuId: ID!, $price: Int!) { changeLivePrice(liveId: $liveId, skuId: $skuId, livePrice: $price) { live { id } ${LIVE_ERRORS} } }`, field: "changeLivePrice" };
const SOLD_OUT = { query: `mutation($liveId: ID!, $productId: ID!, $soldOut: Boolean!) { markLiveSoldOut(liveId: $liveId, productId: $productId, soldOut: $soldOut) { live { id } ${LIVE_ERRORS} } }`, field: "markLiveSoldOut" };

/**
 * The host console. Follows the room's own event stream (what viewers see is what the host sees):
 * viewers, likes, comments, the pinned product and the shelf. Every change is also applied at once
 * from the mutation's answer, so the console never waits on the stream.
 */
export function HostConsole({ live, anchorApproved }: { live: ShopLiveData & MerchantLiveData; anchorApproved: boolean }) {
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
        api={MERCHANT_API}
        summary={`已预约 ${live.reservations} 人 · 货架 ${live.shelf.length} 件商品`}
        notice={!anchorApproved && <p className="notice">开播需先完成主播认证。<Link href="/merchant/anchor" style={{ textDecoration: "underline" }}>去认证</Link></p>}
        shelf={live.shelf.map((p) => (
          <div key={p.productId} className="row between" style={{ padding: "6px 0" }}>
            <span>{p.title}</span>
            <span className="muted">{p.skus.filter((s) => s.livePrice).map((s) => `${s.label} 直播价 ¥${yuan(s.livePrice!.amount)}`).join("；") || "无直播价"}</span>
          </div>
        ))}
      />
    );
  }
  if (state.status === "ENDED") {
    return (
      <div className="console-grid">
        <EndedSummary live={counters} startedAt={live.startedAt} endedAt={live.endedAt} endReason={live.endReason} replayHidden={live.replayHidden} />
        <section className="card">
          <h3>回放章节</h3>
          {live.chapters.length === 0 && <p className="muted">本场没有商品讲解记录</p>}
          {live.chapters.map((c) => (
            <div key={`${c.productId}-${c.startMs}`} className="row between" style={{ padding: "6px 0" }}>
              <span>{formatOffset(c.startMs)} {c.title}</span>
              <Link className="btn btn-sm" href={`/live/${live.id}?t=${Math.floor(c.startMs / 1000)}`} target="_blank">看这段</Link>
            </div>
          ))}
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
            <h3 style={{ margin: 0 }}>直播货架</h3>
            <span className="row">
              {state.pinnedProductId && <button className="btn btn-sm" disabled={busy} onClick={() => run(MERCHANT_API.pin, { liveId: live.id, productId: null }, () => apply("UNPIN", {}))}>取消讲解</button>}
              <button className="btn btn-sm" disabled={busy} onClick={() => confirm("确定结束直播？结束后将生成回放。") && run(MERCHANT_API.end, { liveId: live.id }, () => router.refresh())} data-testid="end-live">结束直播</button>
            </span>
          </div>
          <table className="table" style={{ marginTop: 8 }}>
            <thead><tr><th>商品</th><th>规格与直播价</th><th>货架</th><th></th></tr></thead>
            <tbody>
              {state.shelf.map((p) => (
                <tr key={p.productId} data-testid="console-shelf-row">
                  <td>
                    <div>{p.title}</div>
                    {p.productId === state.pinnedProductId && <span className="tag" data-testid="console-pinned">讲解中</span>}
                    {p.soldOut && <span className="tag tag-gray" data-testid="console-sold-out">已售罄</span>}
                  </td>
                  <td>
                    {p.skus.map((s) => (
                      <PriceEditor key={s.skuId} label={s.label} list={s.listPrice.amount} live={s.livePrice?.amount ?? null} disabled={busy} onSave={(fen) => run(PRICE, { liveId: live.id, skuId: s.skuId, price: fen }, () => apply("PRICE", { skuId: s.skuId, livePrice: fen }))} />
                    ))}
                  </td>
                  <td>
                    <span className="row">
                      <button className="btn btn-sm" disabled={busy} onClick={() => run(MERCHANT_API.shelf, { liveId: live.id, productId: p.productId, on: !p.onShelf }, () => apply(p.onShelf ? "SHELF_OFF" : "SHELF_ON", { productId: p.productId }))}>
                        {p.onShelf ? "下架" : "上架"}
                      </button>
                      <button
                        className="btn btn-sm"
                        disabled={busy}
                        data-testid="mark-sold-out"
                        onClick={() => run(SOLD_OUT, { liveId: live.id, productId: p.productId, soldOut: !p.soldOut }, () => apply(p.soldOut ? "SOLD_OUT_CLEARED" : "SOLD_OUT", { productId: p.productId }))}
                      >
                        {p.soldOut ? "取消售罄" : "标记售罄"}
                      </button>
                    </span>
                  </td>
                  <td>
                    {p.productId !== state.pinnedProductId && p.onShelf && (
                      <button className="btn btn-sm btn-primary" disabled={busy} onClick={() => run(MERCHANT_API.pin, { liveId: live.id, productId: p.productId }, () => apply("PIN", { productId: p.productId }))} data-testid="pin">
                        讲解
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted">标记售罄只在本场直播间生效：观众看到“已售罄”且不能从直播间下单，库存不变；取消后恢复。</p>
        </section>
      </div>
      <div>
        <section className="card">
          <h3>直播画面预览</h3>
          <div className="console-preview">{live.videoUrl ? <LivePlayer src={live.videoUrl} live loop /> : <p className="muted">无播放地址</p>}</div>
          <p className="muted">观众看到的画面有几秒延迟。<Link href={`/live/${live.id}`} target="_blank" style={{ textDecoration: "underline" }}>在新窗口打开直播间</Link></p>
        </section>
        <ConsoleComments liveId={live.id} state={state} api={MERCHANT_API} runner={runner} apply={apply} />
      </div>
    </div>
  );
}

/** A SKU's live price: shown, and editable in yuan (sent in fen; the server checks the floor). */
function PriceEditor({ label, list, live, disabled, onSave }: { label: string; list: number; live: number | null; disabled: boolean; onSave: (fen: number) => void }) {
  const [value, setValue] = useState(live === null ? "" : yuan(live));
  const fen = Math.round(Number(value) * 100);
  return (
    <div className="row" style={{ marginBottom: 4 }}>
      <span className="muted" style={{ minWidth: 110 }}>{label} · ¥{yuan(list)}</span>
      <input className="input" style={{ maxWidth: 100 }} inputMode="decimal" value={value} placeholder="直播价" aria-label={`${label} 直播价`} onChange={(e) => setValue(e.target.value)} />
      <button className="btn btn-sm" disabled={disabled || !value.trim() || !(fen > 0) || fen === live} onClick={() => onSave(fen)}>改价</button>
    </div>
  );
}
