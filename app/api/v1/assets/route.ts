import { z } from "zod";
import { apiRoute, json } from "@/server/http/api-route";
import { AppError } from "@/server/errors";
import { assetDepsFromEnv, checkDeclaredLength, ingestMultipart, listAssets, publicBaseUrl, toAssetDto, uploadBodyLimit } from "@/server/services/assets";
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

// A body declared larger than any asset may be is refused before authentication reads it, so a huge
// upload is never buffered. apiRoute reads the whole body to fingerprint an Idempotency-Key request
// (spooled to disk, cut at the upload limit), so such a request must declare its length rather than
// stream chunked.
function refuseUnreadable(req: Request): void {
  checkDeclaredLength(req.headers, assetDepsFromEnv());
  if (req.headers.has("idempotency-key") && !req.headers.has("content-length") && req.body) {
    throw new AppError("invalid_multipart", "Content-Length is required on uploads sent with an Idempotency-Key; do not stream them chunked.", { kind: "invalid_input" });
  }
}

export const POST = apiRoute(
  "uploadAsset",
  async (req, ctx) => {
    const row = await ingestMultipart(ctx.db, ctx.tenant.id, req, assetDepsFromEnv());
    return json(201, toAssetDto(row, publicBaseUrl(req)));
  },
  // An upload's body may be as large as the largest asset (the Idempotency-Key spool included).
  { bodyLimit: () => uploadBodyLimit(assetDepsFromEnv().limits), refuseEarly: refuseUnreadable },
);

// The contract's JSON 405 for every other method.
export const { PUT, PATCH, DELETE } = otherMethods("/api/v1/assets");
