/**
 * The text filter every live comment passes before it is broadcast, and the Advertising Law check on
 * scripts and product texts. Pure (word lists in, verdict out) — the lists are data files in
 * data/moderation plus what operators add (see moderation-words.ts).
 *
 * Evasion it sees through, by matching on a normalised copy of the text and mapping hits back to
 * the original characters:
 * - inserted symbols, spaces, zero-width characters and emoji between the characters (加.微 信);
 * - full-width letters and digits and upper case (ＶＸ, VX → vx), via NFKC;
 * - traditional characters (賭博 → 赌博), via OpenCC;
 * - pinyin written for some or all of a term (加wei信, jia wei xin), via pinyin-pro: a pinyin hit
 *   counts only when it contains a latin letter, so ordinary homophones (威信) are not hits.
 * False positives it avoids: a hit overlapping an allow-listed word (最近, 第一次, 大麻将) is dropped; a
 * latin term must not run into other letters or digits (sb in USB, no1 in no10), and typed pinyin
 * must stand as its own word (dama in adamant is not 大麻).
 */
import AhoCorasick from "modern-ahocorasick";
import * as OpenCC from "opencc-js";
import { pinyin } from "pinyin-pro";

export type WordCategory = "HOLD" | "MASK" | "AD_LAW";
export type WordLists = Record<WordCategory, readonly string[]> & { ALLOW: readonly string[] };

/** DELIVER as is; MASK the hits with ＊ and deliver; HOLD for an operator (never broadcast). */
export type ModerationAction = "DELIVER" | "MASK" | "HOLD";
/** COMMENT: a viewer's words (single-character ad terms like 最 are everyday speech there). AD_COPY: an anchor's script or a product text. */
export type ModerationMode = "COMMENT" | "AD_COPY";

export type Hit = { term: string; category: WordCategory; start: number; end: number; text: string };
export type Verdict = { action: ModerationAction; masked: string; hits: Hit[] };

const toSimplified = OpenCC.Converter({ from: "t", to: "cn" });
const PINYIN_MIN_LETTERS = 4;
const asciiAlnum = (c: string | undefined) => c !== undefined && /^[a-z0-9]$/.test(c);
const latin = (c: string) => /^[a-z]$/.test(c);
/** Letters and digits of any script survive normalisation; everything else is noise an evader can insert. */
const meaningful = (c: string) => /[\p{L}\p{N}]/u.test(c);

/** One normalised character per kept source character, with where it came from. */
type Normalised = { chars: string[]; from: number[] };

/** NFKC, lower case, traditional → simplified, noise dropped; each kept char remembers its source index (UTF-16). */
export function normalise(text: string): Normalised {
  const chars: string[] = [];
  const from: number[] = [];
  let at = 0;
  for (const ch of text) {
    for (const n of toSimplified(ch.normalize("NFKC").toLowerCase())) {
      if (meaningful(n)) {
        chars.push(n);
        from.push(at);
      }
    }
    at += ch.length;
  }
  return { chars, from };
}

const normTerm = (term: string) => normalise(term).chars.join("");

/** Syllables of a normalised text: one per character (a Chinese character's pinyin, other characters as they are). */
function syllables(chars: string[]): string[] {
  if (!chars.length) return [];
  const out = pinyin(chars.join(""), { toneType: "none", type: "array", v: true });
  // pinyin-pro answers one entry per character for this input; if it ever does not, fall back to the characters.
  return out.length === chars.length ? out.map((s) => s.toLowerCase()) : chars;
}

type Entry = { term: string; category: WordCategory; key: string; asciiStart: boolean; asciiEnd: boolean };
export type CompiledLists = { direct: AhoCorasick; directEntries: Entry[]; pinyin: AhoCorasick | null; pinyinEntries: Entry[]; allow: AhoCorasick | null };

const CATEGORIES: WordCategory[] = ["HOLD", "MASK", "AD_LAW"];

/** Compiles the lists once (the runtime keeps the result until an operator changes a list). */
export function compileLists(lists: WordLists): CompiledLists {
  const directEntries: Entry[] = [];
  const pinyinEntries: Entry[] = [];
  const seen = new Set<string>();
  for (const category of CATEGORIES) {
    for (const raw of lists[category]) {
      const key = normTerm(raw);
      if (!key || seen.has(`${category}:${key}`)) continue;
      seen.add(`${category}:${key}`);
      const chars = [...key];
      directEntries.push({ term: raw.trim(), category, key, asciiStart: asciiAlnum(chars[0]), asciiEnd: asciiAlnum(chars.at(-1)) });
      if (category === "AD_LAW" || chars.length < 2) continue;
      const py = syllables(chars).join("");
      if (py.length >= PINYIN_MIN_LETTERS && py !== key) pinyinEntries.push({ term: raw.trim(), category, key: py, asciiStart: false, asciiEnd: false });
    }
  }
  const allowKeys = [...new Set(lists.ALLOW.map(normTerm).filter(Boolean))];
  return {
    direct: new AhoCorasick(directEntries.map((e) => e.key)),
    directEntries,
    pinyin: pinyinEntries.length ? new AhoCorasick(pinyinEntries.map((e) => e.key)) : null,
    pinyinEntries,
    allow: allowKeys.length ? new AhoCorasick(allowKeys) : null,
  };
}

