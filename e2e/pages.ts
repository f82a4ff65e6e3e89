import { expect, type Page } from "@playwright/test";

/** Opens each page and checks it rendered its heading without an error page or masked server error. */
export async function expectPagesRender(page: Page, paths: string[]) {
  for (const path of paths) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    await expect(page.locator("body"), path).not.toContainText("服务器内部错误");
    await expect(page.locator("body"), path).not.toContainText("Application error");
    await expect(page.locator("h1").first(), path).toBeVisible();
  }
}
