import { expect, test } from "@playwright/test";
import { signInStaff } from "./helpers";

test("a supplier writes a live script: the Advertising Law terms are marked before and after saving", async ({ page }) => {
  await signInStaff(page, "supplier1", "/supplier/scripts");
  const title = `讲解话术 ${Date.now().toString(36)}`;
  await page.getByTestId("script-title").fill(title);
  await page.getByTestId("script-points").fill("国家级工艺\n产地直发");
  await page.getByTestId("script-body").fill("这是全网最低价的一款好茶，口感醇厚，回甘明显。");
  await page.getByRole("button", { name: "检查广告法用语" }).click();
  const preview = page.getByTestId("ad-law-preview");
  await expect(preview.getByTestId("ad-law-mark").filter({ hasText: "国家级" })).toBeVisible();
  await expect(preview.getByTestId("ad-law-mark").filter({ hasText: "全网最低" })).toBeVisible();

  await page.getByRole("button", { name: "保存话术" }).click();
  await expect(page.getByRole("status")).toContainText("处广告法禁用语");
  const card = page.getByTestId("script-card").filter({ hasText: title });
  await expect(card.getByTestId("ad-law-mark").filter({ hasText: "国家级" })).toBeVisible();
});

test("a supplier adds a PDF to a script's material pack; a file of another type is refused with its reason", async ({ page }) => {
  await signInStaff(page, "supplier1", "/supplier/scripts");
  const title = `素材包 ${Date.now().toString(36)}`;
  await page.getByTestId("script-title").fill(title);
  await page.getByTestId("script-body").fill("先讲产地与品质，再讲规格和发货时效，最后答疑。");
  const form = page.getByTestId("script-form");
  const input = form.getByTestId("material-input");
  await input.setInputFiles({ name: "脚本.txt", mimeType: "text/plain", buffer: Buffer.from("just text") });
  await expect(form.getByRole("alert")).toContainText("仅支持");
  await input.setInputFiles({ name: "产品手册.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n") });
  await expect(page.getByTestId("material-draft")).toHaveCount(1);
  await expect(page.getByLabel("素材 1 名称")).toHaveValue("产品手册");

  await form.getByRole("button", { name: "保存话术" }).click();
  await expect(form.getByRole("status")).toContainText("已保存");
  const card = page.getByTestId("script-card").filter({ hasText: title });
  await expect(card.getByTestId("material")).toContainText("产品手册");
  await expect(card.getByRole("link", { name: "下载" })).toHaveAttribute("href", /\/api\/files\/materials\/.+\.pdf$/);
});
