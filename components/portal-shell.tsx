import Link from "next/link";
import { signOutAction } from "@/app/login/actions";
import { UnreadBadge } from "@/components/unread-badge";

const NAV = {
  merchant: [
    { href: "/merchant", label: "概览" },
    { href: "/merchant/catalog", label: "选品中心" },
    { href: "/merchant/products", label: "店铺商品" },
    { href: "/merchant/orders", label: "店铺订单" },
    { href: "/merchant/flash", label: "秒杀活动" },
    { href: "/merchant/groups", label: "拼团活动" },
    { href: "/merchant/coupons", label: "优惠券" },
    { href: "/merchant/live", label: "直播管理" },
    { href: "/merchant/training", label: "培训直播" },
    { href: "/merchant/anchor", label: "主播认证" },
    { href: "/merchant/notifications", label: "消息中心", inbox: true },
  ],
  supplier: [
    { href: "/supplier", label: "概览" },
    { href: "/supplier/products", label: "商品管理" },
    { href: "/supplier/products/new", label: "发布商品" },
    { href: "/supplier/shipments", label: "发货管理" },
    { href: "/supplier/scripts", label: "直播话术" },
    { href: "/supplier/lives", label: "直播带货" },
    { href: "/supplier/training", label: "培训直播" },
  ],
  operator: [
    { href: "/operator", label: "平台设置" },
    { href: "/operator/rules", label: "链动规则" },
    { href: "/operator/simulate", label: "规则模拟" },
    { href: "/operator/withdrawals", label: "提现审核" },
    { href: "/operator/risk", label: "风控审核" },
    { href: "/operator/rebinds", label: "改绑记录" },
    { href: "/operator/coupons", label: "平台券" },
    { href: "/operator/points", label: "积分" },
    { href: "/operator/live", label: "直播监管" },
  ],
} as const;

const TITLE = { merchant: "店主工作台", supplier: "供应商门户", operator: "平台运营" };

/** Desktop frame for the supplier, merchant and operator workspaces. */
export function PortalShell({ kind, title, who, children, actions }: { kind: keyof typeof NAV; title: string; who: string; children: React.ReactNode; actions?: React.ReactNode }) {
  return (
    <div className="portal">
      <nav className="portal-nav">
        <div className="brand">链播 · {TITLE[kind]}</div>
        {NAV[kind].map((n) => (
          <Link key={n.href} href={n.href}>
            {n.label}
            {"inbox" in n && <UnreadBadge />}
          </Link>
        ))}
      </nav>
      <main className="portal-main">
        <div className="portal-top">
          <h1 style={{ margin: 0, fontSize: 22 }}>{title}</h1>
          <div className="row">
            {actions}
            <span className="muted">{who}</span>
            <form action={signOutAction}><button className="btn btn-sm">退出</button></form>
          </div>
        </div>
        {children}
      </main>
    </div>
  );
}
