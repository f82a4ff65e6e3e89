"use client";

import { useRouter } from "next/navigation";
import { gqlFetch } from "@/components/client/gql";

export function MarkAllRead() {
  const router = useRouter();
  async function run() {
    await gqlFetch(`mutation { markNotificationsRead { unreadCount } }`);
    router.refresh();
  }
  return <button className="btn btn-sm" onClick={run}>全部标为已读</button>;
}
