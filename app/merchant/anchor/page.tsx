import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { PortalShell } from "@/components/portal-shell";
import { AnchorApplyForm } from "./anchor-apply-form";

export const metadata = { title: "主播认证" };

const STATUS: Record<string, string> = { NONE: "未申请", PENDING: "审核中", APPROVED: "已认证", REJECTED: "未通过", SUSPENDED: "已暂停" };

/** 主播认证: real name (the same verification as withdrawals) and the platform's review; only certified anchors can go live. */
export default async function AnchorPage() {
  const viewer = await requireRole("MERCHANT", "/merchant/anchor");
  const { myAnchor: a } = await query<{ myAnchor: { status: string; tier: number; note: string | null; realNameVerified: boolean } }>(`{ myAnchor { status tier note realNameVerified } }`);
  return (
    <PortalShell kind="merchant" title="主播认证" who={viewer.nickname}>
      <section className="card" style={{ maxWidth: 640 }}>
        <div className="row between">
          <h3 style={{ margin: 0 }}>认证状态</h3>
          <span className={`tag ${a.status === "APPROVED" ? "tag-green" : a.status === "PENDING" ? "tag-blue" : "tag-gray"}`} data-testid="anchor-status">{STATUS[a.status] ?? a.status}</span>
        </div>
        <p>实名认证：{a.realNameVerified ? "已完成" : "未完成"}{a.status === "APPROVED" ? ` · 主播等级 ${a.tier}` : ""}</p>
        {a.note && <p className="muted">平台说明：{a.note}</p>}
        {a.status === "APPROVED" && <p className="success">你已是认证主播，可以在「直播管理」开播。</p>}
        {a.status === "PENDING" && <p className="notice">申请已提交，平台审核后即可开播。</p>}
        {a.status === "SUSPENDED" && <p className="error">主播资格已被暂停，如有疑问请联系平台。</p>}
        {(a.status === "NONE" || a.status === "REJECTED") && <AnchorApplyForm needsIdentity={!a.realNameVerified} />}
      </section>
    </PortalShell>
  );
}
