import "server-only";
import { resolveActiveTenant } from "../api/active-tenant";
import { getSessionUser, type SessionUser } from "../auth/session";
import { getDb, type Db } from "../db/client";
import type { TenantSummary } from "../services/tenants";
import { ApiError } from "./api-error";

// The one edge of the dashboard's route handlers (app/api/platform/*; tRPC has its own): a signed-in
// user, a same-origin request when it changes something, and the active workspace, refused while it
// is suspended exactly as the REST API refuses it.

export type DashboardSession = { db: Db; user: SessionUser; tenant: TenantSummary };
/** Who is signed in: Auth.js's session cookie (tests name a user of their own). */
export type SessionLookup = () => Promise<SessionUser | null>;

/** The caller of a dashboard route: 401 signed out, 403 cross-site or tenant_suspended. */
export async function dashboardSession(req: Request, signedIn: SessionLookup = getSessionUser): Promise<DashboardSession> {
  const user = await signedIn();
  if (!user) throw new ApiError(401, "unauthorized", "Sign in to use the dashboard.");
  if (req.method !== "GET" && req.method !== "HEAD" && isCrossSite(req)) throw new ApiError(403, "forbidden", "Cross-site request refused.");
  const db = await getDb();
  const tenant = await resolveActiveTenant(db, user.id, req.headers.get("cookie"));
  if (tenant.status === "suspended") throw new ApiError(403, "tenant_suspended", "This workspace is suspended; contact support or see /platform/billing.");
  return { db, user, tenant };
}

/** Cookie-authenticated writes must come from our own pages: a same-origin Origin when one is sent. */
function isCrossSite(req: Request): boolean {
  const origin = req.headers.get("origin");
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  if (!origin || !host) return false;
  // "null" (sandboxed frames, some redirects) and other unparsable origins are not ours.
  if (!URL.canParse(origin)) return true;
  return new URL(origin).host !== host;
}
