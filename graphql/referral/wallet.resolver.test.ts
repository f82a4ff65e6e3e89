/**
 * The wallet and withdrawal GraphQL operations per role, on a schema built from these resolvers with
 * the app's own auth checker (graphql/schema.ts registers them for the app).
 */
import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, type GraphQLSchema } from "graphql";
import { buildSchema, getMetadataStorage } from "type-graphql";
import { authChecker } from "../schema";
import type { Viewer } from "../core/viewer";
import { createTestRuntime, type TestRuntime } from "../test/harness";
import { createConsumer, createPerson, type Person } from "../test/fixtures";
import { createVerifiedSharer, creditWallet, newIdNumber, type SharerFixture } from "../test/wallet-fixtures";
import { MyWalletResolver, WithdrawalReviewResolver } from "./wallet.resolver";

import { agreementInForce } from "@/graphql/referral/agreement";
const RESOLVERS = [MyWalletResolver, WithdrawalReviewResolver] as const;

describe("wallet and withdrawal GraphQL", () => {
  let rt: TestRuntime;
  let schema: GraphQLSchema;
  let sharer: SharerFixture;
  let operator: Person;

  const run = async (viewer: Viewer | null, source: string, variableValues?: Record<string, unknown>) => {
    const result = await graphql({ schema, source, variableValues, contextValue: rt.context(viewer) });
    return { data: result.data as Record<string, any> | null, errors: (result.errors ?? []).map((e) => e.extensions?.code ?? e.message) };
  };

  beforeAll(async () => {
    rt = await createTestRuntime();
    schema = await buildSchema({ resolvers: RESOLVERS, authChecker, validate: false });
    sharer = await createVerifiedSharer(rt, "陈晓雨");
    await creditWallet(rt, sharer.userId, 20_000);
    operator = await createPerson(rt, { roles: ["OPERATOR"] });
  });
  afterAll(() => rt?.dispose());

  it("given the resolver classes, then every query, mutation and field resolver names its permissions", () => {
    const storage = getMetadataStorage();
    const ours = new Set<Function>(RESOLVERS);
    const defs = [...storage.queries, ...storage.mutations, ...storage.fieldResolvers].filter((d) => ours.has(d.target));
    expect(defs.map((d) => d.schemaName).sort()).toEqual(
      ["becomeSharer", "chainVerified", "entries", "myWallet", "myWithdrawals", "requestWithdrawal", "retryWithdrawal", "reviewWithdrawal", "withdrawalQueue"].sort(),
    );
    expect(defs.filter((d) => !d.roles?.length).map((d) => d.schemaName)).toEqual([]);
  });

  it("given no viewer, then myWallet is UNAUTHENTICATED; given a consumer, then the operator queue is FORBIDDEN", async () => {
    expect((await run(null, "{ myWallet { available { amount } } }")).errors).toEqual(["UNAUTHENTICATED"]);
    expect((await run(sharer.viewer, "{ withdrawalQueue { nodes { id } } }")).errors).toEqual(["FORBIDDEN"]);
    expect((await run(operator.viewer, "{ myWallet { available { amount } } }")).errors).toEqual(["FORBIDDEN"]);
  });

  it("given a consumer, when becoming a SHARER with a bad ID number, then a typed error; with a good one, then SHARER", async () => {
    const c = await createConsumer(rt);
    const mutation = `mutation($input: BecomeSharerInput!) { becomeSharer(input: $input) { role errors { code field } } }`;
    const bad = await run(c.viewer, mutation, { input: { agreementVersion: agreementInForce(new Date()).version, name: "王芳", idNumber: "110105194912310021" } });
    expect(bad.data?.becomeSharer).toEqual({ role: null, errors: [{ code: "INVALID_ID_NUMBER", field: "idNumber" }] });
    const good = await run(c.viewer, mutation, { input: { agreementVersion: agreementInForce(new Date()).version, name: "王芳", idNumber: newIdNumber() } });
    expect(good.data?.becomeSharer).toEqual({ role: "SHARER", errors: [] });
  });

  it("given a request with a wrong payee, then PAYEE_NAME_MISMATCH; a good one is debited, masked, and listed in myWithdrawals and myWallet", async () => {
    const mutation = `mutation($input: RequestWithdrawalInput!) {
      requestWithdrawal(input: $input) { withdrawal { id status payoutNo payeeAccount amount { amount } } errors { code field } } }`;
    const wrong = await run(sharer.viewer, mutation, { input: { amount: 5_000, payeeName: "陈晓宇", payeeAccount: "6222021234567890" } });
    expect(wrong.data?.requestWithdrawal).toEqual({ withdrawal: null, errors: [{ code: "PAYEE_NAME_MISMATCH", field: "payeeName" }] });

    const ok = await run(sharer.viewer, mutation, { input: { amount: 5_000, payeeName: "陈晓雨", payeeAccount: "6222021234567890" } });
    expect(ok.data?.requestWithdrawal.errors).toEqual([]);
    expect(ok.data?.requestWithdrawal.withdrawal).toMatchObject({ status: "REQUESTED", payeeAccount: "****7890", amount: { amount: 5_000 } });

    const wallet = await run(
      sharer.viewer,
      `{ myWallet { available { amount } inFlight { amount } withdrawn { amount } chainVerified
                    entries(first: 1) { nodes { seq kind title amount { amount } } pageInfo { hasNextPage } } }
         myWithdrawals(first: 10) { nodes { status statusText payeeAccount } } }`,
    );
    expect(wallet.errors).toEqual([]);
    expect(wallet.data?.myWallet).toEqual({
      available: { amount: 15_000 },
      inFlight: { amount: 5_000 },
      withdrawn: { amount: 0 },
      chainVerified: true,
      entries: { nodes: [{ seq: 2, kind: "withdrawal_request", title: "提现申请（已扣减）", amount: { amount: -5_000 } }], pageInfo: { hasNextPage: true } },
    });
    expect(wallet.data?.myWithdrawals.nodes).toEqual([{ status: "REQUESTED", statusText: "审核中", payeeAccount: "****7890" }]);
    expect(JSON.stringify(wallet.data)).not.toContain("6222021234567890");
  });

  it("given the operator, then the queue shows masked payees and an approval pays out", async () => {
    const queue = await run(operator.viewer, `{ withdrawalQueue(status: REQUESTED) { nodes { id userId payeeName payeeAccount payoutNo } } }`);
    expect(queue.errors).toEqual([]);
    const [item] = queue.data?.withdrawalQueue.nodes.filter((n: { userId: string }) => n.userId === sharer.userId);
    expect(item).toMatchObject({ payeeName: "陈**", payeeAccount: "****7890" });
    expect(JSON.stringify(queue.data)).not.toContain("6222021234567890");

    const review = `mutation($input: ReviewWithdrawalInput!) { reviewWithdrawal(input: $input) { withdrawal { status payoutNo } errors { code } } }`;
    const paid = await run(operator.viewer, review, { input: { id: item.id, approve: true } });
    expect(paid.data?.reviewWithdrawal).toEqual({ withdrawal: { status: "PAID", payoutNo: item.payoutNo }, errors: [] });
    const again = await run(operator.viewer, review, { input: { id: item.id, approve: false, note: "重复" } });
    expect(again.data?.reviewWithdrawal).toEqual({ withdrawal: null, errors: [{ code: "NOT_REVIEWABLE" }] });
    const retry = await run(operator.viewer, `mutation { retryWithdrawal(input: { id: "${item.id}" }) { withdrawal { status } errors { code } } }`);
    expect(retry.data?.retryWithdrawal).toEqual({ withdrawal: null, errors: [{ code: "NOT_RETRYABLE" }] });

    const wallet = await run(sharer.viewer, `{ myWallet { withdrawn { amount } inFlight { amount } } }`);
    expect(wallet.data?.myWallet).toEqual({ withdrawn: { amount: 5_000 }, inFlight: { amount: 0 } });
  });

  it("given an oversized page, then BAD_USER_INPUT", async () => {
    expect((await run(sharer.viewer, "{ myWithdrawals(first: 101) { nodes { id } } }")).errors).toEqual(["BAD_USER_INPUT"]);
  });
});
