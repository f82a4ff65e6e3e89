/**
 * Real-name (实名) format rules for SHARERs (rule book §1). Pure: no database, no provider. A format
 * check is not an identity check — it only stops typos and invented numbers before a verifier (the
 * built-in one or a real 二要素 provider) is asked.
 */

/** GB 11643-1999 weights of the first 17 digits, and the check code for (Σ mod 11). */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CODES = "10X98765432";

/** Trims and upper-cases the check code: people type a lower-case x as often as an upper-case one. */
export function normalizeIdNumber(raw: string): string {
  return raw.trim().toUpperCase();
}

/** The check code the first 17 digits call for (GB 11643-1999 §7, ISO 7064 MOD 11-2). */
export function idNumberCheckCode(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CODES[sum % 11];
}

/** True for a real calendar date (so 19990230 is refused). */
function isCalendarDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export type IdNumberProblem = "FORMAT" | "BIRTH_DATE" | "CHECKSUM";

/**
 * Why an 18-character resident ID number is not well formed, or null when it is: 17 digits and a
 * check code (digit or X), a birth date (positions 7–14) that exists, is not before 1900 and not after
 * `today`, and the GB 11643 check code. The 15-digit pre-1999 form is not accepted (no check code).
 */
export function idNumberProblem(raw: string, today: Date): IdNumberProblem | null {
  const id = normalizeIdNumber(raw);
  if (!/^[1-9]\d{16}[\dX]$/.test(id)) return "FORMAT";
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  // Compared as YYYYMMDD in Asia/Shanghai, where the ID was issued.
  const todayShanghai = new Date(today.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, "");
  if (y < 1900 || !isCalendarDate(y, m, d) || id.slice(6, 14) > todayShanghai) return "BIRTH_DATE";
  if (idNumberCheckCode(id.slice(0, 17)) !== id[17]) return "CHECKSUM";
  return null;
}

/** Separator dots people type in names of ethnic minorities and foreigners (艾力·买买提): all become U+00B7. */
const DOT_VARIANTS = /[\u00B7\u2022\u2027\u30FB\uFF0E\u2219\u22C5\u02D1]/g;

/** Trims, removes inner spaces, and unifies the separator dot, so "艾力 • 买买提" equals "艾力·买买提". */
export function normalizeChineseName(raw: string): string {
  return raw.normalize("NFC").replace(/\s+/g, "").replace(DOT_VARIANTS, "·");
}

/**
 * A Chinese legal name: 2–20 characters of Han script or the separator dot, the dot never first, last
 * or doubled. Characters are counted as code points (rare names use characters outside the BMP).
 */
export function isValidChineseName(raw: string): boolean {
  const name = normalizeChineseName(raw);
  const length = Array.from(name).length;
  if (length < 2 || length > 20) return false;
  if (!/^[\p{Script=Han}·]+$/u.test(name)) return false;
  return !name.startsWith("·") && !name.endsWith("·") && !name.includes("··");
}

/** Two names are the same person's name when equal after normalization (payee = real name, §5). */
export function sameName(a: string, b: string): boolean {
  return normalizeChineseName(a) === normalizeChineseName(b);
}
