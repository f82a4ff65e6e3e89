"use client";

import { useActionState } from "react";
import { passwordSignInAction, type SignInState } from "@/app/login/actions";

export function PasswordLoginForm({ next }: { next: string }) {
  const [state, action, pending] = useActionState<SignInState, FormData>(passwordSignInAction, { error: null });
  return (
    <form action={action}>
      <input type="hidden" name="next" value={next} />
      <label className="field">
        <span>账号</span>
        <input className="input" name="login" autoComplete="username" required />
      </label>
      <label className="field">
        <span>密码</span>
        <input className="input" name="password" type="password" autoComplete="current-password" required />
      </label>
      {state.error && <p className="error" role="alert">{state.error}</p>}
      <button className="btn btn-primary btn-block" disabled={pending}>{pending ? "登录中…" : "登录"}</button>
    </form>
  );
}
