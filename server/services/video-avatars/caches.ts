import "server-only";
import { createReadStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, desc, eq, sql } from "drizzle-orm";
import { newId } from "@/core/ids/new-id";
import { planLoop, type AnalysedFrame, type VideoPlan } from "@/core/video/loop-plan";
import type { Db } from "@/server/db/client";
import { avatarManifests, videoCaches } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import type { VideoAnalysis } from "@/server/video-avatar/analyse";
import { findAsset, storeReceived } from "../assets/assets";
import { assetDepsFromEnv } from "../assets";
import { receiveToTempFile } from "../assets/receive";
import { readAssetBytes } from "../realtime/source-image";
import type { VideoCacheSettings } from "./settings";
import { writeLoopMp4 } from "./loop-video";

export type VideoCacheRow = typeof videoCaches.$inferSelect;

/**
 * Loop length bounds when the caller names none: long enough not to feel repetitive, short enough to
 * hold decoded (4 s at 25 fps and 384 px is 59 MB of RGBA on the server; the browser holds it too).
 */
const DEFAULT_MIN_LOOP_S = 2;
const DEFAULT_MAX_LOOP_S = 4;
const DEFAULT_SIZE = 512;

/** What a video avatar's manifest stores: the analysis and the asset it was made from (loops are cut from it). */
export type StoredVideoAnalysis = VideoAnalysis & { sourceAssetId: string };

/** The analysis a manifest stores, with thumbnails back as bytes. */
export function analysedFrames(a: VideoAnalysis): AnalysedFrame[] {
  return a.frames.map((f) => ({ thumb: new Uint8Array(Buffer.from(f.thumb, "base64")), pose: f.pose, mouthOpen: f.mouthOpen }));
}

/** Computes a plan from a manifest's analysis and the overrides; bounds outside the clip are a 422. */
export function computePlan(a: VideoAnalysis, s: VideoCacheSettings): VideoPlan {
  const seconds = a.frames.length / a.fps;
  for (const k of ["loop_start_s", "loop_end_s"] as const) {
    if (s[k] !== undefined && s[k] > seconds + 1e-6) throw new AppError("invalid_input", `video_cache.${k}: ${s[k]} s is past the clip's end (${seconds.toFixed(2)} s).`, { field: `video_cache.${k}` });
  }
  const size = s.size ?? Math.min(DEFAULT_SIZE, 2 * Math.floor(a.rig.crop.size / 2));
  try {
    return planLoop(analysedFrames(a), a.fps, {
      fps: Math.min(s.fps ?? a.fps, a.fps),
      size,
      loopStartSec: s.loop_start_s,
      loopEndSec: s.loop_end_s,
      minLoopSec: Math.min(s.min_loop_s ?? DEFAULT_MIN_LOOP_S, seconds),
      maxLoopSec: Math.min(s.max_loop_s ?? DEFAULT_MAX_LOOP_S, seconds),
    });
  } catch (error) {
    if (error instanceof RangeError) throw new AppError("invalid_input", `video_cache: the loop bounds must lie inside the clip (0–${seconds.toFixed(2)} s) and span at least two frames.`, { field: "video_cache" });
    throw error;
  }
}

/** The cache of a manifest for some overrides, or undefined. */
export async function findCacheByKey(db: Db, tenantId: string, manifestId: string, key: string): Promise<VideoCacheRow | undefined> {
  const [row] = await db.select().from(videoCaches).where(and(eq(videoCaches.tenantId, tenantId), eq(videoCaches.manifestId, manifestId), eq(videoCaches.settingsKey, key))).limit(1);
  return row;
}

/** One cache of the tenant's avatar by id, or undefined. */
export async function findCache(db: Db, tenantId: string, avatarId: string, cacheId: string): Promise<VideoCacheRow | undefined> {
  const [row] = await db.select().from(videoCaches).where(and(eq(videoCaches.id, cacheId), eq(videoCaches.tenantId, tenantId), eq(videoCaches.avatarId, avatarId))).limit(1);
  return row;
}

