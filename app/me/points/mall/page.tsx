import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { ShopShell } from "@/components/shop-shell";
import { MallList, type MallItem } from "./mall-list";
import type { AddressData } from "@/components/address-picker";

export const metadata = { title: "积分商城" };

const MALL = `query PointsMall {
  myPoints { balance }
  pointsMall { id kind title pointsPrice remaining perUserLimit redeemedByMe endsAt couponFace couponUsableUntil productTitle skuLabel image price { amount } }
  myAddresses { id recipient phone province city district detail isDefault }
}`;

/** The points mall: platform coupons and products for points. */
export default async function PointsMallPage() {
  await requireRole("CONSUMER", "/me/points/mall");
  const d = await query<{ myPoints: { balance: number }; pointsMall: MallItem[]; myAddresses: AddressData[] }>(MALL);
  return (
    <ShopShell title="积分商城" back="/me/points" active="orders">
      <MallList items={d.pointsMall} balance={d.myPoints.balance} addresses={d.myAddresses} />
    </ShopShell>
  );
}
