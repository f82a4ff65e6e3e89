import { desc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { orders, rebinds, riskPairs, riskReviews, teamMembers, users } from "@/db/schema";
import { decryptPii } from "../platform/crypto";
import { maskPhone } from "../platform/mask";

type Window = { offset: number; limit: number };
export type PersonRef = { userId: string; nickname: string; phone: string | null; inviteCode: string | null; frozen: boolean; inviteDisabled: boolean };

/** The people a page of the risk console mentions, in one query, phones masked. */
export async function peopleByIds(db: Db, ids: string[]): Promise<Map<string, PersonRef>> {
  const unique = [...new Set(ids.filter(Boolean))];
  if (!unique.length) return new Map();
  const rows = await db
    .select({ id: users.id, nickname: users.nickname, phoneEnc: users.phoneEnc, inviteCode: teamMembers.inviteCode, frozen: teamMembers.frozen, disabledAt: teamMembers.inviteDisabledAt })
    .from(users)
    .leftJoin(teamMembers, eq(teamMembers.userId, users.id))
    .where(inArray(users.id, unique));
  return new Map(
    rows.map((r) => [
      r.id,
      {
        userId: r.id,
        nickname: r.nickname,
        phone: r.phoneEnc ? maskPhone(decryptPii(r.phoneEnc)) : null,
        inviteCode: r.inviteCode,
        frozen: r.frozen ?? false,
        inviteDisabled: !!r.disabledAt,
      },
    ]),
  );
}

export async function reviewPage(db: Db, status: "OPEN" | "CLEARED" | "CONFIRMED", window: Window) {
  const rows = await db
    .select()
    .from(riskReviews)
    .where(eq(riskReviews.status, status))
    .orderBy(status === "OPEN" ? riskReviews.createdAt : desc(riskReviews.createdAt), riskReviews.id)
    .offset(window.offset)
    .limit(window.limit + 1);
  return { rows, people: await peopleByIds(db, rows.map((r) => r.userId)) };
}

export async function pairPage(db: Db, window: Window) {
  const rows = await db
    .select({ pair: riskPairs, orderNo: orders.orderNo })
    .from(riskPairs)
    .leftJoin(orders, eq(orders.id, riskPairs.orderId))
    .orderBy(desc(riskPairs.createdAt), riskPairs.id)
    .offset(window.offset)
    .limit(window.limit + 1);
  return { rows, people: await peopleByIds(db, rows.flatMap((r) => [r.pair.userId, r.pair.inviterId])) };
}

export async function rebindPage(db: Db, window: Window) {
  const rows = await db.select().from(rebinds).orderBy(desc(rebinds.createdAt), rebinds.id).offset(window.offset).limit(window.limit + 1);
  return { rows, people: await peopleByIds(db, rows.flatMap((r) => [r.userId, r.fromInviterId ?? "", r.toInviterId, r.operatorId])) };
}
