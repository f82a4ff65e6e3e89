import { expect, test } from "@playwright/test";
import { freshPhone, signInConsumer } from "./helpers";

test("a new consumer on a phone signs in, buys a product, pays in the sandbox and sees the paid order", async ({ page }) => {
  // Given a new consumer signed in with an SMS code
  await signInConsumer(page, freshPhone(), "/s/xiaomei");

  // When they open a product, pick a SKU and add it to the cart
  await page.getByTestId("product-grid").locator("a").first().click();
  const title = (await page.locator("h2").first().textContent())!.trim();
  await page.getByRole("button", { name: "加入购物车" }).click();
  const sheet = page.getByRole("dialog", { name: "选择规格" });
  for (const group of await sheet.locator(".spec-values").all()) {
    await group.locator("button:not([disabled])").first().click();
  }
  await sheet.getByRole("button", { name: "加入购物车" }).click();
  await expect(sheet.getByRole("status")).toHaveText("已加入购物车");

  // And check out from the cart with a new address
  await page.goto("/s/xiaomei/cart");
  await expect(page.getByText(title)).toBeVisible();
  await page.getByRole("link", { name: /去结算/ }).click();
  await page.getByLabel("收货人").fill("测试买家");
  await page.getByLabel("手机号").fill("13912345678");
  await page.getByLabel("省份").fill("浙江省");
  await page.getByLabel("城市").fill("杭州市");
  await page.getByLabel("区县").fill("西湖区");
  await page.getByLabel("详细地址").fill("文三路 100 号 3 单元 502");
  await page.getByRole("button", { name: "保存地址" }).click();
  await expect(page.getByText("测试买家")).toBeVisible();
  await page.getByRole("button", { name: "提交订单" }).click();

  // Then the sandbox payment page shows the amount; paying leads back to the order, now paid
  await expect(page.getByTestId("pay-amount")).toContainText("¥");
  await page.getByRole("button", { name: "确认支付" }).click();
  await expect(page.getByText("支付成功")).toBeVisible();
  await expect(page.getByTestId("order-status")).toHaveText("待发货");
  await expect(page.getByText(title)).toBeVisible();

  // And the cart no longer holds the bought item
  await page.goto("/s/xiaomei/cart");
  await expect(page.getByText("购物车是空的")).toBeVisible();
});
