import "server-only";
import type { RgbaImage } from "@/core/render/raster";
import type { VideoPlan } from "@/core/video/loop-plan";
import { SourceVideoRenderer } from "@/core/video/video-frames";
import type { Db } from "@/server/db/client";
import type { AvatarRow } from "../avatars";
import { loopFrames } from "../video-avatars/loop-frames";
import { videoCacheForTurn } from "../video-avatars/turn-cache";
import type { RigEntry } from "./rig-cache";
import { entryTexture } from "./server-frames";
import { readAssetBytes, sourceAsset } from "./source-image";

/** What an MP4 render (renderMp4) draws on: a framed portrait, or a source-video avatar's loop. */
export type RenderSurface = { texture: RgbaImage } | { video: SourceVideoRenderer };

/**
 * The surface of `avatar` at `size`: its source-video loop (the default cache) when it has one, else
 * its portrait framed by the rig (cached on the rig entry). One choice for lipsync MP4s and videos.
 */
export async function renderSurface(db: Db, avatar: AvatarRow, entry: RigEntry, size: number): Promise<RenderSurface> {
  const cache = await videoCacheForTurn(db, avatar, entry.manifestId, {});
  if (cache) return { video: new SourceVideoRenderer(entry.model, await loopFrames(db, cache, size), cache.plan as unknown as VideoPlan) };
  return { texture: await entryTexture(entry, size, async () => readAssetBytes(await sourceAsset(db, avatar.tenantId, entry.sourceAssetId))) };
}
