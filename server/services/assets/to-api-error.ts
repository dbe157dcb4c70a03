import "server-only";
import { ApiError } from "../../http/api-error";
import { AssetRejected } from "./asset-error";

/** Runs an asset operation, answering its refusals with their specific public code (422 payload_too_large …). */
export async function withAssetErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AssetRejected) throw new ApiError(422, error.reason, error.message);
    throw error;
  }
}
