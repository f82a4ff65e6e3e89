import { randomInt } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { inviteAncestors, invites, riskPairs, teamMembers } from "@/db/schema";
import { DomainError } from "../core/errors";
import { leaderOnBind, type ReferralRole } from "./referral.rules";
import { recordTeamDelta } from "./team-stats.service";

export const BindErrorCode = {
  INVITE_CODE_NOT_FOUND: "INVITE_CODE_NOT_FOUND",
  /** Risk control disabled the code (bulk registrations) until an operator clears it. */
  INVITE_CODE_DISABLED: "INVITE_CODE_DISABLED",
  SELF_INVITE: "SELF_INVITE",
  CYCLE: "CYCLE",
  ALREADY_BOUND: "ALREADY_BOUND",
} as const;

export type MemberRow = typeof teamMembers.$inferSelect;
const CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

function newInviteCode(): string {
  return Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("");
}

/** The person's 链动2+1 record, created (REGISTERED, with an invite code) on first need. */
export async function ensureMember(tx: Db, userId: string, now: Date, opts: { role?: ReferralRole; deviceId?: string | null } = {}): Promise<MemberRow> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const [row] = await tx
      .insert(teamMembers)
      .values({ userId, inviteCode: newInviteCode(), role: opts.role ?? "REGISTERED", deviceId: opts.deviceId ?? null, createdAt: now })
      .onConflictDoNothing()
      .returning();
    if (row) return row;
    const [existing] = await tx.select().from(teamMembers).where(eq(teamMembers.userId, userId));
    if (existing) return existing;
    // Otherwise the random invite code collided: try another one.
  }
  throw new Error("could not allocate an invite code");
}

/** The owner of an invite code, or null for an unknown code. */
export async function inviterOfCode(tx: Db, inviteCode: string): Promise<string | null> {
  const [row] = await tx.select({ userId: teamMembers.userId }).from(teamMembers).where(eq(teamMembers.inviteCode, inviteCode.trim().toUpperCase()));
  return row?.userId ?? null;
}

/** True when `candidate` is `userId` itself or below it in the invite tree (walks the whole chain up). */
export async function isSelfOrDescendant(tx: Db, userId: string, candidate: string): Promise<boolean> {
  if (candidate === userId) return true;
  // A person nobody was invited by has no descendants: the common case needs no walk at all.
  const [hasInvitees] = await tx.select({ u: invites.userId }).from(invites).where(eq(invites.inviterId, userId)).limit(1);
  if (!hasInvitees) return false;
  const result = await tx.execute(sql`
    with recursive up(id, steps) as (
      select inviter_id, 1 from invites where user_id = ${candidate}
      union all
      select i.inviter_id, up.steps + 1 from invites i join up on i.user_id = up.id where up.steps < 100000
    )
    select 1 as hit from up where id = ${userId} limit 1`);
  return rowsOf(result).length > 0;
}

/**
 * Binds `userId` to the owner of `inviteCode`, once (rule book §2): not to oneself, not to a
 * descendant, never twice. Writes the immutable invite, the capped ancestor rows (1..3) and the
 * team assignment, and flags a risk pair when both sides share a device. Runs inside the caller's
 * transaction (registration).
 */
export async function bindInvite(
  tx: Db,
  input: { userId: string; inviteCode: string; channel: string; storeId?: string | null; deviceId?: string | null; now: Date },
) {
  const [inviter] = await tx.select().from(teamMembers).where(eq(teamMembers.inviteCode, input.inviteCode.trim().toUpperCase()));
  if (!inviter) throw new DomainError(BindErrorCode.INVITE_CODE_NOT_FOUND, "邀请码不存在", "inviteCode");
  if (inviter.inviteDisabledAt) throw new DomainError(BindErrorCode.INVITE_CODE_DISABLED, "该邀请码暂停使用", "inviteCode");
  if (inviter.userId === input.userId) throw new DomainError(BindErrorCode.SELF_INVITE, "不能邀请自己", "inviteCode");
  const member = await ensureMember(tx, input.userId, input.now, { deviceId: input.deviceId });
  // Shared with other bindings, exclusive with an operator re-bind (which rewrites ancestor rows).
  await tx.execute(sql`select pg_advisory_xact_lock_shared(hashtext('invite_tree_rebind'))`);
  if (await isSelfOrDescendant(tx, input.userId, inviter.userId)) {
    throw new DomainError(BindErrorCode.CYCLE, "不能绑定到自己邀请的人名下", "inviteCode");
  }
  const deviceId = input.deviceId ?? member.deviceId;
  const riskFlagged = !!deviceId && deviceId === inviter.deviceId;
  const [bound] = await tx
    .insert(invites)
    .values({ userId: input.userId, inviterId: inviter.userId, channel: input.channel, storeId: input.storeId ?? null, riskFlagged, boundAt: input.now })
    .onConflictDoNothing()
    .returning();
  if (!bound) throw new DomainError(BindErrorCode.ALREADY_BOUND, "已绑定邀请人，不能更改", "inviteCode");
  if (riskFlagged) {
    await tx.insert(riskPairs).values({ userId: input.userId, inviterId: inviter.userId, kind: "DEVICE", createdAt: input.now }).onConflictDoNothing();
  }
  const above = await tx.select().from(inviteAncestors).where(and(eq(inviteAncestors.userId, inviter.userId), sql`${inviteAncestors.depth} <= 2`));
  await tx.insert(inviteAncestors).values([
    { userId: input.userId, ancestorId: inviter.userId, depth: 1 },
    ...above.map((a) => ({ userId: input.userId, ancestorId: a.ancestorId, depth: a.depth + 1 })),
  ]);
  const leaderId = leaderOnBind({ id: inviter.userId, role: inviter.role, leaderId: inviter.leaderId });
  await tx.update(teamMembers).set({ leaderId, deviceId }).where(eq(teamMembers.userId, input.userId));
  await recordTeamDelta(tx, leaderId, { members: 1 }, input.now);
  return { inviterId: inviter.userId, riskFlagged };
}

/** A REGISTERED person accepts the promoter agreement (and passed real-name checks): SHARER, for free. */
export async function becomeSharer(tx: Db, userId: string, now: Date, agreementVersion: string) {
  await ensureMember(tx, userId, now);
  await tx
    .update(teamMembers)
    .set({ role: sql`case when ${teamMembers.role} = 'REGISTERED' then 'SHARER'::referral_role else ${teamMembers.role} end`, agreementVersion, agreedAt: now })
    .where(eq(teamMembers.userId, userId));
}
