import Link from "next/link";

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
  active?: "home" | "cart" | "orders";
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
        </nav>
      )}
    </div>
  );
}

export function Price({ fen, original }: { fen: number; original?: number }) {
  const yuan = (fen / 100).toFixed(2);
  return (
    <span>
      <span className="price"><small>¥</small>{yuan}</span>
      {original && original > fen ? <span className="strike">¥{(original / 100).toFixed(2)}</span> : null}
    </span>
  );
}

/** One bought item: picture, title, spec × quantity, and whatever the caller shows under or beside it. */
export function LineItem({
  line,
  children,
  aside,
}: {
  line: { title: string; skuLabel: string; image: string | null; quantity: number };
  children?: React.ReactNode;
  aside?: React.ReactNode;
}) {
  return (
    <div className="line-item">
      {/* eslint-disable-next-line @next/next/no-img-element */}
      {line.image && <img src={line.image} alt="" />}
      <div className="grow">
        <div className="ellipsis">{line.title}</div>
        <div className="muted">{line.skuLabel} × {line.quantity}</div>
        {children}
      </div>
      {aside}
    </div>
  );
}
