/** The real-name format rules (GB 11643-1999 ID numbers, Chinese legal names) and the built-in verifier. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { idNumberCheckCode, idNumberProblem, isValidChineseName, normalizeChineseName, sameName } from "./real-name.rules";
import { FormatRealNameVerifier } from "./real-name-verifier";

const TODAY = new Date("2026-03-15T04:00:00Z");

describe("idNumberProblem — GB 11643-1999", () => {
  /** A number whose check code is right, so the only fault is the one the row names. */
  const withCode = (first17: string) => first17 + idNumberCheckCode(first17);
  it.each([
    ["the standard's own example, check code X", "11010519491231002X", null],
    ["a lower-case x is the same check code", "11010519491231002x", null],
    ["surrounding spaces are ignored", " 320106199003074566 ", null],
    ["a leap day in a leap year", withCode("11010120000229123"), null],
    ["born today (Asia/Shanghai)", withCode("11010120260315001"), null],
    ["one digit changed → checksum fails", "11010519491231003X", "CHECKSUM"],
    ["two adjacent digits swapped → checksum fails", "11010519491213002X", "CHECKSUM"],
    ["wrong check code", "110105194912310021", "CHECKSUM"],
    ["17 characters", "11010519491231002", "FORMAT"],
    ["19 characters", "11010519491231002X1", "FORMAT"],
    ["the old 15-digit form (no check code)", "110105491231002", "FORMAT"],
    ["X anywhere but last", "1101051949123100X2", "FORMAT"],
    ["letters", "11010519491231ABCX", "FORMAT"],
    ["leading zero (no such region)", "01010519491231002X", "FORMAT"],
    ["empty", "", "FORMAT"],
    ["30 February", withCode("11010119990230001"), "BIRTH_DATE"],
    ["29 February of a non-leap year (1900)", withCode("11010119000229001"), "BIRTH_DATE"],
    ["month 13", withCode("11010119901301001"), "BIRTH_DATE"],
    ["the standard's 1880 example: right checksum, but born before 1900", "440524188001010014", "BIRTH_DATE"],
    ["born tomorrow", withCode("11010120260316001"), "BIRTH_DATE"],
  ])("%s: %s → %s", (_label, id, expected) => {
    expect(idNumberProblem(id, TODAY)).toBe(expected);
  });

  it("given any 17 digits with a real birth date, then exactly one check code of the 11 is accepted", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 110000, max: 659999 }),
        fc.date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2020-12-31T00:00:00Z"), noInvalidDate: true }),
        fc.integer({ min: 0, max: 999 }),
        (region, birth, sequence) => {
          const first17 = `${region}${birth.toISOString().slice(0, 10).replace(/-/g, "")}${String(sequence).padStart(3, "0")}`;
          const accepted = [..."0123456789X"].filter((c) => idNumberProblem(first17 + c, TODAY) === null);
          expect(accepted).toEqual([idNumberCheckCode(first17)]);
        },
      ),
    );
  });
});

describe("isValidChineseName", () => {
  it.each([
    ["two characters", "王芳", true],
    ["three characters", "陈晓雨", true],
    ["with the separator dot", "艾力·买买提", true],
    ["bullet typed instead of the dot", "艾力•买买提", true],
    ["katakana middle dot typed instead", "艾力・买买提", true],
    ["spaces inside are ignored", "陈 晓雨", true],
    ["a character outside the BMP (𠮷)", "𠮷野", true],
    ["twenty characters", "阿".repeat(20), true],
    ["one character", "王", false],
    ["twenty-one characters", "阿".repeat(21), false],
    ["Latin letters", "Wang Fang", false],
    ["mixed Latin", "王Fang", false],
    ["digits", "王芳1", false],
    ["dot first", "·买买提", false],
    ["dot last", "艾力·", false],
    ["two dots in a row", "艾力··买买提", false],
    ["emoji", "王芳😀", false],
    ["empty", "", false],
  ])("%s: %s → %s", (_label, name, ok) => {
    expect(isValidChineseName(name)).toBe(ok);
  });

  it("given two spellings of one name, then sameName treats them as equal and others as different", () => {
    expect(normalizeChineseName(" 艾力 • 买买提 ")).toBe("艾力·买买提");
    expect(sameName("艾力・买买提", "艾力·买买提")).toBe(true);
    expect(sameName("陈晓雨", "陈晓宇")).toBe(false);
  });
});

describe("FormatRealNameVerifier (built-in)", () => {
  const verifier = new FormatRealNameVerifier();
  it.each([
    ["a good name and number", { name: "陈晓雨", idNumber: "11010519491231002X" }, { ok: true }],
    ["a bad name", { name: "Chen", idNumber: "11010519491231002X" }, { ok: false, reason: "INVALID_NAME" }],
    ["a bad checksum", { name: "陈晓雨", idNumber: "110105194912310021" }, { ok: false, reason: "INVALID_ID_NUMBER" }],
    ["an impossible birth date", { name: "陈晓雨", idNumber: "110101199902300012" }, { ok: false, reason: "INVALID_ID_NUMBER" }],
  ])("given %s, then %j", async (_label, input, expected) => {
    expect(await verifier.verify(input, TODAY)).toMatchObject(expected);
  });
});
