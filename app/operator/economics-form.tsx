"use client";

import { useState } from "react";
import { mutate } from "@/components/client/gql";

const UPDATE = `mutation($input: UpdateEconomicsInput!) { updateEconomics(input: $input) { economics { platformFeeBp commissionCapBp } errors { code message field } } }`;

export function EconomicsForm({ initial }: { initial: { platformFeeBp: number; commissionCapBp: number; commissionCapCeilingBp: number } }) {
  const [fee, setFee] = useState(String(initial.platformFeeBp / 100));
  const [cap, setCap] = useState(String(initial.commissionCapBp / 100));
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  async function save() {
    const result = await mutate(UPDATE, { input: { platformFeeBp: Math.round(Number(fee) * 100), commissionCapBp: Math.round(Number(cap) * 100) } }, "updateEconomics");
    setMessage(result.ok ? { ok: true, text: "已保存（已记入审计日志）" } : { ok: false, text: result.message });
  }
  return (
    <div>
      <div className="form-grid">
        <label className="field"><span>平台服务费（%）</span><input className="input" value={fee} onChange={(e) => setFee(e.target.value)} /></label>
        <label className="field"><span>分享佣金总上限（%，法定上限 {initial.commissionCapCeilingBp / 100}%）</span><input className="input" value={cap} onChange={(e) => setCap(e.target.value)} /></label>
      </div>
      {message && <p className={message.ok ? "success" : "error"}>{message.text}</p>}
      <button className="btn btn-primary" onClick={save}>保存</button>
    </div>
  );
}
