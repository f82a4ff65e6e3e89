import { randomInt, scryptSync, randomBytes, timingSafeEqual } from "node:crypto";

/** Mainland mobile numbers: 11 digits starting 13–19. Spaces, dashes and +86 are tolerated. */
export function normalizePhone(input: string): string | null {
  const digits = input.replace(/[\s-]/g, "").replace(/^(\+?86)/, "");
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null;
}

export const SMS_CODE_TTL_MS = 10 * 60_000;
/** Wrong guesses allowed against one code before it is burnt. */
export const SMS_CODE_MAX_FAILURES = 5;

export const SMS_LIMITS = {
  /** Codes sent to one phone: one a minute, ten an hour. */
  perPhoneMinute: { limit: 1, windowMs: 60_000 },
  perPhoneHour: { limit: 10, windowMs: 3_600_000 },
  /** Codes requested from one IP in an hour. */
  perIpHour: { limit: 30, windowMs: 3_600_000 },
  /** Sign-in attempts from one IP in ten minutes. */
  verifyPerIp: { limit: 30, windowMs: 600_000 },
  verifyPerPhone: { limit: 10, windowMs: 600_000 },
};

export function generateSmsCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}

export function isSixDigits(code: string): boolean {
  return /^\d{6}$/.test(code);
}

/** scrypt password hashing (N=16384, r=8, p=1) with a random salt. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, 32);
  return `scrypt$${salt.toString("base64")}$${hash.toString("base64")}`;
}

export function verifyPassword(password: string, stored: string | null): boolean {
  // A dummy hash keeps the timing the same for unknown accounts.
  const [scheme, saltB64, hashB64] = (stored ?? "scrypt$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=").split("$");
  if (scheme !== "scrypt") return false;
  const expected = Buffer.from(hashB64, "base64");
  const actual = scryptSync(password, Buffer.from(saltB64, "base64"), expected.length);
  return timingSafeEqual(actual, expected) && stored !== null;
}

/** Default nickname for a phone sign-up: 用户 + last four digits. */
export function defaultNickname(phone: string): string {
  return `用户${phone.slice(-4)}`;
}
