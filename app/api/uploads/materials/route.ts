import { randomUUID } from "node:crypto";
import { getRuntime } from "@/graphql/runtime-access";
import { currentViewer } from "@/components/server/viewer";
import { files } from "@/db/schema";
import { Permission } from "@/graphql/core/permissions";
import { checkUpload, MATERIAL_TYPES, maxBytesOf, UploadErrorCode } from "@/graphql/platform/upload.rules";

const MAX_BYTES = maxBytesOf(MATERIAL_TYPES);
const STATUS: Record<keyof typeof UploadErrorCode, number> = { NO_FILE: 400, EMPTY_FILE: 400, TOO_LARGE: 413, UNSUPPORTED_TYPE: 415 };

const refuse = (code: keyof typeof UploadErrorCode, message: string) => Response.json({ error: { code, message } }, { status: STATUS[code] });

/**
 * Material-pack upload for suppliers' live scripts (multipart field `file`): images up to 5 MB, PDF
 * up to 20 MB, MP4 up to 30 MB, each recognised by its bytes. Answers the storage key to put in
 * saveLiveScript's materials, or `{ error: { code, message } }` with a code of UploadErrorCode.
 */
export async function POST(request: Request) {
  const viewer = await currentViewer();
  if (!viewer) return Response.json({ error: { code: "UNAUTHENTICATED", message: "请先登录" } }, { status: 401 });
  if (!viewer.permissions.has(Permission.CATALOG_MANAGE)) return Response.json({ error: { code: "FORBIDDEN", message: "没有权限" } }, { status: 403 });
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BYTES + 10_000) return refuse("TOO_LARGE", "文件太大（图片 ≤5MB，PDF ≤20MB，视频 ≤30MB）");
  const form = await request.formData().catch(() => null);
  const file = form?.get("file");
  if (!(file instanceof Blob)) return refuse("NO_FILE", "请选择文件");
  if (file.size > MAX_BYTES) return refuse("TOO_LARGE", "文件太大（图片 ≤5MB，PDF ≤20MB，视频 ≤30MB）");
  const bytes = new Uint8Array(await file.arrayBuffer());
  const verdict = checkUpload(bytes, MATERIAL_TYPES);
  if (!verdict.ok) return refuse(verdict.code, verdict.message);
  const rt = await getRuntime();
  const key = `materials/${randomUUID()}.${verdict.kind.ext}`;
  await rt.services.storage.put(key, bytes);
  await rt.services.db.insert(files).values({ key, contentType: verdict.kind.contentType, byteSize: bytes.length, ownerUserId: viewer.userId, createdAt: rt.services.clock.now() });
  return Response.json({ key, url: `/api/files/${key}`, contentType: verdict.kind.contentType, byteSize: bytes.length });
}
