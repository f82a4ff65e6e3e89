import { describe, expect, it } from "vitest";
import { byteRangeOf } from "./byte-range";

describe("byteRangeOf", () => {
  it.each<[string | null, number, ReturnType<typeof byteRangeOf>]>([
    [null, 100, null],
    ["bytes=0-", 100, { start: 0, end: 99 }],
    ["bytes=0-0", 100, { start: 0, end: 0 }],
    ["bytes=10-19", 100, { start: 10, end: 19 }],
    ["bytes=90-500", 100, { start: 90, end: 99 }],
    ["bytes=99-", 100, { start: 99, end: 99 }],
    ["bytes=-10", 100, { start: 90, end: 99 }],
    ["bytes=-500", 100, { start: 0, end: 99 }],
    [" bytes=5-6 ", 100, { start: 5, end: 6 }],
    ["bytes=100-", 100, "UNSATISFIABLE"],
    ["bytes=100-200", 100, "UNSATISFIABLE"],
    ["bytes=-0", 100, "UNSATISFIABLE"],
    ["bytes=0-", 0, "UNSATISFIABLE"],
    ["bytes=-5", 0, "UNSATISFIABLE"],
    // Ignored, so the whole file is served: malformed, reversed, multi-range, other units.
    ["bytes=20-10", 100, null],
    ["bytes=-", 100, null],
    ["bytes=0-1,5-6", 100, null],
    ["bytes=a-b", 100, null],
    ["bytes=1.5-2", 100, null],
    ["items=0-1", 100, null],
    ["", 100, null],
  ])("given Range %j on %i bytes, then %j", (header, size, expected) => {
    expect(byteRangeOf(header, size)).toEqual(expected);
  });
});
