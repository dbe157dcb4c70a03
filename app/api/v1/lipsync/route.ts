import { apiRoute, json, parseJson } from "@/server/http/api-route";
import { lipsyncRequest } from "@/server/services/realtime/turn-schemas";
import { publicBaseUrl } from "@/server/services/assets";
import { requestLipsync } from "@/server/services/realtime/lipsync-request";
import { otherMethods } from "@/server/http/unrouted";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
export const maxDuration = 300;

export const POST = apiRoute("lipsync", async (req, ctx) => {
  const body = await parseJson(req, lipsyncRequest);
  const who = { tenantId: ctx.tenant.id, environment: ctx.key.environment, apiKeyId: ctx.key.id, idempotencyKey: req.headers.get("idempotency-key") };
  return json(200, await requestLipsync(ctx.db, who, body, publicBaseUrl(req), req.signal));
});

// The contract's JSON 405 for every other method.
export const { GET, HEAD, PUT, PATCH, DELETE } = otherMethods("/api/v1/lipsync");
