import { defineConfig, devices } from "@playwright/test";

const port = Number(process.env.E2E_PORT || 3210);
const chromium = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const launchOptions = {
  executablePath: chromium,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
};

// Never run the browser tests against a non-local database.
const db = process.env.DATABASE_URL;
if (db && !/@(127\.0\.0\.1|localhost)(:\d+)?\//.test(db)) throw new Error("e2e refuses a non-local DATABASE_URL");

// Two app instances need one database server: embedded PGlite is one process, so on PGlite the
// multi-instance project does not exist at all (scripts/test.mjs says so). CI must run it.
const CROSS_INSTANCE = /live-cross-instance\.spec\.ts/;
if (process.env.CI === "true" && !db) throw new Error("CI runs the browser tests on Postgres (DATABASE_URL): the two-instance spec must run there");

/** One project per role; the shop runs on a phone-sized screen. Auth.js needs the localhost origin. */
export default defineConfig({
  testDir: "./e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"], ["json"]],
  use: { baseURL: `http://localhost:${port}`, trace: "retain-on-failure", launchOptions, locale: "zh-CN", timezoneId: "Asia/Shanghai" },
  projects: [
    { name: "consumer", testMatch: /(consumer|live-).*\.spec\.ts/, testIgnore: CROSS_INSTANCE, use: { ...devices["Pixel 7"], launchOptions } },
    // A second `next start` on the same Postgres database, beside the webServer below.
    ...(db ? [{ name: "instances", testMatch: CROSS_INSTANCE, use: { ...devices["Pixel 7"], launchOptions } }] : []),
    { name: "merchant", testMatch: /merchant.*\.spec\.ts/, use: { viewport: { width: 1280, height: 860 } } },
    { name: "supplier", testMatch: /supplier.*\.spec\.ts/, use: { viewport: { width: 1280, height: 860 } } },
    { name: "operator", testMatch: /operator.*\.spec\.ts/, use: { viewport: { width: 1280, height: 860 } } },
    // Moves the application clock forward: runs after everything else.
    { name: "journey", testMatch: /journey\.spec\.ts/, dependencies: ["consumer", "merchant", "supplier", "operator", ...(db ? ["instances"] : [])], use: { ...devices["Pixel 7"], launchOptions } },
  ],
  webServer: {
    command: `node_modules/.bin/next start -p ${port}`,
    url: `http://localhost:${port}/login`,
    timeout: 120_000,
    reuseExistingServer: false,
    env: { ...(process.env as Record<string, string>), PORT: String(port), LIANBO_DEV_TOOLS: "1", NEXT_TELEMETRY_DISABLED: "1" },
  },
});
