"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { mutate } from "@/components/client/gql";

const SET = `mutation($input: SetListingStatusInput!) { setListingStatus(input: $input) { listing { id status } errors { code message field } } }`;

export function ShelfToggle({ listingId, status }: { listingId: string; status: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const next = status === "ON_SHELF" ? "OFF_SHELF" : "ON_SHELF";
  async function toggle() {
    const result = await mutate(SET, { input: { listingId, status: next } }, "setListingStatus");
    if (!result.ok) return setError(result.message);
    router.refresh();
  }
  return (
    <>
      {error && <span className="error">{error}</span>}
      <button className="btn btn-sm" onClick={toggle}>{next === "OFF_SHELF" ? "下架" : "重新上架"}</button>
    </>
  );
}
