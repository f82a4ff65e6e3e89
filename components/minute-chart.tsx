/**
 * A small SVG chart of per-minute series (server-rendered, no client code): a line per series
 * scaled to its own maximum, minutes along the bottom. Enough to see when viewers came and when
 * people bought.
 */
export function MinuteChart({ minutes, series }: { minutes: number[]; series: { label: string; color: string; values: number[] }[] }) {
  const w = 720;
  const h = 180;
  const pad = { l: 8, r: 8, t: 12, b: 22 };
  const n = Math.max(minutes.length, 2);
  const x = (i: number) => pad.l + (i * (w - pad.l - pad.r)) / (n - 1);
  const step = Math.max(1, Math.ceil(minutes.length / 12));
  return (
    <figure style={{ margin: 0 }}>
      <svg viewBox={`0 0 ${w} ${h}`} width="100%" role="img" aria-label="分钟级数据曲线" data-testid="minute-chart">
        <line x1={pad.l} x2={w - pad.r} y1={h - pad.b} y2={h - pad.b} stroke="#ccc" />
        {minutes.map((m, i) =>
          i % step === 0 ? (
            <text key={m} x={x(i)} y={h - 6} fontSize="10" textAnchor="middle" fill="#888">{m}′</text>
          ) : null,
        )}
        {series.map((s) => {
          const max = Math.max(1, ...s.values);
          const y = (v: number) => h - pad.b - (v / max) * (h - pad.t - pad.b);
          const points = s.values.map((v, i) => `${x(i)},${y(v)}`).join(" ");
          return <polyline key={s.label} points={points} fill="none" stroke={s.color} strokeWidth="2" />;
        })}
      </svg>
      <figcaption className="row" style={{ gap: 12 }}>
        {series.map((s) => (
          <span key={s.label} className="muted"><span style={{ color: s.color }}>━</span> {s.label}（峰值 {Math.max(0, ...s.values)}）</span>
        ))}
      </figcaption>
    </figure>
  );
}
