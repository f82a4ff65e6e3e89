import { describe, expect, it } from "vitest";
import { chaptersOf, checkLiveDraft, checkLivePrice, formatOffset, isPlayableUrl, transition } from "./live.rules";

const T0 = new Date("2026-11-25T12:00:00Z");
const at = (s: number) => new Date(T0.getTime() + s * 1000);

describe("transition", () => {
  it.each<[string, string, string | null]>([
    ["SCHEDULED", "START", "LIVE"],
    ["SCHEDULED", "CANCEL", "CANCELLED"],
    ["LIVE", "END", "ENDED"],
    ["LIVE", "START", null],
    ["LIVE", "CANCEL", null],
    ["ENDED", "START", null],
    ["ENDED", "END", null],
    ["CANCELLED", "START", null],
    ["SCHEDULED", "END", null],
  ])("from %s, %s → %s", (from, action, to) => {
    expect(transition(from as never, action as never)).toBe(to);
  });
});

describe("checkLiveDraft", () => {
  const ok = { title: "秋冬上新专场", scheduledAt: at(3600), listingIds: ["a", "b"], now: T0 };
  it("accepts a valid draft", () => expect(checkLiveDraft(ok)).toBeNull());
  it.each<[string, object, string]>([
    ["a one-character title", { title: "播" }, "INVALID_TITLE"],
    ["a 41-character title", { title: "字".repeat(41) }, "INVALID_TITLE"],
    ["a start an hour ago", { scheduledAt: at(-3600) }, "INVALID_TIME"],
    ["a start 31 days ahead", { scheduledAt: at(31 * 86_400) }, "INVALID_TIME"],
    ["an invalid date", { scheduledAt: new Date(Number.NaN) }, "INVALID_TIME"],
    ["the same listing twice", { listingIds: ["a", "a"] }, "INVALID_SHELF"],
    ["51 listings", { listingIds: Array.from({ length: 51 }, (_, i) => String(i)) }, "INVALID_SHELF"],
  ])("given %s, then %s", (_, over, code) => {
    expect(checkLiveDraft({ ...ok, ...over })?.code).toBe(code);
  });
});

describe("checkLivePrice", () => {
  it.each<[number, string | null]>([
    [7_999, "PRICE_BELOW_FLOOR"],
    [8_000, null],
    [9_999, null],
    [10_000, "PRICE_NOT_BELOW_LIST"],
    [12_000, "PRICE_NOT_BELOW_LIST"],
    [8_000.5, "PRICE_BELOW_FLOOR"],
  ])("given a live price of %i with floor 8000 and list 10000, then %s", (livePrice, code) => {
    expect(checkLivePrice({ livePrice, listPrice: 10_000, floor: 8_000 })?.code ?? null).toBe(code);
  });
});

describe("isPlayableUrl", () => {
  it.each<[string, boolean]>([
    ["https://cdn.example.com/live/abc.m3u8", true],
    ["/media/demo/index.m3u8", true],
    ["http://cdn.example.com/live/abc.m3u8", false],
    ["javascript:alert(1)//.m3u8", false],
    ["https://cdn.example.com/live/abc.mp4", false],
    ["/media/../../etc/passwd", false],
  ])("%s → %s", (url, ok) => expect(isPlayableUrl(url)).toBe(ok));
});

describe("chaptersOf", () => {
  it("given pins, a re-pin, an unpin and the end, then one chapter per explained stretch", () => {
    const events = [
      { kind: "PIN", at: at(60), payload: { productId: "p1" } },
      { kind: "PIN", at: at(90), payload: { productId: "p1" } }, // already pinned: nothing changes
      { kind: "PIN", at: at(300), payload: { productId: "p2" } },
      { kind: "UNPIN", at: at(420), payload: {} },
      { kind: "PIN", at: at(600), payload: { productId: "p1" } },
    ];
    expect(chaptersOf(T0, at(900), events)).toEqual([
      { productId: "p1", startMs: 60_000, endMs: 300_000 },
      { productId: "p2", startMs: 300_000, endMs: 420_000 },
      { productId: "p1", startMs: 600_000, endMs: 900_000 },
    ]);
  });

  it("given events out of order or outside the live, then they are sorted and clamped; zero-length chapters are dropped", () => {
    const events = [
      { kind: "PIN", at: at(100), payload: { productId: "p2" } },
      { kind: "PIN", at: at(-10), payload: { productId: "p1" } },
      { kind: "PIN", at: at(100), payload: { productId: "p3" } },
    ];
    expect(chaptersOf(T0, at(200), events)).toEqual([
      { productId: "p1", startMs: 0, endMs: 100_000 },
      { productId: "p3", startMs: 100_000, endMs: 200_000 },
    ]);
  });

  it("given no pins, then no chapters", () => expect(chaptersOf(T0, at(100), [])).toEqual([]));
});

describe("formatOffset", () => {
  it.each<[number, string]>([
    [0, "00:00"],
    [65_000, "01:05"],
    [3_725_000, "1:02:05"],
  ])("%i ms → %s", (ms, text) => expect(formatOffset(ms)).toBe(text));
});
