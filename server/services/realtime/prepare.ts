import "server-only";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Rig } from "@/core/render/rig";
import type { Db } from "@/server/db/client";
import { avatars } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import { logger } from "@/server/logger";
import { getAvatar, type AvatarRow } from "../avatars";
import { buildRigInChild, RigRejected } from "./build-rig";
import { warmEngine } from "./engine";
import { markPrepared, setPreparationStatus } from "./preparation-status";
import { findManifest, insertManifest } from "./manifests";
import { getRigEntry, putRigEntry, putStoredRig, type RigEntry } from "./rig-cache";
import { assetSha, readAssetBytes, sourceAsset } from "./source-image";
import { prepareVideoAvatar } from "../video-avatars/prepare-video";
import { toVideoCacheDto, type VideoCacheDto } from "../video-avatars/dto";
import { requestedCache, type PlanResponse } from "../video-avatars/plan";

/** The renderer behind turns: the viseme model on onnxruntime-node, the rig deformed in core/render. */
export const BACKEND_ID = "tic-rig-v1+onnxruntime-node";

export type PrepareResponse = {
  avatar_id: string;
  renderer_avatar_id: string;
  model_id: string;
  backend_id: string;
  status: "ready";
  registered: boolean;
  source_kind: "portrait" | "source_video";
  timings: Record<string, number>;
  video_cache: VideoCacheDto | PlanResponse["manifest"] | null;
};

const ms = (t0: number) => Math.round((performance.now() - t0) * 10) / 10;
const inFlight = new Map<string, Promise<RigEntry>>();

/**
 * Makes an avatar ready for turns: finds its rig in the process cache, else its current manifest in
 * the database, else builds one from the source image (a new manifest version). Also warms the
 * viseme model and TTS. `registered` is true when this call built and registered a new rig.
 */
export async function prepareAvatar(db: Db, tenantId: string, avatarId: string, opts: { sourceKind?: "portrait" | "source_video"; retrying?: boolean; videoCacheId?: string | null; videoCache?: Record<string, unknown> } = {}): Promise<PrepareResponse> {
  const t0 = performance.now();
  const avatar = await getAvatar(db, tenantId, avatarId);
  assertPreparable(avatar);
  if (opts.sourceKind === "source_video" && avatar.sourceKind !== "video") {
    throw new AppError("invalid_input", "source_kind 'source_video' needs an avatar made from a video (sourceKind 'video'); this one is a portrait: send source_kind 'portrait'.", { field: "source_kind" });
  }
  const timings: Record<string, number> = { lookupMs: ms(t0) };
  const warm = warmEngine();
  // A video avatar is always prepared as one: the contract's default source_kind is 'portrait'.
  const video = avatar.sourceKind === "video" ? await prepareVideoAvatar(db, avatar, opts.retrying ?? false) : null;
  const { entry, built, steps } = video ?? (await resolveRig(db, avatar, opts.retrying ?? false));
  Object.assign(timings, steps);
  const w0 = performance.now();
  const warmed = await warm;
  timings.warmWaitMs = ms(w0);
  timings.visemeModelMs = warmed.visemeMs;
  timings.ttsCheckMs = warmed.ttsMs;
  timings.totalMs = ms(t0);
  return {
    avatar_id: avatar.id,
    renderer_avatar_id: entry.manifestId,
    model_id: avatar.modelId,
    backend_id: BACKEND_ID,
    status: "ready",
    registered: built,
    source_kind: video ? "source_video" : "portrait",
    timings,
    video_cache: !video ? null : opts.videoCacheId || opts.videoCache ? await requestedCache(db, tenantId, avatar.id, opts) : toVideoCacheDto(video.cache, avatar),
  };
}

/** The ready avatar's rig for a turn (cache, then database); 409 when it was never prepared. */
export async function preparedRig(db: Db, avatar: AvatarRow): Promise<RigEntry> {
  assertPreparable(avatar);
  if (avatar.status !== "ready" || !avatar.cacheManifestId) {
    throw new AppError("conflict", `Avatar is ${avatar.status}, not ready; call POST /api/v1/realtime/prepare first (and fix the source image if it failed).`, { field: "avatar_id" });
  }
  const hit = getRigEntry(avatar.cacheManifestId);
  if (hit) return hit;
  const row = await findManifest(db, avatar.tenantId, avatar.id, avatar.cacheManifestId);
  if (!row) throw new AppError("conflict", "The avatar's prepared rig is missing; call POST /api/v1/realtime/prepare again.", { field: "avatar_id" });
  const entry = putStoredRig({ manifestId: row.id, version: row.version, tenantId: row.tenantId, avatarId: row.avatarId, sourceSha256: row.sourceSha256, sourceAssetId: avatar.sourceAssetId ?? "", rig: row.rig as unknown as Rig });
  if (!entry) throw new AppError("conflict", "The avatar's prepared rig cannot be animated; call POST /api/v1/realtime/prepare again to rebuild it.", { field: "avatar_id" });
  return entry;
}

