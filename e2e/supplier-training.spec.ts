import { expect, test } from "@playwright/test";
import { signInStaff } from "./helpers";

test("a supplier schedules a training live; a merchant reserves it; the supplier goes live and explains a product; the merchant is told in the notification centre, enters and sees supply prices and the script", async ({ page, browser }) => {
  await signInStaff(page, "supplier1", "/supplier/training");
  const title = `培训 ${Date.now().toString(36)}`;
  const form = page.getByTestId("schedule-training-form");
  await form.getByLabel("直播标题").fill(title);
  await form.getByRole("checkbox").first().check();
  await form.getByRole("button", { name: "创建培训直播" }).click();
  await expect(form.getByRole("status")).toContainText("培训直播已创建");

  await page.getByTestId("training-live-row").filter({ hasText: title }).getByRole("link").click();
  await page.waitForURL(/\/supplier\/training\/[0-9a-f-]{36}$/);
  const liveUrl = new URL(page.url()).pathname;

  const merchant = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  await signInStaff(merchant, "merchant2", "/merchant/training");
  const card = merchant.getByTestId("training-card").filter({ hasText: title });
  await card.getByTestId("reserve").click();
  await expect(card.getByTestId("reserved")).toHaveText("已预约");

  await page.getByTestId("start-live").click();
  await page.getByTestId("pin").first().click();
  await expect(page.getByTestId("training-pinned")).toBeVisible();

  await merchant.goto("/merchant/notifications");
  await expect(merchant.getByTestId("unread-badge")).toBeVisible();
  const notice = merchant.getByTestId("notice").filter({ hasText: title });
  await expect(notice).toContainText("你预约的直播开始了");
  await notice.click();
  await merchant.waitForURL(liveUrl.replace("/supplier/", "/merchant/"));
  const room = merchant.getByTestId("training-room");
  await expect(room).toHaveAttribute("data-status", "LIVE");
  await expect(room.getByTestId("training-pinned")).toBeVisible();
  await expect(room.getByTestId("training-product").first()).toContainText("供货价");
  await merchant.close();
});
