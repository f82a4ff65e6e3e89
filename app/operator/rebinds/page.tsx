import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { PortalShell } from "@/components/portal-shell";
import { formatTime } from "@/components/format";
import { RebindForm } from "./rebind-form";

export const metadata = { title: "改绑记录" };

type Person = { nickname: string; phone: string | null; inviteCode: string | null };
const PERSON = `{ nickname phone inviteCode }`;
const LOG = `{ rebindLog(first: 50) { nodes { id reason createdAt person ${PERSON} from ${PERSON} to ${PERSON} operator ${PERSON} } } }`;
type Row = { id: string; reason: string; createdAt: string; person: Person; from: Person | null; to: Person; operator: Person };

const who = (p: Person | null) => (p ? `${p.nickname} ${p.phone ?? ""}` : "（无）");

/** Only an operator re-binds (rule book §2), with a reason; every re-bind stays in this log. */
export default async function RebindsPage() {
  const viewer = await requireRole("OPERATOR", "/operator/rebinds");
  const { rebindLog } = await query<{ rebindLog: { nodes: Row[] } }>(LOG);
  return (
    <PortalShell kind="operator" title="改绑邀请关系" who={viewer.nickname}>
      <RebindForm />
      <table className="table">
        <thead><tr><th>用户</th><th>原邀请人</th><th>新邀请人</th><th>原因</th><th>操作人</th><th>时间</th></tr></thead>
        <tbody>
          {rebindLog.nodes.map((r) => (
            <tr key={r.id} data-testid="rebind-row">
              <td>{who(r.person)}</td><td>{who(r.from)}</td><td>{who(r.to)}</td><td>{r.reason}</td><td>{r.operator.nickname}</td><td className="muted">{formatTime(r.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rebindLog.nodes.length === 0 && <p className="muted">暂无改绑记录</p>}
    </PortalShell>
  );
}
