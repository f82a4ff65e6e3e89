import { expect, test } from "@playwright/test";
import { signInStaff } from "./helpers";
import { pickFlashSku, yuan } from "./flash-helpers";

test("a merchant puts a SKU on a flash sale: a too-low price is refused beside the field, the sale shows with its counters and in the venue, and is cancelled before it starts", async ({ page }) => {
  // Given merchant2 (老张好物) on the 秒杀活动 page, reached from the navigation
  await signInStaff(page, "merchant2", "/merchant");
  await page.getByRole("link", { name: "秒杀活动" }).click();
  await page.waitForURL((url) => url.pathname === "/merchant/flash");
  await expect(page.locator("h1")).toHaveText("秒杀活动");
  const sku = await pickFlashSku(page);

  // When they pick a SKU and ask a flash price below its floor
  await page.getByLabel("商品规格").selectOption(sku.skuId);
  await expect(page.getByTestId("sku-hint")).toContainText(`¥${yuan(sku.minPrice)}`);
  await page.getByLabel("秒杀价（元）").fill("0.01");
  await page.getByLabel("秒杀库存（件）").fill("5");
  await page.getByLabel("每人限购（件）").fill("2");
  await page.getByRole("button", { name: "创建秒杀" }).click();

  // Then the server's refusal shows beside the price
  await expect(page.locator(".field-error")).toContainText("秒杀价不能低于");

  // When they ask the floor price (below the store price), with the default window (starts in a few minutes)
  await page.getByLabel("秒杀价（元）").fill(yuan(sku.minPrice));
  await page.getByRole("button", { name: "创建秒杀" }).click();
  await expect(page.getByRole("status")).toHaveText("秒杀活动已创建");

  // Then the sale is listed, upcoming, with its counters
  const row = page.getByTestId("flash-row").filter({ hasText: sku.title }).filter({ hasText: sku.label });
  await expect(row.getByTestId("flash-state")).toHaveText("即将开始");
  await expect(row).toContainText(`¥${yuan(sku.minPrice)}`);
  await expect(row.getByTestId("flash-remaining")).toHaveText("5");
  await expect(row.getByTestId("flash-reserved")).toHaveText("0");
  await expect(row.getByTestId("flash-sold")).toHaveText("0");
  await expect(row).toContainText("2 件/人");

  // And shoppers see it coming in the store's flash venue, with the store price struck through
  await page.goto("/s/laozhang/flash");
  const card = page.getByTestId("flash-card").filter({ hasText: sku.title }).filter({ hasText: sku.label });
  await expect(card.getByTestId("flash-state")).toHaveText("即将开始");
  await expect(card.getByTestId("countdown")).toContainText("距开始");
  await expect(card.locator(".strike")).toHaveText(`¥${yuan(sku.listPrice)}`);
  await expect(card.getByRole("button", { name: "马上抢" })).toBeDisabled();

  // When the merchant cancels it before it starts
  await page.goto("/merchant/flash");
  page.once("dialog", (dialog) => dialog.accept());
  await row.getByRole("button", { name: "取消" }).click();

  // Then it is over, marked cancelled, and gone from the venue
  await expect(row.getByTestId("flash-state")).toHaveText("已结束");
  await expect(row.getByTestId("flash-close-reason")).toHaveText("商家取消");
  await expect(row.getByRole("button", { name: "取消" })).toHaveCount(0);
  await page.goto("/s/laozhang/flash");
  await expect(page.getByTestId("flash-card").filter({ hasText: sku.title }).filter({ hasText: sku.label })).toHaveCount(0);
});
