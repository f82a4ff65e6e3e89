import { expect, test } from "@playwright/test";
import { signInConsumer } from "./helpers";
import { expectPagesRender } from "./pages";

test("a demo consumer's pages render: orders, invite with QR, team, earnings, privacy, rules", async ({ page }) => {
  await signInConsumer(page, "13800000002", "/me/orders");
  await expect(page.getByTestId("order-card").first()).toBeVisible();
  await expectPagesRender(page, ["/me/orders", "/me/orders?status=SHIPPED", "/me/invite", "/me/team", "/me/team?relation=TEAM", "/me/earnings", "/me/privacy", "/me/wallet", "/me/notifications", "/me/coupons", "/me/points", "/me/points/mall", "/s/chayu/coupons", "/rules", "/s/chayu", "/s/chayu/flash"]);
  await page.goto("/me/invite");
  await expect(page.getByTestId("invite-qr").locator("svg")).toBeVisible();
  await expect(page.getByTestId("invite-code")).toHaveText(/^[0-9A-Z]{8}$/);

  // Share posters: a store's, and a product's (its QR carries the invite code and lands on the product)
  await page.goto("/s/chayu");
  await page.getByTestId("share-store").click();
  await expect(page.getByTestId("poster-store")).toBeVisible();
  await page.goto("/s/chayu");
  await page.getByTestId("product-grid").locator("a").first().click();
  const title = (await page.locator("h2").first().textContent())!.trim();
  await page.getByTestId("share-product").click();
  await expect(page.getByTestId("poster-product")).toContainText(title);
  const link = (await page.locator("p.muted.ellipsis").textContent())!;
  expect(link).toMatch(/\/i\/[0-9A-Z]{8}\?s=chayu&p=[0-9a-f-]{36}$/);
  await page.goto(new URL(link).pathname + new URL(link).search);
  await expect(page.locator("h2").first()).toHaveText(title);
});
