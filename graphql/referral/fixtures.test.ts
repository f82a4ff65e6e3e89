import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const vendored = path.resolve(__dirname, "fixtures");
const shared = path.resolve(__dirname, "../../../shared/fixtures/liandong");

describe("the vendored rule-book fixtures", () => {
  it.runIf(existsSync(shared))("given the shared originals beside the repo, then every one is vendored byte for byte", () => {
    for (const name of readdirSync(shared)) {
      expect([name, readFileSync(path.join(vendored, name), "utf8")]).toEqual([name, readFileSync(path.join(shared, name), "utf8")]);
    }
  });
});
