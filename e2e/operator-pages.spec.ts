import { test } from "@playwright/test";
import { signInStaff } from "./helpers";
import { expectPagesRender } from "./pages";

test("every operator page renders", async ({ page }) => {
  await signInStaff(page, "admin", "/operator");
  await expectPagesRender(page, ["/operator", "/operator/rules", "/operator/simulate", "/operator/withdrawals", "/operator/risk", "/operator/risk?tab=PAIRS", "/operator/risk?tab=CLEARED", "/operator/rebinds", "/operator/coupons", "/operator/points", "/operator/live", "/operator/live?tab=ANCHORS&status=APPROVED", "/operator/live?tab=COMMENTS", "/operator/live?tab=LIVES", "/operator/live?tab=WORDS", "/rules"]);
});
