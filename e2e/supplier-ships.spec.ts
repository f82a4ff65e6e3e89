import { expect, test } from "@playwright/test";
import { signInStaff } from "./helpers";

test("a supplier ships a paid order with a tracking number; the buyer's phone stays masked", async ({ page }) => {
  // Given supplier shipments waiting to be shipped (the demo data has paid orders)
  await signInStaff(page, "supplier1", "/supplier");
  await page.goto("/supplier/shipments?status=AWAITING_SHIPMENT");
  const row = page.getByTestId("shipment-row").first();
  await expect(row).toBeVisible();
  const shipTo = row.getByTestId("ship-to");
  await expect(shipTo).toContainText(/1\d\d\*\*\*\*\d{4}/);
  await expect(shipTo).not.toContainText(/1\d{10}/);

  // When they ship it with a carrier and a tracking number
  await row.getByRole("link", { name: "发货" }).click();
  await page.getByLabel("运单号").fill("abc");
  await page.getByRole("button", { name: "确认发货" }).click();
  await expect(page.locator("p.error")).toContainText("运单号");
  await page.getByLabel("快递公司").selectOption("中通快递");
  await page.getByLabel("运单号").fill("ZT7788990011");
  await page.getByRole("button", { name: "确认发货" }).click();

  // Then the shipment is shipped with that tracking number
  await expect(page.getByTestId("shipment-status")).toHaveText("已发货");
  await expect(page.getByText("ZT7788990011")).toBeVisible();
});
