import "server-only";
import { createHash } from "node:crypto";
import type { Db } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { findAsset, type AssetRow } from "../assets/assets";
import { getStorage } from "../storage";

/** The avatar's source image asset; invalid_input when it is missing or not an image. */
export async function sourceAsset(db: Db, tenantId: string, assetId: string | null): Promise<AssetRow> {
  if (!assetId) {
    throw new AppError("invalid_input", "This avatar has no source image; create it with sourceKind 'image' and a sourceAssetId from POST /api/v1/assets.", { field: "avatar_id" });
  }
  const asset = await findAsset(db, tenantId, assetId);
  if (!asset || asset.status === "deleted") throw new AppError("invalid_input", "The avatar's source image asset is gone; create a new avatar from a current image.", { field: "avatar_id" });
  if (asset.kind !== "image") throw new AppError("invalid_input", `The avatar's source asset is ${asset.kind}, not an image; the portrait engine animates still images.`, { field: "source_kind" });
  return asset;
}

/** The bytes of a stored asset. */
export async function readAssetBytes(asset: AssetRow): Promise<Uint8Array> {
  const stream = await getStorage().get(asset.storageKey);
  if (!stream) throw new AppError("unavailable", "The avatar's source image is missing from storage; upload it again.", { retryable: false });
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

/** sha256 of the asset: the stored one, else computed from the bytes. */
export function assetSha(asset: AssetRow, bytes?: Uint8Array): string | null {
  if (asset.sha256) return asset.sha256;
  return bytes ? createHash("sha256").update(bytes).digest("hex") : null;
}
