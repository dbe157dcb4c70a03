import "server-only";
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { tenants } from "../../db/schema";
import { resetProcessState } from "../../process-state";
import { createApiKey, type CreateApiKeyInput } from "../../services/api-keys";
import { createPublishableKey, type CreatePublishableKeyInput } from "../../services/publishable-keys";
import { createTenant } from "../../services/tenants";
import { findOrCreateUser } from "../../services/users";
import type { NextRouteHandler } from "../api-route";
import { createPgDatabase } from "../../testing/databases";

export { createPgDatabase };

// Test support for the REST edge: a throw-away database per suite, a seeded tenant with keys, and
// a way to call a route handler exactly as Next.js does (Request in, Response out).

/** Which database the REST edge suites run on: PGlite unless API_TEST_DB=postgres. */
export function apiTestDatabaseKind(): "postgres" | "pglite" {
  return process.env.API_TEST_DB === "postgres" ? "postgres" : "pglite";
}

/**
 * Points the process-wide database (getDb) at a fresh database: PostgreSQL when `kind` is "postgres",
 * otherwise an in-memory PGlite. Call before anything touches getDb()/getEnv().
 */
export async function useTestDatabase(kind: "postgres" | "pglite"): Promise<{ db: Db; cleanup: () => Promise<void> }> {
  process.env.AUTH_SECRET ??= "test-secret-at-least-16-chars";
  process.env.LOG_LEVEL ??= "silent";
  let drop = async () => {};
  if (kind === "postgres") {
    const created = await createPgDatabase();
    process.env.DATABASE_URL = created.url;
    drop = created.drop;
  } else {
    delete process.env.DATABASE_URL;
    process.env.PGLITE_DATA_DIR = "memory://";
  }
  const { getDb } = await import("../../db/client");
  const db = await getDb();
  return {
    db,
    cleanup: async () => {
      // avatars created through the routes are still being prepared in the background, writing to this database
      const { preparationsSettled } = await import("../../services/realtime/schedule");
      await preparationsSettled(db);
      await resetProcessState(); // stops the sweeper, empties the key cache, closes the database
      await drop();
    },
  };
}

/** A tenant with an owner; `plan` sets its rate-limit plan. */
export async function seedTenant(db: Db, options: { plan?: string; name?: string } = {}) {
  const { user } = await findOrCreateUser(db, `owner-${randomBytes(4).toString("hex")}@example.test`);
  const tenant = await createTenant(db, { name: options.name ?? "Test Workspace", ownerUserId: user.id });
  if (options.plan) await db.update(tenants).set({ plan: options.plan }).where(eq(tenants.id, tenant.id));
  return { ...tenant, ownerUserId: user.id };
}

/** Mints a key directly through the service (no minter bound). */
export async function mintKey(db: Db, tenantId: string, input: Partial<CreateApiKeyInput> = {}) {
  return createApiKey(db, tenantId, { name: "test key", scopes: ["*"], ...input });
}

/** Mints a publishable key (tic_pub_test_… by default) for avatars of the tenant, usable from `allowedOrigins`. */
export async function mintPublishableKey(db: Db, tenantId: string, input: Pick<CreatePublishableKeyInput, "avatarIds" | "allowedOrigins"> & Partial<CreatePublishableKeyInput>) {
  return createPublishableKey(db, tenantId, { name: "page key", ...input });
}

export type CallOptions = {
  method?: string;
  path: string;
  key?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
  params?: Record<string, string>;
};

/** Calls a route handler the way Next.js does. */
export async function callRoute(handler: NextRouteHandler, o: CallOptions): Promise<Response> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.key) headers.authorization = `Bearer ${o.key}`;
  let body: BodyInit | undefined;
  const method = o.method ?? "GET";
  if (method === "GET" || method === "HEAD") {
    // fetch forbids bodies on these; scenario tables may pass one generically.
  } else if (o.body instanceof FormData || o.body instanceof Uint8Array) {
    body = o.body as BodyInit;
  } else if (o.body !== undefined) {
    body = typeof o.body === "string" ? o.body : JSON.stringify(o.body);
    headers["content-type"] ??= "application/json";
  }
  const req = new Request(`http://localhost${o.path}`, { method, headers, body });
  return handler(req, { params: Promise.resolve(o.params ?? {}) });
}
