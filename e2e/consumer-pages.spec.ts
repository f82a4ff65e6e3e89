import { expect, test } from "@playwright/test";
import { signInConsumer } from "./helpers";
import { expectPagesRender } from "./pages";

test("a demo consumer's pages render: orders, invite with QR, team, earnings, privacy, rules", async ({ page }) => {
  await signInConsumer(page, "13800000002", "/me/orders");
  await expect(page.getByTestId("order-card").first()).toBeVisible();
  await expectPagesRender(page, ["/me/orders", "/me/orders?status=SHIPPED", "/me/invite", "/me/team", "/me/team?relation=TEAM", "/me/earnings", "/me/privacy", "/me/wallet", "/me/notifications", "/rules", "/s/chayu"]);
  await page.goto("/me/invite");
  await expect(page.getByTestId("invite-qr").locator("svg")).toBeVisible();
  await expect(page.getByTestId("invite-code")).toHaveText(/^[0-9A-Z]{8}$/);
});
