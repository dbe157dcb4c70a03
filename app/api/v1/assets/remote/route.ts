import { z } from "zod";
import { apiRoute, json, parseJson } from "@/server/http/api-route";
import { assetDepsFromEnv, ingestRemote, publicBaseUrl, toAssetDto } from "@/server/services/assets";
import { withAssetErrors } from "@/server/services/assets/to-api-error";

// CreateRemoteAssetRequest (additionalProperties: false).
const body = z
  .object({
    kind: z.enum(["image", "video", "audio"]),
    remoteUrl: z.string().min(1).max(2048),
    originalFilename: z.string().min(1).max(240).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export const POST = apiRoute("createRemoteAsset", async (req, ctx) => {
  const input = await parseJson(req, body);
  const row = await withAssetErrors(() => ingestRemote(ctx.db, ctx.tenant.id, input, assetDepsFromEnv()));
  return json(201, toAssetDto(row, publicBaseUrl(req)));
});
