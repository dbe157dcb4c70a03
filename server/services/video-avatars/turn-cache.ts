import "server-only";
import type { Db } from "@/server/db/client";
import { AppError } from "@/server/errors";
import type { AvatarRow } from "../avatars";
import { defaultCache, findCache, type VideoCacheRow } from "./caches";

/**
 * The video cache a turn or lipsync on `avatar` renders on: `videoCacheId` (one of this avatar's,
 * of its current manifest) or its default cache; null for a portrait. `sourceKind` 'source_video'
 * on a portrait is a 422.
 */
export async function videoCacheForTurn(db: Db, avatar: AvatarRow, manifestId: string, opts: { sourceKind?: "portrait" | "source_video"; videoCacheId?: string | null }): Promise<VideoCacheRow | null> {
  if (avatar.sourceKind !== "video") {
    if (opts.sourceKind === "source_video" || opts.videoCacheId) {
      throw new AppError("invalid_input", "source_kind 'source_video' and video_cache_id need an avatar made from a video (sourceKind 'video'); this one is a portrait.", { field: "source_kind" });
    }
    return null;
  }
  const cache = opts.videoCacheId ? await findCache(db, avatar.tenantId, avatar.id, opts.videoCacheId) : await defaultCache(db, avatar.tenantId, manifestId);
  if (!cache || cache.manifestId !== manifestId) {
    throw new AppError(opts.videoCacheId ? "not_found" : "conflict", opts.videoCacheId ? "video_cache_id: no video cache with this id for this avatar's current preparation; plan one with POST /api/v1/realtime/video-cache/plan." : "The avatar has no video cache; call POST /api/v1/realtime/prepare again.", { field: "video_cache_id" });
  }
  if (cache.status !== "ready") throw new AppError("conflict", `The video cache is ${cache.status}; poll POST /api/v1/realtime/video-cache/plan until it answers 'ready'.`, { field: "video_cache_id", retryable: cache.status === "queued" });
  return cache;
}
