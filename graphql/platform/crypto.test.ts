import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { blindIndex, decryptPii, encryptPii } from "./crypto";
import { overrideSecrets, type Secrets } from "./config";

const key = () => randomBytes(32).toString("base64");
const secrets = (over: Partial<Secrets> = {}): Secrets => ({
  authSecret: key(),
  piiKeys: { k1: K1 },
  activePiiKeyId: "k1",
  blindIndexKey: BLIND,
  sandboxPaySecret: key(),
  ...over,
});
const K1 = key();
const K2 = key();
const BLIND = key();

describe("PII encryption (AES-256-GCM)", () => {
  beforeEach(() => overrideSecrets(secrets()));
  afterEach(() => overrideSecrets(undefined));

  it("given a phone, when encrypted and decrypted, then it round-trips and the stored form hides it", () => {
    const stored = encryptPii("13812341234");
    expect(stored).not.toContain("13812341234");
    expect(stored).toMatch(/^v1\.k1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(decryptPii(stored)).toBe("13812341234");
  });

  it("given Chinese text and an empty string, then both round-trip", () => {
    for (const plain of ["浙江省杭州市西湖区文三路 398 号", ""]) expect(decryptPii(encryptPii(plain))).toBe(plain);
  });

  it("given the same value encrypted 1000 times, then every nonce and ciphertext is different", () => {
    const stored = Array.from({ length: 1_000 }, () => encryptPii("13812341234"));
    expect(new Set(stored).size).toBe(1_000);
    expect(new Set(stored.map((s) => s.split(".")[2])).size).toBe(1_000);
    for (const s of stored.map((x) => x.split(".")[2])) expect(Buffer.from(s, "base64url")).toHaveLength(12);
  });

  it("given a tampered ciphertext or tag, then decryption fails instead of returning garbage", () => {
    const [v, k, nonce, tag, body] = encryptPii("13812341234").split(".");
    const flip = (b64: string) => {
      const buf = Buffer.from(b64, "base64url");
      buf[0] ^= 1;
      return buf.toString("base64url");
    };
    expect(() => decryptPii([v, k, nonce, tag, flip(body)].join("."))).toThrow();
    expect(() => decryptPii([v, k, nonce, flip(tag), body].join("."))).toThrow();
    expect(() => decryptPii("13812341234")).toThrow();
  });

  it("given a rotated key (k2 active, k1 kept), then old values still decrypt and new ones use k2", () => {
    const old = encryptPii("13812341234");
    overrideSecrets(secrets({ piiKeys: { k2: K2, k1: K1 }, activePiiKeyId: "k2" }));
    const fresh = encryptPii("13812341234");
    expect(fresh.split(".")[1]).toBe("k2");
    expect(decryptPii(old)).toBe("13812341234");
    expect(decryptPii(fresh)).toBe("13812341234");
  });

  it("given the old key was dropped, then its values no longer decrypt (no silent fallback)", () => {
    const old = encryptPii("13812341234");
    overrideSecrets(secrets({ piiKeys: { k2: K2 }, activePiiKeyId: "k2" }));
    expect(() => decryptPii(old)).toThrow();
  });

  it("given a key id whose key is different, then decryption fails", () => {
    const old = encryptPii("13812341234");
    overrideSecrets(secrets({ piiKeys: { k1: K2 }, activePiiKeyId: "k1" }));
    expect(() => decryptPii(old)).toThrow();
  });
});

describe("blind index", () => {
  beforeEach(() => overrideSecrets(secrets()));
  afterEach(() => overrideSecrets(undefined));

  it("given the same phone twice, then the index is the same and does not contain the phone", () => {
    const a = blindIndex("phone", "13812341234");
    expect(blindIndex("phone", "13812341234")).toBe(a);
    expect(a).not.toContain("1234");
    expect(a).toMatch(/^[\w-]{43}$/);
  });

  it("given another phone or another kind, then the index differs", () => {
    const a = blindIndex("phone", "13812341234");
    expect(blindIndex("phone", "13812341235")).not.toBe(a);
    expect(blindIndex("idcard", "13812341234")).not.toBe(a);
  });

  it("given another blind-index key, then the index differs (it is keyed, not a plain hash)", () => {
    const a = blindIndex("phone", "13812341234");
    overrideSecrets(secrets({ blindIndexKey: key() }));
    expect(blindIndex("phone", "13812341234")).not.toBe(a);
  });

  it("given a PII key rotation, then the blind index is unchanged (lookups keep working)", () => {
    const a = blindIndex("phone", "13812341234");
    overrideSecrets(secrets({ piiKeys: { k2: K2, k1: K1 }, activePiiKeyId: "k2" }));
    expect(blindIndex("phone", "13812341234")).toBe(a);
  });
});
