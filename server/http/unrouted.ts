import "server-only";
import type { NextRouteHandler } from "./api-route";
import { json, requestIdOf } from "./edge";
import { ROUTES } from "./route-table";

// Answers, in the REST error contract, for requests under /api/ that no route serves: an unknown path
// (the catch-all app/api/[...path]/route.ts) and a method a known path does not serve (each /api/v1
// route file exports otherMethods() for the rest). Next.js would answer these with its HTML 404 page and
// an empty 405.

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;
export type RouteMethod = (typeof METHODS)[number];

/** The methods the route table serves at an OpenAPI path, plus HEAD with GET and OPTIONS (Next.js answers those). */
export function allowedMethods(path: string): string[] {
  const served: string[] = Object.values(ROUTES).filter((r) => r.path === path).map((r) => r.method);
  if (served.includes("GET")) served.push("HEAD");
  return [...served, "OPTIONS"].sort();
}

/** Handlers answering 405 method_not_allowed at `path` (an OpenAPI path of the route table), one per method. */
export function otherMethods(path: string): Record<RouteMethod, NextRouteHandler> {
  const allow = allowedMethods(path).join(", ");
  const handler: NextRouteHandler = async (req) =>
    json(
      405,
      { error: `${req.method} is not allowed on ${path}; use ${allow}. See /docs for the API reference.`, status: 405, code: "method_not_allowed", retryable: false },
      { Allow: allow, "X-Request-Id": requestIdOf(req) },
    );
  return Object.fromEntries(METHODS.map((m) => [m, handler])) as Record<RouteMethod, NextRouteHandler>;
}

/** The catch-all's answer: 404 not_found for any method at a path no API route serves. */
export const unknownPath: NextRouteHandler = async (req) =>
  json(
    404,
    { error: `No API route at ${new URL(req.url).pathname}. See /docs for the API reference.`, status: 404, code: "not_found", retryable: false },
    { "X-Request-Id": requestIdOf(req) },
  );
