"use client";

import { useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { mutate, newIdempotencyKey, payAndGo } from "@/components/client/gql";
import { AddressPicker, defaultAddressId, type AddressData } from "@/components/address-picker";
import { Price } from "@/components/shop-parts";

const OPEN = `mutation($input: OpenGroupBuyInput!) { openGroupBuy(input: $input) { order { id } groupBuyId errors { code message field } } }`;
const JOIN = `mutation($input: JoinGroupBuyInput!) { joinGroupBuy(input: $input) { order { id } groupBuyId errors { code message field } } }`;

/** Refusals after which the group itself has moved on: refresh so the page shows its new state. */
const STATE_CODES = new Set(["GROUP_FULL", "GROUP_CLOSED", "OFFER_NOT_ACTIVE", "GROUP_ALREADY_JOINED"]);

type Placed = { order: { id: string }; groupBuyId: string; errors: [] };

/**
 * 发起拼团 / 参团 checkout: an address, then one button that places the group order and goes to
 * payment. One idempotency key per page load, kept across retries, so a double tap or a retry after
 * a lost answer returns the same order instead of taking a second seat.
 */
export function GroupCheckout({
  mode,
  targetId,
  price,
  addresses,
  inviteCode,
}: {
  mode: "open" | "join";
  targetId: string;
  price: number;
  addresses: AddressData[];
  inviteCode?: string | null;
}) {
  const router = useRouter();
  const [addressId, setAddressId] = useState(() => defaultAddressId(addresses));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const key = useRef(newIdempotencyKey());
  const orderId = useRef<string | null>(null);

  async function submit() {
    if (busy) return;
    if (!addressId) return setError("请先添加收货地址");
    setBusy(true);
    setError(null);
    if (!orderId.current) {
      const input = { addressId, quantity: 1, idempotencyKey: key.current, ...(mode === "open" ? { offerId: targetId } : { groupBuyId: targetId, inviteCode: inviteCode ?? null }) };
      const result = await mutate<Placed>(mode === "open" ? OPEN : JOIN, { input }, mode === "open" ? "openGroupBuy" : "joinGroupBuy");
      if (!result.ok) {
        setBusy(false);
        setError(result.message);
        if (result.code && STATE_CODES.has(result.code)) router.refresh();
        return;
      }
      orderId.current = result.payload.order.id;
    }
    const problem = await payAndGo(orderId.current);
    if (problem) {
      setBusy(false);
      setError(problem);
    }
  }

  return (
    <>
      <AddressPicker initial={addresses} value={addressId} onChange={setAddressId} disabled={busy} />
      {error && <p className="error" role="alert">{error}</p>}
      <div className="buybar">
        <div className="grow">
          拼团价：<Price fen={price} />
          <div className="muted">1 件，不含运费；未成团自动全额退款</div>
        </div>
        <button className="btn btn-primary" onClick={submit} disabled={busy}>
          {busy ? "正在前往支付…" : mode === "open" ? "支付开团" : "立即参团"}
        </button>
      </div>
    </>
  );
}
