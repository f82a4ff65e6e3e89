import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { count, eq, sql } from "drizzle-orm";
import { addresses, orders, smsOutbox } from "@/db/schema";
import { createTestRuntime, gql, gqlOk, type TestRuntime } from "./test/harness";
import { createShop, newPhone, order, type Shop } from "./test/fixtures";
import { LIMITS, createApolloServer, executeInProcess } from "./server";

/** Counts SQL statements, to prove that a rejected document reached no resolver. */
const sqlLog = {
  statements: 0,
  logQuery() {
    sqlLog.statements++;
  },
};

const REQUEST_CODE = (alias: string, phone: string) => `${alias}: requestSmsCode(input: { phone: "${phone}" }) { sent }`;
/** Nests `inner` in n inline fragments: each counts as one level of depth. */
const nest = (type: string, n: number, inner: string): string => (n === 0 ? inner : `... on ${type} { ${nest(type, n - 1, inner)} }`);

describe("limits on what a client can send", () => {
  let rt: TestRuntime;
  let shop: Shop;

  beforeAll(async () => {
    rt = await createTestRuntime({ logger: sqlLog });
    shop = await createShop(rt, [{ stock: 10 }]);
  });
  afterAll(() => rt?.dispose());
  afterEach(() => vi.restoreAllMocks());

  const outboxCount = async () => Number((await rt.services.db.select({ n: count() }).from(smsOutbox))[0].n);

  it(`given a query deeper than ${LIMITS.maxDepth}, then GRAPHQL_VALIDATION_FAILED before any resolver runs`, async () => {
    const deep = `{ shopProducts(storeSlug: "${shop.store.slug}", first: 1) { ${nest("ShopProductConnection", LIMITS.maxDepth, "nodes { id }")} } }`;
    // shopProducts, the fragments, nodes, id: exactly at the limit is fine.
    const atTheLimit = `{ shopProducts(storeSlug: "${shop.store.slug}", first: 1) { ${nest("ShopProductConnection", LIMITS.maxDepth - 3, "nodes { id }")} } }`;
    expect((await gql(rt, null, atTheLimit)).errors).toEqual([]);
    sqlLog.statements = 0;

    const r = await gql(rt, null, deep);

    expect(r.data).toBeNull();
    expect(r.errors).toEqual([expect.objectContaining({ extensions: { code: "GRAPHQL_VALIDATION_FAILED" } })]);
    expect(r.errors[0].message).toMatch(/depth/i);
    expect(sqlLog.statements).toBe(0);
  });

  it("given a deep mutation, then it is refused and its side effect never happens", async () => {
    const phone = newPhone();
    const before = await outboxCount();
    const r = await gql(rt, null, `mutation { requestSmsCode(input: { phone: "${phone}" }) { ${nest("RequestSmsCodePayload", LIMITS.maxDepth, "sent")} } }`);
    expect(r.errors).toEqual([expect.objectContaining({ extensions: { code: "GRAPHQL_VALIDATION_FAILED" } })]);
    expect(await outboxCount()).toBe(before);
  });

  it(`given more than ${LIMITS.maxAliases} aliases, then GRAPHQL_VALIDATION_FAILED and none of the aliased mutations runs`, async () => {
    const before = await outboxCount();
    const many = Array.from({ length: LIMITS.maxAliases + 1 }, (_, i) => REQUEST_CODE(`a${i}`, newPhone())).join("\n");
    sqlLog.statements = 0;

    const r = await gql(rt, null, `mutation { ${many} }`);

    expect(r.data).toBeNull();
    expect(r.errors).toEqual([expect.objectContaining({ extensions: { code: "GRAPHQL_VALIDATION_FAILED" } })]);
    expect(r.errors[0].message).toMatch(/alias/i);
    expect(sqlLog.statements).toBe(0);
    expect(await outboxCount()).toBe(before);

    // At the limit, the same document is accepted.
    const allowed = Array.from({ length: LIMITS.maxAliases }, (_, i) => REQUEST_CODE(`a${i}`, newPhone())).join("\n");
    expect((await gql(rt, null, `mutation { ${allowed} }`)).errors).toEqual([]);
    expect(await outboxCount()).toBe(before + LIMITS.maxAliases);
  });

  it("given a document of 100k tokens, then it is refused quickly as a parse error and the server keeps serving", async () => {
    const huge = `{ ${Array.from({ length: 100_000 }, (_, i) => `f${i}`).join(" ")} }`;
    sqlLog.statements = 0;

    const started = performance.now();
    const r = await gql(rt, null, huge);
    const elapsed = performance.now() - started;

    expect(r.data).toBeNull();
    expect(r.errors).toEqual([expect.objectContaining({ extensions: { code: "GRAPHQL_PARSE_FAILED" } })]);
    expect(r.errors[0].message).toMatch(/token/i);
    expect(elapsed).toBeLessThan(1_000);
    expect(sqlLog.statements).toBe(0);
    expect(await gqlOk(rt, null, `{ shopStore(slug: "${shop.store.slug}") { slug } }`)).toEqual({ shopStore: { slug: shop.store.slug } });
  });

  it("given first: 101 (and 0), then BAD_USER_INPUT; first: 100 is allowed", async () => {
    for (const first of [101, 0, -1]) {
      const r = await gql(rt, null, `query($first: Int) { shopProducts(storeSlug: "${shop.store.slug}", first: $first) { nodes { id } } }`, { first });
      expect(r.data).toBeNull();
      expect(r.errors).toEqual([expect.objectContaining({ extensions: { code: "BAD_USER_INPUT" } })]);
    }
    const ok = await gql(rt, null, `query($first: Int) { shopProducts(storeSlug: "${shop.store.slug}", first: $first) { nodes { id } } }`, { first: 100 });
    expect(ok.errors).toEqual([]);
  });

  it("given production mode, then introspection is refused and errors suggest no field names", async () => {
    const typo = `{ shopProdcts(storeSlug: "${shop.store.slug}") { nodes { id } } }`;
    expect((await gql(rt, null, typo)).errors[0].message).toMatch(/Did you mean/); // development helps…
    vi.stubEnv("NODE_ENV", "production");
    const production = await createApolloServer().finally(() => vi.unstubAllEnvs());
    try {
      const introspection = await executeInProcess(production, { query: `{ __schema { types { name } } }` }, rt.context(null));
      const suggested = await executeInProcess(production, { query: typo }, rt.context(null));

      expect(introspection.data).toBeNull();
      expect(introspection.errors[0].extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
      expect(suggested.errors).toHaveLength(1);
      expect(suggested.errors[0].message).not.toMatch(/Did you mean|shopProducts/);
    } finally {
      await production.stop();
    }
  });

  describe("internal errors", () => {
    it("given a database error that carries a phone number, then the client gets a generic INTERNAL_SERVER_ERROR and the log holds no phone", async () => {
      const phone = newPhone();
      // A constraint failure whose message names the offending value, as Postgres does for unique keys.
      await rt.services.db.execute(
        sql.raw(`create or replace function test_reject_address() returns trigger language plpgsql as $$
          begin raise exception 'duplicate key value violates unique constraint "addresses_phone_uq": Key (phone)=(${phone}) already exists' using errcode = '23505'; end $$`),
      );
      await rt.services.db.execute(sql.raw(`create trigger test_reject_address before insert on addresses for each row execute function test_reject_address()`));
      const logged: string[] = [];
      vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
      const addressesBefore = Number((await rt.services.db.select({ n: count() }).from(addresses))[0].n);

      try {
        const r = await gql(rt, shop.consumer.viewer, `mutation($input: AddressInput!) { createAddress(input: $input) { address { id } errors { code } } }`, {
          // The phone typed into a plain-text field too: the failed query's parameters carry it.
          input: { recipient: "王芳", phone, province: "上海市", city: "上海市", district: phone, detail: "碧波路 690 号 2 号楼" },
        });

        expect(r.data).toBeNull();
        expect(r.errors).toHaveLength(1);
        expect(r.errors[0]).toEqual({ message: "服务器内部错误，请稍后再试", path: ["createAddress"], extensions: { code: "INTERNAL_SERVER_ERROR" } });
        const raw = JSON.stringify(r);
        expect(raw).not.toMatch(/\d{11}/);
        expect(raw).not.toMatch(/duplicate|constraint|insert|addresses|select|stack/i);
      } finally {
        await rt.services.db.execute(sql.raw(`drop trigger test_reject_address on addresses`));
      }

      expect(logged.join("\n")).toMatch(/\[graphql\] internal error:.*\d{3}\*{4}\d{2}/s); // logged, with the number scrubbed
      expect(logged.join("\n")).not.toMatch(/\d{11}/);
      expect(logged.join("\n")).not.toContain(phone);
      expect(Number((await rt.services.db.select({ n: count() }).from(addresses))[0].n)).toBe(addressesBefore);
    });

    it("given an order whose stored shipping phone cannot be decrypted, then INTERNAL_SERVER_ERROR for that field and nothing else leaks", async () => {
      const placed = await order(rt, shop.consumer, shop.store, [{ skuId: shop.product.skus[0].id, quantity: 1 }]);
      await rt.services.db.update(orders).set({ shipPhoneEnc: `v1.k1.${shop.consumer.phone}` }).where(eq(orders.id, placed.id));
      vi.spyOn(console, "error").mockImplementation(() => {});

      const r = await gql(rt, shop.consumer.viewer, `query($id: ID!) { myOrder(id: $id) { id shipTo { phone } } }`, { id: placed.id });

      expect(r.errors).toEqual([{ message: "服务器内部错误，请稍后再试", path: ["myOrder", "shipTo"], extensions: { code: "INTERNAL_SERVER_ERROR" } }]);
      expect(JSON.stringify(r)).not.toMatch(/\d{11}/);
    });
  });

  describe("over HTTP (CSRF and body size: see http.test.ts)", () => {
    const post = (body: string, contentType: string, extra: Record<string, string> = {}) =>
      rt.handleHttp(new Request("http://localhost/api/graphql", { method: "POST", headers: { "content-type": contentType, ...extra }, body }), shop.consumer.viewer, "127.0.0.1");

    it("given a too-deep query over HTTP, then a 400 validation error, not a 500", async () => {
      const deep = `{ shopProducts(storeSlug: "${shop.store.slug}", first: 1) { ${nest("ShopProductConnection", LIMITS.maxDepth, "nodes { id }")} } }`;
      const res = await post(JSON.stringify({ query: deep }), "application/json");
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body.errors[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
    });
  });
});
