/** Small shop pieces safe for both server and client components. */
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
