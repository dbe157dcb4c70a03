import "server-only";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import sharp from "sharp";

// Media generated at test time (nothing binary is checked in): real encoder output for the valid cases,
// byte surgery for the hostile ones.

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** One PNG chunk with a correct CRC. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A tiny, well-formed PNG whose IHDR claims `width`×`height` (a decompression bomb's header). */
export function pixelBombPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  // A few KiB of zlib'd zeros: rows of a huge image would inflate to gigabytes.
  const idat = deflateSync(Buffer.alloc(1024 * 1024));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk("IHDR", ihdr), pngChunk("IDAT", idat), pngChunk("IEND", Buffer.alloc(0))]);
}

/** Noisy pixels, so the encoded image is big enough that cutting it really truncates pixel data. */
async function noise(width: number, height: number) {
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 2654435761) >>> 24;
  return sharp(raw, { raw: { width, height, channels: 3 } });
}

export async function images() {
  const base = await noise(320, 240);
  return {
    png: await base.clone().png().toBuffer(),
    jpeg: await base.clone().jpeg({ quality: 80 }).toBuffer(),
    webp: await base.clone().webp({ quality: 80 }).toBuffer(),
    gif: await base.clone().gif().toBuffer(),
  };
}

/** Real audio/video from ffmpeg, or null when ffmpeg is not installed. */
export function avMedia(): Record<"mp4" | "mov" | "webm" | "mp3" | "wav" | "ogg" | "flac" | "m4a" | "mp4AudioOnly", Buffer> | null {
  try {
    execFileSync("ffmpeg", ["-version"], { stdio: "ignore" });
  } catch {
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), "tic-media-"));
  try {
    const tone = ["-f", "lavfi", "-i", "sine=frequency=440:duration=0.5"];
    const video = ["-f", "lavfi", "-i", "testsrc=size=64x64:rate=10:duration=0.5", "-pix_fmt", "yuv420p"];
    const make = (name: string, args: string[]) => {
      execFileSync("ffmpeg", ["-v", "error", "-y", ...args, join(dir, name)]);
      return readFileSync(join(dir, name));
    };
    return {
      mp4: make("a.mp4", video),
      mov: make("a.mov", video),
      webm: make("a.webm", [...video, "-c:v", "libvpx", "-b:v", "100k"]),
      mp3: make("a.mp3", tone),
      wav: make("a.wav", tone),
      ogg: make("a.ogg", [...tone, "-c:a", "libopus"]),
      flac: make("a.flac", tone),
      m4a: make("a.m4a", tone),
      mp4AudioOnly: make("b.mp4", [...tone, "-c:a", "aac"]),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A minimal ZIP (one stored file) — appended to media it makes a polyglot that opens as an archive. */
export function tinyZip(): Buffer {
  const name = Buffer.from("payload.txt");
  const data = Buffer.from("an archive member: whatever a zip reader would extract");
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(name.length, 28);
  const localPart = Buffer.concat([local, name, data]);
  const centralPart = Buffer.concat([central, name]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(centralPart.length, 12);
  end.writeUInt32LE(localPart.length, 16);
  return Buffer.concat([localPart, centralPart, end]);
}

/** Inserts a PNG chunk right after IHDR (e.g. a tEXt chunk carrying markup). */
export function withPngChunkAfterIhdr(png: Buffer, chunk: Buffer): Buffer {
  const afterIhdr = 8 + 25;
  return Buffer.concat([png.subarray(0, afterIhdr), chunk, png.subarray(afterIhdr)]);
}

/** Inserts a JPEG COM segment right after SOI. */
export function withJpegComment(jpeg: Buffer, text: string): Buffer {
  const body = Buffer.from(text, "latin1");
  const header = Buffer.from([0xff, 0xfe, (body.length + 2) >> 8, (body.length + 2) & 255]);
  return Buffer.concat([jpeg.subarray(0, 2), header, body, jpeg.subarray(2)]);
}
