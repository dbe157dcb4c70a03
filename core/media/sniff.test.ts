import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readImageSize } from "./image-header";
import { findPolyglot } from "./polyglot";
import { sniffMedia } from "./sniff";

const bytes = (...parts: Array<string | number[]>) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? [...p].map((c) => c.charCodeAt(0)) : p)));
const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const pngHeader = (w: number, h: number) =>
  bytes(PNG_SIG, [0, 0, 0, 13], "IHDR", [w >>> 24, (w >> 16) & 255, (w >> 8) & 255, w & 255, h >>> 24, (h >> 16) & 255, (h >> 8) & 255, h & 255, 8, 6, 0, 0, 0]);
const IEND = bytes([0, 0, 0, 0], "IEND", [0xae, 0x42, 0x60, 0x82]);

describe("sniffMedia", () => {
  const cases: Array<[string, Uint8Array, string, string]> = [
    ["png", pngHeader(1, 1), "image", "image/png"],
    ["jpeg", bytes([0xff, 0xd8, 0xff, 0xe0, 0, 16], "JFIF"), "image", "image/jpeg"],
    ["webp", bytes("RIFF", [0, 0, 0, 0], "WEBPVP8 "), "image", "image/webp"],
    ["mp4", bytes([0, 0, 0, 0x20], "ftypisom", [0, 0, 2, 0]), "video", "video/mp4"],
    ["mov", bytes([0, 0, 0, 0x14], "ftypqt  "), "video", "video/quicktime"],
    ["m4a", bytes([0, 0, 0, 0x20], "ftypM4A "), "audio", "audio/mp4"],
    ["webm", bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 1, 0x42, 0x82, 0x84], "webm"), "video", "video/webm"],
    ["wav", bytes("RIFF", [0, 0, 0, 0], "WAVEfmt "), "audio", "audio/wav"],
    ["mp3 with id3", bytes("ID3", [4, 0, 0, 0, 0, 0, 10]), "audio", "audio/mpeg"],
    ["mp3 frame", bytes([0xff, 0xfb, 0x90, 0x64]), "audio", "audio/mpeg"],
    ["ogg opus", bytes("OggS", [0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0, 1, 2, 3, 4, 1, 19], "OpusHead"), "audio", "audio/ogg"],
    ["flac", bytes("fLaC", [0, 0, 0, 34]), "audio", "audio/flac"],
  ];
  it.each(cases)("accepts %s", (_name, head, kind, contentType) => {
    expect(sniffMedia(head)).toMatchObject({ ok: true, kind, contentType });
  });

  const refused: Array<[string, Uint8Array, string | undefined]> = [
    ["gif", bytes("GIF89a"), "gif"],
    ["pdf", bytes("%PDF-1.7"), "pdf"],
    ["zip", bytes([0x50, 0x4b, 3, 4]), "zip"],
    ["html", bytes("  <!DOCTYPE html><html>"), "html/xml/svg text"],
    ["svg", bytes("<svg xmlns='http://www.w3.org/2000/svg'>"), "html/xml/svg text"],
    ["heic", bytes([0, 0, 0, 0x18], "ftypheic"), "heif"],
    ["matroska", bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 1, 0x42, 0x82, 0x88], "matroska"), "matroska"],
    ["ogg theora", bytes("OggS", [0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0, 1, 2, 3, 4, 1, 42, 0x80], "theora"), "ogg-theora"],
    ["riff avi", bytes("RIFF", [0, 0, 0, 0], "AVI LIST"), "riff 'AVI'"],
    ["random text", bytes("hello world"), undefined],
    ["mp3-like sync with reserved layer", bytes([0xff, 0xf9, 0x90, 0x64]), undefined],
  ];
  it.each(refused)("refuses %s", (_name, head, detected) => {
    expect(sniffMedia(head)).toEqual({ ok: false, reason: "unsupported_type", ...(detected ? { detected } : {}) });
  });

  it("calls an empty file empty", () => {
    expect(sniffMedia(new Uint8Array())).toEqual({ ok: false, reason: "empty" });
  });
});

