import { randomBytes, randomInt } from "node:crypto";
import { eq } from "drizzle-orm";
import { files, shipments, stores, supplierMembers, suppliers, userRoles, users } from "@/db/schema";
import type { Role } from "../core/permissions";
import type { Viewer } from "../core/viewer";
import { blindIndex, encryptPii } from "../platform/crypto";
import { readEconomics } from "../platform/settings";
import { hashPassword } from "../identity/identity.rules";
import { createProduct, skusByProductIds, type ProductRow, type SkuRow } from "../catalog/catalog.service";
import { listProduct, type ListingRow } from "../store/store.service";
import { minimumRetailPrice } from "../store/store.rules";
import { createAddress } from "../order/address.service";
import { placeOrder, type OrderRow, type PlaceOrderInput } from "../order/checkout.service";
import { handleProviderNotification, startPayment, type PaymentRow } from "../payment/payment.service";
import { SANDBOX_SIGNATURE_HEADER } from "../payment/sandbox-provider";
import { viewerOf, type TestRuntime } from "./harness";

/**
 * Builders for integration tests. Everything goes through the domain services (catalog, store,
 * order, payment), so the rows are exactly what the app itself would write; only people, supplier
 * companies and stores — which have no service yet — are inserted directly.
 */

/** A service context on the runtime's clock ("now" read at call time). */
export const ctxOf = (rt: TestRuntime) => ({ db: rt.services.db, now: rt.services.clock.now() });

let seq = randomInt(0, 40_000_000);
/** A fresh mainland mobile number (unique within a test run). */
export const newPhone = () => `139${String(seq++).padStart(8, "0")}`;
const uniq = () => randomBytes(4).toString("hex");

export const TEST_PASSWORD = "test-password-1";

export type Person = { userId: string; viewer: Viewer; login: string | null; phone: string | null };

/** A person with roles; `login` gets a password (TEST_PASSWORD), `phone` is stored encrypted. */
export async function createPerson(
  rt: TestRuntime,
  opts: { roles: Role[]; login?: string; phone?: string; nickname?: string },
): Promise<Person> {
  const now = rt.services.clock.now();
  const [user] = await rt.services.db
    .insert(users)
    .values({
      loginName: opts.login ?? null,
      passwordHash: opts.login ? hashPassword(TEST_PASSWORD) : null,
      phoneEnc: opts.phone ? encryptPii(opts.phone) : null,
      phoneIndex: opts.phone ? blindIndex("phone", opts.phone) : null,
      nickname: opts.nickname ?? `测试${uniq()}`,
      createdAt: now,
    })
    .returning();
  if (opts.roles.length) {
    await rt.services.db.insert(userRoles).values(opts.roles.map((role) => ({ userId: user.id, role, createdAt: now })));
  }
  return { userId: user.id, viewer: await viewerOf(rt, user.id), login: opts.login ?? null, phone: opts.phone ?? null };
}

export type SupplierFixture = Person & { supplierId: string };

/** A supplier company with one member. */
export async function createSupplier(rt: TestRuntime, name = `供应商${uniq()}`): Promise<SupplierFixture> {
  const [supplier] = await rt.services.db.insert(suppliers).values({ name, createdAt: rt.services.clock.now() }).returning();
  const [user] = await rt.services.db.insert(users).values({ nickname: name, createdAt: rt.services.clock.now() }).returning();
  await rt.services.db.insert(userRoles).values({ userId: user.id, role: "SUPPLIER", createdAt: rt.services.clock.now() });
  await rt.services.db.insert(supplierMembers).values({ supplierId: supplier.id, userId: user.id, createdAt: rt.services.clock.now() });
  return { userId: user.id, viewer: await viewerOf(rt, user.id), login: null, phone: null, supplierId: supplier.id };
}

/** An uploaded image: a `files` row owned by the uploader (what createProduct checks). */
export async function uploadImage(rt: TestRuntime, ownerUserId: string): Promise<string> {
  const key = `uploads/${uniq()}${uniq()}.png`;
  await rt.services.db
    .insert(files)
    .values({ key, contentType: "image/png", byteSize: 68, ownerUserId, createdAt: rt.services.clock.now() });
  return key;
}

export type SkuSpec = { stock: number; supplyPrice?: number; suggestedPrice?: number };
export type ProductFixture = { product: ProductRow; skus: SkuRow[] };

/**
 * A product of the supplier with one SKU per spec (axis 规格, values A, B, C…), created through
 * catalog.service createProduct. `skus` come back in the order given.
 */
export async function createProductFixture(
  rt: TestRuntime,
  supplier: SupplierFixture,
  opts: { skus?: SkuSpec[]; title?: string; category?: string } = {},
): Promise<ProductFixture> {
  const specs = opts.skus ?? [{ stock: 100 }];
  const values = specs.map((_, i) => String.fromCharCode(65 + i));
  const product = await createProduct(ctxOf(rt), supplier.supplierId, supplier.userId, {
    title: opts.title ?? `测试商品${uniq()}`,
    description: "测试用商品",
    category: opts.category ?? "测试类目",
    specAxes: [{ name: "规格", values }],
    imageKeys: [await uploadImage(rt, supplier.userId)],
    skus: specs.map((s, i) => ({
      specs: [{ axis: "规格", value: values[i] }],
      supplyPrice: s.supplyPrice ?? 2_000,
      suggestedPrice: s.suggestedPrice ?? Math.max(s.supplyPrice ?? 2_000, 3_990),
      stock: s.stock,
    })),
  });
  const [rows] = await skusByProductIds(rt.services.db, [product.id]);
  return { product, skus: values.map((v) => rows.find((r) => r.label === v)!) };
}

