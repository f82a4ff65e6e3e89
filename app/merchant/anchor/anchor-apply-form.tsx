"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { mutate } from "@/components/client/gql";

const APPLY = `mutation($name: String, $idNumber: String) { applyForAnchor(name: $name, idNumber: $idNumber) { anchor { status } errors { code message field } } }`;

/** Applies to be an anchor; asks for the real name and ID number only if not verified yet. */
export function AnchorApplyForm({ needsIdentity }: { needsIdentity: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(form: FormData) {
    setBusy(true);
    setError(null);
    const vars = needsIdentity ? { name: String(form.get("name") ?? ""), idNumber: String(form.get("idNumber") ?? "") } : {};
    const result = await mutate(APPLY, vars, "applyForAnchor");
    setBusy(false);
    if (!result.ok) return setError(result.message);
    router.refresh();
  }
  return (
    <form action={submit}>
      {needsIdentity && (
        <>
          <label className="field"><span>真实姓名</span><input className="input" name="name" required autoComplete="name" /></label>
          <label className="field"><span>身份证号</span><input className="input" name="idNumber" required /></label>
          <p className="muted">实名信息加密保存，仅用于主播认证与提现，平台只显示脱敏后的姓名。</p>
        </>
      )}
      {error && <p className="error" role="alert">{error}</p>}
      <button className="btn btn-primary" disabled={busy}>{busy ? "提交中…" : "申请成为主播"}</button>
    </form>
  );
}
