import "server-only";
import type { VideoPlan } from "@/core/video/loop-plan";
import type { Db } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { enqueue } from "@/server/jobs";
import { getAvatar } from "../avatars";
import { findManifest } from "../realtime/manifests";
import { computePlan, findCache, findCacheByKey, insertCache, type StoredVideoAnalysis } from "./caches";
import { toVideoCacheDto, type VideoCacheDto } from "./dto";
import { parseVideoCacheSettings, settingsKey } from "./settings";

export type PlanResponse = { status: "queued" | "ready"; plan: VideoPlan | null; manifest: VideoCacheDto | { avatar_id: string; status: string; source_kind: "source_video" } };

/**
 * POST /api/v1/realtime/video-cache/plan: the avatar's cache for the overrides. While the avatar is
 * still being prepared the answer is `queued` (poll again); once it is ready the plan is computed
 * from the stored analysis (fast) and persisted, and its loop video rendered on the job queue
 * (`queued` until then); the same overrides answer the same cache.
 */
export async function planVideoCache(db: Db, tenantId: string, avatarId: string, rawSettings: unknown): Promise<PlanResponse> {
  const settings = parseVideoCacheSettings(rawSettings);
  const avatar = await getAvatar(db, tenantId, avatarId);
  if (avatar.sourceKind !== "video") {
    throw new AppError("invalid_input", "avatar_id: this avatar is a portrait; video cache plans are for avatars made from a video (sourceKind 'video').", { field: "avatar_id" });
  }
  if (avatar.status === "failed") {
    throw new AppError("video_not_usable", `The avatar's video could not be prepared (${avatar.failureReason ?? "unknown reason"}). Create the avatar again from a clip that fixes this.`, { kind: "invalid_input", field: "avatar_id" });
  }
  if (avatar.status === "disabled") throw new AppError("conflict", "Avatar is disabled; enable it in the dashboard first.", { field: "avatar_id" });
  const pending = { status: "queued" as const, plan: null, manifest: { avatar_id: avatar.id, status: avatar.status, source_kind: "source_video" as const } };
  if (avatar.status !== "ready" || !avatar.cacheManifestId) return pending;
  const manifest = await findManifest(db, tenantId, avatar.id, avatar.cacheManifestId);
  const analysis = manifest?.videoAnalysis as StoredVideoAnalysis | null | undefined;
  if (!manifest || !analysis) return pending;
  const key = settingsKey(settings);
  let cache = await findCacheByKey(db, tenantId, manifest.id, key);
  if (!cache || cache.status === "failed") {
    cache = await insertCache(db, { tenantId, avatarId: avatar.id, manifestId: manifest.id, key, plan: computePlan(analysis, settings) });
    if (cache.status !== "ready") await enqueue(db, "build-video-cache", { tenantId, cacheId: cache.id });
  }
  return { status: cache.status === "ready" ? "ready" : "queued", plan: cache.plan as unknown as VideoPlan, manifest: toVideoCacheDto(cache, avatar) };
}

/**
 * The cache a prepare call asked for (contract: `video_cache_id` or `video_cache` overrides on
 * prepare): that cache of the avatar (404 when it is not one of its caches), or the plan for the
 * overrides (queued until its loop is rendered).
 */
export async function requestedCache(db: Db, tenantId: string, avatarId: string, opts: { videoCacheId?: string | null; videoCache?: unknown }): Promise<VideoCacheDto | PlanResponse["manifest"]> {
  if (opts.videoCacheId) {
    const avatar = await getAvatar(db, tenantId, avatarId);
    const cache = await findCache(db, tenantId, avatarId, opts.videoCacheId);
    if (!cache) throw new AppError("not_found", "video_cache_id: no video cache with this id for this avatar; plan one with POST /api/v1/realtime/video-cache/plan.", { field: "video_cache_id" });
    return toVideoCacheDto(cache, avatar);
  }
  return (await planVideoCache(db, tenantId, avatarId, opts.videoCache)).manifest;
}
