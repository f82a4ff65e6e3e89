import { notFound } from "next/navigation";
import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { serverNow } from "@/components/server/clock";
import { ShopShell } from "@/components/shop-shell";
import type { AddressData } from "@/components/address-picker";
import { SHOP_FLASH_SALE_FIELDS, type ShopFlashSaleData } from "@/components/flash-parts";
import { FlashCheckout } from "./flash-checkout";

export const metadata = { title: "秒杀抢购" };

const FLASH_CHECKOUT = `query FlashCheckout($id: ID!, $slug: String!) {
  shopFlashSale(id: $id) { ${SHOP_FLASH_SALE_FIELDS} }
  storeSales: shopFlashSales(storeSlug: $slug) { id }
  myAddresses { id recipient phone province city district detail isDefault }
}`;

type Data = { shopFlashSale: ShopFlashSaleData | null; storeSales: { id: string }[]; myAddresses: AddressData[] };

/** 秒杀 checkout: one SKU at the flash price, a quantity up to the per-person limit, an address. */
export default async function FlashCheckoutPage({ params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await params;
  await requireRole("CONSUMER", `/s/${slug}/flash/${id}`);
  const [data, now] = await Promise.all([query<Data>(FLASH_CHECKOUT, { id, slug }), serverNow()]);
  const sale = data.shopFlashSale;
  // The store's venue lists every sale of it that is not over; a live sale missing there is another store's.
  if (!sale || (sale.state !== "ENDED" && !data.storeSales.some((s) => s.id === sale.id))) notFound();
  return (
    <ShopShell slug={slug} title="秒杀抢购" back={`/s/${slug}/flash`} hideTabbar>
      <FlashCheckout slug={slug} sale={sale} addresses={data.myAddresses} serverNow={now} />
    </ShopShell>
  );
}
