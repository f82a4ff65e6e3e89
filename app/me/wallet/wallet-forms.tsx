"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { mutate } from "@/components/client/gql";

const SHARER = `mutation($input: BecomeSharerInput!) { becomeSharer(input: $input) { role errors { code message field } } }`;
const WITHDRAW = `mutation($input: RequestWithdrawalInput!) { requestWithdrawal(input: $input) { withdrawal { id } errors { code message field } } }`;

/** Free: accept the promoter agreement and verify a real name (never by buying anything). */
export function SharerForm({ agreement }: { agreement: { version: string; title: string; clauses: string[] } }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  async function submit(form: FormData) {
    if (!form.get("agree")) return setError("请先阅读并同意推广协议");
    const result = await mutate(SHARER, { input: { agreementVersion: agreement.version, name: String(form.get("name")), idNumber: String(form.get("idNumber")) } }, "becomeSharer");
    if (!result.ok) return setError(result.message);
    router.refresh();
  }
  return (
    <form className="card" action={submit}>
      <h3>成为分享者</h3>
      <p className="muted">免费开通，完成实名认证后即可获得分享收益并提现。</p>
      <label className="field"><span>真实姓名</span><input className="input" name="name" required /></label>
      <label className="field"><span>身份证号</span><input className="input" name="idNumber" maxLength={18} required /></label>
      <details className="muted" style={{ marginBottom: 8 }} data-testid="agreement">
        <summary>《{agreement.title}》（{agreement.version} 版）</summary>
        <ol>{agreement.clauses.map((c) => <li key={c}>{c}</li>)}</ol>
      </details>
      <label className="row" style={{ marginBottom: 12 }}><input type="checkbox" name="agree" /> <span>我已阅读并同意《{agreement.title}》（{agreement.version} 版）与 <a href="/rules" style={{ color: "#ff4d4f" }}>分享规则</a></span></label>
      {error && <p className="error" role="alert">{error}</p>}
      <button className="btn btn-primary btn-block">同意并开通</button>
    </form>
  );
}

export function WithdrawForm({ available }: { available: number }) {
  const router = useRouter();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  async function submit(form: FormData) {
    const amount = Math.round(Number(form.get("amount")) * 100);
    const result = await mutate(WITHDRAW, { input: { amount, payeeName: String(form.get("payeeName")), payeeAccount: String(form.get("payeeAccount")) } }, "requestWithdrawal");
    setMessage(result.ok ? { ok: true, text: "已提交，审核通过后打款" } : { ok: false, text: result.message });
    if (result.ok) router.refresh();
  }
  return (
    <form className="card" action={submit}>
      <h3>申请提现</h3>
      <label className="field"><span>金额（元，可提现 ¥{(available / 100).toFixed(2)}）</span><input className="input" name="amount" inputMode="decimal" required /></label>
      <label className="field"><span>收款人（须与实名一致）</span><input className="input" name="payeeName" required /></label>
      <label className="field"><span>收款账号</span><input className="input" name="payeeAccount" required /></label>
      {message && <p className={message.ok ? "success" : "error"} role={message.ok ? "status" : "alert"}>{message.text}</p>}
      <button className="btn btn-primary btn-block" disabled={available <= 0}>提交提现申请</button>
    </form>
  );
}
