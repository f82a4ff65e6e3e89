import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { agreementAcceptances, realNames, teamMembers } from "@/db/schema";
import { DomainError } from "../core/errors";
import { blindIndex, decryptPii, encryptPii } from "../platform/crypto";
import { becomeSharer } from "./binding.service";
import { maybePromote } from "./settlement.service";
import { normalizeChineseName, normalizeIdNumber } from "./real-name.rules";
import { FormatRealNameVerifier, type RealNameVerifier } from "./real-name-verifier";

import { agreementInForce } from "./agreement";
type Ctx = { db: Db; now: Date };

export const SharerErrorCode = {
  AGREEMENT_REQUIRED: "AGREEMENT_REQUIRED",
  /** The version accepted is not the one in force (the page was open across a new version). */
  AGREEMENT_OUTDATED: "AGREEMENT_OUTDATED",
  INVALID_NAME: "INVALID_NAME",
  INVALID_ID_NUMBER: "INVALID_ID_NUMBER",
  /** The verifier says the name does not own the number (a real provider can tell; the built-in cannot). */
  IDENTITY_MISMATCH: "IDENTITY_MISMATCH",
  /** Another account is verified with this ID number: one identity, one earning account. */
  ID_NUMBER_IN_USE: "ID_NUMBER_IN_USE",
  /** This account is already verified as someone else: the identity behind a wallet never changes. */
  REAL_NAME_LOCKED: "REAL_NAME_LOCKED",
} as const;

/** The blind-index kind of ID numbers (finds "is this number used?" without storing it in clear). */
const ID_INDEX_KIND = "id_number";

/**
 * A REGISTERED person becomes a SHARER (rule book §1): accepts the promoter agreement and passes
 * real-name verification. For free — nothing is bought. The identity is stored encrypted, found by
 * a blind index; becoming a SHARER and the promotion check that §1 asks for at that moment happen in
 * one transaction with it. Repeating the call with the same identity only re-records the agreement.
 */
export async function becomeSharerWithRealName(
  ctx: Ctx,
  userId: string,
  input: { agreementVersion: string; name: string; idNumber: string },
  verifier: RealNameVerifier = new FormatRealNameVerifier(),
) {
  const agreementVersion = input.agreementVersion.trim();
  if (!agreementVersion || agreementVersion.length > 40) {
    throw new DomainError(SharerErrorCode.AGREEMENT_REQUIRED, "请先阅读并同意推广协议", "agreementVersion");
  }
  if (agreementVersion !== agreementInForce(ctx.now).version) {
    throw new DomainError(SharerErrorCode.AGREEMENT_OUTDATED, "推广协议已更新，请阅读新版后再同意", "agreementVersion");
  }
  const identity = await verifyIdentity(ctx, input, verifier);
  return ctx.db.transaction(async (tx) => {
    const mine = await recordRealName(tx, userId, identity, ctx.now);
    await becomeSharer(tx, userId, ctx.now, agreementVersion);
    await tx.insert(agreementAcceptances).values({ userId, version: agreementVersion, acceptedAt: ctx.now }).onConflictDoNothing();
    await maybePromote(tx, userId, ctx.now);
    const [member] = await tx.select({ role: teamMembers.role }).from(teamMembers).where(eq(teamMembers.userId, userId));
    return { role: member.role, verifiedAt: mine?.verifiedAt ?? ctx.now };
  });
}

export type VerifiedIdentity = { name: string; idNumber: string; idIndex: string; verifier: string };

/** Asks the real-name verifier (outside any transaction: a provider call must never hold row locks). */
export async function verifyIdentity(ctx: Ctx, input: { name: string; idNumber: string }, verifier: RealNameVerifier = new FormatRealNameVerifier()): Promise<VerifiedIdentity> {
  const name = normalizeChineseName(input.name);
  const idNumber = normalizeIdNumber(input.idNumber);
  const verdict = await verifier.verify({ name, idNumber }, ctx.now);
  if (!verdict.ok) {
    const code = verdict.reason === "MISMATCH" ? SharerErrorCode.IDENTITY_MISMATCH : SharerErrorCode[verdict.reason];
    throw new DomainError(code, verdict.message, verdict.reason === "INVALID_NAME" ? "name" : "idNumber");
  }
  return { name, idNumber, idIndex: blindIndex(ID_INDEX_KIND, idNumber), verifier: verifier.name };
}

/**
 * Records a verified identity for the person inside the caller's transaction (encrypted, found by a
 * blind index). One identity per account and one account per identity; re-recording the same
 * identity is a no-op. Returns the row that was there before, if any.
 */
export async function recordRealName(tx: Db, userId: string, identity: VerifiedIdentity, now: Date) {
  const { name, idNumber, idIndex } = identity;
  // There is no unique index on the blind index, so two accounts claiming one number at the same
  // moment are serialized here instead.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`real_names:${idIndex}`}))`);
  const holders = await tx.select({ userId: realNames.userId }).from(realNames).where(eq(realNames.idNumberIndex, idIndex));
  if (holders.some((h) => h.userId !== userId)) {
    throw new DomainError(SharerErrorCode.ID_NUMBER_IN_USE, "该身份证号已认证其他账号", "idNumber");
  }
  const [mine] = await tx.select().from(realNames).where(eq(realNames.userId, userId)).for("update");
  if (mine && (mine.idNumberIndex !== idIndex || decryptPii(mine.nameEnc) !== name)) {
    throw new DomainError(SharerErrorCode.REAL_NAME_LOCKED, "账号已完成实名认证，不能更换身份", "idNumber");
  }
  if (!mine) {
    await tx.insert(realNames).values({
      userId,
      nameEnc: encryptPii(name),
      idNumberEnc: encryptPii(idNumber),
      idNumberIndex: idIndex,
      verifier: identity.verifier,
      verifiedAt: now,
    });
  }
  return mine ?? null;
}

/** The verified legal name of a person, or null (decrypted: callers must not log or expose it). */
export async function realNameOf(db: Db, userId: string): Promise<string | null> {
  const [row] = await db.select({ nameEnc: realNames.nameEnc }).from(realNames).where(eq(realNames.userId, userId));
  return row ? decryptPii(row.nameEnc) : null;
}
