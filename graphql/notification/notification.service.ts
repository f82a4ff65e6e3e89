import { and, count, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { notifications } from "@/db/schema";

export type NotificationKind = "PROMOTED" | "REWARDS_SETTLED" | "WITHDRAWAL" | "RISK_REVIEW" | "LIVE_STARTED" | "GROUP_SUCCEEDED" | "GROUP_FAILED" | "LIVE_TASK";

export type NewNotification = { userId: string; kind: NotificationKind; title: string; body: string; link?: string | null };

/**
 * Writes in-app notifications inside the caller's transaction: a notification exists exactly when
 * the event it announces was committed. (There is no SMS or push: the notification centre is the channel.)
 */
export async function notify(tx: Db, items: NewNotification | NewNotification[], now: Date): Promise<void> {
  const list = Array.isArray(items) ? items : [items];
  if (!list.length) return;
  await tx.insert(notifications).values(list.map((n) => ({ ...n, link: n.link ?? null, createdAt: now })));
}

/** The person's notifications, newest first (along notifications_user_idx). */
export function listNotifications(db: Db, userId: string, window: { offset: number; limit: number }) {
  return db
    .select()
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .offset(window.offset)
    .limit(window.limit + 1);
}

export async function unreadCount(db: Db, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.read, false)));
  return Number(row.n);
}

/**
 * Marks the given notifications (or all, when `ids` is null) as read. Only the person's own rows
 * are touched: ids of someone else's notifications are ignored, never an error that would confirm
 * they exist. Returns the unread count afterwards.
 */
export async function markRead(db: Db, userId: string, ids: string[] | null): Promise<number> {
  await db
    .update(notifications)
    .set({ read: true })
    .where(and(eq(notifications.userId, userId), eq(notifications.read, false), ids ? inArray(notifications.id, ids) : undefined));
  return unreadCount(db, userId);
}
