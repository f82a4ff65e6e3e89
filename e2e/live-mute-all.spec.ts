import { expect, test } from "@playwright/test";
import { freshPhone, signInConsumer } from "./helpers";
import { gql } from "./flash-helpers";
import { openHostConsole } from "./live-helpers";

const SET_MUTED = `mutation($l: ID!, $m: Boolean!) { setLiveCommentsMuted(liveId: $l, muted: $m) { errors { code } } }`;

test("the host switches on 全员禁言 and a viewer's comment box says so without reloading; switched off, the viewer comments again", async ({ page, browser, baseURL }) => {
  // Given merchant1 in the console of the demo store's live on air, and a viewer in the room
  const { context: hostContext, host, live } = await openHostConsole(browser, baseURL);
  await signInConsumer(page, freshPhone(), `/live/${live.id}`);
  await expect(page.getByTestId("live-room")).toHaveAttribute("data-status", "LIVE");
  await expect(page.getByLabel("评论")).toBeVisible();

  try {
    // When the host mutes everyone
    await host.getByTestId("mute-all").click();

    // Then the console says so, and the viewer's comment box is replaced by the notice, without a reload
    await expect(host.getByTestId("mute-all-on")).toBeVisible();
    await expect(page.getByTestId("room-muted")).toHaveText("主播已开启全员禁言");
    await expect(page.getByLabel("评论")).toHaveCount(0);

    // When the host switches it off, then the viewer can comment again
    await host.getByTestId("mute-all").click();
    await expect(host.getByTestId("mute-all-on")).toHaveCount(0);
    await expect(page.getByLabel("评论")).toBeVisible();
    const text = `可以说话啦 ${Date.now() % 100000}`;
    await page.getByLabel("评论").fill(text);
    await page.getByRole("button", { name: "发送" }).click();
    await expect(page.getByTestId("live-comments")).toContainText(text);
  } finally {
    // The demo room is shared with the other live specs: never leave it muted.
    await gql(host, SET_MUTED, { l: live.id, m: false });
    await hostContext.close();
  }
});
