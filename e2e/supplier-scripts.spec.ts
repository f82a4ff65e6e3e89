import { expect, test } from "@playwright/test";
import { signInStaff } from "./helpers";

test("a supplier writes a live script: the Advertising Law terms are marked before and after saving", async ({ page }) => {
  await signInStaff(page, "supplier1", "/supplier/scripts");
  const title = `讲解话术 ${Date.now().toString(36)}`;
  await page.getByTestId("script-title").fill(title);
  await page.getByTestId("script-points").fill("国家级工艺\n产地直发");
  await page.getByTestId("script-body").fill("这是全网最低价的一款好茶，口感醇厚，回甘明显。");
  await page.getByRole("button", { name: "检查广告法用语" }).click();
  const preview = page.getByTestId("ad-law-preview");
  await expect(preview.getByTestId("ad-law-mark").filter({ hasText: "国家级" })).toBeVisible();
  await expect(preview.getByTestId("ad-law-mark").filter({ hasText: "全网最低" })).toBeVisible();

  await page.getByRole("button", { name: "保存话术" }).click();
  await expect(page.getByRole("status")).toContainText("处广告法禁用语");
  const card = page.getByTestId("script-card").filter({ hasText: title });
  await expect(card.getByTestId("ad-law-mark").filter({ hasText: "国家级" })).toBeVisible();
});
