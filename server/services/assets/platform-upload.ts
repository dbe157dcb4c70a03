import "server-only";
import type { Db } from "../../db/client";
import { ApiError, toApiErrorBody } from "../../http/api-error";
import { logUnexpected } from "../../http/client-abort";
import { logger } from "../../logger";
import { toAssetDto, type AssetDeps } from "./assets";
import { checkDeclaredLength, ingestMultipart } from "./multipart";
import { withAssetErrors } from "./to-api-error";

export type PlatformCaller = { userId: string; tenant: { id: string; status: string } } | null;

function answer(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } });
}

/**
 * The dashboard's upload (cookie session, not API key). A cookie-authenticated multipart POST is a
 * classic CSRF target, so it also requires a custom header (which a cross-site form cannot send
 * without a CORS preflight) and, when the browser sends one, a same-origin Origin.
 */
export async function handlePlatformUpload(req: Request, db: () => Promise<Db>, caller: () => Promise<PlatformCaller>, deps: () => AssetDeps, baseUrl: string): Promise<Response> {
  try {
    if (req.headers.get("x-tic-upload") !== "1") throw new ApiError(403, "forbidden", "Uploads must come from the dashboard (missing X-Tic-Upload header).");
    const origin = req.headers.get("origin");
    const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
    if (origin && host && new URL(origin).host !== host) throw new ApiError(403, "forbidden", "Cross-site upload refused.");
    await withAssetErrors(async () => checkDeclaredLength(req.headers, deps()));
    const who = await caller();
    if (!who) throw new ApiError(401, "unauthorized", "Sign in to upload.");
    if (who.tenant.status === "suspended") throw new ApiError(403, "tenant_suspended", "This workspace is suspended; uploads are disabled.");
    const row = await withAssetErrors(async () => ingestMultipart(await db(), who.tenant.id, req, deps()));
    return answer(201, toAssetDto(row, baseUrl));
  } catch (error) {
    const { body, unexpected } = toApiErrorBody(error);
    if (unexpected) logUnexpected(logger, error, req.signal, "dashboard upload failed");
    return answer(body.status, body);
  }
}
