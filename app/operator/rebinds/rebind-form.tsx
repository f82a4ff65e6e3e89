"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { mutate } from "@/components/client/gql";

const REBIND = `mutation($input: RebindMemberInput!) { rebindMember(input: $input) { rebind { id } errors { code message field } } }`;

export function RebindForm() {
  const router = useRouter();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  async function submit(form: FormData) {
    const input = { memberPhone: String(form.get("memberPhone")), newInviteCode: String(form.get("newInviteCode")), reason: String(form.get("reason")) };
    const result = await mutate(REBIND, { input }, "rebindMember");
    setMessage(result.ok ? { ok: true, text: "已改绑，此后订单按新的邀请关系计算；已产生的奖励不变" } : { ok: false, text: result.message });
    if (result.ok) router.refresh();
  }
  return (
    <form className="card" action={submit} style={{ maxWidth: 520, marginBottom: 16 }}>
      <h3>改绑</h3>
      <label className="field"><span>用户手机号</span><input className="input" name="memberPhone" inputMode="tel" required /></label>
      <label className="field"><span>新邀请人的邀请码</span><input className="input" name="newInviteCode" required /></label>
      <label className="field"><span>改绑原因（记入审计日志）</span><input className="input" name="reason" required /></label>
      {message && <p className={message.ok ? "success" : "error"} role={message.ok ? "status" : "alert"}>{message.text}</p>}
      <button className="btn btn-primary">确认改绑</button>
    </form>
  );
}
