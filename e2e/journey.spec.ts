import { devices, expect, test, type Browser, type Page } from "@playwright/test";
import { advanceClock, freshPhone, signInConsumer, signInStaff, testIdNumber } from "./helpers";

/**
 * The whole 链动2+1 loop through the screens: a consumer becomes a SHARER and invites two friends;
 * each friend arrives through the invite link, registers, buys and receives; when the return window
 * passes (moved clock) the rewards settle, the inviter is promoted to 团长 and told so; they withdraw
 * and the operator pays it out. It moves the application clock, so it runs in its own project,
 * after every other one (playwright.config.ts).
 */
test.describe.configure({ mode: "serial" });

async function buyAndPay(page: Page, detail: string): Promise<string> {
  await page.goto("/s/xiaomei");
  await page.getByTestId("product-grid").locator("a").first().click();
  await page.getByRole("button", { name: "加入购物车" }).click();
  const sheet = page.getByRole("dialog", { name: "选择规格" });
  for (const group of await sheet.locator(".spec-values").all()) await group.locator("button:not([disabled])").first().click();
  await sheet.getByLabel("数量").fill("3");
  await sheet.getByRole("button", { name: "加入购物车" }).click();
  await expect(sheet.getByRole("status")).toHaveText("已加入购物车");
  await page.goto("/s/xiaomei/cart");
  await page.getByRole("link", { name: /去结算/ }).click();
  await page.getByLabel("收货人").fill("测试好友");
  await page.getByLabel("手机号").fill(freshPhone());
  await page.getByLabel("省份").fill("浙江省");
  await page.getByLabel("城市").fill("杭州市");
  await page.getByLabel("区县").fill("西湖区");
  await page.getByLabel("详细地址").fill(detail);
  await page.getByRole("button", { name: "保存地址" }).click();
  await expect(page.getByText(detail)).toBeVisible();
  await page.getByRole("button", { name: "提交订单" }).click();
  await page.getByRole("button", { name: "确认支付" }).click();
  await expect(page.getByTestId("order-status")).toHaveText("待发货");
  return (await page.getByText(/订单号/).first().textContent())!.match(/订单号\s*(\S+)/)![1];
}

/** The order's supplier ships it (the product may come from either demo supplier). */
async function ship(browser: Browser, baseURL: string, orderNo: string) {
  const ctx = await browser.newContext({ baseURL, viewport: { width: 1280, height: 860 } });
  const page = await ctx.newPage();
  for (const login of ["supplier1", "supplier2"]) {
    await signInStaff(page, login, "/supplier");
    await page.goto("/supplier/shipments?status=AWAITING_SHIPMENT");
    const row = page.getByTestId("shipment-row").filter({ hasText: orderNo });
    if (await row.count()) {
      await row.getByRole("link", { name: "发货" }).click();
      await page.getByLabel("快递公司").selectOption("中通快递");
      await page.getByLabel("运单号").fill(`ZT${Date.now()}`);
      await page.getByRole("button", { name: "确认发货" }).click();
      await expect(page.getByTestId("shipment-status")).toHaveText("已发货");
    }
    await page.context().clearCookies();
  }
  await ctx.close();
}

test("invite → register → buy → receive → settle → promotion → withdraw, across consumer and operator screens", async ({ page, browser, baseURL }) => {
  test.setTimeout(240_000);
  // Given a consumer who becomes a SHARER for free: the agreement in force and a real name
  await signInConsumer(page, freshPhone(), "/me/wallet");
  await page.getByTestId("agreement").locator("summary").click();
  await expect(page.getByTestId("agreement")).toContainText("不以购买任何商品");
  await page.getByLabel("真实姓名").fill("陈晓雨");
  await page.getByLabel("身份证号").fill(testIdNumber());
  await page.getByRole("checkbox").check();
  await page.getByRole("button", { name: "同意并开通" }).click();
  await expect(page.getByRole("heading", { name: "申请提现" })).toBeVisible();
  await page.goto("/me/invite");
  const code = (await page.getByTestId("invite-code").textContent())!.trim();

  // When two friends open the invite link on their own phones, register, buy and receive
  for (const [i, detail] of ["文三路 21 号 1 单元 101", "教工路 88 号 2 幢 302"].entries()) {
    const friendCtx = await browser.newContext({ ...devices["Pixel 7"], baseURL, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
    const friend = await friendCtx.newPage();
    await friend.goto(`/i/${code}?s=xiaomei`);
    await signInConsumer(friend, `137${String(Date.now() + i).slice(-8)}`, "/s/xiaomei");
    const orderNo = await buyAndPay(friend, detail);
    await ship(browser, baseURL!, orderNo);
    await friend.reload();
    await friend.getByRole("button", { name: "确认收货" }).click();
    await expect(friend.getByTestId("order-status")).toHaveText("已完成");
    await friendCtx.close();
  }

  // Then the inviter sees both friends, counting only after settlement, and pending rewards
  await page.goto("/me/team");
  await expect(page.getByText("首笔订单结算后计入")).toHaveCount(2);
  await page.goto("/me/earnings");
  await expect(page.getByText("直推奖").first()).toBeVisible();

  // When the return window passes (settleDays = 7), the rewards settle and the inviter is promoted
  await advanceClock(page, "8d");
  await page.goto("/me/notifications");
  await expect(page.getByTestId("notice").filter({ hasText: "你已成为团长" })).toBeVisible();
  await expect(page.getByTestId("unread-badge")).toBeVisible();
  await page.getByRole("button", { name: "全部标为已读" }).click();
  await expect(page.getByText("全部已读")).toBeVisible();
  await page.goto("/me/team");
  await expect(page.getByText("已计入")).toHaveCount(2);
  await expect(page.getByText("团长").first()).toBeVisible();

  // And they withdraw what settled; the operator approves and it is paid
  await page.goto("/me/wallet");
  await expect(page.getByTestId("chain-verified")).toContainText("账本校验通过");
  await page.getByLabel(/金额/).fill("10");
  await page.getByLabel(/收款人/).fill("陈晓雨");
  await page.getByLabel("收款账号").fill("6222020200112233445");
  await page.getByRole("button", { name: "提交提现申请" }).click();
  await expect(page.getByText("已提交，审核通过后打款")).toBeVisible();

  const opCtx = await browser.newContext({ baseURL, viewport: { width: 1280, height: 860 } });
  const op = await opCtx.newPage();
  await signInStaff(op, "admin", "/operator/withdrawals");
  await op.getByRole("row").filter({ hasText: "3445" }).filter({ hasText: "¥10.00" }).first().getByRole("button", { name: "通过并打款" }).click();
  // Paid out within the mutation: the request leaves the review queue once it has (only then navigate).
  await expect(op.getByRole("row").filter({ hasText: "3445" })).toHaveCount(0);
  await op.goto("/operator/withdrawals?status=PAID");
  await expect(op.getByRole("row").filter({ hasText: "3445" }).first()).toBeVisible();
  await opCtx.close();

  await page.goto("/me/notifications");
  await expect(page.getByTestId("notice").filter({ hasText: "提现已到账" })).toBeVisible();
});
