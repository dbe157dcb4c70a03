import "server-only";
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileRig } from "@/core/render/model";
import { RIG_VERSION, type Rig } from "@/core/render/rig";
import { RigError } from "@/core/render/rig-error";
import { getEnv } from "../env";
import { preparePortrait, type PrepareResult } from "./prepare";

/** Where prepared rigs are kept between runs (TIC_RIG_CACHE_DIR, else the OS temp folder). */
export function rigCacheDir(): string {
  return getEnv().TIC_RIG_CACHE_DIR ?? join(tmpdir(), "tic-avatar-rigs");
}

/**
 * preparePortrait with the rig cached by image hash and rig version: the rig is the avatar's
 * cache manifest, and re-rendering the same portrait should not run face detection again.
 */
export async function preparePortraitCached(image: Uint8Array, dir = rigCacheDir()): Promise<PrepareResult & { cached: boolean }> {
  const key = createHash("sha256").update(image).digest("hex");
  const file = join(dir, `${key}.v${RIG_VERSION}.json`);
  const t0 = performance.now();
  // A missing or unreadable file is a miss, like a rig that no longer compiles.
  const hit = await readFile(file, "utf8")
    .then((text) => JSON.parse(text) as { rig: Rig; warnings: PrepareResult["warnings"] })
    .catch(() => null);
  if (hit && compiles(hit.rig)) {
    const ms = Math.round((performance.now() - t0) * 10) / 10;
    return { rig: hit.rig, warnings: hit.warnings, timings: { decodeMs: 0, modelLoadMs: 0, detectMs: 0, rigMs: ms, totalMs: ms }, cached: true };
  }
  const result = await preparePortrait(image);
  await mkdir(dir, { recursive: true });
  // Write then rename: a concurrent reader never sees half a file.
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify({ rig: result.rig, warnings: result.warnings }));
  await rename(tmp, file);
  return { ...result, cached: false };
}

/** A cached rig of another version, or from before the builder refused degenerate faces, is rebuilt, not rendered. */
function compiles(rig: Rig): boolean {
  try {
    compileRig(rig);
    return true;
  } catch (error) {
    if (error instanceof RigError) return false;
    throw error;
  }
}
