import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { ShopShell } from "@/components/shop-shell";
import { PrivacyControls } from "./privacy-controls";

export const metadata = { title: "隐私与数据" };

export default async function PrivacyPage() {
  await requireRole("CONSUMER", "/me/privacy");
  const d = await query<{ myPrivacySettings: { personalizedRecommendations: boolean } }>(`{ myPrivacySettings { personalizedRecommendations } }`);
  return (
    <ShopShell title="隐私与数据" back="/me/orders" active="orders">
      <div className="shop-body">
        <PrivacyControls personalized={d.myPrivacySettings.personalizedRecommendations} />
      </div>
    </ShopShell>
  );
}
