import { createHash } from "node:crypto";
import type { Services } from "@/graphql/core/context";
import { files, shipments, stores, supplierMembers, suppliers, userRoles, users } from "@/db/schema";
import { blindIndex, encryptPii } from "@/graphql/platform/crypto";
import { hashPassword } from "@/graphql/identity/identity.rules";
import { createProduct, productsByIds, skusByProductIds } from "@/graphql/catalog/catalog.service";
import { listProduct, shopListings, storeBySlug } from "@/graphql/store/store.service";
import { minimumRetailPrice } from "@/graphql/store/store.rules";
import { createAddress } from "@/graphql/order/address.service";
import { placeOrder } from "@/graphql/order/checkout.service";
import { confirmReceipt, shipShipment } from "@/graphql/order/fulfilment.service";
import { applyPaymentNotification, startPayment } from "@/graphql/payment/payment.service";
import { readEconomics } from "@/graphql/platform/settings";
import { createGroupBuyOffer } from "@/graphql/marketing/group-buy.service";
import type { Role } from "@/graphql/core/permissions";
import { FRESH_PRODUCTS, TEXTILE_PRODUCTS, type DemoProduct } from "./catalog-data";
import { productSvg } from "./images";
import { seedDemoLives, seedDemoTraining } from "./demo-lives";
import { eq } from "drizzle-orm";

import { createPlatformCoupon } from "@/graphql/marketing/coupon.service";
import { adjustPoints } from "@/graphql/points/points.service";
export const DEMO_PASSWORD = "lianbo123";

export const DEMO_ACCOUNTS = {
  operator: { login: "admin", nickname: "平台运营" },
  suppliers: [
    { login: "supplier1", nickname: "鲜果源·王经理", company: "鲜果源供应链（赣州）有限公司", products: FRESH_PRODUCTS },
    { login: "supplier2", nickname: "织造坊·李经理", company: "织造坊服饰家纺（杭州）有限公司", products: TEXTILE_PRODUCTS },
  ],
  merchants: [
    { login: "merchant1", nickname: "小美", slug: "xiaomei", name: "小美优选", tagline: "每天一件好物，直播间见" },
    { login: "merchant2", nickname: "老张", slug: "laozhang", name: "老张好物", tagline: "产地直发，老张把关" },
    { login: "merchant3", nickname: "茶姐", slug: "chayu", name: "茶语时光", tagline: "一杯好茶，一段好时光" },
  ],
  consumers: ["13800000001", "13800000002", "13800000003"],
};

/** Cartesian product of the spec axes: one SKU per combination. */
function combinations(axes: DemoProduct["axes"]) {
  let out: { axis: string; value: string }[][] = [[]];
  for (const axis of axes) out = out.flatMap((c) => axis.values.map((value) => [...c, { axis: axis.name, value }]));
  return out;
}

const roundTo10 = (fen: number) => Math.round(fen / 10) * 10;
/** ¥xx.90 style suggested price, about 1.9× supply. */
const suggested = (supply: number) => Math.ceil((supply * 1.9) / 100) * 100 - 10;

async function createUser(services: Services, u: { login?: string; phone?: string; nickname: string; roles: Role[] }) {
  const now = services.clock.now();
  const [row] = await services.db
    .insert(users)
    .values({
      loginName: u.login ?? null,
      passwordHash: u.login ? hashPassword(DEMO_PASSWORD) : null,
      phoneEnc: u.phone ? encryptPii(u.phone) : null,
      phoneIndex: u.phone ? blindIndex("phone", u.phone) : null,
      nickname: u.nickname,
      createdAt: now,
    })
    .returning();
  await services.db.insert(userRoles).values(u.roles.map((role) => ({ userId: row.id, role, createdAt: now })));
  return row;
}

async function storeImage(services: Services, ownerId: string, title: string, subtitle: string, seed: number) {
  const svg = productSvg(title, subtitle, seed);
  const key = `demo/${createHash("sha1").update(`${title}:${seed}`).digest("hex").slice(0, 16)}.svg`;
  await services.storage.put(key, Buffer.from(svg));
  await services.db
    .insert(files)
    .values({ key, contentType: "image/svg+xml", byteSize: svg.length, ownerUserId: ownerId, createdAt: services.clock.now() })
    .onConflictDoNothing();
  return key;
}

