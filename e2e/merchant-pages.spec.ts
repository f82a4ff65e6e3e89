import { test } from "@playwright/test";
import { signInStaff } from "./helpers";
import { expectPagesRender } from "./pages";

test("every merchant page renders with the demo data", async ({ page }) => {
  await signInStaff(page, "merchant1", "/merchant");
  await expectPagesRender(page, ["/merchant", "/merchant/catalog", "/merchant/products", "/merchant/orders", "/merchant/orders?status=PAID", "/merchant/flash", "/merchant/groups", "/merchant/coupons", "/merchant/live", "/merchant/training", "/merchant/anchor", "/merchant/notifications"]);
  // Every state of the host console: the live on air, the replay and the one scheduled for tomorrow
  for (const status of ["LIVE", "ENDED", "SCHEDULED"]) {
    await page.goto("/merchant/live");
    await page.getByTestId("merchant-live-row").filter({ has: page.getByTestId("live-status") }).filter({ hasText: { LIVE: "直播中", ENDED: "已结束", SCHEDULED: "未开始" }[status] }).first().getByRole("link").first().click();
    await page.waitForURL(/\/merchant\/live\/[0-9a-f-]{36}$/);
    await expectPagesRender(page, [new URL(page.url()).pathname]);
  }
  await page.goto("/merchant/orders");
  await page.getByTestId("merchant-order-row").first().getByRole("link").first().click();
  await page.waitForURL(/\/merchant\/orders\/[0-9a-f-]{36}$/);
  await expectPagesRender(page, [new URL(page.url()).pathname]);
});
