import { z } from "zod";
import { storableJsonObject, storableText } from "@/core/text/storable";
import { apiRoute, json, parseJson } from "@/server/http/api-route";
import { assetDepsFromEnv, ingestRemote, publicBaseUrl, toAssetDto } from "@/server/services/assets";
import { otherMethods } from "@/server/http/unrouted";

// CreateRemoteAssetRequest (additionalProperties: false).
const body = z
  .object({
    kind: z.enum(["image", "video", "audio"]),
    remoteUrl: storableText.min(1).max(2048),
    originalFilename: storableText.min(1).max(240).optional(),
    metadata: storableJsonObject("metadata", { maxChars: 16_384 }).optional(),
  })
  .strict();

export const POST = apiRoute("createRemoteAsset", async (req, ctx) => {
  const input = await parseJson(req, body);
  const row = await ingestRemote(ctx.db, ctx.tenant.id, input, assetDepsFromEnv());
  return json(201, toAssetDto(row, publicBaseUrl(req)));
});

// The contract's JSON 405 for every other method.
export const { GET, HEAD, PUT, PATCH, DELETE } = otherMethods("/api/v1/assets/remote");
