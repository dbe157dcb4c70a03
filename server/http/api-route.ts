import "server-only";
// The public REST edge. A route file is one line per method:
//
//   export const GET = apiRoute("getCreditBalance", async (req, ctx) => json(200, await getBalance(ctx.db, …)));
//
// apiRoute(operationId, handler) returns a Next.js route handler that, in order:
//   1. assigns a request id (a valid incoming X-Request-Id is kept; echoed on every answer);
//   2. authenticates `Authorization: Bearer tic_…` (401, uniform for missing/malformed/unknown/revoked/expired);
//   3. a publishable key (tic_pub_…): refused (403) on every operation but the route table's `browser`
//      ones (which it may call whatever its scopes) and from an origin it does not name, and charged its per-origin limit
//      (server/http/publishable-edge.ts, which also sets the CORS headers of browser paths);
//      then charges the per-key and per-tenant rate limits (429 + Retry-After; RateLimit headers always);
//   4. refuses suspended tenants (403 tenant_suspended) and keys lacking the route's scope from
//      server/http/route-table.ts (403 missing_scope);
//   5. limits the body to the route's cap (422 payload_too_large from Content-Length or the moment a
//      streamed body passes it; server/http/request-body.ts), then on POST/PATCH/DELETE with
//      Idempotency-Key: replays / 409 / 422 (server/http/idempotency.ts);
//   6. calls handler(req, ctx) with ApiContext = { requestId, db, tenant: {id, slug, status, plan},
//      key: {id, environment, kind, scopes, spendLimitCreditMicros, allowedOrigins, avatarIds}, params, log };
//   7. maps anything thrown (AppError, ZodError) to {error, status, code, retryable, billingUrl?};
//   8. logs one JSON line per request (method, path, operation, status, ms, tenant, key).
// The handler parses its own input with parseJson / parseQuery (zod; use .strict() where the contract
// says additionalProperties: false) and answers with json().
import type { Logger } from "pino";
import type { ZodType } from "zod";
import { hasScope } from "@/core/api-keys/scopes";
import { getDb, type Db } from "../db/client";
import { getEnv } from "../env";
import { requestLogger } from "../logger";
import { authenticateApiKey, type AuthenticatedKey } from "../services/api-keys";
import { rateLimitHeaders, takeRequest } from "../services/rate-limit";
import { AppError } from "../errors";
import { UNAUTHORIZED_MESSAGE } from "./api-error";
import { assertTenantActive } from "../services/tenants";
import { ensureSweeper } from "./background";
import { errorAnswer, json, logRequest, requestIdOf, withHeaders } from "./edge";
import { abandonIdempotent, beginIdempotent, checkIdempotencyKey, finishIdempotent } from "./idempotency";
import { API_JSON_LIMIT, limitedRequest, readJson, type BodyLimit } from "../services/request-body";
import { spoolRequest } from "./request-spool";
import { admitPublishable, corsHeaders } from "./publishable-edge";
import { ROUTES, type OperationId, type RouteSpec } from "./route-table";

export type ApiContext = {
  requestId: string;
  db: Db;
  tenant: { id: string; slug: string; status: "active" | "suspended"; plan: string };
  key: AuthenticatedKey["key"];
  params: Record<string, string>;
  log: Logger;
};
export type ApiHandler = (req: Request, ctx: ApiContext) => Promise<Response>;
export type NextRouteHandler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

// Route files answer with the same JSON helper the error answers use.
export { json };

/** Reads (at most 1 MiB) and validates a JSON body; a ZodError thrown here becomes a 422 naming the field. */
export async function parseJson<T>(req: Request, schema: ZodType<T>): Promise<T> {
  return schema.parse(await readJson(req, API_JSON_LIMIT));
}

/** Validates the query string (each parameter once, as a string) against a schema. */
export function parseQuery<T>(req: Request, schema: ZodType<T>): T {
  return schema.parse(Object.fromEntries(new URL(req.url).searchParams));
}


function errorResponse(error: unknown, log: Logger, req: Request): Response {
  // A 401 names the scheme to authenticate with (RFC 9110).
  return errorAnswer(error, log, req, error instanceof AppError && error.kind === "unauthorized" ? { "WWW-Authenticate": 'Bearer realm="api"' } : {});
}

