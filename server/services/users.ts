import "server-only";
import { eq } from "drizzle-orm";
import { newId } from "@/core/ids/new-id";
import { signUpInput, type SignUpInput } from "@/core/accounts/account-input";
import type { Db } from "../db/client";
import { users } from "../db/schema";
import { AppError } from "../errors";
import { hashPassword, verifyPassword } from "../auth/password";
import { createTenantTx } from "./tenants";

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: string }).code === "23505") return true;
  }
  return false;
}

const DUPLICATE = "An account with this email already exists. Sign in instead, or use another email.";

/** Sign-up: the user and their first tenant are written together or not at all. */
export async function signUp(db: Db, raw: SignUpInput) {
  const input = signUpInput.parse(raw);
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, input.email)).limit(1);
      if (existing) throw new AppError("conflict", DUPLICATE, { field: "email" });
      const user = { id: newId("usr"), email: input.email, name: input.name, passwordHash };
      await tx.insert(users).values(user);
      const tenant = await createTenantTx(tx, { name: input.tenantName ?? `${input.name}'s workspace`, ownerUserId: user.id });
      return { user: { id: user.id, email: user.email, name: user.name }, tenant };
    });
  } catch (error) {
    // Two sign-ups racing on one email: the unique index decides, the loser gets the same message.
    if (isUniqueViolation(error)) throw new AppError("conflict", DUPLICATE, { field: "email", cause: error });
    throw error;
  }
}

/** Email + password check; one answer (null) for unknown email and wrong password. */
export async function authenticate(db: Db, email: string, password: string) {
  const [user] = await db
    .select({ id: users.id, email: users.email, name: users.name, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.email, email.trim().toLowerCase()))
    .limit(1);
  const ok = await verifyPassword(user?.passwordHash, password);
  return ok && user ? { id: user.id, email: user.email, name: user.name } : null;
}

/** Finds a user by email, or creates one (admin CLI); a created user without password can only use OAuth. */
export async function findOrCreateUser(db: Db, email: string, password?: string) {
  const [existing] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  if (existing) {
    if (password) await db.update(users).set({ passwordHash: await hashPassword(password) }).where(eq(users.id, existing.id));
    return { user: existing, created: false };
  }
  const user = { id: newId("usr"), email, name: email.split("@")[0] ?? email, passwordHash: password ? await hashPassword(password) : null };
  await db.insert(users).values(user);
  return { user: { ...user, emailVerified: null, image: null, createdAt: new Date() }, created: true };
}
