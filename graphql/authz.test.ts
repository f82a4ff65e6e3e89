import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count } from "drizzle-orm";
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  type GraphQLField,
  type GraphQLInputType,
} from "graphql";
import { auditLog, platformSettings, products } from "@/db/schema";
import { createTestRuntime, gql, gqlOk, type TestRuntime } from "./test/harness";
import {
  createConsumer,
  createPerson,
  createProductFixture,
  createStore,
  createSupplier,
  listInStore,
  order,
  pay,
  shipmentsOf,
  type ConsumerFixture,
  type Person,
  type StoreFixture,
  type SupplierFixture,
} from "./test/fixtures";
import { getSchema, unguardedOperations } from "./schema";

/**
 * Operations anyone may call signed out; everything else must answer UNAUTHENTICATED. Adding an
 * operation here is a decision: the storefront, signing in, and the public 链动 rule page.
 */
const PUBLIC = ["me", "requestSmsCode", "issueApiToken", "shopStore", "shopCategories", "shopProducts", "shopProduct", "ruleBook", "promoterAgreement", "shopFlashSales", "shopFlashSale", "shopGroupBuyOffers", "shopGroupBuy", "shopCoupons", "shopLive", "shopStoreLives", "likeLive", "shopProductChapters"];

const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** An 11-digit number standing alone (a phone), ignoring ids; order numbers are longer runs. */
const elevenDigits = (raw: string) => raw.replace(UUIDS, "").match(/(?<!\d)\d{11}(?!\d)/g) ?? [];
const masked = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`;

describe("authorization: who may see and do what", () => {
  let rt: TestRuntime;
  let storeA: StoreFixture, storeB: StoreFixture;
  let supplierA: SupplierFixture, supplierB: SupplierFixture;
  let alice: ConsumerFixture, bob: ConsumerFixture;
  let operator: Person;
  let aliceOrderId: string, bobOrderId: string;
  let aliceShipmentId: string, bobShipmentId: string;

  beforeAll(async () => {
    rt = await createTestRuntime();
    [supplierA, supplierB] = [await createSupplier(rt), await createSupplier(rt)];
    [storeA, storeB] = [await createStore(rt), await createStore(rt)];
    const productA = await createProductFixture(rt, supplierA, { skus: [{ stock: 50 }] });
    const productB = await createProductFixture(rt, supplierB, { skus: [{ stock: 50 }] });
    await listInStore(rt, storeA, productA);
    await listInStore(rt, storeB, productB);
    [alice, bob] = [await createConsumer(rt), await createConsumer(rt)];
    operator = await createPerson(rt, { roles: ["OPERATOR"] });

    aliceOrderId = (await order(rt, alice, storeA, [{ skuId: productA.skus[0].id, quantity: 1 }])).id;
    bobOrderId = (await order(rt, bob, storeB, [{ skuId: productB.skus[0].id, quantity: 1 }])).id;
    await pay(rt, alice, aliceOrderId);
    await pay(rt, bob, bobOrderId);
    aliceShipmentId = (await shipmentsOf(rt, aliceOrderId))[0].id;
    bobShipmentId = (await shipmentsOf(rt, bobOrderId))[0].id;
  });
  afterAll(() => rt?.dispose());

  describe("other people's data answers exactly like data that does not exist", () => {
    const MY_ORDER = `query($id: ID!) { myOrder(id: $id) { id orderNo totalAmount { amount } shipTo { phone recipient detail } } }`;

    it("given consumer A, when reading consumer B's order by id, then the same NOT_FOUND as a random or malformed id and no data", async () => {
      const theirs = await gql(rt, alice.viewer, MY_ORDER, { id: bobOrderId });
      const random = await gql(rt, alice.viewer, MY_ORDER, { id: randomUUID() });
      const malformed = await gql(rt, alice.viewer, MY_ORDER, { id: "1; select 1" });

      expect(theirs.data).toBeNull();
      expect(theirs.errors).toEqual([expect.objectContaining({ extensions: { code: "NOT_FOUND" } })]);
      expect(theirs).toEqual(random);
      expect(theirs).toEqual(malformed);
      expect(JSON.stringify(theirs)).not.toContain(bob.phone);
      // B's own view works, so the id is real.
      expect((await gqlOk(rt, bob.viewer, MY_ORDER, { id: bobOrderId })).myOrder.shipTo.phone).toBe(bob.phone);
    });

    it("given consumer A, when listing their orders, then B's order is not among them", async () => {
      const r = await gqlOk(rt, alice.viewer, `{ myOrders(first: 100) { nodes { id } } }`);
      expect(r.myOrders.nodes.map((n: { id: string }) => n.id)).toEqual([aliceOrderId]);
    });

    it("given consumer A, when cancelling or confirming consumer B's order, then ORDER_NOT_FOUND (not INVALID_STATE) and it is unchanged", async () => {
      for (const op of ["cancelOrder", "confirmReceipt"]) {
        const r = await gqlOk(rt, alice.viewer, `mutation($input: OrderIdInput!) { ${op}(input: $input) { order { id } errors { code } } }`, {
          input: { orderId: bobOrderId },
        });
        expect(r[op]).toEqual({ order: null, errors: [{ code: "ORDER_NOT_FOUND" }] });
      }
      expect((await gqlOk(rt, bob.viewer, `query($id: ID!) { myOrder(id: $id) { status } }`, { id: bobOrderId })).myOrder.status).toBe("PAID");
    });

    it("given merchant A, when reading store B's order, then the same NOT_FOUND as a random id; their list holds only their own", async () => {
      const Q = `query($id: ID!) { merchantOrder(id: $id) { id shipTo { phone } } }`;
      const theirs = await gql(rt, storeA.viewer, Q, { id: bobOrderId });
      const random = await gql(rt, storeA.viewer, Q, { id: randomUUID() });

      expect(theirs.data).toBeNull();
      expect(theirs.errors).toEqual([expect.objectContaining({ extensions: { code: "NOT_FOUND" } })]);
      expect(theirs).toEqual(random);
      const list = await gqlOk(rt, storeA.viewer, `{ merchantOrders(first: 100) { nodes { id } } }`);
      expect(list.merchantOrders.nodes).toEqual([{ id: aliceOrderId }]);
    });

    it("given supplier A, when reading or revealing supplier B's shipment, then NOT_FOUND like a random id and nothing is audited", async () => {
      const Q = `query($id: ID!) { supplierShipment(id: $id) { id shipTo { phone detail } } }`;
      const theirs = await gql(rt, supplierA.viewer, Q, { id: bobShipmentId });
      const random = await gql(rt, supplierA.viewer, Q, { id: randomUUID() });
      const auditsBefore = await auditCount();
      const reveal = await gql(rt, supplierA.viewer, `mutation($id: ID!) { revealShipmentRecipient(shipmentId: $id) { recipient } }`, { id: bobShipmentId });

      expect(theirs.data).toBeNull();
      expect(theirs.errors).toEqual([expect.objectContaining({ extensions: { code: "NOT_FOUND" } })]);
      expect(theirs).toEqual(random);
      expect(reveal.data).toBeNull();
      expect(reveal.errors).toEqual([expect.objectContaining({ extensions: { code: "NOT_FOUND" } })]);
      expect(await auditCount()).toBe(auditsBefore);
      const list = await gqlOk(rt, supplierA.viewer, `{ supplierShipments(first: 100) { nodes { id } } }`);
      expect(list.supplierShipments.nodes).toEqual([{ id: aliceShipmentId }]);
    });
  });

  describe("buyer data is masked in the raw responses of suppliers and merchants", () => {
    it("given a supplier's shipment, then shipTo.phone is 138****1234-style and the raw JSON holds no phone", async () => {
      const r = await gql(rt, supplierA.viewer, `query($id: ID!) { supplierShipment(id: $id) { id orderNo storeName shipTo { recipient phone region detail } } }`, {
        id: aliceShipmentId,
      });
      expect(r.errors).toEqual([]);
      const raw = JSON.stringify(r);
      expect((r.data as any).supplierShipment.shipTo).toMatchObject({ phone: masked(alice.phone), recipient: "陈**" });
      expect(raw).not.toContain(alice.phone);
      expect(elevenDigits(raw)).toEqual([]);
    });

    it("given a merchant's order, then shipTo.phone is masked and the raw JSON holds no phone", async () => {
      const r = await gql(rt, storeA.viewer, `query($id: ID!) { merchantOrder(id: $id) { id orderNo shipTo { recipient phone region } } }`, { id: aliceOrderId });
      expect(r.errors).toEqual([]);
      const raw = JSON.stringify(r);
      expect((r.data as any).merchantOrder.shipTo).toEqual({ recipient: "陈**", phone: masked(alice.phone), region: "浙江省 杭州市 西湖区" });
      expect(raw).not.toContain(alice.phone);
      expect(elevenDigits(raw)).toEqual([]);
    });

    it("given every field of the supplier's and merchant's lists, then no 11-digit number appears anywhere", async () => {
      const supplierList = await gqlOk(
        rt,
        supplierA.viewer,
        `{ supplierShipments(first: 20) { nodes { id status carrier trackingNo createdAt shippedAt freightAmount { amount formatted } orderNo storeName
            lines { id title skuLabel quantity unitSupplyPrice { amount } } shipTo { recipient phone region detail } } pageInfo { hasNextPage endCursor } } }`,
      );
      const merchantList = await gqlOk(
        rt,
        storeA.viewer,
        `{ merchantOrders(first: 20) { nodes { id orderNo status statusText goodsAmount { amount } freightAmount { amount } totalAmount { amount } createdAt paidAt
            grossMargin { amount } lines { id title skuLabel quantity unitPrice { amount } unitSupplyPrice { amount } paidAmount { amount } grossMargin { amount } }
            shipTo { recipient phone region } shipments { id status carrier trackingNo shippedAt receivedAt autoReceiveAt } } } }`,
      );
      for (const raw of [JSON.stringify(supplierList), JSON.stringify(merchantList)]) {
        expect(raw).not.toContain(alice.phone);
        expect(elevenDigits(raw)).toEqual([]);
      }
      expect(supplierList.supplierShipments.nodes[0].shipTo.phone).toBe(masked(alice.phone));
    });
  });

  describe("the role × operation matrix", () => {
    const OPS: Record<string, string> = {
      myOrders: `{ myOrders { nodes { id } } }`,
      myAddresses: `{ myAddresses { id } }`,
      merchantOrders: `{ merchantOrders { nodes { id } } }`,
      catalogProducts: `{ catalogProducts { nodes { id } } }`,
      supplierProducts: `{ supplierProducts { nodes { id } } }`,
      supplierShipments: `{ supplierShipments { nodes { id } } }`,
      platformEconomics: `{ platformEconomics { platformFeeBp } }`,
      ledgerHealth: `{ ledgerHealth { balanced } }`,
    };
    const ROLES = ["anonymous", "consumer", "merchant", "supplier", "operator"] as const;
    // ok = allowed; otherwise the error code. A merchant here also shops (MERCHANT + CONSUMER).
    const MATRIX: Record<string, Record<(typeof ROLES)[number], string>> = {
      myOrders: { anonymous: "UNAUTHENTICATED", consumer: "ok", merchant: "ok", supplier: "FORBIDDEN", operator: "FORBIDDEN" },
      myAddresses: { anonymous: "UNAUTHENTICATED", consumer: "ok", merchant: "ok", supplier: "FORBIDDEN", operator: "FORBIDDEN" },
      merchantOrders: { anonymous: "UNAUTHENTICATED", consumer: "FORBIDDEN", merchant: "ok", supplier: "FORBIDDEN", operator: "FORBIDDEN" },
      catalogProducts: { anonymous: "UNAUTHENTICATED", consumer: "FORBIDDEN", merchant: "ok", supplier: "FORBIDDEN", operator: "FORBIDDEN" },
      supplierProducts: { anonymous: "UNAUTHENTICATED", consumer: "FORBIDDEN", merchant: "FORBIDDEN", supplier: "ok", operator: "FORBIDDEN" },
      supplierShipments: { anonymous: "UNAUTHENTICATED", consumer: "FORBIDDEN", merchant: "FORBIDDEN", supplier: "ok", operator: "FORBIDDEN" },
      platformEconomics: { anonymous: "UNAUTHENTICATED", consumer: "FORBIDDEN", merchant: "FORBIDDEN", supplier: "FORBIDDEN", operator: "ok" },
      ledgerHealth: { anonymous: "UNAUTHENTICATED", consumer: "FORBIDDEN", merchant: "FORBIDDEN", supplier: "FORBIDDEN", operator: "ok" },
    };

    it.each(Object.keys(OPS))("given each role, when calling %s, then only the roles allowed get data", async (op) => {
      const viewers = { anonymous: null, consumer: alice.viewer, merchant: storeA.viewer, supplier: supplierA.viewer, operator: operator.viewer };
      for (const role of ROLES) {
        const r = await gql(rt, viewers[role], OPS[op]);
        const outcome = r.errors.length ? String(r.errors[0].extensions?.code) : "ok";
        expect({ role, op, outcome }).toEqual({ role, op, outcome: MATRIX[op][role] });
        if (outcome !== "ok") expect(r.data).toBeNull();
      }
    });

    it("given an anonymous caller, when calling myOrders, then UNAUTHENTICATED and no data", async () => {
      const r = await gql(rt, null, `{ myOrders { nodes { id orderNo } } }`);
      expect(r).toEqual({ data: null, errors: [expect.objectContaining({ message: "请先登录", extensions: { code: "UNAUTHENTICATED" } })] });
    });

    it("given a consumer, when calling createProduct, then FORBIDDEN and no product is written", async () => {
      const before = await productCount();
      const r = await gql(rt, alice.viewer, `mutation($input: CreateProductInput!) { createProduct(input: $input) { product { id } errors { code } } }`, {
        input: {
          title: "非法商品",
          category: "测试",
          specAxes: [],
          imageKeys: ["uploads/x.png"],
          skus: [{ specs: [], supplyPrice: 100, suggestedPrice: 200, stock: 1 }],
        },
      });
      expect(r.data).toBeNull();
      expect(r.errors).toEqual([expect.objectContaining({ extensions: { code: "FORBIDDEN" } })]);
      expect(await productCount()).toBe(before);
    });

    it.each(["consumer", "merchant", "supplier"] as const)("given a %s, when calling updateEconomics, then FORBIDDEN and the settings and audit log are unchanged", async (role) => {
      const viewer = { consumer: alice.viewer, merchant: storeA.viewer, supplier: supplierA.viewer }[role];
      const [settingsBefore, auditsBefore] = [await rt.services.db.select().from(platformSettings), await auditCount()];

      const r = await gql(rt, viewer, `mutation { updateEconomics(input: { platformFeeBp: 0, commissionCapBp: 3000 }) { economics { platformFeeBp } errors { code } } }`);

      expect(r.data).toBeNull();
      expect(r.errors).toEqual([expect.objectContaining({ extensions: { code: "FORBIDDEN" } })]);
      expect(await rt.services.db.select().from(platformSettings)).toEqual(settingsBefore);
      expect(await auditCount()).toBe(auditsBefore);
    });
  });

  describe("every operation is guarded", () => {
    it("given the built schema, then no query, mutation or field resolver lacks @Authorized", async () => {
      await getSchema();
      expect(unguardedOperations()).toEqual([]);
    });

    it("given every Query and Mutation field, then all but the public allowlist refuse an anonymous caller with UNAUTHENTICATED", async () => {
      const schema = await getSchema();
      const roots = [
        ["query", schema.getQueryType()!],
        ["mutation", schema.getMutationType()!],
      ] as const;
      const refusedAnonymously: string[] = [];
      const openToAnonymous: string[] = [];
      for (const [kind, root] of roots) {
        for (const field of Object.values(root.getFields())) {
          const { query, variables } = probe(kind, field);
          const r = await gql(rt, null, query, variables);
          const unauthenticated = r.errors.some((e) => e.extensions?.code === "UNAUTHENTICATED");
          (unauthenticated ? refusedAnonymously : openToAnonymous).push(field.name);
          if (unauthenticated) expect({ field: field.name, data: r.data?.[field.name] ?? null }).toEqual({ field: field.name, data: null });
        }
      }
      expect(openToAnonymous.sort()).toEqual([...PUBLIC].sort());
      expect(refusedAnonymously.length).toBeGreaterThan(20);
    });
  });

  const auditCount = async () => Number((await rt.services.db.select({ n: count() }).from(auditLog))[0].n);
  const productCount = async () => Number((await rt.services.db.select({ n: count() }).from(products))[0].n);
});

/** A minimal call of a root field: required arguments only, filled with dummy values of their types. */
function probe(kind: "query" | "mutation", field: GraphQLField<unknown, unknown>) {
  const required = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  const defs = required.map((a) => `$${a.name}: ${String(a.type)}`).join(", ");
  const args = required.map((a) => `${a.name}: $${a.name}`).join(", ");
  const named = getNamedType(field.type);
  const selection = isObjectType(named) || isInterfaceType(named) ? "{ __typename }" : "";
  const query = `${kind} Probe${defs ? `(${defs})` : ""} { ${field.name}${args ? `(${args})` : ""} ${selection} }`;
  return { query, variables: Object.fromEntries(required.map((a) => [a.name, dummy(a.type)])) };
}

function dummy(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return dummy(type.ofType);
  if (isListType(type)) return [dummy(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0].name;
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).filter((f) => isNonNullType(f.type) && f.defaultValue === undefined);
    return Object.fromEntries(fields.map((f) => [f.name, dummy(f.type)]));
  }
  switch (type.name) {
    case "Int":
    case "SafeInt":
    case "Float":
      return 1;
    case "Boolean":
      return false;
    case "ID":
      return "00000000-0000-4000-8000-000000000000";
    case "DateTimeISO":
      return "2026-01-01T00:00:00.000Z";
    default:
      return "x";
  }
}
