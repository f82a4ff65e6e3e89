import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { signInStaff } from "./helpers";
import { gql } from "./flash-helpers";

export type ConsoleLive = { id: string; title: string; status: string };

/** The signed-in merchant's lives (newest first). */
export async function merchantLives(page: Page): Promise<ConsoleLive[]> {
  return (await gql<{ merchantLives: ConsoleLive[] }>(page, `{ merchantLives { id title status } }`)).merchantLives;
}

/** The demo store's live on air now (seeded: 小美直播间 · 今日特价). */
export async function liveOnAir(page: Page): Promise<ConsoleLive> {
  const live = (await merchantLives(page)).find((l) => l.status === "LIVE");
  expect(live, "a live on air in the demo store").toBeTruthy();
  return live!;
}

/** The video's current position in seconds (the player's <video>). */
export async function videoTime(page: Page): Promise<number> {
  return page.getByTestId("live-video").evaluate((v: HTMLVideoElement) => v.currentTime);
}

/**
 * merchant1 in the host console of the demo store's live on air, in a browser of their own (a
 * desktop-sized context beside the test's phone page). Close `context` when done.
 */
export async function openHostConsole(browser: Browser, baseURL: string | undefined): Promise<{ context: BrowserContext; host: Page; live: ConsoleLive }> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 860 } });
  const host = await context.newPage();
  await signInStaff(host, "merchant1", "/merchant/live");
  const live = await liveOnAir(host);
  await host.goto(`/merchant/live/${live.id}`);
  return { context, host, live };
}
