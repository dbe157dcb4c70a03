import "server-only";
import { DrizzleAdapter } from "@auth/drizzle-adapter";
import type { NextAuthOptions } from "next-auth";
import type { Adapter } from "next-auth/adapters";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import { signInInput } from "@/core/accounts/account-input";
import { getDb } from "../db/client";
import { accounts, sessions, users, verificationTokens } from "../db/schema";
import { getEnv, sessionSecret } from "../env";
import { clientAddress } from "../http/client-address";
import { logger } from "../logger";
import { authenticate } from "../services/users";
import { createTenant } from "../services/tenants";
import { beginSignInAttempt } from "./sign-in-throttle";

let cached: Promise<NextAuthOptions> | undefined;

// Auth.js hands authorize() the request headers as a plain object; the address is read as every other
// per-address limit reads it. When it is unknown, clientAddress() answers the one key all such callers
// share (what it answers for a request without headers); that bucket one attacker could empty for
// everyone, so then only the account is limited.
function callerAddress(headers: Record<string, unknown> | undefined): string | null {
  const copy = new Headers();
  for (const [name, value] of Object.entries(headers ?? {})) if (typeof value === "string") copy.set(name, value);
  const address = clientAddress(new Request("http://sign-in.invalid/", { headers: copy }));
  return address === clientAddress(new Request("http://sign-in.invalid/")) ? null : address;
}

/** Auth.js options, built once the database is open (the adapter needs a live handle). */
export function getAuthOptions(): Promise<NextAuthOptions> {
  cached ??= build().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function build(): Promise<NextAuthOptions> {
  const env = getEnv();
  const db = await getDb();
  const providers: NextAuthOptions["providers"] = [
    CredentialsProvider({
      name: "Email",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(raw, req) {
        const parsed = signInInput.safeParse(raw);
        if (!parsed.success) return null;
        const attempt = await beginSignInAttempt(parsed.data.email, callerAddress(req.headers));
        // Auth.js forwards a thrown message to the sign-in page, which shows it as is.
        if (!attempt.allowed) throw new Error(attempt.message);
        // Auth.js would show an unexpected error's message (a query, its parameters) on the sign-in page.
        const user = await authenticate(db, parsed.data.email, parsed.data.password).catch((error: unknown) => {
          logger.error({ err: error }, "password sign-in failed");
          throw new Error("Sign-in failed on our side; try again in a moment.");
        });
        if (user) await attempt.succeeded();
        // Same null for unknown email and wrong password; the page shows one message for both.
        return user ? { id: user.id, email: user.email, name: user.name } : null;
      },
    }),
  ];
  if (env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET) {
    providers.push(GitHubProvider({ clientId: env.AUTH_GITHUB_ID, clientSecret: env.AUTH_GITHUB_SECRET }));
  }
  return {
    secret: sessionSecret(env),
    // Credentials sign-in requires JWT sessions; the adapter still records OAuth users and accounts.
    session: { strategy: "jwt", maxAge: 30 * 24 * 3600 },
    adapter: DrizzleAdapter(db, {
      usersTable: users,
      accountsTable: accounts,
      sessionsTable: sessions,
      verificationTokensTable: verificationTokens,
    } as never) as Adapter,
    providers,
    pages: { signIn: "/sign-in" },
    callbacks: {
      jwt({ token, user }) {
        if (user) token.sub = user.id;
        return token;
      },
      session({ session, token }) {
        if (session.user && token.sub) (session.user as { id?: string }).id = token.sub;
        return session;
      },
    },
    events: {
      // An OAuth sign-up creates the user through the adapter; give them their first workspace too.
      async createUser({ user }) {
        await createTenant(db, { name: `${user.name ?? user.email ?? "My"}'s workspace`, ownerUserId: user.id });
        logger.info({ userId: user.id }, "oauth user created with first tenant");
      },
    },
    logger: {
      // Under `err`, so the logger's error serializer drops query parameters and row values.
      error: (code, metadata) => logger.error({ code, err: metadata instanceof Error ? metadata : (metadata as { error?: unknown } | undefined)?.error }, "auth error"),
      warn: (code) => logger.warn({ code }, "auth warning"),
      debug: () => {},
    },
  };
}
