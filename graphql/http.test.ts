import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { addresses } from "@/db/schema";
import { createTestRuntime, type TestRuntime } from "./test/harness";
import { createConsumer, type ConsumerFixture } from "./test/fixtures";

/** The HTTP entrance (the same handler /api/graphql uses), driven with real Request objects. */
describe("HTTP GraphQL endpoint", () => {
  let rt: TestRuntime;
  let consumer: ConsumerFixture;
  const url = "http://localhost/api/graphql";
  const mutation = `mutation { createAddress(input: { recipient: "攻击者", phone: "13900000000", province: "浙江省", city: "杭州市", district: "西湖区", detail: "某某路 1 号" }) { address { id } errors { code } } }`;
  const addressCount = async () => (await rt.services.db.select().from(addresses).where(eq(addresses.userId, consumer.userId))).length;

  beforeAll(async () => {
    rt = await createTestRuntime();
    consumer = await createConsumer(rt);
  });
  afterAll(() => rt?.dispose());

  it("given a signed-in viewer, when a cross-site text/plain POST carries a mutation (CSRF), then it is refused and nothing is written", async () => {
    const before = await addressCount();
    const res = await rt.handleHttp(
      new Request(url, { method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify({ query: mutation }) }),
      consumer.viewer,
      "127.0.0.1",
    );
    expect(res.status).toBe(400);
    expect(await addressCount()).toBe(before);
  });

  it("given a JSON POST from the app, when it carries the same mutation, then it runs", async () => {
    const before = await addressCount();
    const res = await rt.handleHttp(
      new Request(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: mutation }) }),
      consumer.viewer,
      "127.0.0.1",
    );
    expect(res.status).toBe(200);
    expect((await res.json()).data.createAddress.errors).toEqual([]);
    expect(await addressCount()).toBe(before + 1);
  });

  it("given a mutation sent with GET, then it is refused and nothing is written", async () => {
    const before = await addressCount();
    const res = await rt.handleHttp(
      new Request(`${url}?query=${encodeURIComponent(mutation)}`, { method: "GET", headers: { "apollo-require-preflight": "true" } }),
      consumer.viewer,
      "127.0.0.1",
    );
    expect(res.status).toBe(405);
    expect(await addressCount()).toBe(before);
  });

  it("given a body over 100 kB, then it answers 413 without parsing it", async () => {
    const huge = JSON.stringify({ query: `{ me { id } }`, padding: "x".repeat(200_000) });
    const res = await rt.handleHttp(new Request(url, { method: "POST", headers: { "content-type": "application/json" }, body: huge }), null, "127.0.0.1");
    expect(res.status).toBe(413);
  });

  it("given malformed JSON, then it answers 400 with a typed error", async () => {
    const res = await rt.handleHttp(new Request(url, { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" }), null, "127.0.0.1");
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0].extensions.code).toBe("BAD_REQUEST");
  });

  it("answers with cache-control: no-store (viewer-specific data is never cached)", async () => {
    const res = await rt.handleHttp(
      new Request(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ me { id } }" }) }),
      consumer.viewer,
      "127.0.0.1",
    );
    expect(res.headers.get("cache-control")).toBe("no-store");
  });
});