function bearer(req: Request): string | null {
  const header = req.headers.get("authorization");
  if (!header) return null;
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

export type ApiRouteOptions = {
  /** The largest body the route accepts (default: JSON bodies, 1 MiB); refused past it, whoever reads it. */
  bodyLimit?: () => BodyLimit;
  /**
   * Checks of the request alone (a declared size), run before authentication so a huge body is
   * refused unread; their refusal closes the connection, so the rest of the body is not received.
   */
  refuseEarly?: (req: Request) => void;
};

/** Wraps a handler with the public API's auth, scope, limits, idempotency, errors and logging. */
export function apiRoute(operationId: OperationId, handler: ApiHandler, options: ApiRouteOptions = {}): NextRouteHandler {
  const spec: RouteSpec = ROUTES[operationId];
  return async (req, routeCtx) => {
    const started = performance.now();
    const requestId = requestIdOf(req);
    const log = requestLogger(requestId);
    const path = new URL(req.url).pathname;
    const extra: Record<string, string> = { "X-Request-Id": requestId };
    let tenantId: string | undefined;
    let keyId: string | undefined;
    let key: AuthenticatedKey["key"] | null = null;
    let response: Response;
    try {
      try {
        options.refuseEarly?.(req);
      } catch (error) {
        extra.Connection = "close";
        throw error;
      }
      const env = getEnv();
      const db = await getDb();
      ensureSweeper(db, env.RESERVATION_SWEEP_INTERVAL_MS);
      const token = bearer(req);
      const auth = token ? await authenticateApiKey(db, token, env.API_KEY_CACHE_TTL_MS) : null;
      if (!auth) throw new AppError("unauthorized", UNAUTHORIZED_MESSAGE);
      tenantId = auth.tenant.id;
      keyId = auth.key.id;
      key = auth.key;
      const perOrigin = auth.key.kind === "publishable" ? await admitPublishable(spec, auth.key, req) : null;
      const limit = await takeRequest(env.API_RATE_LIMITS, auth.tenant.plan, auth.key.id, auth.tenant.id);
      // A page's answer names its own (per-origin) limit when that is the tighter one.
      Object.assign(extra, rateLimitHeaders(perOrigin && limit.allowed && perOrigin.remaining < limit.remaining ? perOrigin : limit));
      if (!limit.allowed) throw new AppError("rate_limited", `Rate limit exceeded for this key or workspace; retry after ${limit.retryAfterSeconds} s.`, { retryAfterSeconds: limit.retryAfterSeconds });
      assertTenantActive(auth.tenant);
      // A publishable key has no scopes to speak of: its kind confines it to the `browser` operations (admitted above).
      if (auth.key.kind !== "publishable" && !hasScope(auth.key.scopes, spec.scope)) throw new AppError("missing_scope", `This API key lacks the "${spec.scope}" scope; create a key with it at /platform/api-keys.`, { kind: "forbidden" });
      const ctx: ApiContext = { requestId, db, tenant: auth.tenant, key: auth.key, params: (await routeCtx.params) ?? {}, log };
      // Everything downstream (the idempotency spool, parseJson, multipart) reads this limited body.
      const limited = limitedRequest(req, options.bodyLimit?.() ?? API_JSON_LIMIT);
      response = await runWithIdempotency(limited, ctx, spec, path, handler);
    } catch (error) {
      response = errorResponse(error, log, req);
    }
    response = withHeaders(response, { ...extra, ...corsHeaders(spec, req, response, key) });
    logRequest(log, req, response, { started, operationId, tenantId, keyId }, "api request");
    return response;
  };
}

async function runWithIdempotency(req: Request, ctx: ApiContext, spec: RouteSpec, path: string, handler: ApiHandler): Promise<Response> {
  const header = req.headers.get("idempotency-key");
  const method = spec.method;
  if (method === "GET" || header === null) return runHandler(req, ctx, handler);
  const key = checkIdempotencyKey(header);
  const spooled = await spoolRequest(req, method, path);
  try {
    // Scoped to the calling key: another key (or environment) of the workspace never sees its answers.
    const scope = {
      tenantId: ctx.tenant.id,
      apiKeyId: ctx.key.id,
      key,
      method,
      path,
      requestHash: spooled.fingerprint,
      reuseConflicts: spec.idempotencyReuseConflicts ?? false,
      secretField: spec.secretField,
    };
    const start = await beginIdempotent(ctx.db, scope);
    if (start.kind === "replay") return start.response;
    try {
      return await finishIdempotent(ctx.db, scope, await runHandler(spooled.request, ctx, handler));
    } catch (error) {
      await abandonIdempotent(ctx.db, scope).catch((err: unknown) => ctx.log.error({ err }, "could not release idempotency key"));
      throw error;
    }
  } finally {
    await spooled.cleanup();
  }
}

async function runHandler(req: Request, ctx: ApiContext, handler: ApiHandler): Promise<Response> {
  try {
    return await handler(req, ctx);
  } catch (error) {
    return errorResponse(error, ctx.log, req);
  }
}
