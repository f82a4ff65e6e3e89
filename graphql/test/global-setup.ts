import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** One throwaway data folder (secrets, uploaded files) for the whole test run. */
export default function setup() {
  const dir = mkdtempSync(path.join(tmpdir(), "lianbo-test-"));
  process.env.LIANBO_DATA_DIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
