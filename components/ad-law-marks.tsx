/** A text with the given ranges (UTF-16 offsets) wrapped in <mark>: where the Advertising Law terms are. */
export function AdLawMarks({ text, hits }: { text: string; hits: { start: number; end: number; term: string }[] }) {
  const sorted = [...hits].sort((a, b) => a.start - b.start);
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (const [i, h] of sorted.entries()) {
    if (h.start < at) continue;
    if (h.start > at) parts.push(text.slice(at, h.start));
    parts.push(
      <mark key={i} title={`广告法禁用语：${h.term}`} data-testid="ad-law-mark">
        {text.slice(h.start, h.end)}
      </mark>,
    );
    at = h.end;
  }
  parts.push(text.slice(at));
  return <>{parts}</>;
}
