/**
 * GET /api/files/<key> through the real route handler, a real runtime and files on disk: whole files,
 * single byte ranges (a material-pack video seeks), ranges past the end, unknown keys.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { files } from "@/db/schema";
import { GET } from "@/app/api/files/[...key]/route";
import { createTestRuntime, type TestRuntime } from "../test/harness";
import { setRuntime } from "../runtime-access";
import { LocalDiskStorage } from "./storage";

describe("GET /api/files", () => {
  let rt: TestRuntime;
  let dir: string;
  const key = `materials/${Date.now().toString(36)}.mp4`;
  const bytes = Uint8Array.from({ length: 1_000 }, (_, i) => i % 251);

  beforeAll(async () => {
    rt = await createTestRuntime();
    dir = await mkdtemp(path.join(tmpdir(), "lianbo-files-"));
    // The runtime's own disk storage, rooted in a folder of this test's.
    rt.services.storage = new LocalDiskStorage(dir);
    await rt.services.storage.put(key, bytes);
    await rt.services.db.insert(files).values({ key, contentType: "video/mp4", byteSize: bytes.byteLength, ownerUserId: null, createdAt: rt.services.clock.now() });
    setRuntime(Promise.resolve(rt));
  });
  afterAll(async () => {
    await rt?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const get = (k: string, range?: string) =>
    GET(new Request(`http://localhost/api/files/${k}`, { headers: range ? { range } : {} }), { params: Promise.resolve({ key: k.split("/") }) });

  it("given no Range, then the whole file with its length and that ranges are accepted", async () => {
    const r = await get(key);

    expect([r.status, r.headers.get("content-type"), r.headers.get("content-length"), r.headers.get("accept-ranges")]).toEqual([200, "video/mp4", "1000", "bytes"]);
    expect(new Uint8Array(await r.arrayBuffer())).toEqual(bytes);
  });

  it.each<[string, number, number]>([
    ["bytes=100-199", 100, 199],
    ["bytes=900-", 900, 999],
    ["bytes=-24", 976, 999],
    ["bytes=990-5000", 990, 999],
  ])("given Range %s, then 206 with exactly bytes %i–%i", async (range, start, end) => {
    const r = await get(key, range);

    expect([r.status, r.headers.get("content-range"), r.headers.get("content-length")]).toEqual([206, `bytes ${start}-${end}/1000`, String(end - start + 1)]);
    expect(new Uint8Array(await r.arrayBuffer())).toEqual(bytes.slice(start, end + 1));
  });

  it("given a Range past the end, then 416 naming the size and no body", async () => {
    const r = await get(key, "bytes=1000-");

    expect([r.status, r.headers.get("content-range")]).toEqual([416, "bytes */1000"]);
    expect((await r.arrayBuffer()).byteLength).toBe(0);
  });

  it("given a multi-range, then the whole file (ranges a server may ignore)", async () => {
    const r = await get(key, "bytes=0-1,5-6");

    expect([r.status, (await r.arrayBuffer()).byteLength]).toEqual([200, 1000]);
  });

  it("given a key nobody stored, then 404 whatever the range", async () => {
    expect([(await get("materials/nope.mp4")).status, (await get("materials/nope.mp4", "bytes=0-1")).status]).toEqual([404, 404]);
  });
});
