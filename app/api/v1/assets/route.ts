import { z } from "zod";
import { apiRoute, json, type NextRouteHandler } from "@/server/http/api-route";
import { ApiError, toApiErrorBody } from "@/server/http/api-error";
import { newId } from "@/core/ids/new-id";
import { assetDepsFromEnv, checkDeclaredLength, ingestMultipart, listAssets, publicBaseUrl, toAssetDto, uploadBodyLimit } from "@/server/services/assets";
import { withAssetErrors } from "@/server/services/assets/to-api-error";
import { otherMethods } from "@/server/http/unrouted";

// The contract documents no query and no 422 for listAssets: an optional `kind` filter is honoured when
// valid and anything else is ignored rather than refused.
const kindFilter = z.enum(["image", "video", "audio"]).optional().catch(undefined);

export const GET = apiRoute("listAssets", async (req, ctx) => {
  const kind = kindFilter.parse(new URL(req.url).searchParams.get("kind") ?? undefined);
  const rows = await listAssets(ctx.db, ctx.tenant.id, { kind });
  const base = publicBaseUrl(req);
  return json(200, { data: rows.map((row) => toAssetDto(row, base)) });
});

const upload = apiRoute(
  "uploadAsset",
  async (req, ctx) => {
    const row = await withAssetErrors(() => ingestMultipart(ctx.db, ctx.tenant.id, req, assetDepsFromEnv()));
    return json(201, toAssetDto(row, publicBaseUrl(req)));
  },
  // An upload's body may be as large as the largest asset (the Idempotency-Key spool included).
  { bodyLimit: () => uploadBodyLimit(assetDepsFromEnv().limits) },
);

// A body declared larger than any asset may be is refused before authentication reads it, so a huge
// upload is never buffered. apiRoute reads the whole body to fingerprint an Idempotency-Key request
// (spooled to disk, cut at the upload limit), so such a request must declare its length rather than
// stream chunked.
export const POST: NextRouteHandler = async (req, ctx) => {
  try {
    await withAssetErrors(async () => checkDeclaredLength(req.headers, assetDepsFromEnv()));
    if (req.headers.has("idempotency-key") && !req.headers.has("content-length") && req.body) {
      throw new ApiError(422, "invalid_multipart", "Content-Length is required on uploads sent with an Idempotency-Key; do not stream them chunked.");
    }
  } catch (error) {
    const { body } = toApiErrorBody(error);
    return json(body.status, body, { "X-Request-Id": newId("req"), Connection: "close" });
  }
  return upload(req, ctx);
};

// The contract's JSON 405 for every other method.
export const { PUT, PATCH, DELETE } = otherMethods("/api/v1/assets");
