import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { addresses } from "@/db/schema";
import { DomainError } from "../core/errors";
import { decryptPii, encryptPii } from "../platform/crypto";
import { normalizePhone } from "../identity/identity.rules";
import { addressIndexes } from "../risk/risk.service";

type Ctx = { db: Db; now: Date };

export const AddressErrorCode = {
  INVALID_RECIPIENT: "INVALID_RECIPIENT",
  INVALID_PHONE: "INVALID_PHONE",
  INVALID_REGION: "INVALID_REGION",
  INVALID_DETAIL: "INVALID_DETAIL",
  ADDRESS_NOT_FOUND: "ADDRESS_NOT_FOUND",
  TOO_MANY_ADDRESSES: "TOO_MANY_ADDRESSES",
} as const;

export type AddressInput = { recipient: string; phone: string; province: string; city: string; district: string; detail: string; isDefault?: boolean };
export type AddressView = { id: string; recipient: string; phone: string; province: string; city: string; district: string; detail: string; isDefault: boolean };

function validate(input: AddressInput) {
  const e = (code: keyof typeof AddressErrorCode, message: string, field: string) => new DomainError(code, message, field);
  const recipient = input.recipient.trim();
  if (recipient.length < 2 || recipient.length > 20) throw e("INVALID_RECIPIENT", "收货人需 2–20 个字", "recipient");
  const phone = normalizePhone(input.phone);
  if (!phone) throw e("INVALID_PHONE", "请输入正确的手机号", "phone");
  for (const f of ["province", "city", "district"] as const) {
    if (!input[f].trim() || input[f].trim().length > 20) throw e("INVALID_REGION", "请填写省市区", f);
  }
  const detail = input.detail.trim();
  if (detail.length < 4 || detail.length > 100) throw e("INVALID_DETAIL", "详细地址需 4–100 个字", "detail");
  return { recipient, phone, detail };
}

export function toAddressView(row: typeof addresses.$inferSelect): AddressView {
  return {
    id: row.id,
    recipient: decryptPii(row.recipientEnc),
    phone: decryptPii(row.phoneEnc),
    province: row.province,
    city: row.city,
    district: row.district,
    detail: decryptPii(row.detailEnc),
    isDefault: row.isDefault,
  };
}

/** Saves a new address (encrypted); the first, or one marked default, becomes the default. */
export async function createAddress(ctx: Ctx, userId: string, input: AddressInput): Promise<AddressView> {
  const clean = validate(input);
  return ctx.db.transaction(async (tx) => {
    const existing = await tx.select({ id: addresses.id }).from(addresses).where(and(eq(addresses.userId, userId), isNull(addresses.deletedAt)));
    if (existing.length >= 20) throw new DomainError(AddressErrorCode.TOO_MANY_ADDRESSES, "最多保存 20 个地址", null);
    const makeDefault = input.isDefault || existing.length === 0;
    if (makeDefault) await tx.update(addresses).set({ isDefault: false }).where(eq(addresses.userId, userId));
    const [row] = await tx
      .insert(addresses)
      .values({
        userId,
        recipientEnc: encryptPii(clean.recipient),
        phoneEnc: encryptPii(clean.phone),
        province: input.province.trim(),
        city: input.city.trim(),
        district: input.district.trim(),
        detailEnc: encryptPii(clean.detail),
        ...addressIndexes({ phone: clean.phone, province: input.province.trim(), city: input.city.trim(), district: input.district.trim(), detail: clean.detail }),
        isDefault: makeDefault,
        createdAt: ctx.now,
      })
      .returning();
    return toAddressView(row);
  });
}

export async function deleteAddress(ctx: Ctx, userId: string, addressId: string) {
  const [row] = await ctx.db
    .update(addresses)
    .set({ deletedAt: ctx.now, isDefault: false })
    .where(and(eq(addresses.id, addressId), eq(addresses.userId, userId), isNull(addresses.deletedAt)))
    .returning({ id: addresses.id });
  if (!row) throw new DomainError(AddressErrorCode.ADDRESS_NOT_FOUND, "地址不存在", "addressId");
}

export async function myAddresses(db: Db, userId: string): Promise<AddressView[]> {
  const rows = await db
    .select()
    .from(addresses)
    .where(and(eq(addresses.userId, userId), isNull(addresses.deletedAt)))
    .orderBy(desc(addresses.isDefault), desc(addresses.createdAt));
  return rows.map(toAddressView);
}
