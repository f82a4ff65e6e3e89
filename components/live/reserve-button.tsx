"use client";

import { useState } from "react";
import { gqlFetch } from "@/components/client/gql";

const RESERVE = `mutation($liveId: ID!) { reserveLive(liveId: $liveId) }`;

/** 预约 a scheduled live (signed-in buyers; others are sent to sign in). */
export function ReserveButton({ liveId, reserved, signInHref }: { liveId: string; reserved: boolean; signInHref: string }) {
  const [done, setDone] = useState(reserved);
  const [error, setError] = useState<string | null>(null);
  if (done) return <span className="tag tag-gray" data-testid="reserved">已预约</span>;
  return (
    <>
      <button
        type="button"
        className="btn btn-primary btn-sm"
        data-testid="reserve"
        onClick={async (e) => {
          e.preventDefault();
          const { errors } = await gqlFetch<{ reserveLive: boolean }>(RESERVE, { liveId });
          if (errors[0]?.extensions?.code === "UNAUTHENTICATED") return window.location.assign(signInHref);
          if (errors.length) return setError(errors[0].message);
          setDone(true);
        }}
      >
        预约
      </button>
      {error && <small className="field-error">{error}</small>}
    </>
  );
}
