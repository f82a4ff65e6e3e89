import { describe, expect, it } from "vitest";
import { checkUpload, IMAGE_TYPES, MATERIAL_TYPES, materialKindOf, sniffType } from "./upload.rules";

const MB = 1024 * 1024;
const bytesOf = (head: number[] | string, size = 64) => {
  const start = typeof head === "string" ? [...Buffer.from(head, "latin1")] : head;
  const out = new Uint8Array(Math.max(size, start.length));
  out.set(start);
  return out;
};
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff, 0xe0];
const WEBP = "RIFF\x00\x00\x00\x00WEBPVP8 ";
const PDF = "%PDF-1.7\n";
const MP4 = "\x00\x00\x00\x20ftypisom\x00\x00\x02\x00";

describe("sniffType: the type is what the bytes say", () => {
  it.each<[string, Uint8Array, string | null]>([
    ["PNG signature", bytesOf(PNG), "image/png"],
    ["JPEG SOI marker", bytesOf(JPEG), "image/jpeg"],
    ["WebP RIFF container", bytesOf(WEBP), "image/webp"],
    ["PDF header", bytesOf(PDF), "application/pdf"],
    ["MP4 ftyp box", bytesOf(MP4), "video/mp4"],
    ["a ZIP (docx, apk…)", bytesOf("PK\x03\x04"), null],
    ["a Windows executable", bytesOf("MZ\x90\x00"), null],
    ["an SVG (script-capable) named .png", bytesOf("<svg xmlns="), null],
    ["HTML", bytesOf("<!doctype html>"), null],
  ])("given %s, then %s", (_, bytes, type) => {
    expect(sniffType(bytes)).toBe(type);
  });
});

describe("checkUpload", () => {
  it.each<[string, Uint8Array, Record<string, { maxBytes: number }>, { ok: true; type: string } | { ok: false; code: string }]>([
    ["a PNG as a product image", bytesOf(PNG), IMAGE_TYPES, { ok: true, type: "image/png" }],
    ["a PDF as a product image", bytesOf(PDF), IMAGE_TYPES, { ok: false, code: "UNSUPPORTED_TYPE" }],
    ["a PDF in a material pack", bytesOf(PDF), MATERIAL_TYPES, { ok: true, type: "application/pdf" }],
    ["an MP4 in a material pack", bytesOf(MP4), MATERIAL_TYPES, { ok: true, type: "video/mp4" }],
    ["a ZIP in a material pack", bytesOf("PK\x03\x04"), MATERIAL_TYPES, { ok: false, code: "UNSUPPORTED_TYPE" }],
    ["an empty file", new Uint8Array(0), MATERIAL_TYPES, { ok: false, code: "EMPTY_FILE" }],
    ["a JPEG of 5 MB exactly", bytesOf(JPEG, 5 * MB), MATERIAL_TYPES, { ok: true, type: "image/jpeg" }],
    ["a JPEG one byte over 5 MB", bytesOf(JPEG, 5 * MB + 1), MATERIAL_TYPES, { ok: false, code: "TOO_LARGE" }],
    ["a PDF of 6 MB (over the image limit, within its own)", bytesOf(PDF, 6 * MB), MATERIAL_TYPES, { ok: true, type: "application/pdf" }],
    ["a PDF over 20 MB", bytesOf(PDF, 20 * MB + 1), MATERIAL_TYPES, { ok: false, code: "TOO_LARGE" }],
    ["an MP4 over 30 MB", bytesOf(MP4, 30 * MB + 1), MATERIAL_TYPES, { ok: false, code: "TOO_LARGE" }],
  ])("given %s, then the verdict matches", (_, bytes, types, expected) => {
    const v = checkUpload(bytes, types as never);
    if (expected.ok) expect(v).toMatchObject({ ok: true, kind: { contentType: expected.type } });
    else expect(v).toMatchObject({ ok: false, code: expected.code, message: expect.any(String) });
  });

  it("given every accepted type, then its key extension maps back to the kind shown to merchants", () => {
    const kinds = Object.values(MATERIAL_TYPES).map((t) => materialKindOf(`materials/x.${t.ext}`));
    expect(kinds).toEqual(["IMAGE", "IMAGE", "IMAGE", "PDF", "VIDEO"]);
  });
});