/**
 * Demo data for the quick start: an operator, 2 suppliers with 32 products, 3 stores, 3 consumers
 * with orders in every state. Everything goes through the same services as the shop, so the
 * ledger and stock are consistent.
 */
export async function seedDemoData(services: Services) {
  const ctx = () => ({ db: services.db, now: services.clock.now() });
  const operator = await createUser(services, { login: DEMO_ACCOUNTS.operator.login, nickname: DEMO_ACCOUNTS.operator.nickname, roles: ["OPERATOR"] });

  const productsBySupplier: { id: string; title: string; category: string }[][] = [];
  let seed = 0;
  for (const s of DEMO_ACCOUNTS.suppliers) {
    const user = await createUser(services, { login: s.login, nickname: s.nickname, roles: ["SUPPLIER"] });
    const [supplier] = await services.db.insert(suppliers).values({ name: s.company, createdAt: services.clock.now() }).returning();
    await services.db.insert(supplierMembers).values({ supplierId: supplier.id, userId: user.id, createdAt: services.clock.now() });
    const created = [];
    for (const p of s.products) {
      seed++;
      const imageKeys = [
        await storeImage(services, user.id, p.title, p.category, seed),
        await storeImage(services, user.id, p.title, p.description, seed + 3),
      ];
      const skus = combinations(p.axes).map((specs) => {
        const tier = p.axes[0].values.indexOf(specs[0].value);
        const supplyPrice = roundTo10(p.supply * (1 + (p.axes[0].name === "规格" ? 0.85 * tier : 0)));
        return { specs, supplyPrice, suggestedPrice: suggested(supplyPrice), stock: p.stock };
      });
      const product = await createProduct(ctx(), supplier.id, user.id, {
        title: p.title,
        description: p.description,
        category: p.category,
        specAxes: p.axes,
        imageKeys,
        skus,
      });
      created.push({ id: product.id, title: product.title, category: product.category });
    }
    productsBySupplier.push(created);
  }

  const economics = await readEconomics(services.db, services.clock.now());
  const [fresh, textile] = productsBySupplier;
  const picks = [
    [...fresh.slice(0, 10), ...textile.slice(0, 8)],
    [...textile.slice(4, 16), ...fresh.slice(10, 16)],
    [...fresh.filter((p) => ["茶叶冲饮", "滋补养生"].includes(p.category)), ...textile.slice(7, 10)],
  ];
  const storeSlugs: string[] = [];
  for (const [i, m] of DEMO_ACCOUNTS.merchants.entries()) {
    const user = await createUser(services, { login: m.login, nickname: m.nickname, roles: ["MERCHANT", "CONSUMER"] });
    const [store] = await services.db
      .insert(stores)
      .values({ slug: m.slug, name: m.name, tagline: m.tagline, ownerUserId: user.id, createdAt: services.clock.now() })
      .returning();
    storeSlugs.push(store.slug);
    for (const [j, p] of picks[i].entries()) {
      const [skus] = await skusByProductIds(services.db, [p.id]);
      // Mostly the suggested price; some stores undercut it a little, never below the minimum.
      const prices = skus.map((s) => ({
        skuId: s.id,
        retailPrice: Math.max(minimumRetailPrice(s.supplyPrice, economics), s.suggestedPrice - (j % 3) * 500 * i),
      }));
      await listProduct(ctx(), store.id, p.id, prices);
      // One 拼团 offer in the first store, on its last listed product: 2-person groups, 24 hours to fill.
      if (i === 0 && j === picks[i].length - 1) {
        const sku = skus.find((s, k) => prices[k].retailPrice > minimumRetailPrice(s.supplyPrice, economics));
        if (sku) {
          const retail = prices.find((x) => x.skuId === sku.id)!.retailPrice;
          const groupPrice = Math.max(minimumRetailPrice(sku.supplyPrice, economics), Math.floor((retail * 0.85) / 10) * 10);
          const now = services.clock.now();
          if (groupPrice < retail) {
            await createGroupBuyOffer(ctx(), store.id, user.id, { skuId: sku.id, groupPrice, groupSize: 2, timeLimitMinutes: 1440, startsAt: now, endsAt: new Date(now.getTime() + 30 * 86_400_000) });
          }
        }
      }
    }
  }

  await seedConsumerOrders(services, storeSlugs);
  await seedDemoLives(services, storeSlugs[0], DEMO_ACCOUNTS.operator.login, DEMO_ACCOUNTS.consumers);
  await seedDemoTraining(services, DEMO_ACCOUNTS.suppliers[0].login);
  await seedPlatformMarketing(services, operator.id);
}

