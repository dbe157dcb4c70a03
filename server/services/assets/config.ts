import "server-only";
import type { MediaKind } from "@/core/media/sniff";
import type { Env } from "../../env";

/**
 * Per-kind caps (defaults; each configurable by env): image 20 MiB and 40 megapixels, video 200 MiB,
 * audio 50 MiB; remote ingest gets 30 s for every redirect hop and the whole body together.
 */
export type AssetLimits = {
  maxBytes: Record<MediaKind, number>;
  maxImagePixels: number;
  remoteTimeoutMs: number;
  /** Seconds ffprobe may spend on one audio/video file before the upload is refused. */
  probeTimeoutMs: number;
};

export const DEFAULT_LIMITS: AssetLimits = {
  maxBytes: { image: 20 * 1024 * 1024, video: 200 * 1024 * 1024, audio: 50 * 1024 * 1024 },
  maxImagePixels: 40_000_000,
  remoteTimeoutMs: 30_000,
  probeTimeoutMs: 15_000,
};

/** The limits the environment configures. */
export function limitsFromEnv(env: Env): AssetLimits {
  return {
    maxBytes: { image: env.ASSET_MAX_IMAGE_BYTES, video: env.ASSET_MAX_VIDEO_BYTES, audio: env.ASSET_MAX_AUDIO_BYTES },
    maxImagePixels: env.ASSET_MAX_IMAGE_PIXELS,
    remoteTimeoutMs: env.REMOTE_FETCH_TIMEOUT_MS,
    probeTimeoutMs: DEFAULT_LIMITS.probeTimeoutMs,
  };
}

/** The largest upload any kind allows: the bound for a body whose kind is not known yet. */
export function largestCap(limits: AssetLimits): number {
  return Math.max(...Object.values(limits.maxBytes));
}
