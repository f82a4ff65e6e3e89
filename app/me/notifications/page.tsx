import { requireRole } from "@/components/server/viewer";
import { ShopShell } from "@/components/shop-shell";
import { NotificationList } from "@/components/notification-list";

export const metadata = { title: "消息" };

/** The notification centre: promotion, settlement, withdrawals, risk reviews, live reminders. In-app only. */
export default async function NotificationsPage({ searchParams }: { searchParams: Promise<{ after?: string }> }) {
  await requireRole("CONSUMER", "/me/notifications");
  const { after } = await searchParams;
  return (
    <ShopShell title="消息" back="/me/orders" active="inbox">
      <div className="shop-body">
        <NotificationList after={after} basePath="/me/notifications" />
      </div>
    </ShopShell>
  );
}
