import { expect, test } from "@playwright/test";
import { signInStaff } from "./helpers";

test("a merchant lists a supplier product: a too-low price is refused, a valid one appears in the store", async ({ page }) => {
  // Given merchant3 (茶语时光) in the 选品 centre
  await signInStaff(page, "merchant3", "/merchant/catalog");
  const row = page.getByTestId("catalog-row").filter({ has: page.getByRole("link", { name: "上架" }) }).first();
  const title = (await row.locator("td").nth(1).textContent())!.replace(/(生鲜水果|茶叶冲饮|滋补养生|休闲零食|粮油米面|南北干货|女装|男装|童装|家纺|家居服|配饰|箱包|鞋靴)$/, "").trim();
  await row.getByRole("link", { name: "上架" }).click();

  // When they try a price below the minimum, the server refuses it with a clear message
  const inputs = page.getByRole("textbox", { name: /售价/ });
  await inputs.first().fill("0.01");
  await page.getByRole("button", { name: "确认上架" }).click();
  await expect(page.locator("p.error")).toContainText("售价过低");

  // When they keep the suggested prices, the product is listed
  await page.reload();
  await page.getByRole("button", { name: "确认上架" }).click();
  await expect(page.getByText("上架成功")).toBeVisible();
  await expect(page.getByTestId("listing-status")).toHaveText("在售");

  // Then shoppers find it in the store
  await page.goto(`/s/chayu?q=${encodeURIComponent(title.slice(0, 4))}`);
  await expect(page.getByTestId("product-grid")).toContainText(title);
});
