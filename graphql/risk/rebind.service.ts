import { and, eq, sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { auditLog, invites, rebinds, riskPairs, teamMembers } from "@/db/schema";
import { DomainError } from "../core/errors";
import { BindErrorCode, isSelfOrDescendant } from "../referral/binding.service";
import { leaderOnBind } from "../referral/referral.rules";
import { recordTeamDelta } from "../referral/team-stats.service";
import { memberByPhone } from "./review.service";
import { validRebindReason } from "./risk.rules";

type Ctx = { db: Db; now: Date };

export const RebindErrorCode = {
  MEMBER_NOT_FOUND: "MEMBER_NOT_FOUND",
  INVITE_CODE_NOT_FOUND: BindErrorCode.INVITE_CODE_NOT_FOUND,
  SELF_INVITE: BindErrorCode.SELF_INVITE,
  CYCLE: BindErrorCode.CYCLE,
  SAME_INVITER: "SAME_INVITER",
  INVALID_REASON: "INVALID_REASON",
} as const;

/**
 * Only an operator re-binds (rule book §2), with a reason, logged. The person's invite now points at
 * the new inviter; the capped ancestor rows of the person and of everyone up to two levels below
 * them are rewritten from the new chain, so rewards of future orders follow it. Past rewards are
 * never rewritten (§9). Leaders follow the new chain too (see reassignLeaders). The cycle check is
 * the binding one.
 */
export async function rebindMember(ctx: Ctx, operatorId: string, input: { memberPhone: string; newInviteCode: string; reason: string }) {
  const reason = input.reason.trim();
  if (!validRebindReason(reason)) throw new DomainError(RebindErrorCode.INVALID_REASON, "请填写 4–200 字的改绑原因", "reason");
  const person = await memberByPhone(ctx.db, input.memberPhone);
  if (!person) throw new DomainError(RebindErrorCode.MEMBER_NOT_FOUND, "没有该手机号的用户", "memberPhone");
  const userId = person.id;
  return ctx.db.transaction(async (tx) => {
    // One re-bind of a tree region at a time: the cycle check must see the tree as it will be.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('invite_tree_rebind'))`);
    const [member] = await tx.select().from(teamMembers).where(eq(teamMembers.userId, userId)).for("update");
    if (!member) throw new DomainError(RebindErrorCode.MEMBER_NOT_FOUND, "该用户尚未加入推广体系", "memberPhone");
    const [inviter] = await tx.select().from(teamMembers).where(eq(teamMembers.inviteCode, input.newInviteCode.trim().toUpperCase()));
    if (!inviter) throw new DomainError(RebindErrorCode.INVITE_CODE_NOT_FOUND, "邀请码不存在", "newInviteCode");
    if (inviter.userId === userId) throw new DomainError(RebindErrorCode.SELF_INVITE, "不能绑定到自己", "newInviteCode");
    const [current] = await tx.select().from(invites).where(eq(invites.userId, userId)).for("update");
    if (current?.inviterId === inviter.userId) throw new DomainError(RebindErrorCode.SAME_INVITER, "已绑定在该邀请人名下", "newInviteCode");
    if (await isSelfOrDescendant(tx, userId, inviter.userId)) {
      throw new DomainError(RebindErrorCode.CYCLE, "新邀请人在该用户的下级中，不能改绑", "newInviteCode");
    }
    const [knownPair] = await tx
      .select({ id: riskPairs.id })
      .from(riskPairs)
      .where(and(eq(riskPairs.userId, userId), eq(riskPairs.inviterId, inviter.userId)))
      .limit(1);
    const riskFlagged = !!knownPair || (!!member.deviceId && member.deviceId === inviter.deviceId);
    if (current) {
      await tx.update(invites).set({ inviterId: inviter.userId, channel: "operator", riskFlagged }).where(eq(invites.userId, userId));
    } else {
      await tx.insert(invites).values({ userId, inviterId: inviter.userId, channel: "operator", riskFlagged, boundAt: ctx.now });
    }
    await rewriteAncestors(tx, userId, inviter.userId);
    await reassignLeaders(tx, userId, leaderOnBind({ id: inviter.userId, role: inviter.role, leaderId: inviter.leaderId }), ctx.now);
    const [logged] = await tx
      .insert(rebinds)
      .values({ userId, fromInviterId: current?.inviterId ?? null, toInviterId: inviter.userId, reason, operatorId, createdAt: ctx.now })
      .returning();
    await tx.insert(auditLog).values({
      actorUserId: operatorId,
      action: "invite.rebind",
      subjectType: "user",
      subjectId: userId,
      detail: JSON.stringify({ from: current?.inviterId ?? null, to: inviter.userId, reason }),
      createdAt: ctx.now,
    });
    return logged;
  });
}

/**
 * Rule book §2: leader(X) is always an ancestor of X. Everyone in the moved subtree (the person and
 * all their descendants, at any depth) whose leader sat above the person — outside the subtree —
 * now belongs to the leader the new inviter would assign (`newOuter`); a LEADER in the subtree
 * whose detachedFrom sat above gets `newOuter` as detachedFrom, so PEER rewards follow the new chain
 * as well. Leaders inside the subtree stay. Set-based, one recursive walk; team sizes move by deltas.
 */
async function reassignLeaders(tx: Db, userId: string, newOuter: string | null, now: Date) {
  const subtree = sql`
    with recursive sub(id) as (
      select ${userId}::uuid
      union
      select i.user_id from invites i join sub on i.inviter_id = sub.id
    )`;
  const moved = rowsOf<{ leader_id: string; n: number }>(
    await tx.execute(sql`${subtree}
      update team_members t set leader_id = ${newOuter}::uuid
      from (select m.user_id, m.leader_id from team_members m
            where m.user_id in (select id from sub) and m.leader_id is not null and m.leader_id not in (select id from sub)) prev
      where t.user_id = prev.user_id and prev.leader_id is distinct from ${newOuter}::uuid
      returning prev.leader_id`),
  );
  await tx.execute(sql`${subtree}
    update team_members set detached_from_id = ${newOuter}::uuid
    where user_id in (select id from sub) and role = 'LEADER'
      and (user_id = ${userId} or (detached_from_id is not null and detached_from_id not in (select id from sub)))`);
  const byOld = new Map<string, number>();
  for (const r of moved) byOld.set(r.leader_id, (byOld.get(r.leader_id) ?? 0) + 1);
  for (const [old, n] of byOld) await recordTeamDelta(tx, old, { members: -n }, now);
  if (moved.length) await recordTeamDelta(tx, newOuter, { members: moved.length }, now);
}

/** Set-based: the person's chain from the new inviter, then the chains of their descendants (depth 1–2 below). */
async function rewriteAncestors(tx: Db, userId: string, inviterId: string) {
  await tx.execute(sql`delete from invite_ancestors where user_id = ${userId}`);
  await tx.execute(sql`
    insert into invite_ancestors (user_id, ancestor_id, depth)
    select ${userId}::uuid, ${inviterId}::uuid, 1
    union all
    select ${userId}::uuid, ancestor_id, depth + 1 from invite_ancestors where user_id = ${inviterId} and depth <= 2`);
  await tx.execute(sql`
    delete from invite_ancestors ia
    using invite_ancestors below
    where below.ancestor_id = ${userId} and below.depth <= 2 and ia.user_id = below.user_id and ia.depth > below.depth`);
  await tx.execute(sql`
    insert into invite_ancestors (user_id, ancestor_id, depth)
    select below.user_id, up.ancestor_id, up.depth + below.depth
    from invite_ancestors below join invite_ancestors up on up.user_id = ${userId}
    where below.ancestor_id = ${userId} and below.depth <= 2 and up.depth + below.depth <= 3`);
}
