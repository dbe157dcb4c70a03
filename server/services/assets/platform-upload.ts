import "server-only";
import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import { toAssetDto, type AssetDeps } from "./assets";
import { ingestMultipart } from "./multipart";

/**
 * The dashboard's upload into the active workspace (behind dashboardRoute: cookie session, same
 * origin). A cookie-authenticated multipart POST is a classic CSRF target, so it also requires a
 * custom header, which a cross-site form cannot send without a CORS preflight.
 */
export async function platformUpload(req: Request, c: { db: Db; tenant: { id: string } }, deps: AssetDeps, baseUrl: string): Promise<Response> {
  if (req.headers.get("x-tic-upload") !== "1") throw new AppError("forbidden", "Uploads must come from the dashboard (missing X-Tic-Upload header).");
  const row = await ingestMultipart(c.db, c.tenant.id, req, deps);
  return Response.json(toAssetDto(row, baseUrl), { status: 201, headers: { "Cache-Control": "no-store" } });
}