/** Platform coupons in every store's coupon centre (and a welcome coupon for invited sign-ups), and starter points for the demo consumers. */
async function seedPlatformMarketing(services: Services, operatorId: string) {
  const ctx = () => ({ db: services.db, now: services.clock.now() });
  const now = services.clock.now().getTime();
  const window = { claimStartsAt: new Date(now), claimEndsAt: new Date(now + 30 * 86_400_000), usableUntil: new Date(now + 45 * 86_400_000), productIds: null, percentBp: 0, capFen: null };
  await createPlatformCoupon(ctx(), operatorId, { ...window, title: "平台满99减15", kind: "THRESHOLD", thresholdFen: 9_900, amountFen: 1_500, totalQuantity: 10_000, perUserLimit: 2, welcome: false });
  await createPlatformCoupon(ctx(), operatorId, { ...window, title: "新人无门槛5元", kind: "NO_THRESHOLD", thresholdFen: 0, amountFen: 500, totalQuantity: 10_000, perUserLimit: 1, welcome: true });
  for (const phone of DEMO_ACCOUNTS.consumers) {
    await adjustPoints(ctx(), operatorId, { phone, amount: 1_000, reason: "新用户体验积分", requestId: `seed-points-${phone}` });
  }
}

async function seedConsumerOrders(services: Services, storeSlugs: string[]) {
  const ctx = () => ({ db: services.db, now: services.clock.now() });
  const addressBook = [
    { recipient: "陈晓雨", province: "浙江省", city: "杭州市", district: "西湖区", detail: "文三路 398 号东方通信大厦 5 楼" },
    { recipient: "刘建国", province: "广东省", city: "深圳市", district: "南山区", detail: "科技园南区高新南七道 18 号" },
    { recipient: "王芳", province: "上海市", city: "上海市", district: "浦东新区", detail: "张江高科碧波路 690 号 2 号楼" },
  ];
  const { db } = services;
  for (const [i, phone] of DEMO_ACCOUNTS.consumers.entries()) {
    const user = await createUser(services, { phone, nickname: `用户${phone.slice(-4)}`, roles: ["CONSUMER"] });
    const address = await createAddress(ctx(), user.id, { ...addressBook[i], phone, isDefault: true });
    const slug = storeSlugs[i % storeSlugs.length];
    const store = (await storeBySlug(db, slug))!;
    const listings = await shopListings(db, store.id, {}, { offset: 0, limit: 6 });
    // Four orders each: completed, shipped, paid (to ship), and one left unpaid.
    for (let k = 0; k < 4; k++) {
      const listing = listings[(k + i) % listings.length];
      const [product] = await productsByIds(db, [listing.productId]);
      const [skus] = await skusByProductIds(db, [product!.id]);
      const order = await placeOrder(ctx(), user.id, {
        storeSlug: slug,
        items: [{ skuId: skus[k % skus.length].id, quantity: 1 + (k % 2) }],
        addressId: address.id,
        idempotencyKey: `seed-${i}-${k}-order`,
      });
      if (k === 3) continue;
      const sandbox = services.payments.sandbox;
      const { payment } = await startPayment(ctx(), user.id, order.id, sandbox);
      await applyPaymentNotification(ctx(), sandbox.name, {
        notifyId: `seed-${payment.id}`,
        paymentId: payment.id,
        providerTxnId: `SBXSEED${i}${k}`,
        amount: payment.amount,
        status: "SUCCESS",
      });
      if (k === 2) continue;
      const orderShipments = await db.select().from(shipments).where(eq(shipments.orderId, order.id));
      for (const s of orderShipments) {
        await shipShipment(ctx(), s.supplierId, { shipmentId: s.id, carrier: "顺丰速运", trackingNo: `SF${1000000000 + i * 100 + k}` });
      }
      if (k === 0) await confirmReceipt(ctx(), user.id, order.id);
    }
  }
}
