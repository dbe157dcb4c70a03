import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { createTrpcContext } from "@/server/api/trpc";
import { requestLogger } from "@/server/logger";

async function handler(req: Request) {
  const requestId = req.headers.get("x-request-id")?.slice(0, 100) || crypto.randomUUID();
  const started = performance.now();
  const res = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: ({ resHeaders }) => createTrpcContext({ headers: req.headers, resHeaders }),
  });
  res.headers.set("x-request-id", requestId);
  // Procedure names only: inputs may hold passwords, which are never logged.
  requestLogger(requestId).info(
    { method: req.method, path: new URL(req.url).pathname, status: res.status, ms: Math.round(performance.now() - started) },
    "trpc request",
  );
  return res;
}

export { handler as GET, handler as POST };
