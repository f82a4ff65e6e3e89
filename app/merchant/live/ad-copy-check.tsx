"use client";

import { useState } from "react";
import { gqlFetch } from "@/components/client/gql";

const CHECK = `query($text: String!) { checkAdCopy(text: $text) { ok hits { term category start end text } } }`;
type Hit = { term: string; category: string; start: number; end: number; text: string };

/** 广告法用语检测: marks the words in a script or title that the Advertising Law forbids (最、第一、国家级…). */
export function AdCopyCheck() {
  const [text, setText] = useState("");
  const [result, setResult] = useState<{ text: string; hits: Hit[] } | null>(null);
  async function check() {
    const { data } = await gqlFetch<{ checkAdCopy: { ok: boolean; hits: Hit[] } }>(CHECK, { text });
    if (data) setResult({ text, hits: data.checkAdCopy.hits });
  }
  const parts: React.ReactNode[] = [];
  if (result) {
    let at = 0;
    for (const [i, h] of result.hits.entries()) {
      if (h.start < at) continue;
      parts.push(result.text.slice(at, h.start), <mark key={i} className="ad-hit" title={h.term}>{result.text.slice(h.start, h.end)}</mark>);
      at = h.end;
    }
    parts.push(result.text.slice(at));
  }
  return (
    <div>
      <textarea className="textarea" rows={3} value={text} onChange={(e) => setText(e.target.value)} placeholder="粘贴直播话术、标题或商品文案" aria-label="待检测文案" />
      <button className="btn btn-sm" style={{ marginTop: 6 }} onClick={check} disabled={!text.trim()}>检测</button>
      {result && (result.hits.length === 0 ? <p className="success" role="status">未发现广告法禁用语</p> : (
        <div role="status" data-testid="ad-copy-result">
          <p style={{ whiteSpace: "pre-wrap" }}>{parts}</p>
          <p className="muted">发现 {result.hits.length} 处：{[...new Set(result.hits.map((h) => h.term))].join("、")}，请修改后再使用</p>
        </div>
      ))}
    </div>
  );
}
