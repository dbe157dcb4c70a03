import { apiRoute, parseJson } from "@/server/http/api-route";
import { startTurn } from "@/server/services/realtime/turn";
import { turnRequest } from "@/server/services/realtime/turn-request";
import { otherMethods } from "@/server/http/unrouted";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

// Streams application/x-avatar-mux; 402 (credits), 404 (avatar), 409 (not prepared, reused
// Idempotency-Key) and 422 come back as JSON before the first byte of the stream.
export const POST = apiRoute("realtimeTurn", async (req, ctx) => {
  const body = await parseJson(req, turnRequest);
  return startTurn(ctx.db, { tenantId: ctx.tenant.id, environment: ctx.key.environment, apiKeyId: ctx.key.id, log: ctx.log }, body, req.signal);
});

// The contract's JSON 405 for every other method.
export const { GET, HEAD, PUT, PATCH, DELETE } = otherMethods("/api/v1/realtime/turn");
