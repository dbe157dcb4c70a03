import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { NextRouteHandler } from "./api-route";
import { logger } from "../logger";
import type { ApiBridge, ServerOrigin } from "./process-bridge";
import { ROUTES } from "./route-table";

// /api/v1 at handler speed: the REST route handlers (app/api/v1/**/route.ts, every one an apiRoute)
// called straight from node:http, without Next.js's routing, rendering pipeline and response
// machinery, which cost more than the handlers themselves (bench/api.ts). It does for these routes
// what Next.js does, so a client sees no difference:
// - the route is the one whose OpenAPI path matches, its params decoded; no match is the catch-all
//   app/api/[...path] (404 not_found); a method the route file does not export answers 405 with no
//   body; HEAD runs GET and sends no body; OPTIONS answers 204 with Allow (Next's auto-implemented methods);
// - the Request's URL is `http(s)://hostname:port/path` as Next.js builds it (https when
//   X-Forwarded-Proto says so); its body is the request stream; its signal aborts when the client
//   goes before the answer is finished;
// - the answer's status, headers (each Set-Cookie apart) and body, streamed with backpressure.
// A path Next.js would first redirect (a trailing slash, repeated slashes, backslashes) is left to it.

const METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE", "PATCH"] as const;
type Method = (typeof METHODS)[number];

/** A route file's exports: handlers by method (and config such as `dynamic`, ignored here). */
export type RouteModule = Partial<Record<Method, NextRouteHandler>> & Record<string, unknown>;

/** Route files by their OpenAPI path (`/api/v1/avatars/{avatarId}`), plus the catch-all for unknown paths. */
export type RouteFiles = { routes: Record<string, RouteModule>; unknownPath: NextRouteHandler };

type Compiled = { pattern: RegExp; names: string[]; methods: Record<Method, NextRouteHandler> };

const BUFFERED = /^(application\/(problem\+)?json|text\/plain)\b/i;

const notAllowed: NextRouteHandler = async () => new Response(null, { status: 405 });

// Next.js's autoImplementMethods: unexported methods 405; HEAD is GET; OPTIONS lists what is exported.
function implement(mod: RouteModule): Record<Method, NextRouteHandler> {
  const exported = METHODS.filter((m) => typeof mod[m] === "function");
  const methods = Object.fromEntries(METHODS.map((m) => [m, mod[m] ?? notAllowed])) as Record<Method, NextRouteHandler>;
  if (!exported.includes("HEAD") && mod.GET) methods.HEAD = mod.GET;
  if (!exported.includes("OPTIONS")) {
    const allow = new Set<string>(["OPTIONS", ...exported]);
    if (mod.GET) allow.add("HEAD");
    const headers = { Allow: [...allow].sort().join(", ") };
    methods.OPTIONS = async () => new Response(null, { status: 204, headers });
  }
  return methods;
}

function compile(files: RouteFiles): Compiled[] {
  // Static segments before parameters, as Next.js matches (`/assets/remote` wins over a `{id}`).
  const paths = Object.keys(files.routes).sort((a, b) => Number(a.includes("{")) - Number(b.includes("{")) || b.length - a.length);
  return paths.map((path) => {
    const names: string[] = [];
    const source = path.replace(/[.*+?^${}()|[\]\\]/g, (c) => `\\${c}`).replace(/\\\{(\w+)\\\}/g, (_, n: string) => {
      names.push(n);
      return "([^/]+)";
    });
    return { pattern: new RegExp(`^${source}$`), names, methods: implement(files.routes[path]!) };
  });
}

function isOurs(pathname: string): boolean {
  if (pathname !== "/api/v1" && !pathname.startsWith("/api/v1/")) return false;
  // Next.js redirects these (308) before routing; it keeps doing so.
  return !pathname.endsWith("/") && !pathname.includes("//") && !pathname.includes("\\");
}

