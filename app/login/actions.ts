"use server";

import { randomUUID } from "node:crypto";
import { cookies } from "next/headers";
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

/**
 * The first-party device id (risk pairs: an inviter and invitee on one device accrue nothing) and
 * the invite the visitor arrived through, if any.
 */
async function arrival() {
  const jar = await cookies();
  let device = jar.get("lb_did")?.value;
  if (!device) {
    device = randomUUID();
    jar.set("lb_did", device, { httpOnly: true, sameSite: "lax", path: "/", maxAge: 365 * 86_400 });
  }
  return {
    device,
    inviteCode: jar.get("lb_invite")?.value ?? "",
    channel: jar.get("lb_channel")?.value ?? "",
    storeId: jar.get("lb_store")?.value ?? "",
  };
}

export async function smsSignInAction(_prev: SignInState, form: FormData): Promise<SignInState> {
  try {
    const from = await arrival();
    await signIn("sms", { phone: form.get("phone"), code: form.get("code"), ...from, redirectTo: safeNext(form.get("next"), "/me/orders") });
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
