"use client";

import { useState } from "react";
import { gqlFetch } from "@/components/client/gql";

const RESERVE = {
  /** A consumer reserves a store's live. */
  SALES: `mutation($liveId: ID!) { reserveLive(liveId: $liveId) }`,
  /** A merchant reserves a supplier's training live (typed errors in the payload). */
  TRAINING: `mutation($liveId: ID!) { reserveTrainingLive(liveId: $liveId) { errors { code message } } }`,
};

type Answer = { reserveLive?: boolean; reserveTrainingLive?: { errors: { code: string; message: string }[] } };

/** 预约 a scheduled live: notified in the notification centre when it starts (people not signed in are sent to sign in). */
export function ReserveButton({ liveId, reserved, signInHref, kind = "SALES" }: { liveId: string; reserved: boolean; signInHref: string; kind?: keyof typeof RESERVE }) {
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
          setError(null);
          const { data, errors } = await gqlFetch<Answer>(RESERVE[kind], { liveId });
          if (errors[0]?.extensions?.code === "UNAUTHENTICATED") return window.location.assign(signInHref);
          const refused = errors[0]?.message ?? data?.reserveTrainingLive?.errors[0]?.message ?? (data?.reserveLive === false ? "该直播不可预约" : null);
          if (refused) return setError(refused);
          setDone(true);
        }}
      >
        预约
      </button>
      {error && <small className="field-error" role="alert">{error}</small>}
    </>
  );
}