function toRequest(req: IncomingMessage, origin: ServerOrigin, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.append(name, value);
  }
  const proto = req.headers["x-forwarded-proto"];
  const scheme = (Array.isArray(proto) ? proto.join(",") : (proto ?? "")).includes("https") ? "https" : "http";
  const host = origin.hostname.includes(":") ? `[${origin.hostname}]` : origin.hostname;
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(`${scheme}://${host}:${origin.port}${req.url}`, {
    method: req.method,
    headers,
    signal,
    // The request stream itself, as Next.js passes it (undici reads any async iterable).
    body: hasBody && !signal.aborted ? (req as unknown as ReadableStream<Uint8Array>) : undefined,
    // @ts-expect-error -- undici needs duplex for a streamed request body; lib.dom lacks the field.
    duplex: "half",
  });
}

async function send(res: ServerResponse, response: Response, head: boolean): Promise<void> {
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  for (const [name, value] of response.headers) if (name !== "set-cookie") res.setHeader(name, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length) res.setHeader("set-cookie", cookies);
  const body = response.body;
  if (!body || head) {
    await body?.cancel().catch(() => undefined);
    res.end();
    return;
  }
  // A JSON or text answer is whole the moment it is made: sent in one write with its length, rather
  // than as chunks (a streamed answer such as a turn's mux goes out chunk by chunk, below).
  if (BUFFERED.test(response.headers.get("content-type") ?? "")) {
    const bytes = Buffer.from(await response.arrayBuffer());
    res.setHeader("content-length", bytes.byteLength);
    res.end(bytes);
    return;
  }
  const reader = body.getReader();
  // The client left: stop producing (a streaming turn cancels its work through its own signal).
  const gone = () => void reader.cancel().catch(() => undefined);
  res.once("close", gone);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) return;
      if (!res.write(value)) await drainedOrClosed(res);
    }
    res.end();
  } finally {
    res.off("close", gone);
  }
}

/** The bridge next-server.mjs calls: serves /api/v1 paths from `files`, leaves every other request to Next.js. */
export function apiDispatcher(files: RouteFiles): ApiBridge {
  const routes = compile(files);
  const unknown: Record<Method, NextRouteHandler> = Object.fromEntries(METHODS.map((m) => [m, files.unknownPath])) as Record<Method, NextRouteHandler>;
  return (req, res, origin) => {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const pathname = q < 0 ? url : url.slice(0, q);
    if (!isOurs(pathname)) return false;
    const method = (req.method ?? "GET") as Method;
    let handler: NextRouteHandler | undefined;
    let params: Record<string, string> = {};
    for (const route of routes) {
      const m = route.pattern.exec(pathname);
      if (!m) continue;
      handler = route.methods[method];
      // request-gate.mjs has refused paths that do not decode.
      params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
      break;
    }
    handler ??= unknown[method] ?? notAllowed;
    const controller = new AbortController();
    res.once("close", () => {
      if (!res.writableFinished) controller.abort(Object.assign(new Error("the client closed the connection"), { name: "ResponseAborted" }));
    });
    handler(toRequest(req, origin, controller.signal), { params: Promise.resolve(params) })
      .then((response) => send(res, response, method === "HEAD"))
      .catch((err: unknown) => {
        logger.error({ err, path: pathname }, "api request handler failed");
        // Mid-body (a stream that failed), the answer cannot be finished honestly: the client sees it cut.
        if (res.headersSent) return void res.destroy(err instanceof Error ? err : undefined);
        res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
        res.end("Internal Server Error\n");
      });
    return true;
  };
}

/** The OpenAPI paths of the route table (what RouteFiles.routes must cover). */
export function routeTablePaths(): string[] {
  return [...new Set(Object.values(ROUTES).map((r) => r.path))].sort();
}

/** Resolves when `res` can take more bytes or has closed; the listener that did not fire is removed (a long stream waits many times). */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.once("drain", done);
    res.once("close", done);
  });
}
