import "server-only";
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RIG_KIND, RIG_VERSION, type Rig } from "@/core/render/rig";
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
  const hit = await readFile(file, "utf8").then(
    (text) => JSON.parse(text) as { rig: Rig; warnings: PrepareResult["warnings"] },
    () => null,
  );
  if (hit && hit.rig.kind === RIG_KIND && hit.rig.version === RIG_VERSION) {
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
