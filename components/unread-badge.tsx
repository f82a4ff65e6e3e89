import { currentViewer } from "@/components/server/viewer";
import { query } from "@/components/server/query";

/** The unread-notification count on the tab bar; nothing for visitors who are not signed in. */
export async function UnreadBadge() {
  if (!(await currentViewer())) return null;
  const { unreadNotificationCount: n } = await query<{ unreadNotificationCount: number }>(`{ unreadNotificationCount }`);
  if (!n) return null;
  return <span className="badge" data-testid="unread-badge" aria-label={`${n} 条未读`}>{n > 99 ? "99+" : n}</span>;
}
