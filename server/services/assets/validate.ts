import "server-only";
import { execFile } from "node:child_process";
import sharp from "sharp";
import { readImageSize } from "@/core/media/image-header";
import { findPolyglot } from "@/core/media/polyglot";
import { describeFormat, type Sniffed } from "@/core/media/sniff";
import { logger } from "../../logger";
import { AssetRejected } from "./asset-error";
import type { AssetLimits } from "./config";
import type { Received } from "./receive";

export type Validated = { sniffed: Sniffed; width: number | null; height: number | null; durationMs: number | null };

/** Refuses an image whose header claims more pixels than the cap, before anything is decoded. */
function checkPixels(width: number, height: number, limits: AssetLimits) {
  if (width <= 0 || height <= 0) throw new AssetRejected("image_corrupt", `file is an image with invalid dimensions ${width}×${height}.`);
  if (width * height > limits.maxImagePixels) {
    throw new AssetRejected(
      "image_too_large",
      `file is ${width}×${height} pixels, over the ${limits.maxImagePixels.toLocaleString("en")}-pixel limit; resize it (e.g. to 4096 px on the long side) and upload again.`,
    );
  }
}

async function validateImage(file: Received, limits: AssetLimits): Promise<Validated> {
  const format = file.sniffed.format as "png" | "jpeg" | "webp";
  const header = readImageSize(file.head, format);
  if (header) checkPixels(header.width, header.height, limits);
  // sharp's metadata() parses headers only; limitInputPixels makes libvips refuse a bomb itself as well.
  const options = { limitInputPixels: limits.maxImagePixels, failOn: "truncated" as const, sequentialRead: true };
  let width: number;
  let height: number;
  try {
    const meta = await sharp(file.path, options).metadata();
    width = meta.width ?? 0;
    height = meta.height ?? 0;
    if ((meta.pages ?? 1) > 1) throw new AssetRejected("unsupported_media_type", "file is an animated image; upload a still PNG, JPEG or WebP.");
  } catch (error) {
    if (error instanceof AssetRejected) throw error;
    if (/pixel limit/i.test(String(error))) throw new AssetRejected("image_too_large", `file exceeds the ${limits.maxImagePixels.toLocaleString("en")}-pixel limit.`, "file", error);
    throw new AssetRejected("image_corrupt", `file could not be read as ${format.toUpperCase()}: its header is damaged.`, "file", error);
  }
  checkPixels(width, height, limits);
  try {
    // A full (downscaled, streamed) decode proves every byte of pixel data is present and well-formed.
    await sharp(file.path, options).resize(256, 256, { fit: "inside", withoutEnlargement: true }).raw().toBuffer();
  } catch (error) {
    throw new AssetRejected("image_corrupt", `file is a damaged or truncated ${format.toUpperCase()} image (${String((error as Error).message).slice(0, 80)}); re-export it and upload again.`, "file", error);
  }
  return { sniffed: file.sniffed, width, height, durationMs: null };
}

type Probe = { streams?: Array<{ codec_type?: string; width?: number; height?: number }>; format?: { duration?: string; format_name?: string } };

let ffprobeMissing = false;

function ffprobe(path: string, timeoutMs: number): Promise<Probe | null> {
  if (ffprobeMissing) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    execFile(
      "ffprobe",
      ["-v", "error", "-print_format", "json", "-show_streams", "-show_format", path],
      { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024, killSignal: "SIGKILL" },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === "ENOENT") {
          ffprobeMissing = true;
          logger.warn("ffprobe not found: audio/video uploads are checked by their magic bytes only");
          return resolve(null);
        }
        if (error) return reject(new Error(stderr.trim().split("\n")[0] || error.message));
        try {
          resolve(JSON.parse(stdout) as Probe);
        } catch (parseError) {
          reject(parseError);
        }
      },
    );
  });
}

async function validateTimed(file: Received, limits: AssetLimits): Promise<Validated> {
  const name = file.sniffed.format.toUpperCase();
  let probe: Probe | null;
  try {
    probe = await ffprobe(file.path, limits.probeTimeoutMs);
  } catch (error) {
    throw new AssetRejected("media_corrupt", `file could not be parsed as ${name}; it may be truncated or damaged.`, "file", error);
  }
  if (!probe) return { sniffed: file.sniffed, width: null, height: null, durationMs: null };
  const streams = probe.streams ?? [];
  const video = streams.find((s) => s.codec_type === "video");
  const audio = streams.find((s) => s.codec_type === "audio");
  const seconds = Number(probe.format?.duration);
  const durationMs = Number.isFinite(seconds) ? Math.round(seconds * 1000) : null;
  let sniffed = file.sniffed;
  if (sniffed.kind === "video" && !video) {
    // An audio-only MP4 is an M4A whatever its brand says.
    if (sniffed.format === "mp4" && audio) sniffed = describeFormat("m4a");
    else throw new AssetRejected("media_corrupt", `file is a ${name} container without a video stream.`);
  }
  if (sniffed.kind === "audio" && !audio) throw new AssetRejected("media_corrupt", `file is a ${name} container without an audio stream.`);
  const dims = sniffed.kind === "video" ? video : undefined;
  return { sniffed, width: dims?.width ?? null, height: dims?.height ?? null, durationMs };
}

/** Checks a received file really is what its magic bytes said: no polyglot, decodes (images), parses (audio/video). */
export async function validateReceived(file: Received, limits: AssetLimits): Promise<Validated> {
  const polyglot = findPolyglot(file.head, file.tail, file.sniffed.format);
  if (polyglot) {
    throw new AssetRejected("polyglot_file", `file is a ${file.sniffed.format.toUpperCase()} that also carries ${polyglot.detail}; upload a clean export of the media.`);
  }
  return decodeGate(() => (file.sniffed.kind === "image" ? validateImage(file, limits) : validateTimed(file, limits)));
}

// Decoding and probing are CPU-bound (sharp threads, an ffprobe process each): a burst of uploads
// queues here instead of starting one decoder per request.
const MAX_DECODES = 2;
let running = 0;
const waiting: Array<() => void> = [];

async function decodeGate<T>(run: () => Promise<T>): Promise<T> {
  if (running >= MAX_DECODES) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await run();
  } finally {
    running--;
    waiting.shift()?.();
  }
}
