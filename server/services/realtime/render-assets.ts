import "server-only";
import type { Db } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { findAsset } from "../assets/assets";
import { getAvatar } from "../avatars";
import { preparedRig } from "./prepare";

// What a browser needs to draw an avatar itself: its prepared rig and the portrait it was prepared
// from (a /files/ capability URL). Shared by the dashboard's player, the REST read
// (GET /api/v1/avatars/{id}/render-assets) and the widget's read by a session's client secret.

export type RenderAssets = { avatar_id: string; manifest_id: string; version: number; rig: unknown; portrait_url: string };

/** The render assets of a ready avatar of `tenantId`; another tenant's avatar is not_found. */
export async function renderAssets(db: Db, tenantId: string, avatarId: string): Promise<RenderAssets> {
  const avatar = await getAvatar(db, tenantId, avatarId);
  const entry = await preparedRig(db, avatar);
  const asset = await findAsset(db, tenantId, entry.sourceAssetId);
  if (!asset) throw new AppError("not_found", "The avatar's portrait is gone.");
  return { avatar_id: avatar.id, manifest_id: entry.manifestId, version: entry.version, rig: entry.rig, portrait_url: `/files/${asset.publicToken}` };
}
