import "server-only";
import { originAllowed } from "@/core/api-keys/origins";
import type { AuthenticatedKey } from "../services/api-keys";
import { AppError } from "../errors";
import { RateLimit, type LimitSpec, type TakeResult } from "../services/rate-limit";
import type { NextRouteHandler } from "./api-route";
import type { RouteSpec } from "./route-table";

// The REST edge's part for publishable keys (tic_pub_…, server/services/publishable-keys.ts) and for
// the operations a page may call with one (route-table entries marked `browser`: creating a live
// session, and reading an avatar's render assets for the widget's audio mode).
//
// CORS. The key travels in the Authorization header, and a browser's preflight (OPTIONS) carries no
// Authorization, so the preflight cannot know which key, hence which origins, the real request will
// use. It is therefore answered for any origin, on the browser paths only, naming the headers the
// page needs (authorization, content-type); that lets the real request be sent, and the real request
// is where the origin is enforced: a publishable key from an origin it does not name is refused
// (403 origin_not_allowed) before anything is done. The success answer (which holds the session's
// client secret) carries Access-Control-Allow-Origin only for an origin the key allows. Error answers
// on these paths are readable by any page (they hold nothing of the key or the workspace, and a
// widget can then show "origin_not_allowed: add https://… to the key"); answers to secret keys never
// carry it, so a page cannot read what a secret key (which must never be in a page) was given.
// No cookies are involved, so Access-Control-Allow-Credentials is never sent.

/** Calls of each browser operation per publishable key and origin: 10 at once, then one every 5 s. */
export const PUBLISHABLE_ORIGIN_LIMIT: LimitSpec = { perSecond: 0.2, burst: 10 };

const EXPOSED = "X-Request-Id, Retry-After, RateLimit, RateLimit-Policy";

/**
 * Refuses what a publishable key may not do (any operation but a `browser` one, an origin it does not
 * name) and charges its per-origin limit; returns that limit's take for the RateLimit headers.
 */
export async function admitPublishable(spec: RouteSpec, key: AuthenticatedKey["key"], req: Request): Promise<TakeResult> {
  if (!spec.browser) {
    throw new AppError("publishable_key_not_allowed", "A publishable key (tic_pub_…) can only create live sessions (POST /api/v1/realtime/sessions) and read its avatars' render assets (GET /api/v1/avatars/{id}/render-assets); call this endpoint from your server with a secret key (tic_live_…/tic_test_…).", {
      kind: "forbidden",
    });
  }
  const origin = req.headers.get("origin");
  if (!originAllowed(key.allowedOrigins, origin)) {
    throw new AppError(
      "origin_not_allowed",
      origin
        ? `This publishable key may not be used from ${origin}; add that origin to the key's allowed origins at /platform/api-keys (create a new key naming it).`
        : "A publishable key is used from a web page: the request carries no Origin. Call from a browser on one of the key's allowed origins, or use a secret key from your server.",
      { kind: "forbidden" },
    );
  }
  // One bucket per operation: a widget's one read of its avatar at load does not use up its session starts.
  const taken = await new RateLimit("publishable-origin", PUBLISHABLE_ORIGIN_LIMIT).take(`${key.id} ${origin} ${spec.method} ${spec.path}`);
  if (!taken.allowed) {
    const what = spec.method === "POST" ? "sessions started" : "reads";
    throw new AppError("rate_limited", `Too many ${what} with this publishable key from ${origin}; retry after ${taken.retryAfterSeconds} s.`, { retryAfterSeconds: taken.retryAfterSeconds });
  }
  return taken;
}

/** The CORS headers of an answer on a browser path (see above); none elsewhere or without Origin. */
export function corsHeaders(spec: RouteSpec, req: Request, response: Response, key: AuthenticatedKey["key"] | null): Record<string, string> {
  if (!spec.browser) return {};
  const origin = req.headers.get("origin");
  const readable = origin && (response.status >= 400 || (key?.kind === "publishable" && originAllowed(key.allowedOrigins, origin)));
  return readable ? { "Access-Control-Allow-Origin": origin, "Access-Control-Expose-Headers": EXPOSED, Vary: "Origin" } : { Vary: "Origin" };
}

/** The preflight answer of a browser path: any origin, the page's headers; the origin is enforced on the real request. */
export function browserPreflight(methods: string[]): NextRouteHandler {
  return async (req) => {
    const origin = req.headers.get("origin");
    const headers: Record<string, string> = {
      Allow: ["OPTIONS", ...methods].join(", "),
      Vary: "Origin, Access-Control-Request-Headers",
    };
    if (origin) {
      Object.assign(headers, {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": methods.join(", "),
        "Access-Control-Allow-Headers": "authorization, content-type, idempotency-key, x-request-id",
        "Access-Control-Max-Age": "600",
      });
    }
    return new Response(null, { status: 204, headers });
  };
}
