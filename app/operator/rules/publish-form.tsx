"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { mutate } from "@/components/client/gql";

const PUBLISH = `mutation($input: PublishRuleSetInput!) { publishRuleSet(input: $input) { ruleSet { version } errors { code message field } } }`;
const FIELDS = [
  ["k", "晋升团长所需直推人数", 1],
  ["rDirectBp", "直推奖比例（%）", 100],
  ["rTeamBp", "团队奖比例（%）", 100],
  ["rPeerBp", "平级奖（团队奖的 %）", 100],
  ["maxDepth", "层级深度（≤3）", 1],
  ["capTotalBp", "单笔奖励上限（%，≤30）", 100],
  ["settleDays", "结算期（天，≥7）", 1],
] as const;

type Current = Record<(typeof FIELDS)[number][0], number>;

export function PublishForm({ current }: { current: Current }) {
  const router = useRouter();
  const [values, setValues] = useState(() => Object.fromEntries(FIELDS.map(([k, , scale]) => [k, String(current[k] / scale)])));
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  async function publish() {
    const input = Object.fromEntries(FIELDS.map(([k, , scale]) => [k, Math.round(Number(values[k]) * scale)]));
    const result = await mutate<{ ruleSet: { version: number }; errors: [] }>(PUBLISH, { input }, "publishRuleSet");
    setMessage(result.ok ? { ok: true, text: `已发布 v${result.payload.ruleSet.version}（已记入审计日志）` } : { ok: false, text: result.message });
    if (result.ok) router.refresh();
  }
  return (
    <div>
      <div className="form-grid">
        {FIELDS.map(([k, label]) => (
          <label className="field" key={k}><span>{label}</span><input className="input" value={values[k]} onChange={(e) => setValues((v) => ({ ...v, [k]: e.target.value }))} /></label>
        ))}
      </div>
      {message && <p className={message.ok ? "success" : "error"} role={message.ok ? "status" : "alert"}>{message.text}</p>}
      <button className="btn btn-primary" onClick={publish}>发布新版本</button>
    </div>
  );
}
