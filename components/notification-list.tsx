import Link from "next/link";
import { query } from "@/components/server/query";
import { formatTime } from "@/components/format";
import { MarkAllRead } from "@/components/mark-all-read";

const INBOX = `query Inbox($after: String) {
  unreadNotificationCount
  myNotifications(first: 30, after: $after) { nodes { id kind title body link read createdAt } pageInfo { hasNextPage endCursor } }
}`;

type Data = {
  unreadNotificationCount: number;
  myNotifications: { nodes: { id: string; kind: string; title: string; body: string; link: string | null; read: boolean; createdAt: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
};

/**
 * The signed-in person's notification centre (in-app only, no SMS): unread count, mark all read,
 * newest first, 30 a page; `basePath` is the page it sits on, for the "earlier" link.
 */
export async function NotificationList({ after, basePath }: { after: string | undefined; basePath: string }) {
  const d = await query<Data>(INBOX, { after: after || null });
  const list = d.myNotifications;
  return (
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
      {list.pageInfo.hasNextPage && <Link className="btn btn-sm" href={`${basePath}?after=${list.pageInfo.endCursor}`}>更早的消息</Link>}
    </section>
  );
}
