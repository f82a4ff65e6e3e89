import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { maskName, maskPhone } from "./mask";

describe("maskPhone", () => {
  it.each([
    ["a mobile number", "13812341234", "138****1234"],
    ["seven characters", "1234567", "123****4567"],
    ["six characters", "123456", "******"],
    ["nothing", "", ""],
  ])("given %s, then %j", (_label, phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });

  it("given any mobile number, then the masked form keeps 3 + 4 digits and never 5 in a row", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^1[3-9]\d{9}$/), (phone) => {
        const masked = maskPhone(phone);
        expect(masked).toMatch(/^1[3-9]\d\*{4}\d{4}$/);
        expect(masked).not.toMatch(/\d{5,}/);
      }),
    );
  });
});

describe("maskName", () => {
  it.each([
    ["a three-character name", "张三丰", "张**"],
    ["a two-character name", "王芳", "王*"],
    ["a single character", "李", "*"],
    ["an empty name", "", "*"],
    ["a name with a non-BMP character", "𠮷野家", "𠮷**"],
  ])("given %s, then %j", (_label, name, masked) => {
    expect(maskName(name)).toBe(masked);
  });
});
