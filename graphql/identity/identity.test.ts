import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq, sql } from "drizzle-orm";
import { apiTokens, smsCodes, smsOutbox, userRoles, users } from "@/db/schema";
import { createTestRuntime, type TestRuntime } from "../test/harness";
import { createPerson, newPhone, TEST_PASSWORD } from "../test/fixtures";
import { blindIndex } from "../platform/crypto";
import { bumpSessionVersion, latestOutboxMessage, loadViewer } from "./identity.service";
import { SMS_CODE_TTL_MS, SMS_LIMITS } from "./identity.rules";

const REQUEST = `mutation($input: RequestSmsCodeInput!) { requestSmsCode(input: $input) { sent errors { code message field } } }`;
const ISSUE = `mutation($input: IssueApiTokenInput!) {
  issueApiToken(input: $input) { apiToken { token expiresAt } errors { code message field } }
}`;

type Issued = { issueApiToken: { apiToken: { token: string } | null; errors: { code: string; message: string; field: string | null }[] } };

let ipSeq = 1;
/** Each test signs in from its own address so the per-IP limits of one test do not leak into another. */
const freshIp = () => `10.0.${Math.floor(ipSeq / 250)}.${ipSeq++ % 250}`;

describe("identity: SMS codes, passwords, sessions and bearer tokens", () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime();
  });
  afterAll(() => rt?.dispose());

  async function run<T>(query: string, variables: Record<string, unknown>, ip: string) {
    const r = await rt.execute<T>({ query, variables }, null, ip);
    expect(r.errors).toEqual([]);
    return r.data as T;
  }
  const requestCode = (phone: string, ip = freshIp()) => run<{ requestSmsCode: { sent: boolean; errors: { code: string }[] } }>(REQUEST, { input: { phone } }, ip);
  const signIn = (input: Record<string, string>, ip = freshIp()) => run<Issued>(ISSUE, { input }, ip);
  async function codeSentTo(phone: string) {
    const body = await latestOutboxMessage(rt.services.db, phone);
    return /(\d{6})/.exec(body ?? "")![1];
  }
  const outboxCount = async (phone: string) =>
    Number((await rt.services.db.select({ n: count() }).from(smsOutbox).where(eq(smsOutbox.phoneIndex, blindIndex("phone", phone))))[0].n);
  /**
   * Rate limits count in fixed windows. A test that must land in one window hops to the next one
   * when fewer than 30 s of the current window are left, so it never straddles a boundary.
   */
  async function withinOneWindow(windowMs: number) {
    const into = rt.services.clock.now().getTime() % windowMs;
    if (into > windowMs - 30_000) await rt.advanceClock(windowMs - into + 1_000);
  }
  const userCount = async () => Number((await rt.services.db.select({ n: count() }).from(users))[0].n);
  const invalid = { apiToken: null, errors: [{ code: "INVALID_CREDENTIALS", message: "验证码错误或已过期", field: null }] };

  it("given a phone, when a code is requested, then a 6-digit code is in the outbox and only its hash is stored", async () => {
    const phone = newPhone();

    const r = await requestCode(phone);

    expect(r.requestSmsCode).toEqual({ sent: true, errors: [] });
    const body = await latestOutboxMessage(rt.services.db, phone);
    expect(body).toMatch(/验证码是\d{6}/);
    const code = await codeSentTo(phone);
    const [stored] = await rt.services.db.select().from(smsCodes).where(eq(smsCodes.phoneIndex, blindIndex("phone", phone)));
    expect(stored.codeHash).not.toContain(code);
    const [outbox] = await rt.services.db.select().from(smsOutbox).where(eq(smsOutbox.phoneIndex, blindIndex("phone", phone)));
    expect(outbox.phoneEnc).not.toContain(phone);
  });

  it("given a code, when it is used to sign in, then it works once and the second use is INVALID_CREDENTIALS", async () => {
    const phone = newPhone();
    await requestCode(phone);
    const code = await codeSentTo(phone);

    const first = await signIn({ phone, code });
    const second = await signIn({ phone, code });

    expect(first.issueApiToken.errors).toEqual([]);
    const viewer = await rt.viewerForBearer(first.issueApiToken.apiToken!.token);
    expect(viewer).toMatchObject({ roles: ["CONSUMER"], supplierId: null, storeId: null });
    expect(second.issueApiToken).toEqual(invalid);
  });

  it("given one code, when 8 sign-ins race with it, then exactly one gets a token and one account exists", async () => {
    const phone = newPhone();
    await requestCode(phone);
    const code = await codeSentTo(phone);

    const results = await Promise.all(Array.from({ length: 8 }, () => signIn({ phone, code })));

    expect(results.filter((r) => r.issueApiToken.apiToken)).toHaveLength(1);
    expect(results.filter((r) => !r.issueApiToken.apiToken).map((r) => r.issueApiToken)).toEqual(Array.from({ length: 7 }, () => invalid));
    expect(await rt.services.db.select().from(users).where(eq(users.phoneIndex, blindIndex("phone", phone)))).toHaveLength(1);
  });

  it("given a wrong code, an unknown phone, a malformed code and a malformed phone, then all four answer exactly the same", async () => {
    const known = newPhone();
    await requestCode(known);
    const code = await codeSentTo(known);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
    const usersBefore = await userCount();

    const answers = [
      await signIn({ phone: known, code: wrong }),
      await signIn({ phone: newPhone(), code: "123456" }),
      await signIn({ phone: known, code: "12ab56" }),
      await signIn({ phone: "12345", code: "123456" }),
    ];

    for (const a of answers) expect(a.issueApiToken).toEqual(invalid);
    expect(await userCount()).toBe(usersBefore); // no account is created by a failed try
  });

  it("given 5 wrong guesses, when the right code is then entered, then it is refused (the code is burnt)", async () => {
    const phone = newPhone();
    const ip = freshIp();
    await requestCode(phone, ip);
    const code = await codeSentTo(phone);
    const wrong = String((Number(code) + 7) % 1_000_000).padStart(6, "0");

    for (let i = 0; i < 5; i++) expect((await signIn({ phone, code: wrong }, ip)).issueApiToken).toEqual(invalid);
    const right = await signIn({ phone, code }, ip);

    expect(right.issueApiToken).toEqual(invalid);
    const [stored] = await rt.services.db.select().from(smsCodes).where(eq(smsCodes.phoneIndex, blindIndex("phone", phone)));
    expect(stored).toMatchObject({ failedAttempts: 5, consumedAt: null });
  });

  it("given a code was just sent, when another is requested within a minute, then RATE_LIMITED and no second SMS", async () => {
    await withinOneWindow(SMS_LIMITS.perPhoneMinute.windowMs);
    const phone = newPhone();
    await requestCode(phone);

    const again = await requestCode(phone);

    expect(again.requestSmsCode).toEqual({ sent: false, errors: [expect.objectContaining({ code: "RATE_LIMITED" })] });
    expect(await outboxCount(phone)).toBe(1);
  });

  it("given 30 sign-in attempts from one IP, then the 31st is RATE_LIMITED even with the right code", async () => {
    await withinOneWindow(SMS_LIMITS.verifyPerIp.windowMs);
    const ip = freshIp();
    const phone = newPhone();
    await requestCode(phone);
    const code = await codeSentTo(phone);
    for (let i = 0; i < SMS_LIMITS.verifyPerIp.limit; i++) await signIn({ phone: newPhone(), code: "000000" }, ip);

    const r = await signIn({ phone, code }, ip);

    expect(r.issueApiToken.errors).toEqual([expect.objectContaining({ code: "RATE_LIMITED" })]);
    expect((await signIn({ phone, code })).issueApiToken.errors).toEqual([]); // the code itself was not spent
  });

  describe("password sign-in", () => {
    it("given the right password, then a token is issued; a wrong password and an unknown login answer the same", async () => {
      const staff = await createPerson(rt, { roles: ["MERCHANT"], login: `boss-${Date.now()}` });

      const ok = await signIn({ login: staff.login!.toUpperCase(), password: TEST_PASSWORD });
      const wrong = await signIn({ login: staff.login!, password: `${TEST_PASSWORD}x` });
      const unknown = await signIn({ login: "nobody-here", password: TEST_PASSWORD });

      expect(ok.issueApiToken.errors).toEqual([]);
      expect((await rt.viewerForBearer(ok.issueApiToken.apiToken!.token))?.userId).toBe(staff.userId);
      const refused = { apiToken: null, errors: [{ code: "INVALID_CREDENTIALS", message: "账号或密码错误", field: null }] };
      expect(wrong.issueApiToken).toEqual(refused);
      expect(unknown.issueApiToken).toEqual(refused);
    });

    it("given a consumer without a password, then no password signs them in", async () => {
      const consumer = await createPerson(rt, { roles: ["CONSUMER"], phone: newPhone() });
      const r = await signIn({ login: consumer.phone!, password: "anything" });
      expect(r.issueApiToken.apiToken).toBeNull();
    });
  });

  describe("sessions and bearer tokens", () => {
    it("given a token, then only its hash is stored and it loads the viewer; a made-up token loads nobody", async () => {
      const staff = await createPerson(rt, { roles: ["SUPPLIER"], login: `ship-${Date.now()}` });
      const { token } = (await signIn({ login: staff.login!, password: TEST_PASSWORD })).issueApiToken.apiToken!;

      expect(token).toMatch(/^lb_[\w-]{43}$/);
      const rows = await rt.services.db.select().from(apiTokens).where(eq(apiTokens.userId, staff.userId));
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toContain(token.slice(3));
      expect((await rt.viewerForBearer(token))?.userId).toBe(staff.userId);
      const tampered = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
      expect(await rt.viewerForBearer(tampered)).toBeNull();
      expect(await rt.viewerForBearer("not-a-token")).toBeNull();
    });

    it("given lookups of a valid, a revoked, an expired, a banned user's and a made-up token at the same moment, then each gets its own answer", async () => {
      const people = await Promise.all(["ok", "rev", "exp", "ban"].map((k) => createPerson(rt, { roles: ["SUPPLIER"], login: `many-${k}-${Date.now()}` })));
      const tokens = await Promise.all(people.map(async (p) => (await signIn({ login: p.login!, password: TEST_PASSWORD })).issueApiToken.apiToken!.token));
      const db = rt.services.db;
      await db.update(apiTokens).set({ revokedAt: rt.services.clock.now() }).where(eq(apiTokens.userId, people[1].userId));
      await db.update(apiTokens).set({ expiresAt: new Date(rt.services.clock.now().getTime() - 1_000) }).where(eq(apiTokens.userId, people[2].userId));
      await db.update(users).set({ status: "BANNED" }).where(eq(users.id, people[3].userId));

      const answers = await Promise.all([...tokens, `lb_${"x".repeat(43)}`, tokens[0]].map((t) => rt.viewerForBearer(t)));

      expect(answers.map((v) => v?.userId ?? null)).toEqual([people[0].userId, null, null, null, null, people[0].userId]);
    });

    it("given bumpSessionVersion, then the old session and every token stop working on the next request", async () => {
      const staff = await createPerson(rt, { roles: ["MERCHANT"], login: `bump-${Date.now()}` });
      const { token } = (await signIn({ login: staff.login!, password: TEST_PASSWORD })).issueApiToken.apiToken!;
      expect(await loadViewer(rt.services.db, staff.userId, 1)).not.toBeNull();

      await bumpSessionVersion(rt.services.db, staff.userId);

      expect(await loadViewer(rt.services.db, staff.userId, 1)).toBeNull();
      expect(await rt.viewerForSession(staff.userId, 1)).toBeNull();
      expect(await rt.viewerForBearer(token)).toBeNull();
      expect(await loadViewer(rt.services.db, staff.userId, 2)).not.toBeNull();
    });

    it("given a banned user, then their session and token stop working and they cannot sign in again", async () => {
      const staff = await createPerson(rt, { roles: ["MERCHANT"], login: `ban-${Date.now()}` });
      const { token } = (await signIn({ login: staff.login!, password: TEST_PASSWORD })).issueApiToken.apiToken!;

      await rt.services.db.update(users).set({ status: "BANNED" }).where(eq(users.id, staff.userId));

      expect(await rt.viewerForSession(staff.userId, 1)).toBeNull();
      expect(await rt.viewerForBearer(token)).toBeNull();
      expect((await signIn({ login: staff.login!, password: TEST_PASSWORD })).issueApiToken.errors).toEqual([
        expect.objectContaining({ code: "INVALID_CREDENTIALS" }),
      ]);
    });

    it("given a demoted merchant, then the next request no longer carries the merchant role", async () => {
      const staff = await createPerson(rt, { roles: ["MERCHANT", "CONSUMER"], login: `demote-${Date.now()}` });
      await rt.services.db.delete(userRoles).where(eq(userRoles.userId, staff.userId));
      await rt.services.db.insert(userRoles).values({ userId: staff.userId, role: "CONSUMER", createdAt: new Date() });

      const v = await rt.viewerForSession(staff.userId, 1);
      expect(v?.roles).toEqual(["CONSUMER"]);
      expect(v?.permissions.has("STORE_MANAGE")).toBe(false);
    });
  });

  // Last: these move the clock, which every later test of this runtime would see.
  describe("as time passes", () => {
    it("given a code older than 10 minutes, then it no longer signs in", async () => {
      const phone = newPhone();
      await requestCode(phone);
      const code = await codeSentTo(phone);

      await rt.advanceClock(SMS_CODE_TTL_MS + 1_000);

      expect((await signIn({ phone, code })).issueApiToken).toEqual(invalid);
    });

    it("given a minute has passed since the last code, then a new one can be requested", async () => {
      await withinOneWindow(SMS_LIMITS.perPhoneMinute.windowMs);
      const phone = newPhone();
      await requestCode(phone);
      expect((await requestCode(phone)).requestSmsCode.sent).toBe(false);

      await rt.advanceClock(61_000);

      expect((await requestCode(phone)).requestSmsCode).toEqual({ sent: true, errors: [] });
      expect(await outboxCount(phone)).toBe(2);
    });
  });
});

