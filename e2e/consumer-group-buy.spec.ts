import { devices, expect, test } from "@playwright/test";
import { freshPhone, signInConsumer, signInStaff } from "./helpers";
import { gql } from "./flash-helpers";
import { addAddress, createGroupOffer, openGroupFromProduct, payInSandbox } from "./group-helpers";

const SHIPMENTS = `{ supplierShipments(first: 100) { nodes { orderNo } } }`;

test("a consumer opens a 2-person group and shares it; a new consumer joins through the share link; both pay and the group succeeds, visible to merchant and supplier", async ({ page, browser, baseURL }) => {
  // Given merchant1 offers a SKU for 2-person groups, 60 minutes to fill
  const merchantContext = await browser.newContext({ baseURL });
  const merchant = await merchantContext.newPage();
  await signInStaff(merchant, "merchant1", "/merchant/groups");
  const { offerId, productId, sku } = await createGroupOffer(merchant, { groupSize: 2, timeLimitMinutes: 60 });

  // When a consumer opens a group from the product page and pays
  await signInConsumer(page, freshPhone(), "/s/xiaomei");
  const { groupPath, orderNo: leaderOrderNo } = await openGroupFromProduct(page, productId, offerId, "开团人");

  // Then the group page shows them as leader, one empty seat, 还差 1 人 and a countdown
  await expect(page.getByTestId("group-status")).toHaveText("拼团中");
  await expect(page.getByTestId("group-needed")).toContainText("还差 1 人成团");
  await expect(page.getByTestId("countdown")).toContainText(/剩余 00:5\d:\d\d/);
  await expect(page.getByTestId("group-member")).toHaveCount(1);
  await expect(page.getByTestId("group-member")).toContainText("团长");
  await expect(page.getByTestId("group-empty-seat")).toHaveCount(1);
  const shareLink = await page.getByTestId("group-share-link").inputValue();
  expect(shareLink).toMatch(/\/i\/[A-Z0-9]+\?s=xiaomei&g=[0-9a-f-]{36}$/);

  // And the product page lists the open group to join
  await page.goto(`/s/xiaomei/p/${productId}`);
  await expect(page.getByTestId("open-group").filter({ has: page.locator(`a[href="${groupPath}"]`) })).toContainText("还差 1 人");

  // When a new consumer on another phone opens the share link, signs in, and joins
  const friendContext = await browser.newContext({ ...devices["Pixel 7"], baseURL });
  const friend = await friendContext.newPage();
  await friend.goto(new URL(shareLink).pathname + new URL(shareLink).search);
  await friend.waitForURL((url) => url.pathname === groupPath && url.searchParams.has("ref"));
  await expect(friend.getByTestId("group-member")).toHaveCount(1);
  const here = new URL(friend.url());
  await expect(friend.getByRole("link", { name: "登录后参团" })).toBeVisible();
  await signInConsumer(friend, freshPhone(), `${here.pathname}${here.search}`);
  await addAddress(friend, "参团人");
  await friend.getByRole("button", { name: "立即参团" }).click();
  await payInSandbox(friend);

  // Then the group has succeeded: their order waits for shipping, and both see 拼团成功
  await expect(friend.getByTestId("order-status")).toHaveText("待发货");
  const friendOrderNo = (await friend.getByText(/订单号 LB\d+/).textContent())!.match(/订单号 (LB\d+)/)![1];
  await expect(friend.getByTestId("order-group")).toContainText("拼团成功");
  await friend.goto(groupPath);
  await expect(friend.getByTestId("group-status")).toHaveText("拼团成功");
  await expect(friend.getByTestId("group-member")).toHaveCount(2);
  for (const name of await friend.getByTestId("group-member").locator("small").first().allTextContents()) expect(name).toMatch(/^.\*+$/);
  await page.goto(groupPath);
  await expect(page.getByTestId("group-status")).toHaveText("拼团成功");

  // And the merchant's counters catch up by themselves
  const row = merchant.getByTestId("group-offer-row").filter({ hasText: sku.title }).filter({ hasText: sku.label }).first();
  await expect(row.getByTestId("groups-succeeded")).toHaveText("1", { timeout: 15_000 });
  await expect(row.getByTestId("group-paid")).toHaveText("2");
  await expect(row.getByTestId("groups-open")).toHaveText("0");

  // And the supplier now has both orders to ship
  const supplierContext = await browser.newContext({ baseURL });
  const supplierPage = await supplierContext.newPage();
  const toShip: string[] = [];
  for (const login of ["supplier1", "supplier2"]) {
    await signInStaff(supplierPage, login, "/supplier");
    toShip.push(...(await gql<{ supplierShipments: { nodes: { orderNo: string }[] } }>(supplierPage, SHIPMENTS)).supplierShipments.nodes.map((n) => n.orderNo));
    await supplierContext.clearCookies();
  }
  expect(toShip).toEqual(expect.arrayContaining([leaderOrderNo, friendOrderNo]));
  await Promise.all([merchantContext.close(), friendContext.close(), supplierContext.close()]);
});