export type StoreFixture = Person & { storeId: string; slug: string };

/** A merchant (who can also shop) owning a store. */
export async function createStore(rt: TestRuntime, slug = `store-${uniq()}`): Promise<StoreFixture> {
  const person = await createPerson(rt, { roles: ["MERCHANT", "CONSUMER"], login: `merchant-${uniq()}` });
  const [store] = await rt.services.db
    .insert(stores)
    .values({ slug, name: `店铺${slug}`, ownerUserId: person.userId, createdAt: rt.services.clock.now() })
    .returning();
  return { ...person, viewer: await viewerOf(rt, person.userId), storeId: store.id, slug };
}

/**
 * Lists a product in a store through store.service listProduct. Default price per SKU: the
 * suggested price, or the platform minimum if that is higher. Returns the listing and prices.
 */
export async function listInStore(
  rt: TestRuntime,
  store: StoreFixture,
  p: ProductFixture,
  prices?: number[],
): Promise<{ listing: ListingRow; prices: number[] }> {
  const economics = await readEconomics(rt.services.db, rt.services.clock.now());
  const chosen = prices ?? p.skus.map((s) => Math.max(s.suggestedPrice, minimumRetailPrice(s.supplyPrice, economics)));
  const listing = await listProduct(
    ctxOf(rt),
    store.storeId,
    p.product.id,
    p.skus.map((s, i) => ({ skuId: s.id, retailPrice: chosen[i] })),
  );
  return { listing, prices: chosen };
}

export type ConsumerFixture = Person & { phone: string; addressId: string };

/** Everyone lives somewhere else: a shared address would make inviter and invitee a risk pair. */
export const consumerAddressDetail = (phone: string) => `文三路 ${phone.slice(-6)} 号`;

/** A consumer with a phone and one (default) address whose phone is the consumer's own. */
export async function createConsumer(rt: TestRuntime, phone = newPhone()): Promise<ConsumerFixture> {
  const person = await createPerson(rt, { roles: ["CONSUMER"], phone });
  const address = await createAddress(ctxOf(rt), person.userId, {
    recipient: "陈晓雨",
    phone,
    province: "浙江省",
    city: "杭州市",
    district: "西湖区",
    detail: consumerAddressDetail(phone),
    isDefault: true,
  });
  return { ...person, phone, addressId: address.id };
}

export const newIdempotencyKey = () => `key-${uniq()}${uniq()}`;

/** Places an order through checkout.service placeOrder (items default to one unit of each SKU). */
export function order(
  rt: TestRuntime,
  consumer: ConsumerFixture,
  store: StoreFixture,
  items: { skuId: string; quantity: number }[],
  extra: Partial<PlaceOrderInput> = {},
): Promise<OrderRow> {
  return placeOrder(ctxOf(rt), consumer.userId, {
    storeSlug: store.slug,
    items,
    addressId: consumer.addressId,
    idempotencyKey: newIdempotencyKey(),
    ...extra,
  });
}

/** A signed sandbox notification for a payment, as the sandbox "bank" would post it. */
export function signedNotification(rt: TestRuntime, payment: { id: string; amount: number }) {
  const { body, signature } = rt.sandbox.signNotification(payment);
  return { body, headers: new Headers({ [SANDBOX_SIGNATURE_HEADER]: signature }) };
}

/** Delivers a notification through the provider's verification path (the notify endpoint's path). */
export function deliverNotification(rt: TestRuntime, n: { body: string; headers: Headers }) {
  return handleProviderNotification(ctxOf(rt), rt.sandbox, n.body, n.headers);
}

/** Starts a sandbox payment for the order and delivers its signed success notification. */
export async function pay(rt: TestRuntime, consumer: Person, orderId: string): Promise<PaymentRow> {
  const { payment } = await startPayment(ctxOf(rt), consumer.userId, orderId, rt.sandbox);
  const outcome = await deliverNotification(rt, signedNotification(rt, payment));
  if (!outcome.ok || outcome.outcome !== "PAID") throw new Error(`payment not applied: ${JSON.stringify(outcome)}`);
  return payment;
}

export async function shipmentsOf(rt: TestRuntime, orderId: string) {
  return rt.services.db.select().from(shipments).where(eq(shipments.orderId, orderId));
}

export type Shop = {
  supplier: SupplierFixture;
  store: StoreFixture;
  product: ProductFixture;
  prices: number[];
  consumer: ConsumerFixture;
};

/** The usual cast: a supplier with one product (SKU stocks as given) listed in a store, and a consumer. */
export async function createShop(rt: TestRuntime, skus: SkuSpec[] = [{ stock: 100 }]): Promise<Shop> {
  const supplier = await createSupplier(rt);
  const product = await createProductFixture(rt, supplier, { skus });
  const store = await createStore(rt);
  const { prices } = await listInStore(rt, store, product);
  const consumer = await createConsumer(rt);
  return { supplier, store, product, prices, consumer };
}