describe("readImageSize", () => {
  it("reads PNG dimensions from IHDR, including absurd ones", () => {
    expect(readImageSize(pngHeader(100_000, 100_000), "png")).toEqual({ width: 100_000, height: 100_000 });
  });
  it("reads a JPEG SOF after an APP segment", () => {
    const jpeg = bytes([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 11, 8, 0x01, 0x2c, 0x02, 0x58, 3]);
    expect(readImageSize(jpeg, "jpeg")).toEqual({ width: 600, height: 300 });
  });
  it("reads WebP VP8X canvas size", () => {
    const webp = bytes("RIFF", [0, 0, 0, 0], "WEBPVP8X", [10, 0, 0, 0, 0, 0, 0, 0], [0xff, 0x0f, 0], [0x7f, 0x07, 0]);
    expect(readImageSize(webp, "webp")).toEqual({ width: 4096, height: 1920 });
  });
});

describe("findPolyglot", () => {
  const png = new Uint8Array([...pngHeader(1, 1), ...IEND]);
  it("passes a clean PNG", () => {
    expect(findPolyglot(png, png, "png")).toBeNull();
  });
  it("flags bytes after IEND", () => {
    const f = new Uint8Array([...png, 1, 2, 3]);
    expect(findPolyglot(f, f, "png")).toMatchObject({ what: "png_trailing_data" });
  });
  it("flags markup in the head", () => {
    const f = new Uint8Array([...pngHeader(1, 1), ...bytes("tEXt<script>alert(1)</script>"), ...IEND]);
    expect(findPolyglot(f, f, "png")).toMatchObject({ what: "markup" });
  });
  it("flags an appended zip directory", () => {
    const eocd = bytes([0x50, 0x4b, 5, 6, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0], "hi");
    const f = new Uint8Array([0xff, 0xd8, 0xff, 0xd9, ...eocd]);
    expect(findPolyglot(f, f, "jpeg")).toMatchObject({ what: "zip" });
  });
  it("ignores a zip signature that does not end the file", () => {
    const f = new Uint8Array([0xff, 0xd8, 0x50, 0x4b, 5, 6, ...new Array(40).fill(7)]);
    expect(findPolyglot(f, f, "jpeg")).toBeNull();
  });
});

// Real files from ffmpeg, when it is installed: the sniffer must agree with the encoder.
const hasFfmpeg = (() => {
  try {
    execFileSync("ffmpeg", ["-version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasFfmpeg)("sniffMedia on ffmpeg output", () => {
  const dir = mkdtempSync(join(tmpdir(), "sniff-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const make = (name: string, args: string[]) => {
    const out = join(dir, name);
    execFileSync("ffmpeg", ["-v", "error", "-y", ...args, out]);
    return readFileSync(out).subarray(0, 4096);
  };
  const tone = ["-f", "lavfi", "-i", "sine=frequency=440:duration=0.3"];
  const video = ["-f", "lavfi", "-i", "testsrc=size=64x64:rate=10:duration=0.3"];
  it.each([
    ["a.mp4", [...video, "-pix_fmt", "yuv420p"], "video/mp4"],
    ["a.mov", [...video, "-pix_fmt", "yuv420p"], "video/quicktime"],
    ["a.webm", [...video, "-c:v", "libvpx", "-b:v", "100k"], "video/webm"],
    ["a.wav", tone, "audio/wav"],
    ["a.mp3", tone, "audio/mpeg"],
    ["a.ogg", [...tone, "-c:a", "libopus"], "audio/ogg"],
    ["a.flac", tone, "audio/flac"],
    ["a.m4a", tone, "audio/mp4"],
  ] as Array<[string, string[], string]>)("%s", (name, args, contentType) => {
    expect(sniffMedia(make(name, args))).toMatchObject({ ok: true, contentType });
  });
});
