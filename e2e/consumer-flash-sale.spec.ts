import { expect, test } from "@playwright/test";
import { freshPhone, signInConsumer, signInStaff } from "./helpers";
import { appNow, gql, pickFlashSku, yuan } from "./flash-helpers";

const CREATE = `mutation($input: CreateFlashSaleInput!) { createFlashSale(input: $input) { flashSale { id } errors { code message field } } }`;

test("a new consumer sees a flash sale count down and open, buys at the flash price, pays in the sandbox, and cannot buy past the per-person limit", async ({ page, browser, baseURL }) => {
  // Given merchant1 (小美优选) on the 秒杀活动 page in their own browser
  const merchantContext = await browser.newContext({ baseURL });
  const merchant = await merchantContext.newPage();
  await signInStaff(merchant, "merchant1", "/merchant/flash");
  const sku = await pickFlashSku(merchant);

  // And a new consumer signed in on a phone
  await signInConsumer(page, freshPhone(), "/s/xiaomei");

  // When the merchant puts a SKU on sale from 15 seconds from now (on the app's clock), 1 per person
  const now = await appNow(merchant);
  const created = await gql<{ createFlashSale: { flashSale: { id: string } | null; errors: { message: string }[] } }>(merchant, CREATE, {
    input: { skuId: sku.skuId, flashPrice: sku.minPrice, totalStock: 10, perUserLimit: 1, startsAt: new Date(now + 15_000).toISOString(), endsAt: new Date(now + 30 * 60_000).toISOString() },
  });
  expect(created.createFlashSale.errors).toEqual([]);
  const saleId = created.createFlashSale.flashSale!.id;

  // Then the storefront leads to the flash venue, where the sale counts down to its start
  await page.goto("/s/xiaomei");
  await page.getByTestId("flash-banner").click();
  await page.waitForURL((url) => url.pathname === "/s/xiaomei/flash");
  const card = page.getByTestId("flash-card").filter({ hasText: sku.title }).filter({ hasText: sku.label });
  await expect(card.getByTestId("flash-state")).toHaveText("即将开始");
  await expect(card.getByTestId("countdown")).toContainText(/距开始 00:00:\d\d/);
  await expect(card.locator(".price")).toHaveText(`¥${yuan(sku.minPrice)}`);
  await expect(card.locator(".strike")).toHaveText(`¥${yuan(sku.listPrice)}`);
  await expect(card.getByTestId("flash-progress")).toContainText("已抢 0%");
  await expect(card.getByRole("button", { name: "马上抢" })).toBeDisabled();

  // And when it starts the page turns itself over to 抢购中, counting down to the end
  await expect(card.getByTestId("flash-state")).toHaveText("抢购中", { timeout: 30_000 });
  await expect(card.getByTestId("countdown")).toContainText("距结束");
  await card.getByRole("link", { name: "马上抢" }).click();
  await page.waitForURL((url) => url.pathname === `/s/xiaomei/flash/${saleId}`);

  // When they add an address and grab one
  await expect(page.getByText("每人限购 1 件")).toBeVisible();
  await page.getByLabel("收货人").fill("秒杀买家");
  await page.getByLabel("手机号").fill("13912345678");
  await page.getByLabel("省份").fill("浙江省");
  await page.getByLabel("城市").fill("杭州市");
  await page.getByLabel("区县").fill("西湖区");
  await page.getByLabel("详细地址").fill("文三路 100 号 3 单元 502");
  await page.getByRole("button", { name: "保存地址" }).click();
  await expect(page.getByText("秒杀买家")).toBeVisible();
  // (the payment request is held until the notice has been seen; the page then goes to the sandbox)
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/api/graphql", async (route) => {
    if (route.request().postData()?.includes("payOrder")) await held;
    await route.continue();
  });
  await page.getByRole("button", { name: "立即抢购" }).click();

  // Then the order is placed with 5 minutes to pay, and payment starts
  await expect(page.getByTestId("flash-placed")).toContainText("请在 5 分钟内完成支付");
  release();
  await expect(page.getByTestId("pay-amount")).toContainText("¥");
  await page.unrouteAll();
  await page.getByRole("button", { name: "确认支付" }).click();
  await expect(page.getByText("支付成功")).toBeVisible();
  await expect(page.getByTestId("order-status")).toHaveText("待发货");
  await expect(page.getByText(sku.title)).toBeVisible();
  await expect(page.getByText(`¥${yuan(sku.minPrice)}`).first()).toBeVisible();

  // And the merchant's counters catch up by themselves
  const row = merchant.getByTestId("flash-row").filter({ hasText: sku.title }).filter({ hasText: sku.label });
  await expect(row.getByTestId("flash-sold")).toHaveText("1", { timeout: 15_000 });
  await expect(row.getByTestId("flash-remaining")).toHaveText("9");
  await expect(row.getByTestId("flash-reserved")).toHaveText("0");
  await expect(row.getByTestId("flash-state")).toHaveText("抢购中");

  // And the venue shows the share taken
  await page.goto("/s/xiaomei/flash");
  await expect(card.getByTestId("flash-progress")).toContainText("已抢 10%");

  // When they try again, past the limit of one per person
  await page.goto(`/s/xiaomei/flash/${saleId}`);
  await page.getByRole("button", { name: "立即抢购" }).click();

  // Then the refusal says so, and nothing more was taken
  await expect(page.locator("p.error")).toContainText("每人限购 1 件");
  await expect(row.getByTestId("flash-remaining")).toHaveText("9");
  await merchantContext.close();
});
