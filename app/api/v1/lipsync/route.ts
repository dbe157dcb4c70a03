import { apiRoute, json, parseJson } from "@/server/http/api-route";
import { ApiError } from "@/server/http/api-error";
import { lipsyncRequest } from "@/server/http/schemas/realtime";
import { assetDepsFromEnv, publicBaseUrl } from "@/server/services/assets";
import { withAssetErrors } from "@/server/services/assets/to-api-error";
import { LipsyncRejected, runLipsync } from "@/server/services/realtime/lipsync";
import { otherMethods } from "@/server/http/unrouted";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
export const maxDuration = 300;

export const POST = apiRoute("lipsync", async (req, ctx) => {
  const body = await parseJson(req, lipsyncRequest);
  try {
    const result = await withAssetErrors(() =>
      runLipsync(ctx.db, { tenantId: ctx.tenant.id, environment: ctx.key.environment, apiKeyId: ctx.key.id, log: ctx.log }, body, { ...assetDepsFromEnv(), baseUrl: publicBaseUrl(req) }, req.signal),
    );
    return json(200, result);
  } catch (error) {
    if (error instanceof LipsyncRejected) throw new ApiError(422, error.publicCode, error.message);
    throw error;
  }
});

// The contract's JSON 405 for every other method.
export const { GET, HEAD, PUT, PATCH, DELETE } = otherMethods("/api/v1/lipsync");
