import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { runHot, type Field } from "@/db/hot-sql";
import { apiTokens, smsCodes, smsOutbox, stores, userRoles, users } from "@/db/schema";
import { blindIndex, encryptPii, hmacHex, safeEqual } from "../platform/crypto";
import { loadSecrets, config } from "../platform/config";
import { hitRateLimits } from "../platform/rate-limit";
import { DomainError } from "../core/errors";
import { permissionsFor, type Role } from "../core/permissions";
import { bindInvite, ensureMember, inviterOfCode } from "../referral/binding.service";
import { admitRegistration } from "../risk/risk.service";
import { issueWelcomeCoupons } from "../marketing/coupon.service";
import type { Viewer } from "../core/viewer";
import {
  SMS_CODE_MAX_FAILURES,
  SMS_CODE_TTL_MS,
  SMS_LIMITS,
  defaultNickname,
  generateSmsCode,
  hashPassword,
  isSixDigits,
  normalizePhone,
  verifyPassword,
} from "./identity.rules";

export type IdentityCtx = { db: Db; now: Date };

export const SignInErrorCode = {
  INVALID_PHONE: "INVALID_PHONE",
  RATE_LIMITED: "RATE_LIMITED",
  INVALID_CREDENTIALS: "INVALID_CREDENTIALS",
  SMS_UNAVAILABLE: "SMS_UNAVAILABLE",
} as const;

const codeHash = (phoneIndex: string, code: string) => hmacHex(loadSecrets().blindIndexKey, `sms:${phoneIndex}:${code}`);

/**
 * Sends a sign-in code. The answer is the same whether or not the phone has an account. In
 * development the code goes to the outbox; production needs a real SMS provider (none is wired yet).
 */
export async function requestSmsCode(ctx: IdentityCtx, input: { phone: string; ip: string }): Promise<void> {
  const phone = normalizePhone(input.phone);
  if (!phone) throw new DomainError(SignInErrorCode.INVALID_PHONE, "请输入正确的手机号", "phone");
  if (!config.devTools) throw new DomainError(SignInErrorCode.SMS_UNAVAILABLE, "短信服务暂不可用");
  const phoneIndex = blindIndex("phone", phone);
  const allowed = await hitRateLimits(
    ctx.db,
    [
      { key: `sms:phone-min:${phoneIndex}`, ...SMS_LIMITS.perPhoneMinute },
      { key: `sms:phone-hour:${phoneIndex}`, ...SMS_LIMITS.perPhoneHour },
      { key: `sms:ip:${input.ip}`, ...SMS_LIMITS.perIpHour },
    ],
    ctx.now,
  );
  if (!allowed) throw new DomainError(SignInErrorCode.RATE_LIMITED, "发送太频繁，请稍后再试");
  const code = generateSmsCode();
  await ctx.db.transaction(async (tx) => {
    await tx.insert(smsCodes).values({
      phoneIndex,
      codeHash: codeHash(phoneIndex, code),
      expiresAt: new Date(ctx.now.getTime() + SMS_CODE_TTL_MS),
      createdAt: ctx.now,
    });
    await tx.insert(smsOutbox).values({
      phoneIndex,
      phoneEnc: encryptPii(phone),
      body: `【链播】您的验证码是${code}，10分钟内有效。如非本人操作请忽略。`,
      createdAt: ctx.now,
    });
  });
}

/** The newest development SMS sent to a phone (for the demo login page and tests). */
export async function latestOutboxMessage(db: Db, phone: string): Promise<string | null> {
  if (!config.devTools) return null;
  const normalized = normalizePhone(phone);
  if (!normalized) return null;
  const [row] = await db
    .select({ body: smsOutbox.body })
    .from(smsOutbox)
    .where(eq(smsOutbox.phoneIndex, blindIndex("phone", normalized)))
    .orderBy(desc(smsOutbox.createdAt))
    .limit(1);
  return row?.body ?? null;
}

/**
 * Verifies a code and signs in, creating the consumer on first sign-in. Wrong, expired, used and
 * unknown codes all answer INVALID_CREDENTIALS. Each code is single-use and burns after 5 misses.
 */