/** The avatar's default cache (no overrides) of its current manifest. */
export async function defaultCache(db: Db, tenantId: string, manifestId: string): Promise<VideoCacheRow | undefined> {
  const [row] = await db.select().from(videoCaches).where(and(eq(videoCaches.tenantId, tenantId), eq(videoCaches.manifestId, manifestId), eq(videoCaches.settingsKey, "{}"))).orderBy(desc(videoCaches.createdAt)).limit(1);
  return row;
}

/** Records a plan as a queued cache (the same overrides of the same manifest answer the existing row). */
export async function insertCache(db: Db, input: { tenantId: string; avatarId: string; manifestId: string; key: string; plan: VideoPlan }): Promise<VideoCacheRow> {
  const [row] = await db
    .insert(videoCaches)
    .values({ id: newId("vc"), tenantId: input.tenantId, avatarId: input.avatarId, manifestId: input.manifestId, settingsKey: input.key, plan: input.plan as unknown as Record<string, unknown>, status: "queued" })
    .onConflictDoNothing({ target: [videoCaches.manifestId, videoCaches.settingsKey] })
    .returning();
  return row ?? (await findCacheByKey(db, input.tenantId, input.manifestId, input.key))!;
}

/**
 * Renders a queued cache's loop MP4 from the avatar's source video and stores it as a video asset
 * of the tenant; the cache becomes ready. Idempotent: a ready cache is left as it is.
 */
export async function buildCache(db: Db, tenantId: string, cacheId: string): Promise<VideoCacheRow> {
  const [cache] = await db.select().from(videoCaches).where(and(eq(videoCaches.id, cacheId), eq(videoCaches.tenantId, tenantId))).limit(1);
  if (!cache) throw new AppError("not_found", "Video cache not found.");
  if (cache.status === "ready" && cache.loopAssetId) return cache;
  const [manifest] = await db.select().from(avatarManifests).where(and(eq(avatarManifests.id, cache.manifestId), eq(avatarManifests.tenantId, tenantId))).limit(1);
  const analysis = manifest?.videoAnalysis as StoredVideoAnalysis | null | undefined;
  if (!manifest || !analysis) throw new AppError("conflict", "The video cache's manifest has no video analysis; prepare the avatar again.");
  const source = await findAsset(db, tenantId, analysis.sourceAssetId);
  if (!source) throw new AppError("conflict", "The avatar's source video is gone; create the avatar again from a current video.");
  const dir = await mkdtemp(join(tmpdir(), "tic-vcache-"));
  try {
    const src = join(dir, "source");
    await writeFile(src, await readAssetBytes(source));
    const out = join(dir, "loop.mp4");
    await writeLoopMp4(src, { fps: analysis.fps, width: analysis.width, height: analysis.height, crop: analysis.rig.crop }, cache.plan as unknown as VideoPlan, out);
    const deps = assetDepsFromEnv();
    const file = await receiveToTempFile(createReadStream(out), { limits: deps.limits, tmpDir: dir, expectedKind: () => "video" });
    const asset = await storeReceived(db, tenantId, file, { expectedKind: () => "video", originalFilename: "loop.mp4", metadata: { videoCache: { id: cache.id, avatarId: cache.avatarId } } }, { ...deps, tmpDir: dir });
    const [row] = await db
      .update(videoCaches)
      .set({ status: "ready", loopAssetId: asset.id, failureReason: null, updatedAt: sql`now()` })
      .where(and(eq(videoCaches.id, cache.id), eq(videoCaches.tenantId, tenantId)))
      .returning();
    return row!;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Marks a cache whose build failed for good. */
export async function markCacheFailed(db: Db, tenantId: string, cacheId: string, reason: string): Promise<void> {
  await db.update(videoCaches).set({ status: "failed", failureReason: reason.slice(0, 500), updatedAt: sql`now()` }).where(and(eq(videoCaches.id, cacheId), eq(videoCaches.tenantId, tenantId)));
}