describe.runIf(Boolean(process.env.DATABASE_URL))("bearer lookups on Postgres: one statement per turn, one plan kept", () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    // One connection: the lookups and the check below share its prepared statements.
    rt = await createTestRuntime({ poolSize: 1 });
  });
  afterAll(() => rt?.dispose());

  it("given 12 turns of 3 lookups each, then the shared statement ran 12 times (not 36) and Postgres switched to its generic plan after the first five", async () => {
    const people = await Promise.all([0, 1, 2].map((i) => createPerson(rt, { roles: ["CONSUMER"], login: `turns-${i}-${Date.now()}` })));
    const { issueApiToken } = await import("./identity.service");
    const tokens = await Promise.all(people.map(async (p) => (await issueApiToken({ db: rt.services.db, now: rt.services.clock.now() }, { id: p.userId, sessionVersion: 1 }, "turns")).token));

    for (let turn = 0; turn < 12; turn++) {
      const viewers = await Promise.all(tokens.map((t) => rt.viewerForBearer(t)));
      expect(viewers.map((v) => v?.userId)).toEqual(people.map((p) => p.userId));
    }

    const [plans] = (await rt.services.db.execute(
      sql`select generic_plans::int as generic, custom_plans::int as custom from pg_prepared_statements where statement like '%jsonb_array_elements_text($1::jsonb) as k(hash)%' and statement not like '%pg_prepared_statements%'`,
    )) as unknown as { generic: number; custom: number }[];
    expect(plans.generic + plans.custom).toBe(12);
    expect(plans.custom).toBe(5);
  });
});
