import Link from "next/link";
import { requireRole } from "@/components/server/viewer";
import { query } from "@/components/server/query";
import { ShopShell } from "@/components/shop-shell";
import { formatTime } from "@/components/format";

export const metadata = { title: "我的团队" };

const TEAM = `query Team($relation: TeamRelation!, $after: String) {
  myReferral { roleText directCount teamSize qualifiedDirects neededForLeader leaderName }
  myTeam(relation: $relation, first: 30, after: $after) { nodes { id nickname role joinedAt qualified countsText } pageInfo { hasNextPage endCursor } }
}`;

type Data = {
  myReferral: { roleText: string; directCount: number; teamSize: number; qualifiedDirects: number; neededForLeader: number; leaderName: string | null };
  myTeam: { nodes: { id: string; nickname: string; role: string; joinedAt: string; qualified: boolean; countsText: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
};

const ROLE = { REGISTERED: "注册用户", SHARER: "分享者", LEADER: "团长" } as Record<string, string>;

export default async function TeamPage({ searchParams }: { searchParams: Promise<{ relation?: string; after?: string }> }) {
  await requireRole("CONSUMER", "/me/team");
  const sp = await searchParams;
  const relation = sp.relation === "TEAM" ? "TEAM" : "DIRECT";
  const d = await query<Data>(TEAM, { relation, after: sp.after || null });
  const r = d.myReferral;
  return (
    <ShopShell title="我的团队" back="/me/invite" active="orders">
      <nav className="status-tabs">
        <Link className={relation === "DIRECT" ? "active" : ""} href="/me/team">我邀请的（{r.directCount}）</Link>
        <Link className={relation === "TEAM" ? "active" : ""} href="/me/team?relation=TEAM">我的团队（{r.teamSize}）</Link>
      </nav>
      <div className="shop-body">
        <section className="card">
          <div className="row between"><span>身份</span><strong>{r.roleText}</strong></div>
          {r.leaderName && <div className="row between"><span>所属团长</span><span>{r.leaderName}</span></div>}
          {r.neededForLeader > 0 ? (
            <p className="muted">成为团长进度：{r.qualifiedDirects} 位已计入，还需 {r.neededForLeader} 位。只有通过你的邀请注册、且首笔订单已结算（过了退货期）的好友才计入；与你存在设备等关联风险的账号不计入。</p>
          ) : (
            <p className="muted">你已是团长：从现在起你邀请的好友加入你的团队。</p>
          )}
        </section>
        {d.myTeam.nodes.length === 0 && <p className="muted">还没有成员，去 <Link href="/me/invite" style={{ color: "#ff4d4f" }}>邀请好友</Link></p>}
        {d.myTeam.nodes.map((m) => (
          <section className="card row between" key={m.id} data-testid="team-member">
            <div>
              <div>{m.nickname} <span className="tag tag-gray">{ROLE[m.role]}</span></div>
              <div className="muted">加入于 {formatTime(m.joinedAt)}</div>
            </div>
            <span className={`tag ${m.qualified ? "tag-green" : "tag-gray"}`}>{m.countsText}</span>
          </section>
        ))}
        {d.myTeam.pageInfo.hasNextPage && (
          <div className="pager"><Link className="btn" href={`/me/team?relation=${relation}&after=${d.myTeam.pageInfo.endCursor}`}>下一页</Link></div>
        )}
      </div>
    </ShopShell>
  );
}
