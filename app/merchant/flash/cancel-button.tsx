"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { mutate } from "@/components/client/gql";

const CANCEL = `mutation($id: ID!) { cancelFlashSale(id: $id) { flashSale { id state } errors { code message field } } }`;

/** Calls off a sale that has not started; its units go back to the SKU. */
export function CancelFlashSale({ id }: { id: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function cancel() {
    if (!confirm("确定取消该秒杀活动吗？预留库存将退回商品。")) return;
    setBusy(true);
    const result = await mutate(CANCEL, { id }, "cancelFlashSale");
    setBusy(false);
    if (!result.ok) return setError(result.message);
    router.refresh();
  }
  return (
    <>
      <button className="btn btn-sm" onClick={cancel} disabled={busy}>取消</button>
      {error && <div className="error">{error}</div>}
    </>
  );
}
