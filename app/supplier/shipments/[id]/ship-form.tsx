"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { gqlFetch, mutate } from "@/components/client/gql";

const SHIP = `mutation($input: ShipShipmentInput!) { shipShipment(input: $input) { shipment { id status } errors { code message field } } }`;
const REVEAL = `mutation($id: ID!) { revealShipmentRecipient(shipmentId: $id) { recipient } }`;
const CARRIERS = ["顺丰速运", "中通快递", "圆通速递", "韵达快递", "申通快递", "京东物流", "邮政EMS"];

export function ShipForm({ shipmentId }: { shipmentId: string }) {
  const router = useRouter();
  const [carrier, setCarrier] = useState(CARRIERS[0]);
  const [trackingNo, setTrackingNo] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [recipient, setRecipient] = useState<string | null>(null);

  async function ship() {
    setError(null);
    const result = await mutate(SHIP, { input: { shipmentId, carrier, trackingNo } }, "shipShipment");
    if (!result.ok) return setError(result.message);
    router.refresh();
  }

  async function reveal() {
    const { data, errors } = await gqlFetch<{ revealShipmentRecipient: { recipient: string } }>(REVEAL, { id: shipmentId });
    if (errors.length) return setError(errors[0].message);
    setRecipient(data!.revealShipmentRecipient.recipient);
  }

  return (
    <div>
      <div className="row" style={{ flexWrap: "wrap" }}>
        <select className="select" style={{ maxWidth: 160 }} value={carrier} onChange={(e) => setCarrier(e.target.value)} aria-label="快递公司">
          {CARRIERS.map((c) => <option key={c}>{c}</option>)}
        </select>
        <input className="input" style={{ maxWidth: 260 }} placeholder="运单号" value={trackingNo} onChange={(e) => setTrackingNo(e.target.value)} aria-label="运单号" />
        <button className="btn btn-primary" onClick={ship} disabled={!trackingNo}>确认发货</button>
        <button className="btn" onClick={reveal}>打印面单（查看完整姓名）</button>
      </div>
      {recipient && <p className="notice">收货人完整姓名：{recipient}</p>}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}
