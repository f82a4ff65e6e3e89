import { expect, type Page } from "@playwright/test";
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
