import "server-only";
import type { AvatarRow } from "../avatars";
import type { VideoCacheRow } from "./caches";

/** The contract's video cache manifest record (prepare's `video_cache`, the plan endpoint's `manifest`). */
export function toVideoCacheDto(row: VideoCacheRow, avatar: Pick<AvatarRow, "id" | "cacheVersion">) {
  return {
    id: row.id,
    avatar_id: avatar.id,
    renderer_avatar_id: row.manifestId,
    cache_version: avatar.cacheVersion,
    source_kind: "source_video" as const,
    status: row.status,
    failure_reason: row.failureReason,
    settings: JSON.parse(row.settingsKey) as Record<string, unknown>,
    loop_asset_id: row.loopAssetId,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
export type VideoCacheDto = ReturnType<typeof toVideoCacheDto>;
