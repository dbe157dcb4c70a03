import "server-only";
import { getEnv } from "../../env";
import { getStorage } from "../storage";
import type { AssetDeps } from "./assets";
import { limitsFromEnv } from "./config";

export { AssetRejected, type AssetRejectCode } from "./asset-error";
export { findAsset, findAssetByToken, listAssets, toAssetDto, type AssetDeps, type AssetDto, type AssetRow } from "./assets";
export { DEFAULT_LIMITS, type AssetLimits } from "./config";
export { checkDeclaredLength, ingestMultipart, uploadBodyLimit } from "./multipart";
export { ingestRemote, type RemoteInput } from "./remote";

/** Storage and limits as the environment configures them. */
export function assetDepsFromEnv(): AssetDeps {
  return { storage: getStorage(), limits: limitsFromEnv(getEnv()) };
}

/** Base of absolute public URLs: PUBLIC_BASE_URL when set, else the origin the request came in on. */
export function publicBaseUrl(req: Request): string {
  return getEnv().PUBLIC_BASE_URL ?? new URL(req.url).origin;
}

/** The same base for callers that only have headers (tRPC): PUBLIC_BASE_URL, else the Host header. */
export function publicBaseUrlFromHeaders(headers: Headers): string {
  const configured = getEnv().PUBLIC_BASE_URL;
  if (configured) return configured;
  const host = headers.get("x-forwarded-host") ?? headers.get("host") ?? "localhost:3000";
  const proto = headers.get("x-forwarded-proto") ?? (host.startsWith("localhost") || host.startsWith("127.") ? "http" : "https");
  return `${proto.split(",")[0]!.trim()}://${host.split(",")[0]!.trim()}`;
}
