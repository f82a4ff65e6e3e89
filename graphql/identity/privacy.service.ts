import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { addresses, apiTokens, cartItems, orderLines, orders, stores, supplierMembers, userRoles, users } from "@/db/schema";
import { DomainError } from "../core/errors";
import { decryptPii, encryptPii } from "../platform/crypto";

type Ctx = { db: Db; now: Date };

export const PrivacyErrorCode = {
  ACTIVE_ORDERS: "ACTIVE_ORDERS",
  STAFF_ACCOUNT: "STAFF_ACCOUNT",
} as const;

/** PIPL Art. 45: everything we hold about the person, decrypted, as one document. */
export async function exportMyData(db: Db, userId: string) {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  const roles = await db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, userId));
  const addressRows = await db.select().from(addresses).where(and(eq(addresses.userId, userId), isNull(addresses.deletedAt)));
  const orderRows = await db.select().from(orders).where(eq(orders.userId, userId)).orderBy(orders.createdAt);
  const lines = orderRows.length ? await db.select().from(orderLines).where(inArray(orderLines.orderId, orderRows.map((o) => o.id))) : [];
  return {
    exportedAt: new Date().toISOString(),
    profile: {
      nickname: user.nickname,
      phone: user.phoneEnc ? decryptPii(user.phoneEnc) : null,
      roles: roles.map((r) => r.role),
      personalizedRecommendations: user.personalizationEnabled,
      registeredAt: user.createdAt.toISOString(),
    },
    addresses: addressRows.map((a) => ({
      recipient: decryptPii(a.recipientEnc),
      phone: decryptPii(a.phoneEnc),
      region: `${a.province} ${a.city} ${a.district}`,
      detail: decryptPii(a.detailEnc),
    })),
    orders: orderRows.map((o) => ({
      orderNo: o.orderNo,
      status: o.status,
      totalFen: o.totalAmount,
      placedAt: o.createdAt.toISOString(),
      shipTo: { recipient: decryptPii(o.shipRecipientEnc), phone: decryptPii(o.shipPhoneEnc), region: o.shipRegion, detail: decryptPii(o.shipDetailEnc) },
      lines: lines.filter((l) => l.orderId === o.id).map((l) => ({ title: l.productTitle, sku: l.skuLabel, quantity: l.quantity, paidFen: l.paidAmount })),
    })),
  };
}

export async function personalizationOf(db: Db, userId: string): Promise<boolean> {
  const [row] = await db.select({ on: users.personalizationEnabled }).from(users).where(eq(users.id, userId));
  return row?.on ?? false;
}

/** PIPL Art. 24: switch personalised recommendations on or off. */
export async function setPersonalization(db: Db, userId: string, enabled: boolean) {
  await db.update(users).set({ personalizationEnabled: enabled }).where(eq(users.id, userId));
}

/**
 * PIPL Art. 47: deletes a consumer account. Orders stay (the platform must keep transaction records)
 * but the buyer is pseudonymised: phone, names and addresses are overwritten, sessions and tokens end.
 * Refused while an order is unfinished, and for merchant or supplier accounts (they close via support).
 */
export async function deleteMyAccount(ctx: Ctx, userId: string) {
  await ctx.db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, userId)).for("update");
    const [ownsStore] = await tx.select({ id: stores.id }).from(stores).where(eq(stores.ownerUserId, userId));
    const [supplies] = await tx.select({ id: supplierMembers.supplierId }).from(supplierMembers).where(eq(supplierMembers.userId, userId));
    if (!user || ownsStore || supplies || user.loginName) {
      throw new DomainError(PrivacyErrorCode.STAFF_ACCOUNT, "店主、供应商与平台账号请联系客服注销");
    }
    const [active] = await tx
      .select({ id: orders.id })
      .from(orders)
      .where(and(eq(orders.userId, userId), inArray(orders.status, ["PENDING_PAYMENT", "PAID", "SHIPPED"])))
      .limit(1);
    if (active) throw new DomainError(PrivacyErrorCode.ACTIVE_ORDERS, "还有未完成的订单，完成或取消后才能注销");
    const gone = encryptPii("已注销");
    await tx
      .update(users)
      .set({ phoneEnc: null, phoneIndex: null, nickname: "已注销用户", status: "DELETED", deletedAt: ctx.now, sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(eq(users.id, userId));
    await tx
      .update(addresses)
      .set({ recipientEnc: gone, phoneEnc: gone, detailEnc: gone, deletedAt: ctx.now, isDefault: false })
      .where(eq(addresses.userId, userId));
    await tx.update(orders).set({ shipRecipientEnc: gone, shipPhoneEnc: gone, shipDetailEnc: gone }).where(eq(orders.userId, userId));
    await tx.delete(cartItems).where(eq(cartItems.userId, userId));
    await tx.update(apiTokens).set({ revokedAt: ctx.now }).where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)));
  });
}
