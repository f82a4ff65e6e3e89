import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { PortalShell } from "@/components/portal-shell";
import { formatTime } from "@/components/format";
import { PublishForm } from "./publish-form";

const RULES = `{ ruleSets { version k rDirectBp rTeamBp rPeerBp maxDepth capTotalBp settleDays effectiveAt createdAt } }`;
type V = { version: number; k: number; rDirectBp: number; rTeamBp: number; rPeerBp: number; maxDepth: number; capTotalBp: number; settleDays: number; effectiveAt: string; createdAt: string };
const pct = (bp: number) => `${bp / 100}%`;

export default async function RuleSetsPage() {
  const viewer = await requireRole("OPERATOR", "/operator/rules");
  const { ruleSets } = await query<{ ruleSets: V[] }>(RULES);
  return (
    <PortalShell kind="operator" title="链动2+1 规则" who={viewer.nickname}>
      <section className="card">
        <h3>发布新版本</h3>
        <p className="muted">法定上限：层级 ≤ 3，单笔奖励合计 ≤ 30%，结算期 ≥ 7 天。超出上限的值由服务器拒绝。新版本只影响生效后支付的订单。</p>
        <PublishForm current={ruleSets[0]} />
      </section>
      <table className="table">
        <thead><tr><th>版本</th><th>K</th><th>直推</th><th>团队</th><th>平级</th><th>层级</th><th>上限</th><th>结算期</th><th>生效时间</th></tr></thead>
        <tbody>
          {ruleSets.map((r) => (
            <tr key={r.version}><td>v{r.version}</td><td>{r.k}</td><td>{pct(r.rDirectBp)}</td><td>{pct(r.rTeamBp)}</td><td>{pct(r.rPeerBp)}</td><td>{r.maxDepth}</td><td>{pct(r.capTotalBp)}</td><td>{r.settleDays} 天</td><td>{formatTime(r.effectiveAt)}</td></tr>
          ))}
        </tbody>
      </table>
    </PortalShell>
  );
}