/** Where a new person came from: an invite code (link, QR, live share, card), its store, and the device. */
export type Arrival = { inviteCode?: string | null; channel?: string | null; storeId?: string | null; deviceId?: string | null; ip?: string | null };

export async function signInWithSms(ctx: IdentityCtx, input: { phone: string; code: string; ip: string; arrival?: Arrival }) {
  const phone = normalizePhone(input.phone);
  const invalid = new DomainError(SignInErrorCode.INVALID_CREDENTIALS, "验证码错误或已过期");
  if (!phone) throw invalid;
  const phoneIndex = blindIndex("phone", phone);
  const allowed = await hitRateLimits(
    ctx.db,
    [
      { key: `verify:ip:${input.ip}`, ...SMS_LIMITS.verifyPerIp },
      { key: `verify:phone:${phoneIndex}`, ...SMS_LIMITS.verifyPerPhone },
    ],
    ctx.now,
  );
  if (!allowed) throw new DomainError(SignInErrorCode.RATE_LIMITED, "尝试太频繁，请稍后再试");
  if (!isSixDigits(input.code)) throw invalid;

  return ctx.db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(smsCodes)
      .where(and(eq(smsCodes.phoneIndex, phoneIndex), isNull(smsCodes.consumedAt), gt(smsCodes.expiresAt, ctx.now)))
      .orderBy(desc(smsCodes.createdAt))
      .limit(1)
      .for("update");
    if (!current || current.failedAttempts >= SMS_CODE_MAX_FAILURES) throw invalid;
    if (!safeEqual(current.codeHash, codeHash(phoneIndex, input.code))) {
      await tx.update(smsCodes).set({ failedAttempts: sql`${smsCodes.failedAttempts} + 1` }).where(eq(smsCodes.id, current.id));
      return null;
    }
    await tx.update(smsCodes).set({ consumedAt: ctx.now }).where(eq(smsCodes.id, current.id));
    const user = await findOrCreateConsumer(tx, phone, phoneIndex, ctx.now, { ...input.arrival, ip: input.ip });
    if (user.status !== "ACTIVE") throw invalid;
    return { id: user.id, sessionVersion: user.sessionVersion };
  }).then((r) => {
    // The failed attempt must be counted, so the miss is committed before answering.
    if (!r) throw invalid;
    return r;
  });
}

async function findOrCreateConsumer(tx: Db, phone: string, phoneIndex: string, now: Date, arrival: Arrival) {
  const [existing] = await tx.select().from(users).where(eq(users.phoneIndex, phoneIndex));
  if (existing) {
    await tx.insert(userRoles).values({ userId: existing.id, role: "CONSUMER", createdAt: now }).onConflictDoNothing();
    return existing;
  }
  const [created] = await tx
    .insert(users)
    .values({ phoneEnc: encryptPii(phone), phoneIndex, nickname: defaultNickname(phone), createdAt: now })
    .onConflictDoNothing({ target: users.phoneIndex })
    .returning();
  const user = created ?? (await tx.select().from(users).where(eq(users.phoneIndex, phoneIndex)))[0];
  await tx.insert(userRoles).values({ userId: user.id, role: "CONSUMER", createdAt: now }).onConflictDoNothing();
  if (created) await registerArrival(tx, user.id, arrival, now);
  return user;
}

/**
 * A new person joins 链动2+1 as REGISTERED and, when they came through an invite, is bound to the
 * inviter — once, at registration. A bad code never blocks signing up: the binding is attempted
 * in a savepoint and simply skipped when the rules refuse it.
 */
