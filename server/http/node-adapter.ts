import "server-only";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { Readable } from "node:stream";
import type { NextRouteHandler } from "./api-route";
import { ROUTES, type OperationId } from "./route-table";
import { loadOperation } from "./route-modules";

// Serves the /api/v1 route handlers behind plain node:http, matching paths with the route table.
// Used by `npm run bench:api` to measure the API edge (auth, limits, handler, DB) without a Next
// build; the handlers are the same functions Next.js calls.

type Match = { handler: NextRouteHandler; params: Record<string, string> };
type Compiled = { method: string; pattern: RegExp; names: string[]; handler: NextRouteHandler };

async function compileRoutes(): Promise<Compiled[]> {
  const out: Compiled[] = [];
  for (const [id, spec] of Object.entries(ROUTES)) {
    const handler = await loadOperation(id as OperationId);
    if (!handler) continue;
    const names: string[] = [];
    const source = spec.path.replace(/\{(\w+)\}/g, (_, n: string) => {
      names.push(n);
      return "([^/]+)";
    });
    out.push({ method: spec.method, pattern: new RegExp(`^${source}$`), names, handler });
  }
  return out;
}

function match(routes: Compiled[], method: string, pathname: string): Match | null {
  for (const r of routes) {
    if (r.method !== method) continue;
    const m = r.pattern.exec(pathname);
    if (m) return { handler: r.handler, params: Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])) };
  }
  return null;
}

function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) v.forEach((x) => headers.append(k, x));
    else if (v !== undefined) headers.set(k, v);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(`http://${req.headers.host ?? "localhost"}${req.url}`, {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    // @ts-expect-error -- undici needs duplex for a streamed request body; lib.dom lacks the field.
    duplex: hasBody ? "half" : undefined,
  });
}

async function send(res: ServerResponse, response: Response) {
  res.statusCode = response.status;
  response.headers.forEach((v, k) => res.setHeader(k, v));
  if (!response.body) return res.end();
  const body = Buffer.from(await response.arrayBuffer());
  res.setHeader("content-length", body.byteLength);
  res.end(body);
}

/** Starts an HTTP server for the public API on `port` (0 = any); resolves once listening. */
export async function startApiServer(port = 0): Promise<{ server: Server; port: number }> {
  const routes = await compileRoutes();
  const server = createServer((req, res) => {
    const pathname = (req.url ?? "/").split("?")[0]!;
    const found = match(routes, req.method ?? "GET", pathname);
    if (!found) {
      res.statusCode = 404;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ error: `No route for ${req.method} ${pathname}.`, status: 404, code: "not_found", retryable: false }));
      return;
    }
    found
      .handler(toRequest(req), { params: Promise.resolve(found.params) })
      .then((response) => send(res, response))
      .catch((err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address();
  return { server, port: typeof address === "object" && address ? address.port : port };
}
