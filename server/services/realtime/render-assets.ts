import "server-only";
import type { LoopPlan } from "@/core/video/video-frames";
import type { Db } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { findAsset } from "../assets/assets";
import { getAvatar } from "../avatars";
import { videoCacheForTurn } from "../video-avatars/turn-cache";
import { preparedRig } from "./prepare";

// What a browser needs to draw an avatar itself: its prepared rig and what it deforms — the portrait
// it was prepared from, or for a source-video avatar its loop video and plan (the page decodes the
// loop once, the worker warps each frame) — as /files/ capability URLs. Shared by the dashboard's
// player, the REST read (GET /api/v1/avatars/{id}/render-assets) and the widget's read by a
// session's client secret.

export type RenderAssets = {
  avatar_id: string;
  manifest_id: string;
  version: number;
  rig: unknown;
  /** Image avatars. */
  portrait_url?: string;
  /** Source-video avatars. */
  video?: { loop_url: string; plan: LoopPlan };
};

/** The render assets of a ready avatar of `tenantId`; another tenant's avatar is not_found. */
export async function renderAssets(db: Db, tenantId: string, avatarId: string): Promise<RenderAssets> {
  const avatar = await getAvatar(db, tenantId, avatarId);
  const entry = await preparedRig(db, avatar);
  const base = { avatar_id: avatar.id, manifest_id: entry.manifestId, version: entry.version, rig: entry.rig };
  const cache = await videoCacheForTurn(db, avatar, entry.manifestId, {});
  if (cache) {
    const loop = cache.loopAssetId ? await findAsset(db, tenantId, cache.loopAssetId) : undefined;
    if (!loop) throw new AppError("not_found", "The avatar's loop video is gone; prepare the avatar again.");
    return { ...base, video: { loop_url: `/files/${loop.publicToken}`, plan: cache.plan as unknown as LoopPlan } };
  }
  const asset = await findAsset(db, tenantId, entry.sourceAssetId);
  if (!asset) throw new AppError("not_found", "The avatar's portrait is gone.");
  return { ...base, portrait_url: `/files/${asset.publicToken}` };
}
