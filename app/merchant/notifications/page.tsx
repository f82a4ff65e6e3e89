import { requireRole } from "@/components/server/viewer";
import { PortalShell } from "@/components/portal-shell";
import { NotificationList } from "@/components/notification-list";

export const metadata = { title: "消息中心" };

/** A merchant's notification centre: reserved training lives starting, and whatever else is addressed to the shop owner. */
export default async function MerchantNotifications({ searchParams }: { searchParams: Promise<{ after?: string }> }) {
  const viewer = await requireRole("MERCHANT", "/merchant/notifications");
  const { after } = await searchParams;
  return (
    <PortalShell kind="merchant" title="消息中心" who={viewer.nickname}>
      <NotificationList after={after} basePath="/merchant/notifications" />
    </PortalShell>
  );
}
