import { describe, expect, it } from "vitest";
import { DEFAULT_RISK_POLICY as P, isBulkRegistration, normalizePlace, refundRateBp, shouldFreezeForRefunds, validRebindReason } from "./risk.rules";

describe("downline refund rate", () => {
  it.each([
    // paid, refunded, rate, freeze
    [0, 0, null, false],
    [4, 4, null, false], // below the minimum sample: never frozen on 4 orders
    [5, 2, 4000, false],
    [5, 3, 6000, true],
    [10, 5, 5000, false], // exactly at the threshold is not "more than"
    [10, 6, 6000, true],
    [3, 0, null, false],
  ])("given %i paid and %i refunded orders, the rate is %s and freeze is %s", (paid, refunded, rate, freeze) => {
    expect(refundRateBp(paid, refunded, P)).toBe(rate);
    expect(shouldFreezeForRefunds(paid, refunded, P)).toBe(freeze);
  });
});

describe("bulk registrations", () => {
  it.each([
    [0, false],
    [3, false],
    [4, true], // the 5th from one source within the window
    [10, true],
  ])("with %i earlier registrations from the same source, bulk is %s", (earlier, bulk) => {
    expect(isBulkRegistration(earlier, P)).toBe(bulk);
  });
});

describe("normalizePlace", () => {
  const base = { province: "北京市", city: "北京市", district: "朝阳区", detail: "建国路8号 3单元" };
  it("ignores spaces, punctuation and full-width forms", () => {
    expect(normalizePlace(base)).toBe(normalizePlace({ ...base, detail: "建国路８号，３单元" }));
    expect(normalizePlace({ ...base, detail: "A座 101" })).toBe(normalizePlace({ ...base, detail: "ａ座-101" }));
  });
  it("keeps different places apart", () => {
    expect(normalizePlace(base)).not.toBe(normalizePlace({ ...base, detail: "建国路9号 3单元" }));
    expect(normalizePlace(base)).not.toBe(normalizePlace({ ...base, district: "东城区" }));
  });
});

describe("re-bind reason", () => {
  it.each([
    ["", false],
    ["   ", false],
    ["误绑", false],
    ["用户申诉误绑", true],
    ["x".repeat(201), false],
  ])("%j is valid: %s", (reason, ok) => expect(validRebindReason(reason)).toBe(ok));
});
