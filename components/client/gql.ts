"use client";

export type GqlError = { message: string; extensions?: { code?: string } };
export type PayloadError = { code: string; message: string; field: string | null };

/** Calls /api/graphql from the browser with the session cookie (JSON body: passes CSRF prevention). */
export async function gqlFetch<T>(query: string, variables?: Record<string, unknown>): Promise<{ data: T | null; errors: GqlError[] }> {
  const res = await fetch("/api/graphql", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const json = (await res.json().catch(() => ({ errors: [{ message: "网络错误，请重试" }] }))) as { data?: T; errors?: GqlError[] };
  return { data: json.data ?? null, errors: json.errors ?? [] };
}

/**
 * Runs a mutation whose payload has `errors: [XError!]!` and returns either the payload or the
 * first message to show the person (with its code and, for forms, the input field at fault).
 */
export async function mutate<T extends { errors: PayloadError[] }>(
  query: string,
  variables: Record<string, unknown>,
  field: string,
): Promise<{ ok: true; payload: T } | { ok: false; message: string; code?: string; field?: string | null }> {
  const { data, errors } = await gqlFetch<Record<string, T>>(query, variables);
  if (errors.length) return { ok: false, message: errors[0].message, code: errors[0].extensions?.code };
  const payload = data?.[field];
  if (!payload) return { ok: false, message: "请求失败，请重试" };
  if (payload.errors.length) return { ok: false, message: payload.errors[0].message, code: payload.errors[0].code, field: payload.errors[0].field };
  return { ok: true, payload };
}

export function newIdempotencyKey(): string {
  return crypto.randomUUID().replace(/-/g, "");
}

const PAY = `mutation($input: PayOrderInput!) { payOrder(input: $input) { session { payUrl } errors { code message field } } }`;

/** Starts paying an order and goes to the provider's page; returns the message to show when it cannot. */
export async function payAndGo(orderId: string): Promise<string | null> {
  const paid = await mutate<{ session: { payUrl: string }; errors: [] }>(PAY, { input: { orderId } }, "payOrder");
  if (!paid.ok) return paid.message;
  window.location.assign(paid.payload.session.payUrl);
  return null;
}
