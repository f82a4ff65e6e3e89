import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { loadSecrets } from "./config";

/**
 * Field encryption for personal data: AES-256-GCM with a fresh 96-bit nonce per value. The stored
 * form is `v1.<keyId>.<nonce>.<tag>.<ciphertext>` (base64url), so old values stay readable after
 * the active key rotates.
 */
export function encryptPii(plain: string): string {
  const { piiKeys, activePiiKeyId } = loadSecrets();
  const key = Buffer.from(piiKeys[activePiiKeyId], "base64");
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  const parts = [nonce, cipher.getAuthTag(), body].map((b) => b.toString("base64url"));
  return ["v1", activePiiKeyId, ...parts].join(".");
}

export function decryptPii(stored: string): string {
  const [version, keyId, nonce, tag, body] = stored.split(".");
  const keyB64 = loadSecrets().piiKeys[keyId];
  if (version !== "v1" || !keyB64) throw new Error("undecryptable value");
  const decipher = createDecipheriv("aes-256-gcm", Buffer.from(keyB64, "base64"), Buffer.from(nonce, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}

/** Keyed blind index: lets us find a user by phone without storing the phone in clear. */
export function blindIndex(kind: string, value: string): string {
  return createHmac("sha256", Buffer.from(loadSecrets().blindIndexKey, "base64")).update(`${kind}:${value}`).digest("base64url");
}

export function hmacHex(secret: string, data: string): string {
  return createHmac("sha256", secret).update(data).digest("hex");
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
