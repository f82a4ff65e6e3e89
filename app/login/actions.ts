"use server";

import { AuthError } from "next-auth";
import { signIn, signOut } from "@/app/auth";

export type SignInState = { error: string | null };

/** Only same-site relative paths may be returned to after sign-in (no open redirects). */
function safeNext(value: FormDataEntryValue | null, fallback: string): string {
  const next = typeof value === "string" ? value : "";
  return next.startsWith("/") && !next.startsWith("//") ? next : fallback;
}

function messageFor(e: AuthError): string {
  const code = (e as AuthError & { code?: string }).code;
  return code === "rate_limited" ? "尝试太频繁，请稍后再试" : "";
}

export async function smsSignInAction(_prev: SignInState, form: FormData): Promise<SignInState> {
  try {
    await signIn("sms", { phone: form.get("phone"), code: form.get("code"), redirectTo: safeNext(form.get("next"), "/me/orders") });
    return { error: null };
  } catch (e) {
    if (e instanceof AuthError) return { error: messageFor(e) || "验证码错误或已过期" };
    throw e;
  }
}

export async function passwordSignInAction(_prev: SignInState, form: FormData): Promise<SignInState> {
  try {
    await signIn("password", { login: form.get("login"), password: form.get("password"), redirectTo: safeNext(form.get("next"), "/portal") });
    return { error: null };
  } catch (e) {
    if (e instanceof AuthError) return { error: messageFor(e) || "账号或密码错误" };
    throw e;
  }
}

export async function signOutAction() {
  await signOut({ redirectTo: "/" });
}
