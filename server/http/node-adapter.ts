import "server-only";
import { createServer, type Server } from "node:http";
import { V1_ROUTE_FILES } from "@/app/api/v1/route-files";
import { logger } from "../logger";
import { startInstanceState } from "../services/instance-state";
import { apiDispatcher } from "./api-dispatch";
import { stampPeerAddresses } from "./peer-address";
import { gate } from "./request-gate.mjs";

// The public API without Next.js: request gate, then the same dispatcher the production server runs
// for /api/v1 (server/http/api-dispatch.ts) over the same route files. `npm run bench:api` measures
// it as the handler-only figure, and the multi-instance integration test runs several of these as
// app instances: starting one takes a second, where a production server needs a `next build`.

/** Starts an HTTP server for the public API on `port` (0 = any); resolves once listening. */
export async function startApiServer(port = 0, hostname = "127.0.0.1"): Promise<{ server: Server; port: number }> {
  stampPeerAddresses();
  await startInstanceState();
  const dispatch = apiDispatcher(V1_ROUTE_FILES);
  const origin = { hostname: "localhost", port };
  const server = createServer((req, res) => {
    if (gate(req, res, (line) => logger.info(line, "request refused before routing"))) return;
    if (dispatch(req, res, origin)) return;
    res.writeHead(404, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ error: `Only /api/v1 is served here, not ${(req.url ?? "/").split("?")[0]}.`, status: 404, code: "not_found", retryable: false }));
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(port, hostname, resolve));
  const address = server.address();
  origin.port = typeof address === "object" && address ? address.port : port;
  return { server, port: origin.port };
}
