"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { mutate } from "@/components/client/gql";

const DISABLE = `mutation($id: ID!) { disableGroupBuyOffer(id: $id) { offer { id state } errors { code message field } } }`;

/** Stops an offer: no new groups; groups already open run to their deadline. */
export function DisableGroupOffer({ id }: { id: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function disable() {
    if (!confirm("确定停止该拼团活动吗？已开的团仍可在时限内成团。")) return;
    setBusy(true);
    const result = await mutate(DISABLE, { id }, "disableGroupBuyOffer");
    setBusy(false);
    if (!result.ok) return setError(result.message);
    router.refresh();
  }
  return (
    <>
      <button className="btn btn-sm" onClick={disable} disabled={busy}>停止</button>
      {error && <div className="error">{error}</div>}
    </>
  );
}
