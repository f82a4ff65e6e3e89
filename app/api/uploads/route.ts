import { randomUUID } from "node:crypto";
import { getRuntime } from "@/graphql/runtime-access";
import { currentViewer } from "@/components/server/viewer";
import { files } from "@/db/schema";
import { Permission } from "@/graphql/core/permissions";
import { sniffImageType } from "@/graphql/platform/storage";

const MAX_BYTES = 5 * 1024 * 1024;
const EXT = { "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp" } as const;

/**
 * Image upload for suppliers (multipart field `file`). Only PNG, JPEG and WebP, recognised by their
 * bytes, up to 5 MB. Returns the storage key to use in createProduct.
 */
export async function POST(request: Request) {
  const viewer = await currentViewer();
  if (!viewer) return Response.json({ error: { code: "UNAUTHENTICATED", message: "请先登录" } }, { status: 401 });
  if (!viewer.permissions.has(Permission.CATALOG_MANAGE)) {
    return Response.json({ error: { code: "FORBIDDEN", message: "没有权限" } }, { status: 403 });
  }
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_BYTES + 10_000) return Response.json({ error: { code: "TOO_LARGE", message: "图片不能超过 5MB" } }, { status: 413 });
  const form = await request.formData().catch(() => null);
  const file = form?.get("file");
  if (!(file instanceof Blob)) return Response.json({ error: { code: "NO_FILE", message: "请选择图片" } }, { status: 400 });
  if (file.size > MAX_BYTES) return Response.json({ error: { code: "TOO_LARGE", message: "图片不能超过 5MB" } }, { status: 413 });
  const bytes = new Uint8Array(await file.arrayBuffer());
  const type = sniffImageType(bytes);
  if (!type) return Response.json({ error: { code: "UNSUPPORTED_TYPE", message: "仅支持 PNG、JPEG、WebP 图片" } }, { status: 415 });
  const rt = await getRuntime();
  const key = `uploads/${randomUUID()}.${EXT[type]}`;
  await rt.services.storage.put(key, bytes);
  await rt.services.db.insert(files).values({ key, contentType: type, byteSize: bytes.length, ownerUserId: viewer.userId, createdAt: rt.services.clock.now() });
  return Response.json({ key, url: `/api/files/${key}` });
}
