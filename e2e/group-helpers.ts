import { expect, type Page } from "@playwright/test";
import { appNow, gql, pickFlashSku } from "./flash-helpers";

const CREATE = `mutation($input: CreateGroupBuyOfferInput!) { createGroupBuyOffer(input: $input) { offer { id } errors { code message field } } }`;
const OFFERS = `query($s: String!) { shopGroupBuyOffers(storeSlug: $s) { id productId } }`;

/** The signed-in merchant (merchant1, 小美优选) offers one of its SKUs for groups of `groupSize`, starting now. */
export async function createGroupOffer(merchant: Page, o: { groupSize: number; timeLimitMinutes: number }) {
  const sku = await pickFlashSku(merchant, 5);
  const now = await appNow(merchant);
  const created = await gql<{ createGroupBuyOffer: { offer: { id: string } | null; errors: unknown[] } }>(merchant, CREATE, {
    input: { skuId: sku.skuId, groupPrice: sku.minPrice, groupSize: o.groupSize, timeLimitMinutes: o.timeLimitMinutes, startsAt: new Date(now).toISOString(), endsAt: new Date(now + 86_400_000).toISOString() },
  });
  expect(created.createGroupBuyOffer.errors).toEqual([]);
  const offerId = created.createGroupBuyOffer.offer!.id;
  const offers = await gql<{ shopGroupBuyOffers: { id: string; productId: string }[] }>(merchant, OFFERS, { s: "xiaomei" });
  const productId = offers.shopGroupBuyOffers.find((x) => x.id === offerId)!.productId;
  return { offerId, productId, sku };
}

/** Adds the first address at a checkout (the address form is open when the person has none). */
export async function addAddress(page: Page, recipient: string) {
  await page.getByLabel("收货人").fill(recipient);
  await page.getByLabel("手机号").fill("13912345678");
  await page.getByLabel("省份").fill("浙江省");
  await page.getByLabel("城市").fill("杭州市");
  await page.getByLabel("区县").fill("西湖区");
  await page.getByLabel("详细地址").fill(`文三路 ${Math.floor(Math.random() * 900) + 100} 号`);
  await page.getByRole("button", { name: "保存地址" }).click();
  await expect(page.getByText(recipient)).toBeVisible();
}

/** Pays the order the page was sent to pay in the sandbox, and lands on the order page. */
export async function payInSandbox(page: Page) {
  await expect(page.getByTestId("pay-amount")).toContainText("¥");
  await page.getByRole("button", { name: "确认支付" }).click();
  await expect(page.getByText("支付成功")).toBeVisible();
}

/** From the product page: 发起拼团 on the offer, add an address, pay; returns the group page's path. */
export async function openGroupFromProduct(page: Page, productId: string, offerId: string, recipient: string) {
  await page.goto(`/s/xiaomei/p/${productId}`);
  const card = page.getByTestId("group-offer").filter({ has: page.locator(`a[href$="offer=${offerId}"]`) });
  await card.getByRole("link", { name: "发起拼团" }).click();
  await page.waitForURL((url) => url.pathname === "/s/xiaomei/group/new");
  await addAddress(page, recipient);
  await page.getByRole("button", { name: "支付开团" }).click();
  await payInSandbox(page);
  await expect(page.getByTestId("order-status")).toHaveText("拼团中，待成团");
  const orderNo = (await page.getByText(/订单号 LB\d+/).textContent())!.match(/订单号 (LB\d+)/)![1];
  await page.getByTestId("order-group").click();
  await page.waitForURL((url) => url.pathname.startsWith("/s/xiaomei/group/"));
  return { groupPath: new URL(page.url()).pathname, orderNo };
}
