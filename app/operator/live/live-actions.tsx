"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { mutate } from "@/components/client/gql";

const ERRORS = "errors { code message field }";
const REVIEW = `mutation($userId: ID!, $status: AnchorDecision!, $tier: Int, $note: String) { reviewAnchor(userId: $userId, status: $status, tier: $tier, note: $note) { anchor { userId status } ${ERRORS} } }`;
const HELD = `mutation($id: ID!, $release: Boolean!) { reviewHeldComment(commentId: $id, release: $release) { ok ${ERRORS} } }`;
const END = `mutation($liveId: ID!, $reason: String!) { operatorEndLive(liveId: $liveId, reason: $reason) { live { id } ${ERRORS} } }`;
const HIDE = `mutation($liveId: ID!, $reason: String!) { hideReplay(liveId: $liveId, reason: $reason) { live { id } ${ERRORS} } }`;
const ADD_WORD = `mutation($category: ModerationCategory!, $term: String!) { addModerationWord(category: $category, term: $term) { ok ${ERRORS} } }`;

function useAction() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function run(query: string, vars: Record<string, unknown>, field: string) {
    setBusy(true);
    setError(null);
    const result = await mutate(query, vars, field);
    setBusy(false);
    if (!result.ok) return setError(result.message);
    router.refresh();
  }
  return { run, error, busy };
}

/** Approve with a tier 1–5, or reject / suspend with a note (required). */
export function AnchorReview({ userId, status, tier }: { userId: string; status: string; tier: number }) {
  const { run, error, busy } = useAction();
  const [level, setLevel] = useState(String(tier || 1));
  const decide = (decision: "REJECTED" | "SUSPENDED") => {
    const note = prompt(decision === "REJECTED" ? "驳回原因（将告知申请人）" : "暂停原因");
    if (note) void run(REVIEW, { userId, status: decision, note }, "reviewAnchor");
  };
  return (
    <span className="row">
      {status !== "APPROVED" && (
        <>
          <select className="select" style={{ width: 90 }} value={level} onChange={(e) => setLevel(e.target.value)} aria-label="主播等级">
            {[1, 2, 3, 4, 5].map((n) => <option key={n} value={n}>{n} 级</option>)}
          </select>
          <button className="btn btn-sm btn-primary" disabled={busy} onClick={() => run(REVIEW, { userId, status: "APPROVED", tier: Number(level) }, "reviewAnchor")}>通过</button>
        </>
      )}
      {status === "PENDING" && <button className="btn btn-sm" disabled={busy} onClick={() => decide("REJECTED")}>驳回</button>}
      {status === "APPROVED" && <button className="btn btn-sm" disabled={busy} onClick={() => decide("SUSPENDED")}>暂停资格</button>}
      {error && <span className="error" role="alert">{error}</span>}
    </span>
  );
}

export function HeldCommentActions({ id }: { id: string }) {
  const { run, error, busy } = useAction();
  return (
    <span className="row">
      <button className="btn btn-sm btn-primary" disabled={busy} onClick={() => run(HELD, { id, release: true }, "reviewHeldComment")}>放行</button>
      <button className="btn btn-sm" disabled={busy} onClick={() => run(HELD, { id, release: false }, "reviewHeldComment")}>驳回</button>
      {error && <span className="error" role="alert">{error}</span>}
    </span>
  );
}

export function EndLiveButton({ liveId }: { liveId: string }) {
  const { run, error, busy } = useAction();
  return (
    <span className="row">
      <button className="btn btn-sm" disabled={busy} onClick={() => {
        const reason = prompt("结束直播的原因（观众可见）");
        if (reason) void run(END, { liveId, reason }, "operatorEndLive");
      }}>结束直播</button>
      {error && <span className="error" role="alert">{error}</span>}
    </span>
  );
}

export function HideReplayButton({ liveId }: { liveId: string }) {
  const { run, error, busy } = useAction();
  return (
    <span className="row">
      <button className="btn btn-sm" disabled={busy} onClick={() => {
        const reason = prompt("下架回放的原因");
        if (reason) void run(HIDE, { liveId, reason }, "hideReplay");
      }}>下架回放</button>
      {error && <span className="error" role="alert">{error}</span>}
    </span>
  );
}

export function AddWordForm() {
  const { run, error, busy } = useAction();
  const [category, setCategory] = useState("HOLD");
  const [term, setTerm] = useState("");
  return (
    <form className="row" style={{ marginBottom: 12, maxWidth: 640 }} onSubmit={async (e) => {
      e.preventDefault();
      await run(ADD_WORD, { category, term }, "addModerationWord");
      setTerm("");
    }}>
      <select className="select" style={{ width: 160 }} value={category} onChange={(e) => setCategory(e.target.value)} aria-label="词库">
        <option value="HOLD">拦截待审</option>
        <option value="MASK">打码</option>
        <option value="AD_LAW">广告法禁用语</option>
        <option value="ALLOW">放行（白名单）</option>
      </select>
      <input className="input" value={term} onChange={(e) => setTerm(e.target.value)} placeholder="词语" aria-label="词语" />
      <button className="btn btn-primary" disabled={busy || !term.trim()}>添加</button>
      {error && <span className="error" role="alert">{error}</span>}
    </form>
  );
}