/** A hit as positions in the normalised text (char indices, end exclusive). */
type RawHit = { entry: Entry; s: number; e: number };

/** Checks a text: the hits (mapped to the original), the action, and the text with hits masked. */
export function moderate(text: string, compiled: CompiledLists, mode: ModerationMode = "COMMENT"): Verdict {
  const n = normalise(text);
  const joined = n.chars.join("");
  // Positions: AhoCorasick reports UTF-16 offsets in the joined string; map them to char indices.
  const charAt: number[] = [];
  n.chars.forEach((c, i) => {
    for (let k = 0; k < c.length; k++) charAt.push(i);
  });
  charAt.push(n.chars.length);
  const raw: RawHit[] = [];
  for (const m of compiled.direct.search(joined)) {
    const entry = compiled.directEntries[m.patternIndex];
    const s = charAt[m.start];
    const e = charAt[m.end];
    if (entry.asciiStart && asciiAlnum(n.chars[s - 1])) continue;
    if (entry.asciiEnd && asciiAlnum(n.chars[e])) continue;
    raw.push({ entry, s, e });
  }
  if (compiled.pinyin && n.chars.some(latin)) {
    // Typed pinyin is separated by spaces, not run into other words: "du bo" is a hit, "adamant" is not.
    const letterAt = (i: number) => i >= 0 && i < text.length && /[a-z]/i.test(text[i]);
    for (const h of pinyinHits(n.chars, compiled)) {
      const last = n.from[h.e - 1];
      if (latin(n.chars[h.s]) && letterAt(n.from[h.s] - 1)) continue;
      if (latin(n.chars[h.e - 1]) && letterAt(last + 1)) continue;
      raw.push(h);
    }
  }
  const allowed = allowSpans(joined, charAt, compiled);
  const hits = raw
    .filter((h) => !(mode === "COMMENT" && h.entry.category === "AD_LAW" && h.e - h.s < 2))
    .filter((h) => !allowed.some(([s, e]) => s < h.e && h.s < e))
    .map((h) => {
      const start = n.from[h.s];
      const last = n.from[h.e - 1];
      const end = last + (text.codePointAt(last)! > 0xffff ? 2 : 1);
      return { term: h.entry.term, category: h.entry.category, start, end, text: text.slice(start, end) };
    })
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const action: ModerationAction = hits.some((h) => h.category === "HOLD") ? "HOLD" : hits.length ? "MASK" : "DELIVER";
  return { action, masked: maskSpans(text, hits), hits };
}

/** Pinyin hits: on syllable boundaries only, and only when the span has a latin letter (pinyin typed by the writer). */
function pinyinHits(chars: string[], compiled: CompiledLists): RawHit[] {
  const syl = syllables(chars);
  const startOf: number[] = [];
  const endOf = new Map<number, number>();
  let pos = 0;
  syl.forEach((s, i) => {
    for (let k = 0; k < s.length; k++) startOf.push(k === 0 ? i : -1);
    pos += s.length;
    endOf.set(pos, i + 1);
  });
  const out: RawHit[] = [];
  for (const m of compiled.pinyin!.search(syl.join(""))) {
    const s = startOf[m.start];
    const e = endOf.get(m.end);
    if (s === undefined || s < 0 || e === undefined) continue;
    if (!chars.slice(s, e).some(latin)) continue;
    out.push({ entry: compiled.pinyinEntries[m.patternIndex], s, e });
  }
  return out;
}

function allowSpans(joined: string, charAt: number[], compiled: CompiledLists): [number, number][] {
  if (!compiled.allow) return [];
  return compiled.allow.search(joined).map((m) => [charAt[m.start], charAt[m.end]]);
}

/** Replaces every hit's characters (and anything inserted between them) with ＊, one per character. */
function maskSpans(text: string, hits: Hit[]): string {
  if (!hits.length) return text;
  const masked = new Set<number>();
  for (const h of hits) for (let i = h.start; i < h.end; i++) masked.add(i);
  let out = "";
  let at = 0;
  for (const ch of text) {
    out += masked.has(at) ? "＊" : ch;
    at += ch.length;
  }
  return out;
}

/** Reads a word-list file: one term per line, `#` starts a comment, blank lines ignored. */
export function parseWordList(source: string): string[] {
  return source
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*/, "").trim())
    .filter((l) => l.length > 0 && l.length <= 30);
}
