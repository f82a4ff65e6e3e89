import { test } from "@playwright/test";
import { signInStaff } from "./helpers";
import { expectPagesRender } from "./pages";

test("every merchant page renders with the demo data", async ({ page }) => {
  await signInStaff(page, "merchant1", "/merchant");
  await expectPagesRender(page, ["/merchant", "/merchant/catalog", "/merchant/products", "/merchant/orders", "/merchant/orders?status=PAID", "/merchant/flash", "/merchant/groups", "/merchant/coupons"]);
  await page.goto("/merchant/orders");
  await page.getByTestId("merchant-order-row").first().getByRole("link").first().click();
  await page.waitForURL(/\/merchant\/orders\/[0-9a-f-]{36}$/);
  await expectPagesRender(page, [new URL(page.url()).pathname]);
});
