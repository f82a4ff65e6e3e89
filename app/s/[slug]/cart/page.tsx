import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { ShopShell } from "@/components/shop-shell";
import { CartView, type CartData } from "./cart-view";

export const metadata = { title: "购物车" };

const CART = `query Cart($slug: String!) {
  shopStore(slug: $slug) { name }
  myCart(storeSlug: $slug) { itemCount goodsAmount { amount } lines { id skuId productId title skuLabel image quantity unitPrice { amount } stock available } }
}`;

export default async function CartPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await requireRole("CONSUMER", `/s/${slug}/cart`);
  const data = await query<{ shopStore: { name: string }; myCart: CartData }>(CART, { slug });
  return (
    <ShopShell slug={slug} title={`购物车 · ${data.shopStore.name}`} active="cart">
      <CartView slug={slug} initial={data.myCart} />
    </ShopShell>
  );
}
