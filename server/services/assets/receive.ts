import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { POLYGLOT_TAIL_BYTES } from "@/core/media/polyglot";
import { SNIFF_BYTES, sniffMedia, type MediaKind, type Sniffed } from "@/core/media/sniff";
import { AssetRejected } from "./asset-error";
import type { AssetLimits } from "./config";

/** A file received in full into a temp path, with what was learnt while streaming it. */
export type Received = {
  path: string;
  size: number;
  sha256: string;
  sniffed: Sniffed;
  /** First bytes (header parsing, polyglot scan) and last bytes (trailers, appended archives). */
  head: Uint8Array;
  tail: Uint8Array;
};

const HEAD_KEEP = 256 * 1024;

/** Describes a refused sniff for the client: what we saw and what is accepted. */
export function unsupportedMessage(detected: string | undefined): string {
  const seen = detected ? `looks like ${detected}` : "is not a recognised media file";
  return `file ${seen}; accepted are images (PNG, JPEG, WebP), video (MP4, WebM, MOV) and audio (WAV, MP3, OGG/Opus, FLAC, M4A). The type is read from the file's bytes, not its name or Content-Type.`;
}

const mib = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;

export function tooLarge(kind: MediaKind | "upload", cap: number): AssetRejected {
  return new AssetRejected("payload_too_large", `file is larger than the ${mib(cap)} limit for ${kind === "upload" ? "any asset" : `${kind} assets`}; send a smaller file.`);
}

/**
 * Streams `source` into a temp file while sniffing its first bytes, hashing (sha256) and counting:
 * refused as soon as the type is not allow-listed, differs from `expectedKind`, or passes its kind's cap.
 * Memory stays bounded (head + tail buffers); the temp file is removed on any failure.
 */
export async function receiveToTempFile(
  source: AsyncIterable<Uint8Array>,
  options: { limits: AssetLimits; expectedKind?: () => MediaKind | undefined; tmpDir?: string },
): Promise<Received> {
  const path = join(options.tmpDir ?? tmpdir(), `tic-upload-${randomBytes(12).toString("hex")}`);
  const out = createWriteStream(path, { flags: "wx", mode: 0o600 });
  const hash = createHash("sha256");
  const headChunks: Uint8Array[] = [];
  let headSize = 0;
  let tail: Uint8Array = new Uint8Array(0);
  let size = 0;
  let sniffed: Sniffed | undefined;
  let cap = Infinity;

  const decide = () => {
    const head = Buffer.concat(headChunks);
    const result = sniffMedia(head.subarray(0, SNIFF_BYTES));
    if (!result.ok) {
      if (result.reason === "empty") throw new AssetRejected("empty_file", "file is empty; send the image, video or audio bytes.");
      throw new AssetRejected("unsupported_media_type", unsupportedMessage(result.detected));
    }
    const expected = options.expectedKind?.();
    // An MP4 may turn out audio-only (M4A under a generic brand); the probe settles that, so it may pass here.
    if (expected && expected !== result.kind && !(expected === "audio" && result.format === "mp4")) {
      throw new AssetRejected("kind_mismatch", `kind is '${expected}' but the file is ${result.format.toUpperCase()} (${result.kind}); send kind '${result.kind}' or omit it.`, "kind");
    }
    sniffed = result;
    cap = options.limits.maxBytes[result.kind];
    if (size > cap) throw tooLarge(result.kind, cap);
  };

  try {
    for await (const raw of source) {
      const chunk = raw instanceof Buffer ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
      if (chunk.length === 0) continue;
      size += chunk.length;
      if (size > cap) throw tooLarge(sniffed!.kind, cap);
      hash.update(chunk);
      if (headSize < HEAD_KEEP) {
        headChunks.push(chunk.subarray(0, HEAD_KEEP - headSize));
        headSize += Math.min(chunk.length, HEAD_KEEP - headSize);
      }
      if (!sniffed && headSize >= SNIFF_BYTES) decide();
      tail = keepTail(tail, chunk);
      if (!out.write(chunk)) await once(out, "drain");
    }
    if (!sniffed) decide();
    out.end();
    await once(out, "finish");
    return { path, size, sha256: hash.digest("hex"), sniffed: sniffed!, head: Buffer.concat(headChunks), tail };
  } catch (error) {
    out.destroy();
    await rm(path, { force: true });
    throw error;
  }
}

function keepTail(tail: Uint8Array, chunk: Buffer): Uint8Array {
  if (chunk.length >= POLYGLOT_TAIL_BYTES) return Uint8Array.from(chunk.subarray(chunk.length - POLYGLOT_TAIL_BYTES));
  const joined = new Uint8Array(Math.min(POLYGLOT_TAIL_BYTES, tail.length + chunk.length));
  const fromTail = joined.length - chunk.length;
  joined.set(tail.subarray(tail.length - fromTail), 0);
  joined.set(chunk, fromTail);
  return joined;
}
