import { expect, test } from "@playwright/test";
import { freshPhone, signInConsumer } from "./helpers";
import { gql } from "./flash-helpers";
import { openHostConsole } from "./live-helpers";

test("a host publishes a live-only coupon and an invite task; a viewer claims the coupon in the room, and a friend arriving through the viewer's room link counts toward the task", async ({ page, browser, baseURL }) => {
  // Given merchant1's live on air, and in its console a live-only coupon and a 'bring 1 friend' task
  const { context: hostContext, host, live } = await openHostConsole(browser, baseURL);
  const perks = host.getByTestId("live-perks-console");
  const couponTitle = `专享券${Date.now() % 100000}`;
  await perks.getByLabel("券名称").fill(couponTitle);
  await perks.getByRole("button", { name: "发布直播专享券" }).click();
  await expect(perks.getByRole("status")).toContainText("直播专享券已发布");
  const taskCoupon = `任务券${Date.now() % 100000}`;
  await perks.getByLabel("券名称").fill(taskCoupon);
  await perks.getByText("作为邀请任务奖励").click();
  await perks.getByLabel("需邀请新观众（人）").fill("1");
  await perks.getByRole("button", { name: "发布邀请任务" }).click();
  await expect(perks.getByRole("status")).toContainText("邀请任务已发布");

  // When a viewer opens the room's 福利 sheet and claims the coupon
  await signInConsumer(page, freshPhone(), `/live/${live.id}`);
  await page.getByTestId("open-perks").click();
  const sheet = page.getByTestId("perks-sheet");
  const coupon = sheet.getByTestId("live-coupon").filter({ hasText: couponTitle });
  await coupon.getByRole("button", { name: "领取" }).click();
  await expect(coupon.getByRole("button", { name: "已领取" })).toBeDisabled();
  // (the task's coupon is a reward only: not offered for claiming)
  await expect(sheet.getByTestId("live-coupon").filter({ hasText: taskCoupon })).toHaveCount(0);
  const task = sheet.getByTestId("live-task").filter({ hasText: taskCoupon });
  await expect(task).toContainText("已邀请 0 / 1");

  // Then it is in the viewer's coupons
  const mine = await gql<{ myCoupons: { nodes: { title: string; source: string }[] } }>(page, `{ myCoupons(first: 20) { nodes { title source } } }`);
  expect(mine.myCoupons.nodes).toContainEqual({ title: couponTitle, source: "LIVE" });

  // When a friend opens the room through the viewer's invite link and signs up there (anonymous
  // visitors do not count: a script could open connections without a cookie)
  const { myReferral } = await gql<{ myReferral: { invitePath: string } }>(page, `{ myReferral { invitePath } }`);
  expect(myReferral.invitePath).toMatch(/^\/i\/[0-9A-Z]{8}$/);
  const friendContext = await browser.newContext({ baseURL });
  const friend = await friendContext.newPage();
  await friend.goto(`${myReferral.invitePath}?s=xiaomei&l=${live.id}&ch=live`);
  await expect(friend).toHaveURL(new RegExp(`/live/${live.id}\\?ref=`));
  const roomLink = new URL(friend.url());
  await signInConsumer(friend, `138${String(Date.now()).slice(-8)}`, roomLink.pathname + roomLink.search);
  await expect(friend.getByTestId("live-room")).toHaveAttribute("data-status", "LIVE");

  // Then the task is done and its coupon is the viewer's (source TASK)
  await expect
    .poll(async () => (await gql<{ myCoupons: { nodes: { title: string; source: string }[] } }>(page, `{ myCoupons(first: 20) { nodes { title source } } }`)).myCoupons.nodes, { timeout: 10_000 })
    .toContainEqual({ title: taskCoupon, source: "TASK" });
  // And the host's session analytics count the room's viewers
  await host.goto(`/merchant/live/${live.id}/stats`);
  await expect(host.getByTestId("live-summary")).toContainText("观看人数");
  await expect(host.getByTestId("minute-chart")).toBeVisible();
  await hostContext.close();
  await friendContext.close();
});
