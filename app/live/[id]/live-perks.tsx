"use client";

import { useState } from "react";
import Link from "next/link";
import { mutate } from "@/components/client/gql";
import { CopyButton } from "@/app/me/invite/copy-button";
import type { RoomCoupon, RoomTask } from "@/components/live/room-types";

const CLAIM = `mutation($id: ID!) { claimCoupon(couponId: $id, source: "LIVE") { coupon { id } errors { code message field } } }`;

/**
 * 直播福利: the room's live-only coupons (claim here, only while live) and invite-to-watch tasks
 * (bring N friends through my link → a coupon), in a bottom sheet behind a chip.
 */
export function LivePerks({ liveId, storeSlug, coupons, tasks, signedIn, loginHref, invitePath }: { liveId: string; storeSlug: string | null; coupons: RoomCoupon[]; tasks: RoomTask[]; signedIn: boolean; loginHref: string; invitePath: string | null }) {
  const [open, setOpen] = useState(false);
  const [claimed, setClaimed] = useState<Record<string, number>>({});
  const [message, setMessage] = useState<string | null>(null);
  if (!coupons.length && !tasks.length) return null;
  // The invite link lands in this room with the code (?ref=), so a friend arriving through it counts for my tasks.
  const shareLink = invitePath && storeSlug && typeof window !== "undefined" ? `${window.location.origin}${invitePath}?${new URLSearchParams({ s: storeSlug, l: liveId, ch: "live" })}` : null;

  async function claim(c: RoomCoupon) {
    const r = await mutate(CLAIM, { id: c.id }, "claimCoupon");
    if (!r.ok) return setMessage(r.message);
    setClaimed((m) => ({ ...m, [c.id]: (m[c.id] ?? c.claimedByMe) + 1 }));
    setMessage("领取成功，已放入卡包，下单时自动使用最优券");
  }

  return (
    <>
      <button type="button" className="live-perks-chip" onClick={() => setOpen(true)} data-testid="open-perks">
        福利 · {coupons.length + tasks.length}
      </button>
      {open && (
        <div className="sheet-backdrop" onClick={() => setOpen(false)}>
          <div className="sheet" onClick={(e) => e.stopPropagation()} role="dialog" aria-label="直播福利" data-testid="perks-sheet">
            <h3>直播专享</h3>
            {coupons.map((c) => {
              const mine = claimed[c.id] ?? c.claimedByMe;
              const done = mine >= c.perUserLimit;
              return (
                <div className="row between coupon" key={c.id} data-testid="live-coupon">
                  <span><strong>{c.face}</strong> {c.title} <span className="muted">{c.scopeText}</span></span>
                  {signedIn ? (
                    <button className="btn btn-sm btn-primary" disabled={done || c.remaining <= 0} onClick={() => claim(c)}>
                      {done ? "已领取" : c.remaining <= 0 ? "已领完" : "领取"}
                    </button>
                  ) : (
                    <Link className="btn btn-sm" href={loginHref}>登录领取</Link>
                  )}
                </div>
              );
            })}
            {tasks.map((t) => (
              <div className="card" key={t.id} data-testid="live-task">
                <strong>邀请 {t.inviteTarget} 位好友进入直播间，得「{t.couponFace}」{t.couponTitle}</strong>
                <div className="muted">{t.rewarded ? "已完成，奖励券已放入卡包" : `已邀请 ${Math.min(t.invited, t.inviteTarget)} / ${t.inviteTarget} 位新观众`}</div>
                {!t.rewarded && (signedIn ? shareLink ? <CopyButton text={shareLink} label="复制直播间邀请链接" /> : <span className="muted">开通推广身份后可邀请</span> : <Link className="btn btn-sm" href={loginHref}>登录参与</Link>)}
              </div>
            ))}
            {message && <p className="success" role="status">{message}</p>}
          </div>
        </div>
      )}
    </>
  );
}
