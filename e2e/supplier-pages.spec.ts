import { test } from "@playwright/test";
import { signInStaff } from "./helpers";
import { expectPagesRender } from "./pages";

test("every supplier page renders with the demo data", async ({ page }) => {
  await signInStaff(page, "supplier2", "/supplier");
  await expectPagesRender(page, ["/supplier", "/supplier/products", "/supplier/products/new", "/supplier/shipments", "/supplier/scripts", "/supplier/lives", "/supplier/training", "/supplier/shipments?status=SHIPPED"]);
});
