import Link from "next/link";
import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { PortalShell } from "@/components/portal-shell";
import { formatFen } from "@/graphql/platform/money";
import { formatTime } from "@/components/format";
import { ReviewButtons } from "./review-buttons";

const QUEUE = `query Queue($status: WithdrawalStatus) {
  withdrawalQueue(status: $status, first: 50) { nodes { id nickname payeeName payeeAccount amount { amount } fee { amount } status payoutNo note createdAt } }
}`;

type Row = { id: string; nickname: string; payeeName: string; payeeAccount: string; amount: { amount: number }; fee: { amount: number }; status: string; payoutNo: string; note: string | null; createdAt: string };
const TABS = [["REQUESTED", "待审核"], ["FAILED", "打款失败"], ["PAID", "已打款"], ["REJECTED", "已驳回"]] as const;

export default async function WithdrawalsPage({ searchParams }: { searchParams: Promise<{ status?: string }> }) {
  const viewer = await requireRole("OPERATOR", "/operator/withdrawals");
  const { status } = await searchParams;
  const current = TABS.some(([k]) => k === status) ? status! : "REQUESTED";
  const { withdrawalQueue } = await query<{ withdrawalQueue: { nodes: Row[] } }>(QUEUE, { status: current });
  const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
  return (
    <PortalShell kind="operator" title="提现审核" who={viewer.nickname} actions={<a className="btn btn-sm" href={`/api/operator/income?month=${month}`}>导出本月收入（个税申报）</a>}>
      <div className="chips">{TABS.map(([k, label]) => <Link key={k} className={`chip ${current === k ? "active" : ""}`} href={`/operator/withdrawals?status=${k}`}>{label}</Link>)}</div>
      <table className="table">
        <thead><tr><th>用户</th><th>收款人</th><th>账号</th><th>金额</th><th>手续费</th><th>单号</th><th>申请时间</th><th></th></tr></thead>
        <tbody>
          {withdrawalQueue.nodes.map((w) => (
            <tr key={w.id}>
              <td>{w.nickname}</td><td>{w.payeeName}</td><td>{w.payeeAccount}</td><td>{formatFen(w.amount.amount)}</td><td>{formatFen(w.fee.amount)}</td><td className="muted">{w.payoutNo}</td><td className="muted">{formatTime(w.createdAt)}</td>
              <td><ReviewButtons id={w.id} status={w.status} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      {withdrawalQueue.nodes.length === 0 && <p className="muted">没有记录</p>}
    </PortalShell>
  );
}
