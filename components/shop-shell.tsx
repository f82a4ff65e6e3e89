import Link from "next/link";
import { UnreadBadge } from "./unread-badge";

/** Mobile shop frame: header and bottom tab bar. */
export function ShopShell({
  slug,
  title,
  back,
  active,
  children,
  hideTabbar,
}: {
  slug?: string;
  title: string;
  back?: string;
  active?: "home" | "cart" | "orders" | "inbox";
  children: React.ReactNode;
  hideTabbar?: boolean;
}) {
  return (
    <div className="shop">
      <header className="shop-header">
        {back && <Link href={back} aria-label="返回">‹ 返回</Link>}
        <h1 className="grow ellipsis">{title}</h1>
      </header>
      {children}
      {!hideTabbar && (
        <nav className="tabbar">
          {slug && <Link className={active === "home" ? "active" : ""} href={`/s/${slug}`}>首页</Link>}
          {slug && <Link className={active === "cart" ? "active" : ""} href={`/s/${slug}/cart`}>购物车</Link>}
          <Link className={active === "orders" ? "active" : ""} href="/me/orders">我的订单</Link>
          <Link className={active === "inbox" ? "active" : ""} href="/me/notifications">消息<UnreadBadge /></Link>
        </nav>
      )}
    </div>
  );
}

// Price and LineItem live apart: client components use them, and this shell is server-only (UnreadBadge).
export { LineItem, Price } from "./shop-parts";
