import "server-only";
import { resolveActiveTenant } from "../api/active-tenant";
import { getSessionUser, type SessionUser } from "../auth/session";
import { getDb, type Db } from "../db/client";
import { AppError } from "../errors";
import { assertTenantActive, type TenantSummary } from "../services/tenants";
import { serveRequest, type Served } from "./edge";
import { bodyLimit, bodyReader, limitedRequest, type BodyLimit, type BodyReader } from "../services/request-body";

// The edge of the dashboard's route handlers (app/api/platform/**; tRPC has its own), beside apiRoute:
// a signed-in user, a same-origin request when it changes something, the active workspace (refused
// while suspended, exactly as the REST API refuses it), the body limit, errors in the contract's
// shape, the request id and one log line.

/** Who is signed in: Auth.js's session cookie (tests name a user of their own). */
export type SessionLookup = () => Promise<SessionUser | null>;
export type DashboardContext = Served & { db: Db; user: SessionUser; tenant: TenantSummary; params: Record<string, string>; body: BodyReader };
export type DashboardHandler = (req: Request, ctx: DashboardContext) => Promise<Response>;
/** A Next.js route handler; a test may name who is signed in as the third argument. */
export type DashboardRouteHandler = (req: Request, ctx: { params: Promise<Record<string, string>> }, signedIn?: SessionLookup) => Promise<Response>;

/** Dashboard requests are small JSON unless a route says otherwise (uploads). */
const DASHBOARD_BODY_LIMIT = bodyLimit(16 * 1024, 413, "dashboard requests");

/** Wraps a handler with the dashboard's session, same-origin and suspension checks, body limit, errors and logging. */
export function dashboardRoute(name: string, handler: DashboardHandler, options: { bodyLimit?: () => BodyLimit } = {}): DashboardRouteHandler {
  return (req, routeCtx, signedIn = getSessionUser) =>
    serveRequest(req, "dashboard request", async (served) => {
      served.logged.route = name;
      const user = await signedIn();
      if (!user) throw new AppError("unauthorized", "Sign in to use the dashboard.");
      served.logged.userId = user.id;
      if (req.method !== "GET" && req.method !== "HEAD" && isCrossSite(req)) throw new AppError("forbidden", "Cross-site request refused.");
      const db = await getDb();
      const tenant = await resolveActiveTenant(db, user.id, req.headers.get("cookie"));
      served.logged.tenantId = tenant.id;
      assertTenantActive(tenant);
      const limit = options.bodyLimit?.() ?? DASHBOARD_BODY_LIMIT;
      const limited = limitedRequest(req, limit);
      const params = (await routeCtx.params) ?? {};
      return handler(limited, { ...served, db, user, tenant, params, body: bodyReader(limited, limit) });
    });
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
