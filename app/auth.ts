import { randomUUID } from "node:crypto";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { loadSecrets } from "@/graphql/platform/config";
import { getRuntime } from "@/graphql/runtime-access";
import { signInWithPassword, signInWithSms } from "@/graphql/identity/identity.service";
import { DomainError } from "@/graphql/core/errors";
import { isUuid } from "@/graphql/core/ids";

declare module "next-auth" {
  interface Session {
    uid: string;
    sv: number;
  }
  interface User {
    sv?: number;
  }
}

class RateLimited extends CredentialsSignin {
  code = "rate_limited";
}

export function clientIp(headers: Headers): string {
  // The last entry is the one our own proxy appended; earlier ones are whatever the client sent
  // (taking the first would let anyone rotate past the per-IP rate limits).
  const forwarded = headers.get("x-forwarded-for")?.split(",").map((s) => s.trim()).filter(Boolean);
  return forwarded?.at(-1) || headers.get("x-real-ip") || "127.0.0.1";
}

/** Maps a sign-in service call to what Auth.js expects: a user, or a CredentialsSignin error. */
async function authorizeWith(fn: () => Promise<{ id: string; sessionVersion: number }>) {
  try {
    const user = await fn();
    return { id: user.id, sv: user.sessionVersion };
  } catch (e) {
    if (e instanceof DomainError && e.code === "RATE_LIMITED") throw new RateLimited();
    if (e instanceof DomainError) return null;
    throw e;
  }
}

/**
 * Sessions are JWTs holding the user id, the user's session version and a fresh session id per
 * sign-in. The viewer (roles, store, supplier) is loaded from the database on every request, so a
 * ban or demotion (which bumps the version) ends access on the next request.
 */
export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: loadSecrets().authSecret,
  trustHost: true,
  session: { strategy: "jwt", maxAge: 30 * 86_400 },
  pages: { signIn: "/login" },
  providers: [
    Credentials({
      id: "sms",
      credentials: { phone: {}, code: {}, inviteCode: {}, channel: {}, storeId: {}, device: {} },
      authorize: async (c, request) => {
        const rt = await getRuntime();
        const ctx = { db: rt.services.db, now: rt.services.clock.now() };
        const text = (v: unknown) => (typeof v === "string" && v ? v.slice(0, 64) : null);
        const storeId = text(c.storeId);
        return authorizeWith(() =>
          signInWithSms(ctx, {
            phone: String(c.phone ?? ""),
            code: String(c.code ?? ""),
            ip: clientIp(request.headers),
            arrival: {
              inviteCode: text(c.inviteCode),
              channel: text(c.channel),
              storeId: storeId && isUuid(storeId) ? storeId : null,
              deviceId: text(c.device),
            },
          }),
        );
      },
    }),
    Credentials({
      id: "password",
      credentials: { login: {}, password: {} },
      authorize: async (c, request) => {
        const rt = await getRuntime();
        const ctx = { db: rt.services.db, now: rt.services.clock.now() };
        return authorizeWith(() =>
          signInWithPassword(ctx, { login: String(c.login ?? ""), password: String(c.password ?? ""), ip: clientIp(request.headers) }),
        );
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.sv = user.sv;
        token.sid = randomUUID();
      }
      return token;
    },
    session({ session, token }) {
      return { ...session, uid: String(token.uid ?? ""), sv: Number(token.sv ?? 0) };
    },
  },
}));
