"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { mutate } from "@/components/client/gql";

const RESOLVE = `mutation($input: ResolveRiskReviewInput!) { resolveRiskReview(input: $input) { review { id } errors { code message field } } }`;
const FREEZE = `mutation($input: FreezeMemberInput!) { freezeMember(input: $input) { review { id } errors { code message field } } }`;

/** CLEAR lifts the freeze (or re-enables the code) and settles what waited; CONFIRM keeps it. Both need a note. */
export function ReviewActions({ id }: { id: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  async function decide(decision: "CLEAR" | "CONFIRM") {
    const note = prompt(decision === "CLEAR" ? "解除说明（记录在审核单）" : "维持处理的说明");
    if (!note) return;
    const result = await mutate(RESOLVE, { input: { reviewId: id, decision, note } }, "resolveRiskReview");
    if (!result.ok) return setError(result.message);
    router.refresh();
  }
  return (
    <span className="row">
      <button className="btn btn-sm btn-primary" onClick={() => decide("CLEAR")}>解除</button>
      <button className="btn btn-sm" onClick={() => decide("CONFIRM")}>维持</button>
      {error && <span className="error" role="alert">{error}</span>}
    </span>
  );
}

export function FreezeForm() {
  const router = useRouter();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  async function submit(form: FormData) {
    const result = await mutate(FREEZE, { input: { phone: String(form.get("phone")), note: String(form.get("note")) } }, "freezeMember");
    setMessage(result.ok ? { ok: true, text: "已冻结并加入审核队列" } : { ok: false, text: result.message });
    if (result.ok) router.refresh();
  }
  return (
    <form className="card" action={submit} style={{ marginTop: 16, maxWidth: 520 }}>
      <h3>人工冻结</h3>
      <label className="field"><span>手机号</span><input className="input" name="phone" inputMode="tel" required /></label>
      <label className="field"><span>原因</span><input className="input" name="note" required /></label>
      {message && <p className={message.ok ? "success" : "error"} role={message.ok ? "status" : "alert"}>{message.text}</p>}
      <button className="btn">冻结审核</button>
    </form>
  );
}