async function registerArrival(tx: Db, userId: string, arrival: Arrival, now: Date) {
  await ensureMember(tx, userId, now, { deviceId: arrival.deviceId ?? null });
  const inviterId = arrival.inviteCode ? await inviterOfCode(tx, arrival.inviteCode) : null;
  // Every registration is counted by source; the Nth through one code from one device or IP
  // disables the code (rule book §6) and is not bound.
  const admitted = await admitRegistration(tx, { userId, inviterId, deviceId: arrival.deviceId ?? null, ip: arrival.ip ?? null, now });
  if (!arrival.inviteCode || !admitted) return;
  try {
    await tx.transaction(async (sp) => {
      await bindInvite(sp, {
        userId,
        inviteCode: arrival.inviteCode!,
        channel: arrival.channel ?? "link",
        storeId: arrival.storeId ?? null,
        deviceId: arrival.deviceId ?? null,
        now,
      });
      // 邀请有礼: the platform, and the store the invite came through, welcome the new person with their welcome coupons.
      await issueWelcomeCoupons(sp, userId, arrival.storeId ?? null, now);
    });
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
  }
}

/** Password sign-in for suppliers, merchants and operators. One answer for unknown login and wrong password. */
export async function signInWithPassword(ctx: IdentityCtx, input: { login: string; password: string; ip: string }) {
  const allowed = await hitRateLimits(
    ctx.db,
    [
      { key: `pw:ip:${input.ip}`, limit: 30, windowMs: 600_000 },
      { key: `pw:login:${input.login.toLowerCase()}`, limit: 10, windowMs: 600_000 },
    ],
    ctx.now,
  );
  if (!allowed) throw new DomainError(SignInErrorCode.RATE_LIMITED, "尝试太频繁，请稍后再试");
  const [user] = await ctx.db.select().from(users).where(eq(users.loginName, input.login.trim().toLowerCase()));
  const ok = verifyPassword(input.password, user?.passwordHash ?? null);
  if (!user || !ok || user.status !== "ACTIVE") {
    throw new DomainError(SignInErrorCode.INVALID_CREDENTIALS, "账号或密码错误");
  }
  return { id: user.id, sessionVersion: user.sessionVersion };
}

/** Loads the viewer for a session, or null when the user is gone, banned or the session is stale. */
export async function loadViewer(db: Db, userId: string, sessionVersion: number): Promise<Viewer | null> {
  if (!/^[0-9a-f-]{36}$/i.test(userId)) return null;
  const [row] = await viewerRows(db).where(eq(users.id, userId));
  return viewerOfRow(row, sessionVersion);
}

/**
 * The person with their roles, supplier and store in ONE statement: every request resolves its
 * viewer, so this is on every hot path (a flash-sale spike resolves thousands a second).
 */
const viewerFields = {
  id: users.id,
  nickname: users.nickname,
  status: users.status,
  sessionVersion: users.sessionVersion,
  // Qualified by hand: in a one-table select Drizzle leaves column names unqualified.
  roles: sql<Role[]>`array(select r.role::text from user_roles r where r.user_id = "users"."id")`,
  supplierId: sql<string | null>`(select m.supplier_id from supplier_members m where m.user_id = "users"."id" limit 1)`,
  storeId: sql<string | null>`(select s.id from stores s where s.owner_user_id = "users"."id" limit 1)`,
};
type ViewerRow = { id: string; nickname: string; status: string; sessionVersion: number; roles: Role[]; supplierId: string | null; storeId: string | null };

function viewerRows(db: Db) {
  return db.select(viewerFields).from(users).$dynamic();
}

function viewerOfRow(row: ViewerRow | undefined, sessionVersion: number): Viewer | null {
  if (!row || row.status !== "ACTIVE" || row.sessionVersion !== sessionVersion) return null;
  const roles = [...row.roles];
  return {
    userId: row.id,
    nickname: row.nickname,
    roles,
    permissions: permissionsFor(roles),
    supplierId: roles.includes("SUPPLIER") ? (row.supplierId ?? null) : null,
    storeId: roles.includes("MERCHANT") ? (row.storeId ?? null) : null,
  };
}

const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");
export const API_TOKEN_TTL_MS = 30 * 86_400_000;

