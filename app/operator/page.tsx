import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { PortalShell } from "@/components/portal-shell";
import { EconomicsForm } from "./economics-form";

const SETTINGS = `query OperatorHome {
  platformEconomics { platformFeeBp commissionCapBp commissionCapCeilingBp }
  ledgerHealth { balanced unbalancedTransactions }
}`;

type Data = {
  platformEconomics: { platformFeeBp: number; commissionCapBp: number; commissionCapCeilingBp: number };
  ledgerHealth: { balanced: boolean; unbalancedTransactions: number };
};

export default async function OperatorHome() {
  const viewer = await requireRole("OPERATOR", "/operator");
  const d = await query<Data>(SETTINGS);
  return (
    <PortalShell kind="operator" title="平台设置" who={viewer.nickname}>
      <section className="card">
        <h3>账本</h3>
        {d.ledgerHealth.balanced ? <p className="success">全部账务交易借贷平衡</p> : <p className="error">{d.ledgerHealth.unbalancedTransactions} 笔交易不平衡</p>}
      </section>
      <section className="card">
        <h3>费率</h3>
        <EconomicsForm initial={d.platformEconomics} />
      </section>
    </PortalShell>
  );
}
