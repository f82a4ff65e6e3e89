/**
 * The one byte range a file response serves for a `Range` header (RFC 9110 §14): what lets a
 * browser seek a material-pack MP4 or resume a PDF without fetching it all again.
 *
 * - `null`: serve the whole file (no header, a unit other than bytes, a malformed or multi-range
 *   header — a server may ignore those, and one 200 is simpler and safer than multipart).
 * - `"UNSATISFIABLE"`: every position lies past the end → 416 with `bytes *\/size`.
 * - `{ start, end }`: inclusive offsets, `end` clipped to the last byte.
 */
export type ByteRange = { start: number; end: number };

const SPEC = /^bytes=(\d*)-(\d*)$/;

export function byteRangeOf(header: string | null, size: number): ByteRange | "UNSATISFIABLE" | null {
  if (!header) return null;
  const m = SPEC.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return null;
  const [first, last] = [m[1] === "" ? null : Number(m[1]), m[2] === "" ? null : Number(m[2])];
  if (first === null) {
    // A suffix: the last N bytes (all of them when N ≥ size); a zero-length suffix covers nothing.
    if (last === 0 || size === 0) return "UNSATISFIABLE";
    return { start: Math.max(0, size - last!), end: size - 1 };
  }
  if (last !== null && last < first) return null;
  if (first >= size) return "UNSATISFIABLE";
  return { start: first, end: Math.min(last ?? size - 1, size - 1) };
}
