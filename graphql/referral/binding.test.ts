import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { inviteAncestors, invites, teamMembers } from "@/db/schema";
import { createTestRuntime, type TestRuntime } from "../test/harness";
import { createConsumer, newPhone } from "../test/fixtures";
import { latestOutboxMessage, requestSmsCode, signInWithSms } from "../identity/identity.service";
import { BindErrorCode, bindInvite, ensureMember } from "./binding.service";
import { DomainError } from "../core/errors";

describe("invite binding (rule book §2)", () => {
  let rt: TestRuntime;
  const ctx = () => ({ db: rt.services.db, now: rt.services.clock.now() });
  const codeOf = async (userId: string) => (await rt.services.db.transaction((tx) => ensureMember(tx, userId, rt.services.clock.now()))).inviteCode;
  const rowsFor = async (userId: string) => ({
    invite: (await rt.services.db.select().from(invites).where(eq(invites.userId, userId)))[0] ?? null,
    ancestors: await rt.services.db.select().from(inviteAncestors).where(eq(inviteAncestors.userId, userId)).orderBy(inviteAncestors.depth),
    member: (await rt.services.db.select().from(teamMembers).where(eq(teamMembers.userId, userId)))[0] ?? null,
  });
  /** Registers a brand-new person by SMS, arriving through an invite. */
  async function register(inviteCode: string | null, deviceId: string | null = null) {
    const phone = newPhone();
    await requestSmsCode(ctx(), { phone, ip: "10.0.0.1" });
    const code = (await latestOutboxMessage(rt.services.db, phone))!.match(/\d{6}/)![0];
    return signInWithSms(ctx(), { phone, code, ip: "10.0.0.1", arrival: { inviteCode, channel: "qr", deviceId } });
  }
  const expectCode = async (p: Promise<unknown>, code: string) => {
    const e = await p.then(() => null, (x) => x);
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe(code);
  };

  beforeAll(async () => {
    rt = await createTestRuntime();
  });
  afterAll(() => rt?.dispose());

  it("given a chain A→B→C, when D registers through C's code, then D is bound once with ancestors C(1) B(2) A(3) and the channel", async () => {
    const a = await createConsumer(rt);
    const b = await register(await codeOf(a.userId));
    const c = await register(await codeOf(b.id));
    const d = await register(await codeOf(c.id));
    const rows = await rowsFor(d.id);
    expect(rows.invite).toMatchObject({ inviterId: c.id, channel: "qr", riskFlagged: false });
    expect(rows.ancestors.map((x) => [x.ancestorId, x.depth])).toEqual([[c.id, 1], [b.id, 2], [a.userId, 3]]);
    expect(rows.member?.role).toBe("REGISTERED");
  });

  it("given an unknown invite code, when a person registers, then they are registered but bound to nobody", async () => {
    const user = await register("NOSUCHCODE");
    const rows = await rowsFor(user.id);
    expect(rows.invite).toBeNull();
    expect(rows.member).not.toBeNull();
  });

  it("given an inviter on the same device, when the invitee registers, then the binding is flagged as a risk pair", async () => {
    const a = await register(null, "device-1");
    const b = await register(await codeOf(a.id), "device-1");
    expect((await rowsFor(b.id)).invite?.riskFlagged).toBe(true);
  });

  it("given a bound person, when they try to bind again, then ALREADY_BOUND and nothing changes", async () => {
    const a = await createConsumer(rt);
    const other = await createConsumer(rt);
    const b = await register(await codeOf(a.userId));
    const before = await rowsFor(b.id);
    await expectCode(rt.services.db.transaction((tx) => bindInvite(tx, { userId: b.id, inviteCode: "X", channel: "link", now: rt.services.clock.now() })), BindErrorCode.INVITE_CODE_NOT_FOUND);
    const code = await codeOf(other.userId);
    await expectCode(rt.services.db.transaction((tx) => bindInvite(tx, { userId: b.id, inviteCode: code, channel: "link", now: rt.services.clock.now() })), BindErrorCode.ALREADY_BOUND);
    expect(await rowsFor(b.id)).toEqual(before);
  });

  it("given A who invited B who invited G, when A tries to bind under G, then CYCLE and nothing is written; binding to oneself is SELF_INVITE", async () => {
    const a = await createConsumer(rt);
    const b = await register(await codeOf(a.userId));
    const g = await register(await codeOf(b.id));
    const gCode = await codeOf(g.id);
    await expectCode(rt.services.db.transaction((tx) => bindInvite(tx, { userId: a.userId, inviteCode: gCode, channel: "link", now: rt.services.clock.now() })), BindErrorCode.CYCLE);
    const aCode = await codeOf(a.userId);
    await expectCode(rt.services.db.transaction((tx) => bindInvite(tx, { userId: a.userId, inviteCode: aCode, channel: "link", now: rt.services.clock.now() })), BindErrorCode.SELF_INVITE);
    expect((await rowsFor(a.userId)).invite).toBeNull();
  });
});
