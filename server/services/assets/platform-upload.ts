import "server-only";
import { ApiError, toApiErrorBody } from "../../http/api-error";
import { dashboardSession, type SessionLookup } from "../../http/dashboard-session";
import { logUnexpected } from "../../http/client-abort";
import { logger } from "../../logger";
import { toAssetDto, type AssetDeps } from "./assets";
import { checkDeclaredLength, ingestMultipart } from "./multipart";
import { withAssetErrors } from "./to-api-error";

function answer(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", "Cache-Control": "no-store", ...headers } });
}

/**
 * The dashboard's upload (cookie session, not API key; server/http/dashboard-session.ts). A
 * cookie-authenticated multipart POST is a classic CSRF target, so it also requires a custom header
 * (which a cross-site form cannot send without a CORS preflight) and, when the browser sends one, a
 * same-origin Origin.
 */
export async function handlePlatformUpload(req: Request, deps: () => AssetDeps, baseUrl: string, signedIn?: SessionLookup): Promise<Response> {
  try {
    if (req.headers.get("x-tic-upload") !== "1") throw new ApiError(403, "forbidden", "Uploads must come from the dashboard (missing X-Tic-Upload header).");
    await withAssetErrors(async () => checkDeclaredLength(req.headers, deps()));
    const session = await dashboardSession(req, signedIn);
    const row = await withAssetErrors(async () => ingestMultipart(session.db, session.tenant.id, req, deps()));
    return answer(201, toAssetDto(row, baseUrl));
  } catch (error) {
    const { body, headers, unexpected } = toApiErrorBody(error);
    if (unexpected) logUnexpected(logger, error, req.signal, "dashboard upload failed");
    return answer(body.status, body, headers);
  }
}
