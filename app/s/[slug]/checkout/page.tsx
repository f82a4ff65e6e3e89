import Link from "next/link";
import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { ShopShell } from "@/components/shop-shell";
import { CheckoutForm, type AddressData, type PreviewData } from "./checkout-form";

export const metadata = { title: "确认订单" };

const CHECKOUT = `query Checkout($input: CheckoutPreviewInput!) {
  checkoutPreview(input: $input) {
    preview { goodsAmount { amount } freightAmount { amount } discountAmount { amount } totalAmount { amount }
      pointsAvailable pointsMaxUsable pointsUsed pointsDiscount { amount }
      coupons { id issuer title face usableUntil applied discount { amount } reason }
      lines { skuId title skuLabel image quantity unitPrice { amount } amount { amount } stock } }
    errors { code message field }
  }
  myAddresses { id recipient phone province city district detail isDefault }
}`;

/** items=<skuId>:<qty>,<skuId>:<qty> — from "buy now" or the cart. */
function parseItems(raw: string | undefined) {
  return (raw ?? "")
    .split(",")
    .filter(Boolean)
    .slice(0, 50)
    .map((pair) => {
      const [skuId, qty] = pair.split(":");
      return { skuId, quantity: Number(qty) || 1 };
    });
}

export default async function CheckoutPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ items?: string; fromCart?: string }>;
}) {
  const { slug } = await params;
  const sp = await searchParams;
  await requireRole("CONSUMER", `/s/${slug}/checkout?${new URLSearchParams(sp as Record<string, string>)}`);
  const items = parseItems(sp.items);
  const data = await query<{
    checkoutPreview: { preview: PreviewData | null; errors: { message: string }[] };
    myAddresses: AddressData[];
  }>(CHECKOUT, { input: { storeSlug: slug, items } });
  const { preview, errors } = data.checkoutPreview;
  return (
    <ShopShell slug={slug} title="确认订单" back={`/s/${slug}`} hideTabbar>
      {preview ? (
        <CheckoutForm slug={slug} items={items} fromCart={sp.fromCart === "1"} preview={preview} addresses={data.myAddresses} />
      ) : (
        <div className="shop-body">
          <p className="error" role="alert">{errors[0]?.message ?? "无法结算"}</p>
          <Link className="btn" href={`/s/${slug}`}>返回店铺</Link>
        </div>
      )}
    </ShopShell>
  );
}
