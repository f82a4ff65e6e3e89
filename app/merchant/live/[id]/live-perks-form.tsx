"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { mutate } from "@/components/client/gql";
import type { RoomCoupon, RoomTask } from "@/components/live/room-types";

const COUPON = `mutation($l: ID!, $i: CreateCouponInput!) { createLiveCoupon(liveId: $l, input: $i) { id errors { code message field } } }`;
const TASK = `mutation($l: ID!, $c: ID!, $n: Int!) { createLiveTask(liveId: $l, couponId: $c, inviteTarget: $n) { id errors { code message field } } }`;
const DAY = 86_400_000;

/**
 * 直播福利 in the host console: a live-only 无门槛 coupon viewers claim in the room while it is live —
 * or, ticked as a task reward, given to whoever brings N new viewers through their share link.
 */
export function LivePerksForm({ liveId, coupons, tasks, open, serverNow }: { liveId: string; coupons: RoomCoupon[]; tasks: RoomTask[]; open: boolean; serverNow: string }) {
  const router = useRouter();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [asTask, setAsTask] = useState(false);
  const [mountedAt] = useState(() => performance.now());

  async function submit(form: FormData) {
    // The claim window starts at the app's clock (the server's, not this browser's).
    const now = new Date(serverNow).getTime() + (performance.now() - mountedAt);
    const input = {
      title: String(form.get("title") ?? ""),
      kind: "NO_THRESHOLD",
      thresholdFen: 0,
      amountFen: Math.round(Number(form.get("amount") || 0) * 100),
      percentBp: 0,
      totalQuantity: Number(form.get("total")),
      perUserLimit: 1,
      claimStartsAt: new Date(now).toISOString(),
      claimEndsAt: new Date(now + DAY).toISOString(),
      usableUntil: new Date(now + 7 * DAY).toISOString(),
    };
    const made = await mutate<{ id: string; errors: [] }>(COUPON, { l: liveId, i: input }, "createLiveCoupon");
    if (!made.ok) return setMessage({ ok: false, text: made.message });
    if (asTask) {
      const task = await mutate<{ id: string; errors: [] }>(TASK, { l: liveId, c: made.payload.id, n: Number(form.get("target")) }, "createLiveTask");
      if (!task.ok) return setMessage({ ok: false, text: task.message });
    }
    setMessage({ ok: true, text: asTask ? "邀请任务已发布" : "直播专享券已发布，观众可在直播间领取" });
    router.refresh();
  }

  return (
    <section className="card" data-testid="live-perks-console">
      <h3>直播福利</h3>
      {coupons.length === 0 && tasks.length === 0 && <p className="muted">还没有直播专享券或邀请任务</p>}
      {coupons.map((c) => <p key={c.id}><strong>{c.face}</strong> {c.title} <span className="muted">剩余 {c.remaining}</span></p>)}
      {tasks.map((t) => <p key={t.id}>邀请 {t.inviteTarget} 位好友 → 「{t.couponFace}」{t.couponTitle}</p>)}
      {open && (
        // onSubmit, not a form action: a form action resets the fields when it finishes, racing the next entry.
        <form onSubmit={(e) => { e.preventDefault(); void submit(new FormData(e.currentTarget)); }}>
          <label className="field"><span>券名称</span><input className="input" name="title" required maxLength={30} defaultValue="直播间专享券" /></label>
          <label className="field"><span>无门槛减（元）</span><input className="input" name="amount" inputMode="decimal" required defaultValue="5" /></label>
          <label className="field"><span>发放总量（张）</span><input className="input" name="total" inputMode="numeric" required defaultValue="100" /></label>
          <label className="row"><input type="checkbox" checked={asTask} onChange={(e) => setAsTask(e.target.checked)} /> <span>作为邀请任务奖励（邀请好友进入直播间才能获得，不在直播间直接领取）</span></label>
          {asTask && <label className="field"><span>需邀请新观众（人）</span><input className="input" name="target" inputMode="numeric" required defaultValue="3" /></label>}
          {message && <p className={message.ok ? "success" : "error"} role={message.ok ? "status" : "alert"}>{message.text}</p>}
          <button className="btn btn-primary">{asTask ? "发布邀请任务" : "发布直播专享券"}</button>
        </form>
      )}
    </section>
  );
}
