import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { memberships } from "../db/schema";
import { createTenant } from "../services/tenants";
import { findOrCreateUser } from "../services/users";
import { localSecret } from "./local-secrets";

export const DEMO_EMAIL = "demo@tic-avatar.local";

/** Ensures the demo owner and their workspace exist; the password lives in the data folder so it survives restarts. */
export async function seedDemoTenant(db: Db, dataDir: string) {
  const password = `Demo-${localSecret(dataDir, "demo-password", 9)}`;
  const { user } = await findOrCreateUser(db, DEMO_EMAIL, password);
  const owned = await db.select().from(memberships).where(eq(memberships.userId, user.id)).limit(1);
  const tenant = owned.length ? null : await createTenant(db, { name: "Demo workspace", ownerUserId: user.id });
  return { email: DEMO_EMAIL, password, createdTenant: tenant };
}