function assertPreparable(avatar: AvatarRow): void {
  if (avatar.status === "disabled") throw new AppError("conflict", "Avatar is disabled; enable it in the dashboard before preparing or speaking.", { field: "avatar_id" });
}

async function resolveRig(db: Db, avatar: AvatarRow, retrying: boolean): Promise<{ entry: RigEntry; built: boolean; steps: Record<string, number> }> {
  let t0 = performance.now();
  const asset = await sourceAsset(db, avatar.tenantId, avatar.sourceAssetId);
  const steps: Record<string, number> = { sourceMs: ms(t0) };
  const current = avatar.status === "ready" && avatar.cacheManifestId ? avatar.cacheManifestId : null;
  if (current && asset.sha256) {
    const hit = getRigEntry(current);
    if (hit && hit.sourceSha256 === asset.sha256) return { entry: hit, built: false, steps: { ...steps, cacheHit: 1 } };
    t0 = performance.now();
    const row = await findManifest(db, avatar.tenantId, avatar.id, current);
    // A stored rig that no longer compiles is rebuilt below, as a new manifest version.
    const entry = row && row.sourceSha256 === asset.sha256
      ? putStoredRig({ manifestId: row.id, version: row.version, tenantId: row.tenantId, avatarId: row.avatarId, sourceSha256: row.sourceSha256, sourceAssetId: asset.id, rig: row.rig as unknown as Rig })
      : undefined;
    if (entry) return { entry, built: false, steps: { ...steps, manifestLoadMs: ms(t0) } };
  }
  // Concurrent prepares of one avatar share one build.
  let pending = inFlight.get(avatar.id);
  if (!pending) {
    pending = buildManifest(db, avatar, steps, retrying).finally(() => inFlight.delete(avatar.id));
    inFlight.set(avatar.id, pending);
  }
  return { entry: await pending, built: true, steps };
}

// `retrying`: a job attempt that will be retried leaves the avatar preprocessing on a crash (the
// portrait's own faults still mark it failed at once: a retry would not change them).
async function buildManifest(db: Db, avatar: AvatarRow, steps: Record<string, number>, retrying: boolean): Promise<RigEntry> {
  const asset = await sourceAsset(db, avatar.tenantId, avatar.sourceAssetId);
  await setPreparationStatus(db, avatar, "preprocessing", null, ["draft", "ready", "failed", "preprocessing"]);
  try {
    let t0 = performance.now();
    const bytes = await readAssetBytes(asset);
    steps.readSourceMs = ms(t0);
    t0 = performance.now();
    const prepared = await buildRigInChild(bytes);
    steps.buildMs = ms(t0);
    for (const [k, v] of Object.entries(prepared.timings)) steps[`build.${k}`] = v;
    t0 = performance.now();
    const sha = assetSha(asset, bytes)!;
    const row = await insertManifest(db, {
      tenantId: avatar.tenantId,
      avatarId: avatar.id,
      version: avatar.cacheVersion + 1,
      sourceSha256: sha,
      modelId: avatar.modelId,
      rig: prepared.rig,
      timings: prepared.timings,
    });
    await markPrepared(db, avatar, row);
    steps.storeMs = ms(t0);
    t0 = performance.now();
    const entry = putRigEntry({ manifestId: row.id, version: row.version, tenantId: row.tenantId, avatarId: row.avatarId, sourceSha256: sha, sourceAssetId: asset.id, rig: prepared.rig });
    steps.compileMs = ms(t0);
    return entry;
  } catch (error) {
    if (retrying && !(error instanceof RigRejected)) throw error;
    const reason = error instanceof RigRejected ? `${error.reason}: ${error.message}` : `preparation failed: ${(error as Error).message}`.slice(0, 500);
    await setPreparationStatus(db, avatar, "failed", reason, ["preprocessing"]).catch((err: unknown) => logger.error({ err, avatarId: avatar.id }, "could not mark avatar failed"));
    throw error;
  }
}

/** Marks a queued avatar (draft, or failed and retried) preprocessing: a worker has taken its preparation. */
export async function markPreparing(db: Db, tenantId: string, avatarId: string): Promise<void> {
  await db
    .update(avatars)
    .set({ status: "preprocessing", failureReason: null, updatedAt: sql`now()` })
    .where(and(eq(avatars.id, avatarId), eq(avatars.tenantId, tenantId), isNull(avatars.deletedAt), inArray(avatars.status, ["draft", "failed"])));
}

/** Marks a preparation that failed for good (its job's retries are spent): the avatar shows `failed` with the reason. */
export async function markPreparationFailed(db: Db, tenantId: string, avatarId: string, reason: string): Promise<void> {
  await db
    .update(avatars)
    .set({ status: "failed", failureReason: `preparation failed: ${reason}`.slice(0, 500), updatedAt: sql`now()` })
    .where(and(eq(avatars.id, avatarId), eq(avatars.tenantId, tenantId), isNull(avatars.deletedAt), inArray(avatars.status, ["draft", "preprocessing"])));
}
