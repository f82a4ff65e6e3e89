import { getRuntime } from "@/graphql/runtime-access";
import { handleProviderNotification } from "@/graphql/payment/payment.service";

/**
 * Payment providers post their notifications here. Forged signatures, unknown payments and wrong
 * amounts are refused and change nothing; duplicates are acknowledged without effect.
 */
export async function POST(request: Request, { params }: { params: Promise<{ provider: string }> }) {
  const rt = await getRuntime();
  const provider = rt.services.payments[(await params).provider];
  const body = await request.text();
  if (body.length > 10_000) return Response.json({ code: "FAIL" }, { status: 413 });
  const ctx = { db: rt.services.db, now: rt.services.clock.now() };
  const result = await handleProviderNotification(ctx, provider, body, request.headers);
  return Response.json(result.ok ? { code: "SUCCESS", outcome: result.outcome } : { code: "FAIL" }, { status: result.ok ? 200 : 400 });
}
