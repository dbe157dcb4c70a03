import "server-only";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RgbaImage } from "@/core/render/raster";
import type { VideoPlan } from "@/core/video/loop-plan";
import type { Db } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { processState } from "@/server/process-state";
import { findAsset } from "../assets/assets";
import { readAssetBytes } from "../realtime/source-image";
import type { VideoCacheRow } from "./caches";
import { decodeLoop } from "./loop-video";

// Decoded loops per (cache, size): up to 10 s at 25 fps, 59 MB at 256 px and 147 MB at 384, so only a few are kept.
const MAX_LOOPS = 3;
const loops = processState("videoLoops", () => new Map<string, Promise<RgbaImage[]>>(), (m) => m.clear());

/** A ready cache's loop frames as RGBA at `size`, decoded once per process (least recently used dropped). */
export function loopFrames(db: Db, cache: VideoCacheRow, size: number): Promise<RgbaImage[]> {
  const key = `${cache.id}:${size}`;
  let hit = loops.get(key);
  if (hit) {
    loops.delete(key);
    loops.set(key, hit);
    return hit;
  }
  hit = decode(db, cache, size);
  loops.set(key, hit);
  hit.catch(() => loops.delete(key));
  while (loops.size > MAX_LOOPS) loops.delete(loops.keys().next().value!);
  return hit;
}

async function decode(db: Db, cache: VideoCacheRow, size: number): Promise<RgbaImage[]> {
  const asset = cache.loopAssetId ? await findAsset(db, cache.tenantId, cache.loopAssetId) : undefined;
  if (cache.status !== "ready" || !asset) throw new AppError("conflict", "The avatar's video cache is not ready; poll POST /api/v1/realtime/video-cache/plan until it answers 'ready'.", { field: "video_cache_id" });
  const plan = cache.plan as unknown as VideoPlan;
  const dir = await mkdtemp(join(tmpdir(), "tic-loop-"));
  try {
    const path = join(dir, "loop.mp4");
    await writeFile(path, await readAssetBytes(asset));
    const frames = await decodeLoop(path, size, plan.output.fps, plan.rigTrack.length);
    if (frames.length === 0) throw new AppError("conflict", "The avatar's loop video holds no frames; plan the cache again.", { field: "video_cache_id" });
    return frames;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
