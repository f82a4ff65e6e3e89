import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { orders, users } from "@/db/schema";
import { createTestRuntime, gql, gqlOk, type TestRuntime } from "../test/harness";
import { consumerAddressDetail, createConsumer, createShop, order, pay, type Shop } from "../test/fixtures";
import { cancelOrder } from "../order/fulfilment.service";
import { loadViewer } from "./identity.service";

describe("privacy rights (PIPL): export, recommendations switch, account deletion", () => {
  let rt: TestRuntime;
  let shop: Shop;
  beforeAll(async () => {
    rt = await createTestRuntime();
    shop = await createShop(rt, [{ stock: 10 }]);
  });
  afterAll(() => rt?.dispose());

  it("given a consumer with an order, when they export their data, then it holds their phone, address and order — decrypted", async () => {
    const consumer = await createConsumer(rt);
    const placed = await order(rt, consumer, shop.store, [{ skuId: shop.product.skus[0].id, quantity: 1 }]);
    const data = await gqlOk<{ myDataExport: string }>(rt, consumer.viewer, `{ myDataExport }`);
    const doc = JSON.parse(data.myDataExport);
    expect(doc.profile.phone).toBe(consumer.phone);
    expect(doc.addresses[0].detail).toBe(consumerAddressDetail(consumer.phone));
    expect(doc.orders.map((o: { orderNo: string }) => o.orderNo)).toEqual([placed.orderNo]);
  });

  it("given recommendations on, when the consumer switches them off, then the setting reads off", async () => {
    const consumer = await createConsumer(rt);
    const before = await gqlOk(rt, consumer.viewer, `{ myPrivacySettings { personalizedRecommendations } }`);
    expect(before.myPrivacySettings.personalizedRecommendations).toBe(true);
    await gqlOk(rt, consumer.viewer, `mutation { setPersonalizedRecommendations(enabled: false) { personalizedRecommendations } }`);
    const after = await gqlOk(rt, consumer.viewer, `{ myPrivacySettings { personalizedRecommendations } }`);
    expect(after.myPrivacySettings.personalizedRecommendations).toBe(false);
  });

  it("given an unfinished (paid) order, when the consumer deletes the account, then ACTIVE_ORDERS and nothing changes", async () => {
    const consumer = await createConsumer(rt);
    const placed = await order(rt, consumer, shop.store, [{ skuId: shop.product.skus[0].id, quantity: 1 }]);
    await pay(rt, consumer, placed.id);
    const result = await gql(rt, consumer.viewer, `mutation { deleteMyAccount { ok errors { code } } }`);
    expect(result.data?.deleteMyAccount).toEqual({ ok: false, errors: [{ code: "ACTIVE_ORDERS" }] });
    const [user] = await rt.services.db.select().from(users).where(eq(users.id, consumer.userId));
    expect(user.status).toBe("ACTIVE");
    expect(user.phoneIndex).not.toBeNull();
  });

  it("given only finished orders, when the consumer deletes the account, then the buyer is pseudonymised, the order kept and the session ends", async () => {
    const consumer = await createConsumer(rt);
    const placed = await order(rt, consumer, shop.store, [{ skuId: shop.product.skus[0].id, quantity: 1 }]);
    await cancelOrder({ db: rt.services.db, now: rt.services.clock.now() }, consumer.userId, placed.id);
    const result = await gqlOk(rt, consumer.viewer, `mutation { deleteMyAccount { ok errors { code } } }`);
    expect(result.deleteMyAccount).toEqual({ ok: true, errors: [] });
    const [user] = await rt.services.db.select().from(users).where(eq(users.id, consumer.userId));
    expect(user).toMatchObject({ status: "DELETED", phoneEnc: null, phoneIndex: null, nickname: "已注销用户" });
    const [kept] = await rt.services.db.select().from(orders).where(eq(orders.id, placed.id));
    expect(kept.orderNo).toBe(placed.orderNo);
    expect(JSON.stringify(kept)).not.toContain(consumer.phone);
    expect(await loadViewer(rt.services.db, consumer.userId, 1)).toBeNull();
  });

  it("given a merchant, when they try to delete their account themselves, then STAFF_ACCOUNT", async () => {
    const result = await gql(rt, shop.store.viewer, `mutation { deleteMyAccount { ok errors { code } } }`);
    expect(result.data?.deleteMyAccount.errors).toEqual([{ code: "STAFF_ACCOUNT" }]);
  });
});
