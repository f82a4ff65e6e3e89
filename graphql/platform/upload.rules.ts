/**
 * What an upload may be, decided from its bytes (never from its name or declared type) and its size.
 * Pure: bytes in, verdict out. Product images are images only; a live script's material pack
 * (素材包) may also hold PDF documents and short MP4 clips, each kind with its own size limit.
 */

export const UploadErrorCode = {
  NO_FILE: "NO_FILE",
  EMPTY_FILE: "EMPTY_FILE",
  TOO_LARGE: "TOO_LARGE",
  UNSUPPORTED_TYPE: "UNSUPPORTED_TYPE",
} as const;
export type UploadErrorCode = keyof typeof UploadErrorCode;

const MB = 1024 * 1024;

export type UploadKind = { contentType: string; ext: string; maxBytes: number; label: string };

export const IMAGE_TYPES: Record<string, UploadKind> = {
  "image/png": { contentType: "image/png", ext: "png", maxBytes: 5 * MB, label: "PNG 图片" },
  "image/jpeg": { contentType: "image/jpeg", ext: "jpg", maxBytes: 5 * MB, label: "JPEG 图片" },
  "image/webp": { contentType: "image/webp", ext: "webp", maxBytes: 5 * MB, label: "WebP 图片" },
};

export const MATERIAL_TYPES: Record<string, UploadKind> = {
  ...IMAGE_TYPES,
  "application/pdf": { contentType: "application/pdf", ext: "pdf", maxBytes: 20 * MB, label: "PDF 文档" },
  "video/mp4": { contentType: "video/mp4", ext: "mp4", maxBytes: 30 * MB, label: "MP4 视频" },
};

/** The largest upload any kind allows: requests declaring more are refused before they are read. */
export const maxBytesOf = (types: Record<string, UploadKind>) => Math.max(...Object.values(types).map((t) => t.maxBytes));

/** The content type the first bytes announce (PNG, JPEG, WebP, PDF, MP4), or null. */
export function sniffType(bytes: Uint8Array): string | null {
  const b = Buffer.from(bytes.subarray(0, 16));
  if (b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "image/png";
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
  if (b.subarray(0, 4).toString("latin1") === "RIFF" && b.subarray(8, 12).toString("latin1") === "WEBP") return "image/webp";
  if (b.subarray(0, 5).toString("latin1") === "%PDF-") return "application/pdf";
  // ISO base media: a box size, then "ftyp" and an MP4 brand (isom, mp41, mp42, avc1, M4V…).
  if (b.subarray(4, 8).toString("latin1") === "ftyp" && /^(isom|iso2|mp41|mp42|avc1|M4V |dash)$/.test(b.subarray(8, 12).toString("latin1"))) return "video/mp4";
  return null;
}

export type UploadVerdict = { ok: true; kind: UploadKind } | { ok: false; code: UploadErrorCode; message: string };

const allowed = (types: Record<string, UploadKind>) => [...new Set(Object.values(types).map((t) => t.label.replace(/ .*/, "")))].join("、");
const size = (n: number) => `${Math.round(n / MB)}MB`;

/** Whether these bytes may be stored as one of `types`: a known type by its bytes, not empty, within that type's limit. */
export function checkUpload(bytes: Uint8Array, types: Record<string, UploadKind>): UploadVerdict {
  if (bytes.length === 0) return { ok: false, code: "EMPTY_FILE", message: "文件是空的" };
  const type = sniffType(bytes);
  const kind = type ? types[type] : undefined;
  if (!kind) return { ok: false, code: "UNSUPPORTED_TYPE", message: `仅支持 ${allowed(types)}` };
  if (bytes.length > kind.maxBytes) return { ok: false, code: "TOO_LARGE", message: `${kind.label}不能超过 ${size(kind.maxBytes)}` };
  return { ok: true, kind };
}

/** What a stored material is, from its key's extension (keys are minted from the sniffed type). */
export function materialKindOf(fileKey: string): "IMAGE" | "PDF" | "VIDEO" | "FILE" {
  const ext = fileKey.split(".").pop()?.toLowerCase();
  if (ext === "png" || ext === "jpg" || ext === "jpeg" || ext === "webp" || ext === "svg") return "IMAGE";
  if (ext === "pdf") return "PDF";
  if (ext === "mp4") return "VIDEO";
  return "FILE";
}
