import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { defaultNickname, generateSmsCode, hashPassword, isSixDigits, normalizePhone, verifyPassword } from "./identity.rules";

describe("normalizePhone", () => {
  it.each([
    ["a plain mobile number", "13812341234", "13812341234"],
    ["+86 and spaces", "+86 138 1234 1234", "13812341234"],
    ["86 and dashes", "86-138-1234-1234", "13812341234"],
    ["a 19x number", "19912341234", "19912341234"],
  ])("given %s, then it normalizes to 11 digits", (_label, input, phone) => {
    expect(normalizePhone(input)).toBe(phone);
  });

  it.each([
    ["ten digits", "1381234123"],
    ["twelve digits", "138123412345"],
    ["a 12x prefix", "12812341234"],
    ["a landline", "02188881234"],
    ["letters", "1381234abcd"],
    ["nothing", ""],
  ])("given %s, then it is refused", (_label, input) => {
    expect(normalizePhone(input)).toBeNull();
  });
});

describe("SMS codes", () => {
  it("given any generated code, then it is exactly six digits", () => {
    for (let i = 0; i < 2_000; i++) expect(generateSmsCode()).toMatch(/^\d{6}$/);
  });

  it.each([
    ["000123", true],
    ["12345", false],
    ["1234567", false],
    ["12345a", false],
    [" 123456", false],
  ])("given %j, then six digits is %s", (code, ok) => {
    expect(isSixDigits(code)).toBe(ok);
  });
});

describe("passwords", () => {
  it("given a hashed password, then only the same password verifies", () => {
    const stored = hashPassword("lianbo123");
    expect(stored.startsWith("scrypt$")).toBe(true);
    expect(stored).not.toContain("lianbo123");
    expect(verifyPassword("lianbo123", stored)).toBe(true);
    expect(verifyPassword("lianbo124", stored)).toBe(false);
  });

  it("given the same password twice, then the hashes differ (random salt)", () => {
    expect(hashPassword("same")).not.toBe(hashPassword("same"));
  });

  it("given an account without a password, then nothing verifies (not even the dummy hash's input)", () => {
    expect(verifyPassword("", null)).toBe(false);
    expect(verifyPassword("anything", null)).toBe(false);
  });

  it("given a hash of another scheme, then it does not verify", () => {
    expect(verifyPassword("x", "md5$abc$def")).toBe(false);
  });
});

describe("defaultNickname", () => {
  it("given any phone, then the nickname shows only its last four digits", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^1[3-9]\d{9}$/), (phone) => {
        const nick = defaultNickname(phone);
        expect(nick).toBe(`用户${phone.slice(-4)}`);
        expect(nick).not.toMatch(/\d{5,}/);
      }),
    );
  });
});
