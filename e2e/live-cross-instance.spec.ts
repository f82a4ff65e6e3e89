import { spawn, type ChildProcess } from "node:child_process";
import { expect, test } from "@playwright/test";
import { freshPhone, signInConsumer } from "./helpers";

/**
 * Two app instances on one Postgres database (the way production scales out): a comment posted
 * through one reaches a viewer connected to the other, by LISTEN/NOTIFY. PGlite is one process, so
 * this spec is its own Playwright project, present only with DATABASE_URL (playwright.config.ts;
 * CI, which runs the browser tests on Postgres, refuses to run without it).
 */
const second = Number(process.env.E2E_PORT || 3210) + 1;
let server: ChildProcess | null = null;

test.beforeAll(async () => {
  test.setTimeout(150_000);
  // The same build, environment and database as the first instance (it migrated and seeded already).
  server = spawn("node_modules/.bin/next", ["start", "-p", String(second)], {
    env: { ...process.env, PORT: String(second), LIANBO_DEV_TOOLS: "1", NEXT_TELEMETRY_DISABLED: "1" },
    stdio: "ignore",
  });
  let exited: number | null = null;
  server.on("exit", (code) => (exited = code ?? -1));
  const deadline = Date.now() + 120_000;
  for (;;) {
    // (a port already taken makes it exit at once; never test against whatever answers there)
    if (exited !== null) throw new Error(`second instance exited (${exited}): is port ${second} free?`);
    const up = await fetch(`http://localhost:${second}/login`).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() > deadline) throw new Error(`second instance did not start on port ${second}`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
});

test.afterAll(() => {
  server?.kill("SIGTERM");
});

test("a comment posted through one app instance reaches a viewer connected to another", async ({ page, browser, baseURL, request }) => {
  // Given the demo store's live on air
  const res = await request.post("/api/graphql", { data: { query: `{ shopStoreLives(storeSlug: "xiaomei") { id status } }` } });
  const live = ((await res.json()) as { data: { shopStoreLives: { id: string; status: string }[] } }).data.shopStoreLives.find((l) => l.status === "LIVE");
  expect(live, "a live on air").toBeTruthy();

  // And a guest watching it through the first instance
  await page.goto(`/live/${live!.id}`);
  await expect(page.getByTestId("live-room")).toHaveAttribute("data-status", "LIVE");

  // When a consumer signed in on the second instance comments there
  const otherContext = await browser.newContext({ baseURL: `http://localhost:${second}` });
  const other = await otherContext.newPage();
  await signInConsumer(other, freshPhone(), `/live/${live!.id}`);
  const text = `另一台实例的评论 ${Date.now() % 100000}`;
  await other.getByLabel("评论").fill(text);
  await other.getByRole("button", { name: "发送" }).click();
  await expect(other.getByTestId("live-comments")).toContainText(text);

  // Then the guest on the first instance sees it without reloading
  await expect(page.getByTestId("live-comments")).toContainText(text);
  expect(new URL(page.url()).port).toBe(new URL(baseURL!).port);
  await otherContext.close();
});
