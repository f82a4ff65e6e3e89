"use client";

import { useActionState, useState } from "react";
import { smsSignInAction, type SignInState } from "./actions";
import { mutate } from "@/components/client/gql";

const REQUEST = `mutation($input: RequestSmsCodeInput!) { requestSmsCode(input: $input) { sent errors { code message field } } }`;

export function SmsLoginForm({ next, devHints }: { next: string; devHints: boolean }) {
  const [state, action, pending] = useActionState<SignInState, FormData>(smsSignInAction, { error: null });
  const [phone, setPhone] = useState("");
  const [code, setCode] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [cooldown, setCooldown] = useState(0);

  async function sendCode() {
    setError(null);
    setNotice(null);
    const result = await mutate<{ sent: boolean; errors: [] }>(REQUEST, { input: { phone } }, "requestSmsCode");
    if (!result.ok) return setError(result.message);
    setNotice("验证码已发送，10 分钟内有效");
    setCooldown(60);
    const timer = setInterval(() => setCooldown((c) => (c <= 1 ? (clearInterval(timer), 0) : c - 1)), 1000);
    if (devHints) {
      const dev = await fetch(`/api/dev/sms?phone=${encodeURIComponent(phone)}`).then((r) => r.json());
      if (dev.code) setNotice(`开发环境短信：验证码 ${dev.code}`);
    }
  }

  return (
    <form action={action}>
      <input type="hidden" name="next" value={next} />
      <label className="field">
        <span>手机号</span>
        <input className="input" name="phone" inputMode="numeric" autoComplete="tel" placeholder="请输入手机号" value={phone} onChange={(e) => setPhone(e.target.value)} required />
      </label>
      <label className="field">
        <span>验证码</span>
        <div className="row">
          <input className="input" name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} placeholder="6 位验证码" value={code} onChange={(e) => setCode(e.target.value)} required />
          <button type="button" className="btn" onClick={sendCode} disabled={cooldown > 0 || phone.length < 11}>
            {cooldown > 0 ? `${cooldown}s` : "获取验证码"}
          </button>
        </div>
      </label>
      {notice && <p className="notice" data-testid="sms-notice">{notice}</p>}
      {(error || state.error) && <p className="error" role="alert">{error || state.error}</p>}
      <button className="btn btn-primary btn-block" disabled={pending}>{pending ? "登录中…" : "登录 / 注册"}</button>
      <p className="muted" style={{ marginTop: 12 }}>未注册的手机号验证后将自动创建账号</p>
    </form>
  );
}
