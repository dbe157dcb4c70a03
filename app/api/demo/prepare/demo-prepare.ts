import "server-only";
import { createHash } from "node:crypto";
import { sniffMedia } from "@/core/media/sniff";
import { RIG_VERSION } from "@/core/render/rig";
import { ApiError } from "@/server/http/api-error";
import { ConcurrencyLimit } from "@/server/http/concurrency-limit";
import { readBody, type BodyLimit } from "@/server/http/request-body";
import { PortraitError } from "@/server/portrait/errors";
import type { PrepareResult } from "@/server/portrait/prepare";
import { preparePortraitInChild } from "@/server/portrait/prepare-in-child";
import { TokenBuckets } from "@/server/services/rate-limit";

/** Largest upload the public demo prepares; a portrait needs far less. */
export const DEMO_MAX_IMAGE_BYTES = 10 * 1024 * 1024;
// Per client IP: a burst of 6 prepares, then one every 10 s. Prepare is CPU work paid by nobody.
const PER_SECOND = 0.1;
const BURST = 6;
const CACHE_ENTRIES = 16;

const buckets = new TokenBuckets(10_000);
// One demo build at a time, running or waiting: the build queue puts tenants' builds first, so a
// burst of anonymous prepares delays a workspace's prepare by one demo build at most.
const building = new ConcurrencyLimit(
  1,
  () => new ApiError(503, "busy", "The demo is preparing another portrait; try again in a few seconds.", true, { "retry-after": "5" }),
);
// Same image → same rig (prepare is deterministic), so repeated demo plays cost nothing.
const cache = new Map<string, PrepareResult>();

/** Charges one prepare to `clientKey`; throws 429 with Retry-After when over the limit. */
export function chargeRate(clientKey: string, now = Date.now()): void {
  const r = buckets.take(`demo-prepare:${clientKey}`, PER_SECOND, BURST, now);
  if (!r.allowed) {
    throw new ApiError(429, "rate_limited", `Too many demo portraits from this address; try again in ${r.retryAfterSeconds} s.`, true, {
      "retry-after": String(r.retryAfterSeconds),
    });
  }
}

/** The demo's upload limit: more (declared or streamed) is a 413 the moment it passes. */
export const DEMO_IMAGE_LIMIT: BodyLimit = {
  maxBytes: DEMO_MAX_IMAGE_BYTES,
  status: 413,
  message: `The image is over ${DEMO_MAX_IMAGE_BYTES / 1024 / 1024} MiB; use a smaller photo.`,
};

/** The uploaded portrait, at most DEMO_MAX_IMAGE_BYTES of it. */
export async function readPortrait(req: Request): Promise<Uint8Array> {
  const image = await readBody(req, DEMO_IMAGE_LIMIT);
  if (image.byteLength === 0) throw new ApiError(422, "image_missing", "Send the portrait image as the request body.");
  return image;
}

/**
 * Prepares (or finds cached) the rig of an uploaded portrait. Only a real prepare is charged to
 * `clientKey`'s rate limit: cache hits (every visit showing the sample portrait) cost nothing.
 */
export async function prepareDemoPortrait(image: Uint8Array, clientKey: string): Promise<PrepareResult & { cached: boolean }> {
  const sniffed = sniffMedia(image.subarray(0, 4096));
  if (!sniffed.ok || sniffed.kind !== "image") {
    throw new ApiError(422, "unsupported_image", "This file is not a PNG, JPEG or WebP image.");
  }
  // The rig version is part of the key: a renderer refuses rigs of another version.
  const key = `${RIG_VERSION}:${createHash("sha256").update(image).digest("hex")}`;
  const hit = cache.get(key);
  if (hit) return { ...hit, cached: true };
  const result = await building.run(async () => {
    // Charged only once the build has its place: a busy answer costs the visitor nothing.
    chargeRate(clientKey);
    return preparePortraitInChild(image, { timeoutMs: 60_000, priority: "demo" }).catch((error: unknown) => {
      throw error instanceof PortraitError ? new ApiError(422, error.code, error.message) : error;
    });
  });
  if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(key, result);
  return { ...result, cached: false };
}
