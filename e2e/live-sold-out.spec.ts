import { expect, test } from "@playwright/test";
import { openHostConsole } from "./live-helpers";

test("the host marks a shelf product 已售罄 and a viewer's shelf shows it at once, with no way to buy it; unmarking brings it back", async ({ page, browser, baseURL }) => {
  const { context: hostContext, host, live } = await openHostConsole(browser, baseURL);
  const row = host.getByTestId("console-shelf-row").last();
  const title = (await row.locator("td").first().locator("div").first().textContent())!.trim();

  // A guest watching the room, shelf open
  await page.goto(`/live/${live.id}`);
  await expect(page.getByTestId("live-room")).toHaveAttribute("data-status", "LIVE");
  await page.getByTestId("open-shelf").click();
  const item = page.getByTestId("shelf-item").filter({ hasText: title });
  await expect(item).toBeVisible();

  try {
    await row.getByTestId("mark-sold-out").click();
    await expect(row.getByTestId("console-sold-out")).toBeVisible();
    await expect(item.getByTestId("shelf-sold-out")).toBeVisible();
    await item.click();
    await expect(page.getByTestId("sold-out")).toBeDisabled();
    await page.getByRole("button", { name: "关闭" }).click();
  } finally {
    // Other specs buy from this room: always take the mark off again.
    if (await row.getByTestId("console-sold-out").isVisible()) await row.getByTestId("mark-sold-out").click();
  }
  await expect(row.getByTestId("console-sold-out")).toHaveCount(0);
  await page.getByTestId("open-shelf").click();
  await expect(page.getByTestId("shelf-item").filter({ hasText: title }).getByTestId("shelf-sold-out")).toHaveCount(0);
  await hostContext.close();
});
