import "server-only";
import { createHash } from "node:crypto";
import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import { generateApiKey, parseApiKey, redactApiKey, type ApiKeyEnvironment, type ApiKeyKind } from "@/core/api-keys/key-format";
import { API_KEY_SCOPES, DEFAULT_KEY_SCOPES, missingScopes } from "@/core/api-keys/scopes";
import { newId } from "@/core/ids/new-id";
import { storableText } from "@/core/text/storable";
import type { Db } from "../db/client";
import { apiKeys, tenants } from "../db/schema";
import { AppError } from "../errors";
import { logger } from "../logger";
import { processState } from "../process-state";
import { cachedLookup, dropCached, invalidateApiKeys } from "./api-key-cache";

// API keys: only sha256(key) is stored; the full key leaves the server once, in the create answer.
// Authentication caches key → tenant for API_KEY_CACHE_TTL_MS because it runs on every request; a
// revocation drops the entry on every instance at once (server/services/api-key-cache.ts).

export const createApiKeyInput = z
  .object({
    name: storableText.trim().min(1).max(120),
    environment: z.enum(["live", "test"]).default("test"),
    scopes: z.array(z.enum(API_KEY_SCOPES)).min(1).max(16).default(DEFAULT_KEY_SCOPES),
    spendLimitCreditMicros: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable().optional(),
    expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
  })
  .strict();
export type CreateApiKeyInput = z.input<typeof createApiKeyInput>;

export type ApiKeyView = {
  id: string;
  keyId: string;
  tenantId: string;
  name: string;
  environment: ApiKeyEnvironment;
  /** `publishable` keys (tic_pub_…) only create live sessions for `avatarIds` from `allowedOrigins`. */
  kind: ApiKeyKind;
  allowedOrigins: string[];
  avatarIds: string[];
  redactedKey: string;
  scopes: string[];
  status: "active" | "revoked" | "expired";
  spendLimitCreditMicros: number | null;
  spentCreditMicros: number;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
};

type KeyRow = typeof apiKeys.$inferSelect;

function toView(row: KeyRow, now = Date.now()): ApiKeyView {
  const status = row.revokedAt ? "revoked" : row.expiresAt && row.expiresAt.getTime() <= now ? "expired" : "active";
  return {
    id: row.id,
    keyId: row.id,
    tenantId: row.tenantId,
    name: row.name,
    environment: row.environment,
    kind: row.kind,
    allowedOrigins: row.allowedOrigins,
    avatarIds: row.avatarIds,
    redactedKey: row.redactedKey,
    scopes: row.scopes,
    status,
    spendLimitCreditMicros: row.spendLimitCreditMicros ?? null,
    spentCreditMicros: row.spentCreditMicros,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}

/** sha256 hex of a presented key: the only form that is stored and looked up. */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/**
 * The environments whose keys a caller may mint, see and revoke: a test (sandbox) key only the
 * sandbox's, a live key or the dashboard (no calling key) every key of the workspace.
 */
export function keyEnvironmentsFor(caller: ApiKeyEnvironment | undefined): ApiKeyEnvironment[] {
  return caller === "test" ? ["test"] : ["test", "live"];
}

/**
 * Mints a key for a tenant. `minterScopes` (the calling key's scopes, or omitted for the dashboard
 * and CLI) bounds what the new key may hold: a key cannot create a more powerful key, and a test
 * key cannot create a live one.
 */
export async function createApiKey(
  db: Db,
  tenantId: string,
  raw: CreateApiKeyInput,
  options: { minterScopes?: readonly string[]; minterEnvironment?: ApiKeyEnvironment; createdByUserId?: string } = {},
): Promise<ApiKeyView & { apiKey: string }> {
  const input = createApiKeyInput.parse(raw);
  const scopes = [...new Set(input.scopes)];
  if (options.minterScopes) {
    const missing = missingScopes(options.minterScopes, scopes);
    if (missing.length) {
      throw new AppError("forbidden", `This key cannot grant scopes it does not hold: ${missing.join(", ")}. Use a key with those scopes or the dashboard.`, { field: "scopes" });
    }
  }
  // A sandbox key must not become a door to live money.
  if (!keyEnvironmentsFor(options.minterEnvironment).includes(input.environment)) {
    throw new AppError("forbidden", "A test key cannot create live keys; use a live key or the dashboard.", { field: "environment" });
  }
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt.getTime() <= Date.now()) {
    throw new AppError("invalid_input", "expiresAt must be in the future.", { field: "expiresAt" });
  }
  return storeNewKey(db, {
    tenantId,
    name: input.name,
    environment: input.environment,
    kind: "secret",
    scopes,
    spendLimitCreditMicros: input.spendLimitCreditMicros ?? null,
    expiresAt,
    createdByUserId: options.createdByUserId ?? null,
  });
}

/** The fields of a new key other than its secret (validated by the caller). */
export type NewKeyFields = Omit<typeof apiKeys.$inferInsert, "id" | "keyHash" | "redactedKey"> & { environment: ApiKeyEnvironment; kind: ApiKeyKind };

