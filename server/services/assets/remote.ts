import "server-only";
import type { MediaKind } from "@/core/media/sniff";
import type { Db } from "../../db/client";
import { safeFetch, SafeFetchError, type AddressPolicy, type Resolver } from "../net/safe-fetch";
import { AssetRejected } from "./asset-error";
import { cleanFilename, storeReceived, type AssetDeps, type AssetRow } from "./assets";
import { receiveToTempFile } from "./receive";

export type RemoteInput = { kind: MediaKind; remoteUrl: string; originalFilename?: string; metadata?: Record<string, unknown> };
/** Network seams for tests only; production uses the public-address policy and system DNS. */
export type RemoteDeps = AssetDeps & { policy?: AddressPolicy; resolve?: Resolver };

function toRejection(error: SafeFetchError): AssetRejected {
  const blocked = error.code === "address_not_allowed" || error.code === "scheme_not_allowed" || error.code === "invalid_url";
  if (error.code === "too_large") return new AssetRejected("payload_too_large", error.message, "remoteUrl", error);
  return new AssetRejected(blocked ? "remote_url_not_allowed" : "remote_fetch_failed", error.message, "remoteUrl", error);
}

function filenameFrom(url: string): string | null {
  try {
    return cleanFilename(decodeURIComponent(new URL(url).pathname.split("/").pop() ?? ""));
  } catch {
    return null;
  }
}

/** Fetches a public http(s) URL into tenant storage, with the same checks as an upload (SSRF-safe, capped). */
export async function ingestRemote(db: Db, tenantId: string, input: RemoteInput, deps: RemoteDeps): Promise<AssetRow> {
  try {
    const response = await safeFetch(input.remoteUrl, {
      maxBytes: deps.limits.maxBytes[input.kind],
      timeoutMs: deps.limits.remoteTimeoutMs,
      policy: deps.policy,
      resolve: deps.resolve,
    });
    const file = await receiveToTempFile(response.body, { limits: deps.limits, tmpDir: deps.tmpDir, expectedKind: () => input.kind });
    return await storeReceived(
      db,
      tenantId,
      file,
      {
        expectedKind: () => input.kind,
        originalFilename: input.originalFilename ?? filenameFrom(response.url),
        sourceUrl: input.remoteUrl,
        metadata: input.metadata,
      },
      deps,
    );
  } catch (error) {
    if (error instanceof SafeFetchError) throw toRejection(error);
    // The body iterator raises SafeFetchError (cap, deadline) through receiveToTempFile.
    if (error instanceof AssetRejected && error.details.field === "file") {
      throw new AssetRejected(error.reason, error.message.replace(/^file /, "the file at remoteUrl "), "remoteUrl", error);
    }
    throw error;
  }
}
