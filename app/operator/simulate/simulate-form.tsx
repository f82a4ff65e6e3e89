"use client";

import { useState } from "react";
import { gqlFetch } from "@/components/client/gql";

const RUN = `mutation($s: String!) { simulateScenario(scenario: $s) { outcome errors { code message field } } }`;

export function SimulateForm() {
  const [scenario, setScenario] = useState("");
  const [outcome, setOutcome] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function run() {
    setBusy(true);
    setError(null);
    setOutcome(null);
    const { data, errors } = await gqlFetch<{ simulateScenario: { outcome: string | null; errors: { message: string }[] } }>(RUN, { s: scenario });
    setBusy(false);
    if (errors.length) return setError(errors[0].message);
    const r = data!.simulateScenario;
    if (r.errors.length) return setError(r.errors[0].message);
    setOutcome(r.outcome);
  }
  return (
    <div>
      <input type="file" accept="application/json" onChange={async (e) => setScenario(await e.target.files?.[0]?.text() ?? "")} />
      <textarea className="textarea" rows={14} value={scenario} onChange={(e) => setScenario(e.target.value)} placeholder='{"rules": {...}, "users": [...], "events": [...]}' style={{ fontFamily: "monospace", marginTop: 8 }} />
      <button className="btn btn-primary" onClick={run} disabled={busy || !scenario}>{busy ? "模拟中…" : "运行模拟"}</button>
      {error && <p className="error" role="alert">{error}</p>}
      {outcome && <pre className="card" style={{ overflow: "auto", maxHeight: 500 }} data-testid="simulation-outcome">{outcome}</pre>}
    </div>
  );
}
