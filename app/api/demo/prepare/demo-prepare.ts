import "server-only";
import { createHash } from "node:crypto";
import { sniffMedia } from "@/core/media/sniff";
import { RIG_VERSION } from "@/core/render/rig";
import { AppError } from "@/server/errors";
import { processState } from "@/server/process-state";
import { ConcurrencyLimit } from "@/server/services/concurrency-limit";
import type { BodyLimit } from "@/server/services/request-body";
import { PortraitError } from "@/server/portrait/errors";
import type { PrepareResult } from "@/server/portrait/prepare";
import { preparePortraitInChild } from "@/server/portrait/prepare-in-child";
import { AddressLimit } from "@/server/services/rate-limit";

/** Largest upload the public demo prepares; a portrait needs far less. */
export const DEMO_MAX_IMAGE_BYTES = 10 * 1024 * 1024;
// Per client IP: a burst of 6 prepares, then one every 10 s. Prepare is CPU work paid by nobody.
// Per process (server/process-state.ts), like every other limit and cache.
const limits = processState(
  "demoPrepareLimits",
  () => ({
    prepare: new AddressLimit("demo-prepare", { perSecond: 0.1, burst: 6 }, "demo portraits"),
    building: new ConcurrencyLimit(
      1,
      () => new AppError("busy", "The demo is preparing another portrait; try again in a few seconds.", { kind: "unavailable", retryable: true, retryAfterSeconds: 5 }),
    ),
    cache: new Map<string, PrepareResult>(),
  }),
  (l) => {
    l.prepare.clear();
    l.cache.clear();
  },
);
export const DEMO_PREPARE_LIMIT = limits.prepare;
const CACHE_ENTRIES = 16;

// One demo build at a time, running or waiting: the build queue puts tenants' builds first, so a
// burst of anonymous prepares delays a workspace's prepare by one demo build at most.
const building = limits.building;
// Same image → same rig (prepare is deterministic), so repeated demo plays cost nothing.
const cache = limits.cache;

/** The demo's upload limit: more (declared or streamed) is a 413 the moment it passes. */
export const DEMO_IMAGE_LIMIT: BodyLimit = {
  maxBytes: DEMO_MAX_IMAGE_BYTES,
  status: 413,
  message: `The image is over ${DEMO_MAX_IMAGE_BYTES / 1024 / 1024} MiB; use a smaller photo.`,
};

/** The uploaded portrait (the body, read within DEMO_IMAGE_LIMIT by demoRoute). */
export function checkPortrait(image: Uint8Array): Uint8Array {
  if (image.byteLength === 0) throw new AppError("image_missing", "Send the portrait image as the request body.", { kind: "invalid_input" });
  return image;
}

/**
 * Prepares (or finds cached) the rig of an uploaded portrait. Only a real prepare is charged to
 * `clientAddress`'s rate limit: cache hits (every visit showing the sample portrait) cost nothing.
 */
export async function prepareDemoPortrait(image: Uint8Array, clientAddress: string): Promise<PrepareResult & { cached: boolean }> {
  const sniffed = sniffMedia(image.subarray(0, 4096));
  if (!sniffed.ok || sniffed.kind !== "image") {
    throw new AppError("unsupported_image", "This file is not a PNG, JPEG or WebP image.", { kind: "invalid_input" });
  }
  // The rig version is part of the key: a renderer refuses rigs of another version.
  const key = `${RIG_VERSION}:${createHash("sha256").update(image).digest("hex")}`;
  const hit = cache.get(key);
  if (hit) return { ...hit, cached: true };
  const result = await building.run(async () => {
    // Charged only once the build has its place: a busy answer costs the visitor nothing.
    await DEMO_PREPARE_LIMIT.charge(clientAddress);
    return preparePortraitInChild(image, { timeoutMs: 60_000, priority: "demo" }).catch((error: unknown) => {
      // The portrait step's own code (face_not_found …) tells the visitor what to change.
      throw error instanceof PortraitError ? new AppError(error.code, error.message, { kind: "invalid_input", retryable: false, cause: error }) : error;
    });
  });
  if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(key, result);
  return { ...result, cached: false };
}
