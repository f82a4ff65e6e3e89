import { expect, test } from "@playwright/test";
import { freshPhone, signInConsumer, signInStaff } from "./helpers";
import { yuan } from "./flash-helpers";
import { merchantLives, openHostConsole, videoTime } from "./live-helpers";

test("a host pins a product and a viewer's 讲解中 card follows without reloading; the viewer's comment reaches the console; the viewer buys the pinned product at the live price from the bottom sheet while the video keeps playing", async ({ page, browser, baseURL }) => {
  // Given merchant1 (小美) in the host console of the store's live on air, in their own browser
  const { context: hostContext, host, live } = await openHostConsole(browser, baseURL);
  await expect(host.getByTestId("console-shelf-row").first()).toBeVisible();

  // And a new consumer watching the room on a phone
  await signInConsumer(page, freshPhone(), `/live/${live.id}`);
  await expect(page.getByTestId("live-room")).toHaveAttribute("data-status", "LIVE");
  await expect(page.getByTestId("live-video")).toBeAttached();
  // (marks this page load: a reload would lose it)
  await page.evaluate(() => ((window as unknown as { roomMark: number }).roomMark = 42));

  // When the host pins a product that is not pinned now
  const candidate = host.getByTestId("console-shelf-row").filter({ has: host.getByTestId("pin") }).first();
  const title = (await candidate.locator("td").first().locator("div").first().textContent())!.trim();
  const row = host.getByTestId("console-shelf-row").filter({ hasText: title });
  await row.getByTestId("pin").click();
  await expect(row.getByTestId("console-pinned")).toBeVisible();

  // Then the viewer's 讲解中 card shows it, without a reload
  await expect(page.getByTestId("pinned-title")).toHaveText(title);
  expect(await page.evaluate(() => (window as unknown as { roomMark?: number }).roomMark)).toBe(42);

  // When the viewer comments, then the comment shows in the room and in the host console
  const text = `想要这个 ${Date.now() % 100000}`;
  await page.getByLabel("评论").fill(text);
  await page.getByRole("button", { name: "发送" }).click();
  await expect(page.getByTestId("live-comments")).toContainText(text);
  await expect(host.getByTestId("console-comments")).toContainText(text);

  // When the viewer opens the pinned product, the sheet shows the live price against the struck store price
  await page.getByTestId("pinned-product").click();
  const sheet = page.getByTestId("buy-sheet");
  await expect(sheet).toBeVisible();
  const livePrice = (await sheet.getByTestId("sheet-price").locator(".price").textContent())!.replace(/[¥\s]/g, "");
  const listPrice = (await sheet.getByTestId("sheet-price").locator(".strike").textContent())!.replace(/[¥\s]/g, "");
  expect(Number(livePrice)).toBeLessThan(Number(listPrice));
  await sheet.getByRole("button", { name: "立即购买" }).click();

  // And adds an address in the sheet
  await sheet.getByLabel("收货人").fill("直播买家");
  await sheet.getByLabel("手机号").fill("13912345678");
  await sheet.getByLabel("省份").fill("浙江省");
  await sheet.getByLabel("城市").fill("杭州市");
  await sheet.getByLabel("区县").fill("西湖区");
  await sheet.getByLabel("详细地址").fill("文三路 100 号 3 单元 502");
  await sheet.getByRole("button", { name: "保存地址" }).click();
  await expect(sheet.getByText("直播买家")).toBeVisible();

  // Then the order is priced at the live price, and the video is still in the room, playing
  await expect(sheet.getByTestId("checkout-unit-price").locator(".price")).toHaveText(`¥${livePrice}`);
  await expect(sheet.getByTestId("checkout-unit-price").locator(".strike")).toHaveText(`¥${listPrice}`);
  await expect(page.getByTestId("live-video")).toBeAttached();
  expect(await page.evaluate(() => (window as unknown as { roomMark?: number }).roomMark)).toBe(42);
  const total = (await sheet.getByTestId("checkout-total").textContent())!.replace(/[¥\s]/g, "");

  // When they pay in the sandbox
  await sheet.getByRole("button", { name: "提交订单并支付" }).click();
  await expect(page.getByTestId("pay-amount")).toContainText(`¥${yuan(Math.round(Number(total) * 100))}`);
  await page.getByRole("button", { name: "确认支付" }).click();

  // Then the order is paid at the live price
  await expect(page.getByText("支付成功")).toBeVisible();
  await expect(page.getByTestId("order-status")).toHaveText("待发货");
  await expect(page.getByText(`¥${livePrice}`).first()).toBeVisible();
  await hostContext.close();
});

test("a replay opens at ?t= and a chapter seeks the video to its start", async ({ page, browser, baseURL }) => {
  // Given the demo store's replay (chapters at 0:03, 0:16 and 0:30 of a 45 s live)
  const hostContext = await browser.newContext({ baseURL });
  const host = await hostContext.newPage();
  await signInStaff(host, "merchant1", "/merchant/live");
  const replay = (await merchantLives(host)).find((l) => l.status === "ENDED" && l.title.includes("回放"));
  expect(replay, "the seeded replay").toBeTruthy();
  await hostContext.close();

  // When a viewer opens its link at 16 s
  await page.goto(`/live/${replay!.id}?t=16`);
  await expect(page.getByTestId("live-room")).toHaveAttribute("data-status", "ENDED");
  const chapters = page.getByTestId("chapter");
  await expect(chapters).toHaveCount(3);
  await expect(chapters.nth(1)).toContainText("00:16");

  // Then the video starts there
  await expect.poll(() => videoTime(page), { timeout: 20_000 }).toBeGreaterThanOrEqual(15.5);
  expect(await videoTime(page)).toBeLessThan(24);

  // When they tap the third chapter, then the video jumps to 0:30
  await chapters.nth(2).getByRole("button").first().click();
  await expect.poll(() => videoTime(page), { timeout: 20_000 }).toBeGreaterThanOrEqual(29.5);
  expect(await videoTime(page)).toBeLessThan(38);

  // And a chapter's product page lists the replay under 直播讲解, linking back to the chapter
  await chapters.nth(0).getByRole("link", { name: "去看看" }).click();
  await page.waitForURL(/\/s\/xiaomei\/p\/[0-9a-f-]{36}$/);
  const chip = page.getByTestId("product-chapter").filter({ hasText: "00:03" });
  await expect(chip).toBeVisible();
  await chip.click();
  await page.waitForURL((url) => url.pathname === `/live/${replay!.id}` && url.searchParams.get("t") === "3");
  await expect.poll(() => videoTime(page), { timeout: 20_000 }).toBeGreaterThanOrEqual(2.5);

  // And a chapter shared through an invite link lands in the replay at that second
  const shared = await page.request.get(`/i/DEMO1234?s=xiaomei&l=${replay!.id}&t=30&ch=live`, { maxRedirects: 0 });
  expect(shared.status()).toBe(303);
  expect(new URL(shared.headers().location).pathname + new URL(shared.headers().location).search).toBe(`/live/${replay!.id}?ref=DEMO1234&t=30`);
});
