import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import { newId, slugify } from "@/core/ids/new-id";
import { tenantNameSchema } from "@/core/accounts/account-input";
import type { Db } from "../db/client";
import { memberships, tenants, users } from "../db/schema";
import { AppError } from "../errors";
import { createTenantWallets } from "./credits/wallets";
import { invalidateApiKeys } from "./api-key-cache";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type Role = "owner" | "admin" | "member";
export type TenantSummary = { id: string; slug: string; name: string; status: "active" | "suspended"; role: Role };

async function freeSlug(tx: Tx | Db, name: string): Promise<string> {
  const base = slugify(name);
  const taken = await tx
    .select({ slug: tenants.slug })
    .from(tenants)
    .where(sql`${tenants.slug} = ${base} or ${tenants.slug} like ${`${base}-%`}`);
  if (!taken.some((t) => t.slug === base)) return base;
  // A random suffix, not a counter: two concurrent creations must not pick the same slug.
  return `${base}-${newId("x", 6).slice(2)}`;
}

/** Creates a tenant owned by a user, with its wallets, inside the caller's transaction. */
export async function createTenantTx(tx: Tx, input: { name: string; ownerUserId: string }) {
  const name = tenantNameSchema.parse(input.name);
  const tenant = { id: newId("ten"), slug: await freeSlug(tx, name), name, status: "active" as const };
  await tx.insert(tenants).values(tenant);
  await tx.insert(memberships).values({ tenantId: tenant.id, userId: input.ownerUserId, role: "owner" });
  await createTenantWallets(tx, tenant.id);
  return tenant;
}

/** Creates a tenant for an existing user (the dashboard's "new workspace"). */
export function createTenant(db: Db, input: { name: string; ownerUserId: string }) {
  return db.transaction((tx) => createTenantTx(tx, input));
}

/** Tenants a user belongs to, oldest first. */
export async function listTenantsForUser(db: Db, userId: string): Promise<TenantSummary[]> {
  return db
    .select({ id: tenants.id, slug: tenants.slug, name: tenants.name, status: tenants.status, role: memberships.role })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt), asc(tenants.id));
}

/** The user's membership of one tenant (by id or slug), or not_found — never another tenant's existence. */
export async function getMembership(db: Db, userId: string, tenantIdOrSlug: string): Promise<TenantSummary> {
  const [row] = await db
    .select({ id: tenants.id, slug: tenants.slug, name: tenants.name, status: tenants.status, role: memberships.role })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(and(eq(memberships.userId, userId), sql`(${tenants.id} = ${tenantIdOrSlug} or ${tenants.slug} = ${tenantIdOrSlug})`))
    .limit(1);
  if (!row) throw new AppError("not_found", "Workspace not found.");
  return row;
}

const TENANT_SUSPENDED_MESSAGE = "This workspace is suspended; contact support or see /platform/billing.";

/**
 * Refuses to act for a suspended workspace (AppError tenant_suspended, 403). Reading stays allowed so
 * the dashboard can show the suspension. The one check for every session-authenticated action: tRPC
 * mutations (tenantProcedure) and the dashboard's cookie route handlers (the REST edge answers the same code).
 */
export function assertTenantActive(tenant: Pick<TenantSummary, "status">): void {
  if (tenant.status === "suspended") throw new AppError("tenant_suspended", TENANT_SUSPENDED_MESSAGE);
}

/** Renames a tenant; only its owners and admins may. */
export async function renameTenant(db: Db, tenant: TenantSummary, name: string) {
  if (tenant.role === "member") throw new AppError("forbidden", "Only owners and admins can rename the workspace.");
  const clean = tenantNameSchema.parse(name);
  await db.update(tenants).set({ name: clean }).where(eq(tenants.id, tenant.id));
  return { ...tenant, name: clean };
}

/** Members of a tenant, scoped by the tenant id inside the query. */
export function listMembers(db: Db, tenantId: string) {
  return db
    .select({ userId: users.id, email: users.email, name: users.name, role: memberships.role, since: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.tenantId, tenantId))
    .orderBy(asc(memberships.createdAt));
}

/** Every tenant (admin CLI), oldest first. */
export function listAllTenants(db: Db) {
  return db
    .select({
      id: tenants.id,
      slug: tenants.slug,
      name: tenants.name,
      status: tenants.status,
      plan: tenants.plan,
      createdAt: tenants.createdAt,
      members: sql<number>`(select count(*)::int from ${memberships} where ${memberships.tenantId} = ${tenants.id})`,
    })
    .from(tenants)
    .orderBy(asc(tenants.createdAt), asc(tenants.id));
}

/** Resolves a tenant by id or slug (admin CLI and other operator paths). */
export async function findTenant(db: Db, idOrSlug: string) {
  const [row] = await db
    .select()
    .from(tenants)
    .where(sql`${tenants.id} = ${idOrSlug} or ${tenants.slug} = ${idOrSlug}`)
    .limit(1);
  if (!row) throw new AppError("not_found", `No tenant with id or slug "${idOrSlug}".`);
  return row;
}

/**
 * Suspends (or reactivates) a workspace (operator path). Its keys answer 403 tenant_suspended on every
 * app instance within a second: the cached lookups carrying its old status are dropped everywhere.
 */
export async function setTenantStatus(db: Db, idOrSlug: string, status: "active" | "suspended") {
  const tenant = await findTenant(db, idOrSlug);
  await db.update(tenants).set({ status }).where(eq(tenants.id, tenant.id));
  await invalidateApiKeys(db, { tenantId: tenant.id });
  return { id: tenant.id, slug: tenant.slug, status };
}