/** Generates a key of `fields.kind`, stores its hash, and answers its view with the key (shown once). */
export async function storeNewKey(db: Db, fields: NewKeyFields): Promise<ApiKeyView & { apiKey: string }> {
  const apiKey = generateApiKey(fields.environment, fields.kind);
  const [row] = await db
    .insert(apiKeys)
    .values({ ...fields, id: newId("key"), keyHash: hashApiKey(apiKey), redactedKey: redactApiKey(apiKey) })
    .returning();
  return { ...toView(row!), apiKey };
}

/** Options of the key-management calls: the calling key's environment bounds which keys they reach. */
export type KeyCaller = { callerEnvironment?: ApiKeyEnvironment };

/** Every key of a tenant the caller may see, newest first (redacted; the secret is never retrievable). */
export async function listApiKeys(db: Db, tenantId: string, caller: KeyCaller = {}): Promise<ApiKeyView[]> {
  const rows = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.tenantId, tenantId), inArray(apiKeys.environment, keyEnvironmentsFor(caller.callerEnvironment))))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
  const now = Date.now();
  return rows.map((r) => toView(r, now));
}

/**
 * Revokes a key of the tenant; another tenant's id, or one of an environment the caller may not
 * manage, is not_found alike. Revoking twice is harmless.
 */
export async function revokeApiKey(db: Db, tenantId: string, keyId: string, caller: KeyCaller = {}): Promise<ApiKeyView> {
  const reachable = and(eq(apiKeys.id, keyId), eq(apiKeys.tenantId, tenantId), inArray(apiKeys.environment, keyEnvironmentsFor(caller.callerEnvironment)));
  const [row] = await db.update(apiKeys).set({ revokedAt: new Date() }).where(and(reachable, isNull(apiKeys.revokedAt))).returning();
  const current = row ?? (await db.select().from(apiKeys).where(reachable).limit(1))[0];
  if (!current) throw new AppError("not_found", `No API key "${keyId}" in this workspace.`);
  // Every instance stops accepting it within a second (server/services/api-key-cache.ts).
  await invalidateApiKeys(db, { keyHash: current.keyHash });
  return toView(current);
}

export type AuthenticatedKey = {
  key: {
    id: string;
    environment: ApiKeyEnvironment;
    kind: ApiKeyKind;
    scopes: string[];
    spendLimitCreditMicros: number | null;
    expiresAt: Date | null;
    /** A publishable key's: the origins and avatars it may start sessions from and for. */
    allowedOrigins: string[];
    avatarIds: string[];
  };
  tenant: { id: string; slug: string; status: "active" | "suspended"; plan: string };
};

const lastTouched = processState("apiKeyTouched", () => new Map<string, number>(), (m) => m.clear());
const TOUCH_EVERY_MS = 60_000;

/** Drops every cached key lookup of this process (tests). */
export function clearApiKeyCache() {
  dropCached({ all: true });
}

async function lookup(db: Db, hash: string): Promise<AuthenticatedKey | null> {
  const [row] = await db
    .select({
      id: apiKeys.id,
      environment: apiKeys.environment,
      kind: apiKeys.kind,
      allowedOrigins: apiKeys.allowedOrigins,
      avatarIds: apiKeys.avatarIds,
      scopes: apiKeys.scopes,
      spendLimitCreditMicros: apiKeys.spendLimitCreditMicros,
      expiresAt: apiKeys.expiresAt,
      revokedAt: apiKeys.revokedAt,
      tenantId: tenants.id,
      slug: tenants.slug,
      status: tenants.status,
      plan: tenants.plan,
    })
    .from(apiKeys)
    .innerJoin(tenants, eq(tenants.id, apiKeys.tenantId))
    .where(eq(apiKeys.keyHash, hash))
    .limit(1);
  if (!row || row.revokedAt) return null;
  return {
    key: {
      id: row.id,
      environment: row.environment,
      kind: row.kind,
      scopes: row.scopes,
      spendLimitCreditMicros: row.spendLimitCreditMicros ?? null,
      expiresAt: row.expiresAt,
      allowedOrigins: row.allowedOrigins,
      avatarIds: row.avatarIds,
    },
    tenant: { id: row.tenantId, slug: row.slug, status: row.status, plan: row.plan },
  };
}

/**
 * Resolves a presented bearer key, or null for malformed, unknown, revoked and expired keys alike
 * (the caller answers one uniform 401). Malformed keys never reach the database.
 */
export async function authenticateApiKey(db: Db, presented: string, ttlMs: number): Promise<AuthenticatedKey | null> {
  if (!parseApiKey(presented)) return null;
  const hash = hashApiKey(presented);
  const now = Date.now();
  const found = await cachedLookup(hash, ttlMs, () => lookup(db, hash), now);
  if (!found) return null;
  if (found.key.expiresAt && found.key.expiresAt.getTime() <= now) return null;
  touch(db, found.key.id, now);
  return found;
}

// last_used_at is informational: written at most once a minute per key, off the request path.
function touch(db: Db, keyId: string, now: number) {
  if (now - (lastTouched.get(keyId) ?? 0) < TOUCH_EVERY_MS) return;
  lastTouched.set(keyId, now);
  db.update(apiKeys)
    .set({ lastUsedAt: new Date(now) })
    .where(eq(apiKeys.id, keyId))
    .then(
      () => undefined,
      (err: unknown) => logger.warn({ err, keyId }, "could not record api key use"),
    );
}
