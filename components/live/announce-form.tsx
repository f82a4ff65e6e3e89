"use client";

import { useState } from "react";
import { mutate } from "@/components/client/gql";

/** The merchant's announce mutation; a training console passes announceTrainingLive. */
const ANNOUNCE = { query: `mutation($l: ID!, $t: String!) { announceLive(liveId: $l, text: $t) { live { id } errors { code message field } } }`, field: "announceLive" };

/** 公告: a line the room shows above the chat (checked like scripts: refused words are named). */
export function AnnounceForm({ liveId, op = ANNOUNCE }: { liveId: string; op?: { query: string; field: string } }) {
  const [text, setText] = useState("");
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  async function send(e: React.FormEvent) {
    e.preventDefault();
    const r = await mutate(op.query, { l: liveId, t: text }, op.field);
    setMessage(r.ok ? { ok: true, text: "公告已发布" } : { ok: false, text: r.message });
    if (r.ok) setText("");
  }
  return (
    <section className="card" data-testid="announce-console">
      <h3>直播间公告</h3>
      <form className="row" onSubmit={send}>
        <input className="input grow" value={text} onChange={(e) => setText(e.target.value)} maxLength={60} placeholder="如：今晚 9 点抽免单，关注主播不迷路" aria-label="公告内容" />
        <button className="btn btn-primary">发布</button>
      </form>
      {message && <p className={message.ok ? "success" : "error"} role={message.ok ? "status" : "alert"}>{message.text}</p>}
    </section>
  );
}