/** Issues a bearer token for a non-browser client; the token is shown once and stored hashed. */
export async function issueApiToken(ctx: IdentityCtx, user: { id: string; sessionVersion: number }, label: string) {
  const token = `lb_${randomBytes(32).toString("base64url")}`;
  const expiresAt = new Date(ctx.now.getTime() + API_TOKEN_TTL_MS);
  await ctx.db.insert(apiTokens).values({
    userId: user.id,
    tokenHash: tokenHash(token),
    label: label.slice(0, 60) || "api",
    sessionVersion: user.sessionVersion,
    expiresAt,
    createdAt: ctx.now,
  });
  return { token, expiresAt };
}

/**
 * The viewer behind a bearer token, if it is valid, unexpired, unrevoked and its user still active.
 * Every API request makes this lookup. Lookups arriving in the same turn of the event loop share
 * one statement: under a spike, requests answered together come back together (a flash-sale batch
 * settles all its buyers at once) and each lookup would otherwise be a statement, a socket write and
 * a backend wake-up of its own. The turn ends where postgres.js writes anyway (setImmediate), so a
 * lookup alone waits about one more turn of the loop. Each is answered against its own `now`.
 *
 * One fixed text serves any number of tokens: the hashes go in as ONE JSON array, whose length
 * Postgres does not estimate (a set-returning function without a size estimate counts as 100 rows),
 * so the plan kept for the text costs what a fresh one would and stays (a text[] parameter was
 * costed by its actual length, so a list was planned afresh on every execution — two thirds of
 * the lookup's cost at a spike). A lateral lookup per hash walks the unique index whatever the plan.
 */
export function viewerFromBearer(db: Db, token: string, now: Date): Promise<Viewer | null> {
  if (!token.startsWith("lb_")) return Promise.resolve(null);
  const hash = tokenHash(token);
  let pending = bearerLookups.get(db);
  if (!pending) {
    const turn: BearerLookup[] = (pending = []);
    bearerLookups.set(db, turn);
    setImmediate(() => {
      bearerLookups.delete(db);
      void resolveBearers(db, turn);
    });
  }
  return new Promise((resolve, reject) => pending!.push({ hash, now, resolve, reject }));
}

type BearerLookup = { hash: string; now: Date; resolve: (v: Viewer | null) => void; reject: (e: unknown) => void };
const bearerLookups = new Map<Db, BearerLookup[]>();

async function resolveBearers(db: Db, lookups: BearerLookup[]) {
  try {
    const hashes = [...new Set(lookups.map((l) => l.hash))];
    const rows = await runHot<ViewerRow & { tokenHash: string; expiresAt: Date }>(db, BEARER_VIEWERS, [JSON.stringify(hashes)], BEARER_FIELDS);
    const byHash = new Map(rows.map((r) => [r.tokenHash, r]));
    for (const l of lookups) {
      const row = byHash.get(l.hash);
      l.resolve(row && row.expiresAt > l.now ? viewerOfRow(row, row.sessionVersion) : null);
    }
  } catch (e) {
    for (const l of lookups) l.reject(e);
  }
}

/** The token hash, then viewerFields, for each hash of the JSON array $1 that names a live token. */
const BEARER_VIEWERS = `
  select k.hash, v.* from jsonb_array_elements_text($1::jsonb) as k(hash)
  cross join lateral (
    select u.id, u.nickname, u.status, u.session_version,
      array(select r.role::text from user_roles r where r.user_id = u.id),
      (select m.supplier_id from supplier_members m where m.user_id = u.id limit 1),
      (select s.id from stores s where s.owner_user_id = u.id limit 1),
      t.expires_at
    from api_tokens t join users u on u.id = t.user_id
    where t.token_hash = k.hash and t.revoked_at is null and t.session_version = u.session_version
    limit 1) v`;
const BEARER_FIELDS: Field[] = Object.entries({ tokenHash: apiTokens.tokenHash, ...viewerFields, expiresAt: apiTokens.expiresAt }).map(([k, field]) => ({ path: [k], field }));

/** Ends every session and token of a user (ban, demotion, "sign out everywhere"). */
export async function bumpSessionVersion(db: Db, userId: string) {
  await db.update(users).set({ sessionVersion: sql`${users.sessionVersion} + 1` }).where(eq(users.id, userId));
}

export { hashPassword };
