import { expect, test } from "@playwright/test";
import { freshPhone, signInConsumer, signInStaff } from "./helpers";

/**
 * A merchant issues a store coupon; a consumer claims it in the coupon centre, finds it preselected
 * at checkout (and can switch it off and on), pays the discounted total, and sees it used.
 */
test("a merchant issues a coupon; a consumer claims it, checkout preselects it, and the paid total is discounted", async ({ page, browser, baseURL }) => {
  test.setTimeout(120_000);
  const title = `满减测试券${Date.now().toString().slice(-5)}`;

  // Given a merchant who issues a 无门槛 ¥1 coupon in their console
  const merchantCtx = await browser.newContext({ baseURL, viewport: { width: 1280, height: 860 } });
  const merchant = await merchantCtx.newPage();
  await signInStaff(merchant, "merchant3", "/merchant/coupons");
  await merchant.getByLabel("券名称").fill(title);
  await merchant.getByLabel("类型").selectOption("NO_THRESHOLD");
  await merchant.getByLabel("减免金额（元）").fill("1");
  await merchant.getByLabel("发放总量（张）").fill("5");
  await merchant.getByRole("button", { name: "发放" }).click();
  await expect(merchant.getByRole("status")).toHaveText("已发放");
  await expect(merchant.getByTestId("merchant-coupon-row").filter({ hasText: title })).toContainText("0 / 5");
  await merchantCtx.close();

  // When a consumer claims it in the store's coupon centre
  await signInConsumer(page, freshPhone(), "/s/chayu");
  await page.getByTestId("coupon-centre").click();
  const card = page.getByTestId("coupon-card").filter({ hasText: title });
  await expect(card).toContainText("无门槛减1");
  await card.getByRole("button", { name: "领取" }).click();
  await expect(card.getByRole("status")).toHaveText("领取成功");
  await expect(card.getByRole("button", { name: "已领取" })).toBeDisabled();

  // And buys something: checkout preselects the coupon
  await page.goto("/s/chayu");
  await page.getByTestId("product-grid").locator("a").first().click();
  await page.getByRole("button", { name: "加入购物车" }).click();
  const sheet = page.getByRole("dialog", { name: "选择规格" });
  for (const group of await sheet.locator(".spec-values").all()) await group.locator("button:not([disabled])").first().click();
  await sheet.getByRole("button", { name: "加入购物车" }).click();
  await expect(sheet.getByRole("status")).toHaveText("已加入购物车");
  await page.goto("/s/chayu/cart");
  await page.getByRole("link", { name: /去结算/ }).click();
  const picker = page.getByTestId("coupon-picker");
  await expect(picker.getByRole("radio").nth(1)).toBeChecked();
  await expect(page.getByTestId("coupon-discount")).toContainText("-¥1.00");
  const discounted = (await page.locator(".buybar .price").textContent())!;

  // Then switching it off restores the full price, and on again discounts it
  await picker.getByRole("radio").first().check();
  await expect(page.getByTestId("coupon-discount")).toHaveCount(0);
  await picker.getByRole("radio").nth(1).check();
  await expect(page.getByTestId("coupon-discount")).toContainText("-¥1.00");

  await page.getByLabel("收货人").fill("领券买家");
  await page.getByLabel("手机号").fill(freshPhone());
  await page.getByLabel("省份").fill("福建省");
  await page.getByLabel("城市").fill("福州市");
  await page.getByLabel("区县").fill("鼓楼区");
  const detail = `五四路 ${Date.now().toString().slice(-4)} 号`;
  await page.getByLabel("详细地址").fill(detail);
  await page.getByRole("button", { name: "保存地址" }).click();
  await expect(page.getByText(detail)).toBeVisible();
  await page.getByRole("button", { name: "提交订单" }).click();
  await expect(page.getByTestId("pay-amount")).toHaveText(discounted.replace(/\s/g, ""));
  await page.getByRole("button", { name: "确认支付" }).click();
  await expect(page.getByTestId("order-status")).toHaveText("待发货");

  // And the coupon is used
  await page.goto("/me/coupons");
  await expect(page.getByTestId("my-coupon").filter({ hasText: title })).toContainText("已使用");
});
