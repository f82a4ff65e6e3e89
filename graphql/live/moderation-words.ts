import { readFileSync } from "node:fs";
import path from "node:path";
import { compileLists, parseWordList, type CompiledLists, type WordLists } from "./moderation.rules";

/** The shipped word lists (data/moderation/*.txt), read from the project directory. */
export function shippedWordLists(dir = path.join(process.cwd(), "data", "moderation")): WordLists {
  const read = (file: string) => parseWordList(readFileSync(path.join(dir, file), "utf8"));
  return { HOLD: read("hold.txt"), MASK: read("mask.txt"), AD_LAW: read("ad-law.txt"), ALLOW: read("allow.txt") };
}

let shipped: CompiledLists | null = null;

/** The shipped lists, compiled once per process. */
export function shippedMatcher(): CompiledLists {
  shipped ??= compileLists(shippedWordLists());
  return shipped;
}
