"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { mutate } from "@/components/client/gql";

const REVIEW = `mutation($input: ReviewWithdrawalInput!) { reviewWithdrawal(input: $input) { errors { code message field } } }`;
const RETRY = `mutation($input: RetryWithdrawalInput!) { retryWithdrawal(input: $input) { errors { code message field } } }`;

export function ReviewButtons({ id, status }: { id: string; status: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  async function run(doc: string, field: string, input: Record<string, unknown>) {
    const result = await mutate(doc, { input }, field);
    if (!result.ok) return setError(result.message);
    router.refresh();
  }
  if (status === "REQUESTED") {
    return (
      <span className="row">
        <button className="btn btn-sm btn-primary" onClick={() => run(REVIEW, "reviewWithdrawal", { id, approve: true })}>通过并打款</button>
        <button className="btn btn-sm" onClick={() => { const note = prompt("驳回原因（用户可见）"); if (note) run(REVIEW, "reviewWithdrawal", { id, approve: false, note }); }}>驳回</button>
        {error && <span className="error">{error}</span>}
      </span>
    );
  }
  if (status === "FAILED") {
    return (
      <span className="row">
        <button className="btn btn-sm" onClick={() => run(RETRY, "retryWithdrawal", { id })}>重新审核</button>
        {error && <span className="error">{error}</span>}
      </span>
    );
  }
  return null;
}
