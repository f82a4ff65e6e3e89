import { expect, test } from "@playwright/test";
import { advanceClock, freshPhone, signInConsumer, signInStaff } from "./helpers";
import { createGroupOffer, openGroupFromProduct } from "./group-helpers";

// Runs in the journey project: it moves the application clock, which only that project may do.
test("a group nobody joins fails at its deadline and the leader is refunded in full", async ({ page, browser, baseURL }) => {
  // Given a 3-person offer with 5 minutes to fill, and a consumer who opened a group and paid
  const merchantContext = await browser.newContext({ baseURL });
  const merchant = await merchantContext.newPage();
  await signInStaff(merchant, "merchant1", "/merchant/groups");
  const { offerId, productId, sku } = await createGroupOffer(merchant, { groupSize: 3, timeLimitMinutes: 5 });
  await signInConsumer(page, freshPhone(), "/s/xiaomei");
  const { groupPath } = await openGroupFromProduct(page, productId, offerId, "没凑齐");
  await expect(page.getByTestId("group-needed")).toContainText("还差 2 人成团");
  await page.goBack();
  const orderPath = new URL(page.url()).pathname;

  // When the deadline passes (the expiry job runs), and a minute later the refund goes out
  await advanceClock(page, "6m");
  await advanceClock(page, "2m");

  // Then the group shows 拼团失败·已退款 and the order is refunded and called off
  await page.goto(groupPath);
  await expect(page.getByTestId("group-status")).toHaveText("拼团失败·已退款");
  await page.goto(orderPath);
  await expect(page.getByTestId("order-status")).toHaveText("已取消");
  await expect(page.getByTestId("order-group")).toContainText("拼团失败·已退款");

  // And the merchant sees one failed group and no GMV
  await merchant.reload();
  const row = merchant.getByTestId("group-offer-row").filter({ hasText: sku.title }).filter({ hasText: sku.label }).first();
  await expect(row.getByTestId("groups-failed")).toHaveText("1");
  await expect(row.getByTestId("group-gmv")).toHaveText("¥0.00");
  await merchantContext.close();
});
