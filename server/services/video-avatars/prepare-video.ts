import "server-only";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Rig } from "@/core/render/rig";
import type { Db } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { logger } from "@/server/logger";
import { analyseVideoInChild, VideoRefused } from "@/server/video-avatar/analyse-in-child";
import type { AvatarRow } from "../avatars";
import { findAsset, type AssetRow } from "../assets/assets";
import { RigRejected } from "../realtime/build-rig";
import { markPrepared, setPreparationStatus } from "../realtime/preparation-status";
import { findManifest, insertManifest } from "../realtime/manifests";
import { getRigEntry, putRigEntry, putStoredRig, type RigEntry } from "../realtime/rig-cache";
import { assetSha, readAssetBytes } from "../realtime/source-image";
import { buildCache, computePlan, defaultCache, insertCache, type StoredVideoAnalysis, type VideoCacheRow } from "./caches";

const ms = (t0: number) => Math.round((performance.now() - t0) * 10) / 10;
const inFlight = new Map<string, Promise<{ entry: RigEntry; cache: VideoCacheRow }>>();

/** The avatar's source video asset; invalid_input when it is missing or not a video. */
export async function sourceVideo(db: Db, avatar: AvatarRow): Promise<AssetRow> {
  const asset = avatar.sourceAssetId ? await findAsset(db, avatar.tenantId, avatar.sourceAssetId) : undefined;
  if (!asset || asset.status === "deleted") throw new AppError("invalid_input", "The avatar's source video asset is gone; create a new avatar from a current video (sourceKind 'video').", { field: "avatar_id" });
  if (asset.kind !== "video") throw new AppError("invalid_input", `The avatar's source asset is ${asset.kind}, not a video.`, { field: "source_kind" });
  return asset;
}

/**
 * Makes a source-video avatar ready: its manifest (the rig of the clip's first frame plus the
 * per-frame analysis) from the cache or the database, else analysed from the video (a new
 * manifest version) with its default cache (plan + loop MP4). A clip the engine refuses marks the
 * avatar failed with the reason and throws RigRejected with the video's code.
 */
export async function prepareVideoAvatar(db: Db, avatar: AvatarRow, retrying: boolean): Promise<{ entry: RigEntry; cache: VideoCacheRow; built: boolean; steps: Record<string, number> }> {
  const t0 = performance.now();
  const asset = await sourceVideo(db, avatar);
  const steps: Record<string, number> = { sourceMs: ms(t0) };
  if (avatar.status === "ready" && avatar.cacheManifestId) {
    const row = await findManifest(db, avatar.tenantId, avatar.id, avatar.cacheManifestId);
    const cache = row?.videoAnalysis ? await defaultCache(db, avatar.tenantId, row.id) : undefined;
    if (row && cache?.status === "ready" && (!asset.sha256 || row.sourceSha256 === asset.sha256)) {
      const entry = getRigEntry(row.id) ?? putStoredRig({ manifestId: row.id, version: row.version, tenantId: row.tenantId, avatarId: row.avatarId, sourceSha256: row.sourceSha256, sourceAssetId: asset.id, rig: row.rig as unknown as Rig });
      if (entry) return { entry, cache, built: false, steps: { ...steps, manifestLoadMs: ms(t0) } };
    }
  }
  let pending = inFlight.get(avatar.id);
  if (!pending) {
    pending = build(db, avatar, asset, steps, retrying).finally(() => inFlight.delete(avatar.id));
    inFlight.set(avatar.id, pending);
  }
  return { ...(await pending), built: true, steps };
}

async function build(db: Db, avatar: AvatarRow, asset: AssetRow, steps: Record<string, number>, retrying: boolean): Promise<{ entry: RigEntry; cache: VideoCacheRow }> {
  await setPreparationStatus(db, avatar, "preprocessing", null, ["draft", "ready", "failed", "preprocessing"]);
  const dir = await mkdtemp(join(tmpdir(), "tic-video-avatar-"));
  try {
    let t0 = performance.now();
    const bytes = await readAssetBytes(asset);
    const path = join(dir, "source");
    await writeFile(path, bytes);
    steps.readSourceMs = ms(t0);
    t0 = performance.now();
    const analysis = await analyseVideoInChild(path).catch((error: unknown) => {
      if (error instanceof VideoRefused) throw new RigRejected(error.code, error.message, error.code);
      throw new AppError("unavailable", `The video engine failed; retry later. (${(error as Error).message})`, { cause: error, retryable: true });
    });
    steps.analyseMs = ms(t0);
    for (const [k, v] of Object.entries(analysis.timings)) steps[`analyse.${k}`] = v;
    const stored: StoredVideoAnalysis = { ...analysis, sourceAssetId: asset.id };
    const row = await insertManifest(db, {
      tenantId: avatar.tenantId,
      avatarId: avatar.id,
      version: avatar.cacheVersion + 1,
      sourceSha256: assetSha(asset, bytes)!,
      modelId: avatar.modelId,
      rig: analysis.rig,
      timings: analysis.timings,
      videoAnalysis: stored as unknown as Record<string, unknown>,
    });
    t0 = performance.now();
    const queued = await insertCache(db, { tenantId: avatar.tenantId, avatarId: avatar.id, manifestId: row.id, key: "{}", plan: computePlan(analysis, {}) });
    const cache = await buildCache(db, avatar.tenantId, queued.id);
    steps.loopMs = ms(t0);
    await markPrepared(db, avatar, row);
    const entry = putRigEntry({ manifestId: row.id, version: row.version, tenantId: row.tenantId, avatarId: row.avatarId, sourceSha256: row.sourceSha256, sourceAssetId: asset.id, rig: analysis.rig });
    return { entry, cache };
  } catch (error) {
    if (retrying && !(error instanceof RigRejected)) throw error;
    const reason = error instanceof RigRejected ? `${error.reason}: ${error.message}` : `preparation failed: ${(error as Error).message}`.slice(0, 500);
    await setPreparationStatus(db, avatar, "failed", reason, ["preprocessing"]).catch((err: unknown) => logger.error({ err, avatarId: avatar.id }, "could not mark avatar failed"));
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
