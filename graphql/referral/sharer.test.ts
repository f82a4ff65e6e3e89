/** Becoming a SHARER with real-name verification (rule book §1) through the real service and database. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { agreementAcceptances, realNames, teamMembers } from "@/db/schema";
import { DomainError } from "../core/errors";
import { blindIndex, decryptPii } from "../platform/crypto";
import { createTestRuntime, type TestRuntime } from "../test/harness";
import { createConsumer, ctxOf } from "../test/fixtures";
import { newIdNumber } from "../test/wallet-fixtures";
import { ensureMember } from "./binding.service";
import { becomeSharerWithRealName, realNameOf } from "./sharer.service";
import type { RealNameVerifier } from "./real-name-verifier";

import { agreementInForce } from "@/graphql/referral/agreement";
async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
}

const AGREEMENT = agreementInForce(new Date()).version;

describe("becomeSharerWithRealName", () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime();
  });
  afterAll(() => rt?.dispose());

  const stateOf = async (userId: string) => {
    const [member] = await rt.services.db.select().from(teamMembers).where(eq(teamMembers.userId, userId));
    const identity = await rt.services.db.select().from(realNames).where(eq(realNames.userId, userId));
    return { role: member?.role ?? null, agreement: member?.agreementVersion ?? null, identities: identity.length };
  };

  it("given a valid name and ID number, then the person is a SHARER and the identity is stored only encrypted", async () => {
    const c = await createConsumer(rt);
    const idNumber = newIdNumber().replace(/X$/, "x");

    const result = await becomeSharerWithRealName(ctxOf(rt), c.userId, { agreementVersion: AGREEMENT, name: " 艾力 • 买买提 ", idNumber });

    expect(result.role).toBe("SHARER");
    const [row] = await rt.services.db.select().from(realNames).where(eq(realNames.userId, c.userId));
    expect(row.nameEnc).not.toContain("艾力");
    expect(row.idNumberEnc).not.toContain(idNumber.slice(0, 17));
    expect(decryptPii(row.idNumberEnc)).toBe(idNumber.toUpperCase());
    expect(row.idNumberIndex).toBe(blindIndex("id_number", idNumber.toUpperCase()));
    expect(row.verifier).toBe("builtin-format");
    expect(await realNameOf(rt.services.db, c.userId)).toBe("艾力·买买提");
    expect(await stateOf(c.userId)).toEqual({ role: "SHARER", agreement: AGREEMENT, identities: 1 });
  });

  it.each([
    ["no agreement version", { agreementVersion: " " }, "AGREEMENT_REQUIRED"],
    ["a version that is not the one in force", { agreementVersion: "2025-01" }, "AGREEMENT_OUTDATED"],
    ["a Latin name", { name: "Chen Xiaoyu" }, "INVALID_NAME"],
    ["a one-character name", { name: "陈" }, "INVALID_NAME"],
    ["a wrong check code", { idNumber: "110105194912310021" }, "INVALID_ID_NUMBER"],
    ["an impossible birth date", { idNumber: "110101199902300010" }, "INVALID_ID_NUMBER"],
  ])("given %s, then %s and nothing is written", async (_label, over, code) => {
    const c = await createConsumer(rt);
    const input = { agreementVersion: AGREEMENT, name: "陈晓雨", idNumber: newIdNumber(), ...over };
    expect(await codeOf(becomeSharerWithRealName(ctxOf(rt), c.userId, input))).toBe(code);
    expect(await stateOf(c.userId)).toEqual({ role: null, agreement: null, identities: 0 });
  });

  it("given an ID number verified by another account, then ID_NUMBER_IN_USE and the second account stays REGISTERED", async () => {
    const [a, b] = [await createConsumer(rt), await createConsumer(rt)];
    const idNumber = newIdNumber();
    await ensureMember(rt.services.db, b.userId, rt.services.clock.now());
    await becomeSharerWithRealName(ctxOf(rt), a.userId, { agreementVersion: AGREEMENT, name: "陈晓雨", idNumber });

    expect(await codeOf(becomeSharerWithRealName(ctxOf(rt), b.userId, { agreementVersion: AGREEMENT, name: "陈晓雨", idNumber }))).toBe("ID_NUMBER_IN_USE");
    expect(await stateOf(b.userId)).toEqual({ role: "REGISTERED", agreement: null, identities: 0 });
  });

  it("given two accounts claiming one ID number at the same moment, then exactly one gets it", async () => {
    const [a, b] = [await createConsumer(rt), await createConsumer(rt)];
    const idNumber = newIdNumber();
    const claim = (userId: string) => codeOf(becomeSharerWithRealName(ctxOf(rt), userId, { agreementVersion: AGREEMENT, name: "陈晓雨", idNumber }));
    expect((await Promise.all([claim(a.userId), claim(b.userId)])).sort()).toEqual(["ID_NUMBER_IN_USE", "OK"]);
    const holders = await rt.services.db.select().from(realNames).where(eq(realNames.idNumberIndex, blindIndex("id_number", idNumber)));
    expect(holders).toHaveLength(1);
  });

  it("given a verified account, then repeating with the same identity re-records the agreement, another identity is refused", async () => {
    const c = await createConsumer(rt);
    const idNumber = newIdNumber();
    await becomeSharerWithRealName(ctxOf(rt), c.userId, { agreementVersion: AGREEMENT, name: "陈晓雨", idNumber });
    await becomeSharerWithRealName(ctxOf(rt), c.userId, { agreementVersion: AGREEMENT, name: "陈晓雨", idNumber });
    expect(await stateOf(c.userId)).toEqual({ role: "SHARER", agreement: AGREEMENT, identities: 1 });
    const accepted = await rt.services.db.select().from(agreementAcceptances).where(eq(agreementAcceptances.userId, c.userId));
    expect(accepted.map((a) => a.version)).toEqual([AGREEMENT]);
    expect(await codeOf(becomeSharerWithRealName(ctxOf(rt), c.userId, { agreementVersion: "2025-06", name: "陈晓雨", idNumber }))).toBe("AGREEMENT_OUTDATED");
    expect(await stateOf(c.userId)).toEqual({ role: "SHARER", agreement: AGREEMENT, identities: 1 });
    expect(await codeOf(becomeSharerWithRealName(ctxOf(rt), c.userId, { agreementVersion: AGREEMENT, name: "陈晓宇", idNumber }))).toBe("REAL_NAME_LOCKED");
    expect(await codeOf(becomeSharerWithRealName(ctxOf(rt), c.userId, { agreementVersion: AGREEMENT, name: "陈晓雨", idNumber: newIdNumber() }))).toBe("REAL_NAME_LOCKED");
  });

  it("given K qualified referrals gathered while REGISTERED, when becoming a SHARER, then promotion is checked at once (§1): LEADER", async () => {
    const c = await createConsumer(rt);
    await ensureMember(rt.services.db, c.userId, rt.services.clock.now());
    await rt.services.db.update(teamMembers).set({ qualifiedDirects: 2 }).where(eq(teamMembers.userId, c.userId));
    const result = await becomeSharerWithRealName(ctxOf(rt), c.userId, { agreementVersion: AGREEMENT, name: "陈晓雨", idNumber: newIdNumber() });
    expect(result.role).toBe("LEADER");
  });

  it("given a plugged-in provider that says the name does not own the number, then IDENTITY_MISMATCH and nothing is written", async () => {
    const c = await createConsumer(rt);
    const provider: RealNameVerifier = { name: "test-provider", verify: async () => ({ ok: false, reason: "MISMATCH", message: "姓名与身份证号不一致" }) };
    const input = { agreementVersion: AGREEMENT, name: "陈晓雨", idNumber: newIdNumber() };
    expect(await codeOf(becomeSharerWithRealName(ctxOf(rt), c.userId, input, provider))).toBe("IDENTITY_MISMATCH");
    expect(await stateOf(c.userId)).toEqual({ role: null, agreement: null, identities: 0 });

    const approving: RealNameVerifier = { name: "test-provider", verify: async () => ({ ok: true }) };
    await becomeSharerWithRealName(ctxOf(rt), c.userId, input, approving);
    const [row] = await rt.services.db.select().from(realNames).where(eq(realNames.userId, c.userId));
    expect(row.verifier).toBe("test-provider");
  });
});
