import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { createTrpcContext } from "@/server/api/trpc";
import { BodyTooLarge, bodyLimit, bufferedRequest } from "@/server/services/request-body";
import { requestLogger } from "@/server/logger";

/** The dashboard's calls are small JSON (files go to /api/platform/assets); tRPC itself reads bodies whole. */
export const TRPC_BODY_LIMIT = bodyLimit(1024 * 1024, 413, "dashboard requests");

async function handler(req: Request) {
  const requestId = req.headers.get("x-request-id")?.slice(0, 100) || crypto.randomUUID();
  const started = performance.now();
  const log = requestLogger(requestId);
  let request: Request;
  try {
    request = await bufferedRequest(req, TRPC_BODY_LIMIT);
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) throw error;
    log.info({ method: req.method, path: new URL(req.url).pathname, status: error.status }, "trpc request refused: body too large");
    return Response.json({ error: error.message, code: error.code }, { status: error.status, headers: { ...error.headers, "x-request-id": requestId } });
  }
  const res = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: ({ resHeaders }) => createTrpcContext({ headers: req.headers, resHeaders }),
  });
  res.headers.set("x-request-id", requestId);
  // Procedure names only: inputs may hold passwords, which are never logged.
  log.info({ method: req.method, path: new URL(req.url).pathname, status: res.status, ms: Math.round(performance.now() - started) }, "trpc request");
  return res;
}

export { handler as GET, handler as POST };
