"use client";

import { useRef, useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { mutate, newIdempotencyKey, payAndGo } from "@/components/client/gql";
import { AddressPicker, defaultAddressId, type AddressData } from "@/components/address-picker";
import { FlashBadge, FlashProgress, FLASH_STATE_TEXT, type ShopFlashSaleData } from "@/components/flash-parts";
import { FlashCountdown } from "@/components/flash-countdown";
import { Price } from "@/components/shop-parts";

const PLACE = `mutation($input: PlaceFlashOrderInput!) {
  placeFlashOrder(input: $input) { order { id totalAmount { amount } freightAmount { amount } } errors { code message field } }
}`;

/** Refusals after which the sale itself has moved on: refresh so the page shows its new state. */
const STATE_CODES = new Set(["SOLD_OUT", "NOT_STARTED", "ENDED", "FLASH_SALE_NOT_FOUND"]);

type Placed = { id: string; total: number; freight: number };

/**
 * Quantity (up to the per-person limit) and address, then 立即抢购: one idempotency key per page
 * load, kept across retries, so a double click or a retry after a lost answer returns the same
 * order instead of buying twice. A placed order goes straight to payment (5-minute window).
 */
export function FlashCheckout({ slug, sale, addresses, serverNow }: { slug: string; sale: ShopFlashSaleData; addresses: AddressData[]; serverNow: string }) {
  const router = useRouter();
  const [quantity, setQuantity] = useState(1);
  const [addressId, setAddressId] = useState(() => defaultAddressId(addresses));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [placed, setPlaced] = useState<Placed | null>(null);
  const key = useRef(newIdempotencyKey());
  const order = useRef<Placed | null>(null);
  const inFlight = useRef(false);
  const limit = Math.max(1, sale.perUserLimit);
  const active = sale.state === "ACTIVE";

  async function submit() {
    if (inFlight.current) return;
    if (!addressId) return setError("请先添加收货地址");
    inFlight.current = true;
    try {
      await buy();
    } finally {
      inFlight.current = false;
    }
  }

  async function buy() {
    setBusy(true);
    setError(null);
    if (!order.current) {
      const result = await mutate<{ order: { id: string; totalAmount: { amount: number }; freightAmount: { amount: number } }; errors: [] }>(
        PLACE,
        { input: { flashSaleId: sale.id, quantity, addressId, idempotencyKey: key.current } },
        "placeFlashOrder",
      );
      if (!result.ok) {
        setBusy(false);
        setError(result.message);
        if (result.code && STATE_CODES.has(result.code)) router.refresh();
        return;
      }
      const o = result.payload.order;
      order.current = { id: o.id, total: o.totalAmount.amount, freight: o.freightAmount.amount };
      setPlaced(order.current);
    }
    const problem = await payAndGo(order.current.id);
    if (problem) {
      setBusy(false);
      setError(problem);
    }
  }

  return (
    <div className="shop-body" style={{ paddingBottom: 80 }}>
      <section className="card flash-card">
        {/* eslint-disable-next-line @next/next/no-img-element */}
        {sale.image && <img src={sale.image} alt={sale.productTitle} />}
        <div className="grow">
          <div className="row between" style={{ gap: 6 }}>
            <h2 className="ellipsis" style={{ fontSize: 16, margin: 0 }}>{sale.productTitle}</h2>
            <FlashBadge state={sale.state} />
          </div>
          <div className="muted">{sale.skuLabel}</div>
          <div className="flash-price"><Price fen={sale.flashPrice.amount} original={sale.listPrice.amount} /></div>
          <FlashCountdown state={sale.state} startsAt={sale.startsAt} endsAt={sale.endsAt} serverNow={serverNow} />
          <FlashProgress remaining={sale.remaining} totalStock={sale.totalStock} />
        </div>
      </section>
      <section className="card">
        <div className="row between">
          <span>购买数量 <span className="muted">每人限购 {limit} 件</span></span>
          <span className="stepper">
            <button type="button" onClick={() => setQuantity((q) => Math.max(1, q - 1))} aria-label="减少" disabled={!!placed}>−</button>
            <input aria-label="数量" value={quantity} readOnly={!!placed} onChange={(e) => setQuantity(Math.max(1, Math.min(limit, Number(e.target.value) || 1)))} />
            <button type="button" onClick={() => setQuantity((q) => Math.min(limit, q + 1))} aria-label="增加" disabled={!!placed}>+</button>
          </span>
        </div>
      </section>
      <AddressPicker initial={addresses} value={addressId} onChange={setAddressId} disabled={!!placed} />
      {placed && (
        <p className="notice" role="status" data-testid="flash-placed">
          抢购成功！实付 ¥{(placed.total / 100).toFixed(2)}{placed.freight ? `（含运费 ¥${(placed.freight / 100).toFixed(2)}）` : ""}，请在 5 分钟内完成支付，超时订单将自动取消。
          <Link href={`/me/orders/${placed.id}`} style={{ textDecoration: "underline", marginLeft: 4 }}>查看订单</Link>
        </p>
      )}
      {error && <p className="error" role="alert">{error}</p>}
      <div className="buybar">
        <div className="grow">
          秒杀价：<Price fen={sale.flashPrice.amount * quantity} />
          <div className="muted">{quantity} 件，不含运费</div>
        </div>
        {placed ? (
          <button className="btn btn-primary" onClick={submit} disabled={busy}>{busy ? "正在前往支付…" : "去支付"}</button>
        ) : (
          <button className="btn btn-primary" onClick={submit} disabled={busy || !active}>
            {busy ? "抢购中…" : active ? "立即抢购" : FLASH_STATE_TEXT[sale.state]}
          </button>
        )}
      </div>
    </div>
  );
}
