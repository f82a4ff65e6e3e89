import { requireRole } from "@/components/server/viewer";
import { PortalShell } from "@/components/portal-shell";
import { SimulateForm } from "./simulate-form";

export default async function SimulatePage() {
  const viewer = await requireRole("OPERATOR", "/operator/simulate");
  return (
    <PortalShell kind="operator" title="规则模拟" who={viewer.nickname}>
      <p className="muted">粘贴或上传场景文件（格式见 liandong-simulator.md），在一次性的内嵌数据库上用真实服务重放，输出与 npm run simulate 相同。</p>
      <SimulateForm />
    </PortalShell>
  );
}
