import Link from "next/link";
import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { ShopShell } from "@/components/shop-shell";
import { formatTime } from "@/components/format";
import { MarkAllRead } from "./mark-all-read";

export const metadata = { title: "消息" };

const INBOX = `query Inbox($after: String) {
  unreadNotificationCount
  myNotifications(first: 30, after: $after) { nodes { id kind title body link read createdAt } pageInfo { hasNextPage endCursor } }
}`;

type Data = {
  unreadNotificationCount: number;
  myNotifications: { nodes: { id: string; kind: string; title: string; body: string; link: string | null; read: boolean; createdAt: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
};

/** The notification centre: promotion, settlement, withdrawals, risk reviews, live reminders. In-app only. */
export default async function NotificationsPage({ searchParams }: { searchParams: Promise<{ after?: string }> }) {
  await requireRole("CONSUMER", "/me/notifications");
  const { after } = await searchParams;
  const d = await query<Data>(INBOX, { after: after || null });
  const list = d.myNotifications;
  return (
    <ShopShell title="消息" back="/me/orders" active="inbox">
      <div className="shop-body">
        <section className="card">
          <div className="row between">
            <span className="muted">{d.unreadNotificationCount ? `${d.unreadNotificationCount} 条未读` : "全部已读"}</span>
            {d.unreadNotificationCount > 0 && <MarkAllRead />}
          </div>
          {list.nodes.length === 0 && <p className="muted">暂无消息</p>}
          {list.nodes.map((n) => {
            const body = (
              <>
                <div className="row between"><strong>{n.title}</strong><span className="muted">{formatTime(n.createdAt)}</span></div>
                <div className="muted">{n.body}</div>
              </>
            );
            return n.link ? (
              <Link key={n.id} href={n.link} className={`notice ${n.read ? "" : "unread"}`} data-testid="notice">{body}</Link>
            ) : (
              <div key={n.id} className={`notice ${n.read ? "" : "unread"}`} data-testid="notice">{body}</div>
            );
          })}
          {list.pageInfo.hasNextPage && <Link className="btn btn-sm" href={`/me/notifications?after=${list.pageInfo.endCursor}`}>更早的消息</Link>}
        </section>
      </div>
    </ShopShell>
  );
}
