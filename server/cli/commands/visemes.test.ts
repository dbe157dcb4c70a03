import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { encodeWav, decodeWav } from "@/server/media/wav";
import { CliUsageError } from "../command";
import { runVisemes } from "./visemes";

const FIX = "training/visemes/fixtures/eval";
const speechPath = join(FIX, readdirSync(FIX).filter((f) => f.endsWith(".wav")).sort((a, b) => statSync(join(FIX, b)).size - statSync(join(FIX, a)).size)[0]!);
const dir = mkdtempSync(join(tmpdir(), "visemes-cli-"));
const ffmpeg = (...args: string[]) => execFileSync("ffmpeg", ["-v", "error", "-y", ...args]);

async function cli(...argv: string[]) {
  let out = "";
  let err = "";
  const code = await runVisemes(argv, { out: (s) => void (out += s), err: (s) => void (err += s) });
  return { code, out, err };
}
type Track = { fps: number; visemes: string[]; frames: { t: number; viseme: string; weights: number[] }[] };
const agreement = (a: Track, b: Track) => {
  const n = Math.min(a.frames.length, b.frames.length);
  let same = 0;
  for (let i = 0; i < n; i++) if (a.frames[i]!.viseme === b.frames[i]!.viseme) same++;
  return same / n;
};

let reference: Track;
beforeAll(async () => {
  reference = JSON.parse((await cli(speechPath)).out) as Track;
});

describe("tic-avatar visemes: formats", () => {
  it("json: {fps, visemes, frames[{t, viseme, weights}]} at 100 fps from t = 0 by default", async () => {
    const seconds = decodeWav(readFileSync(speechPath)).samples.length / 16000;
    expect(Object.keys(reference)).toEqual(["fps", "visemes", "frames"]);
    expect(reference.fps).toBe(100);
    expect(reference.visemes).toEqual(["sil", "PP", "FF", "TH", "DD", "kk", "CH", "SS", "nn", "RR", "aa", "E", "I", "O", "U"]);
    expect(reference.frames.length).toBe(Math.ceil(seconds * 100));
    expect(reference.frames[0]!.t).toBe(0);
    expect(Object.keys(reference.frames[0]!)).toEqual(["t", "viseme", "weights"]);
    expect(new Set(reference.frames.map((f) => f.viseme)).size).toBeGreaterThan(4); // speech, not one shape
  });

  it("json --fps 30 gives exactly 30 frames per second", async () => {
    const t = JSON.parse((await cli(speechPath, "--fps", "30")).out) as Track;
    expect(t.fps).toBe(30);
    t.frames.forEach((f, i) => expect(f.t).toBeCloseTo(i / 30, 6));
    expect(t.frames.length).toBe(Math.ceil((decodeWav(readFileSync(speechPath)).samples.length / 16000) * 30 - 1e-9));
  });

  it("tsv and rhubarb", async () => {
    const tsv = (await cli(speechPath, "--format", "tsv")).out.trimEnd().split("\n");
    expect(tsv[0]!.split("\t").slice(0, 3)).toEqual(["t", "viseme", "sil"]);
    expect(tsv.length - 1).toBe(reference.frames.length);
    const rh = JSON.parse((await cli(speechPath, "--format=rhubarb")).out) as { metadata: { duration: number }; mouthCues: { start: number; end: number; value: string }[] };
    expect(rh.mouthCues.length).toBeGreaterThan(3);
    expect(rh.mouthCues.every((c) => "ABCDEFGHX".includes(c.value) && c.end > c.start)).toBe(true);
    expect(rh.mouthCues.at(-1)!.end).toBe(rh.metadata.duration);
  });

  it("rejects bad flags with a usage error", async () => {
    await expect(cli()).rejects.toBeInstanceOf(CliUsageError);
    await expect(cli(speechPath, "--fps", "0")).rejects.toThrow(/--fps/);
    await expect(cli(speechPath, "--format", "xml")).rejects.toThrow(/--format/);
  });
});

describe("tic-avatar visemes: bad input", () => {
  it("empty file -> clear error", async () => {
    const p = join(dir, "empty.wav");
    writeFileSync(p, "");
    const r = await cli(p);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/empty.*\[empty_input\]/);
  });

  it("no ffmpeg on PATH -> says to run npm run setup", async () => {
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      const r = await cli(speechPath);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/npm run setup.*\[ffmpeg_missing\]/);
    } finally {
      process.env.PATH = path;
    }
  });

  it("not audio -> clear error", async () => {
    const p = join(dir, "notes.mp3");
    writeFileSync(p, "this is not audio at all\n".repeat(50));
    const r = await cli(p);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/\[not_audio\]/);
  });

  it("truncated files decode as far as they go", async () => {
    const mp3 = join(dir, "speech.mp3");
    ffmpeg("-i", speechPath, mp3);
    const bytes = readFileSync(mp3);
    const cut = join(dir, "cut.mp3");
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const wavBytes = readFileSync(speechPath);
    const cutWav = join(dir, "cut.wav");
    writeFileSync(cutWav, wavBytes.subarray(0, Math.floor(wavBytes.length / 2) + 1));
    for (const p of [cut, cutWav]) {
      const r = await cli(p);
      expect(r.code).toBe(0);
      const t = JSON.parse(r.out) as Track;
      expect(t.frames.length).toBeGreaterThan(reference.frames.length * 0.3);
      expect(t.frames.length).toBeLessThan(reference.frames.length * 0.7);
    }
  });

  it("silence only -> silence", async () => {
    const p = join(dir, "silence.wav");
    writeFileSync(p, encodeWav(new Float32Array(32000), 16000));
    const t = JSON.parse((await cli(p)).out) as Track;
    expect(t.frames.length).toBe(200);
    expect(t.frames.filter((f) => f.viseme === "sil").length / 200).toBeGreaterThan(0.95);
  });

  it("NaN samples are treated as silence, with a warning", async () => {
    const x = decodeWav(readFileSync(speechPath)).samples.slice();
    for (let i = 3000; i < 3400; i++) x[i] = NaN;
    const p = join(dir, "nan.wav");
    writeFileSync(p, encodeWav(x, 16000, { float: true }));
    const r = await cli(p);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/400 NaN/);
    const t = JSON.parse(r.out) as Track;
    expect(t.frames.every((f) => f.weights.every(Number.isFinite))).toBe(true);
    expect(agreement(t, reference)).toBeGreaterThan(0.8);
  });

  it.each([
    // v4 on its sample: 39% (v3 45%). Not an accuracy loss: on the 8 kHz judging set (heldout/8khz) v4 scores
    // 62.1% / 79.8% against v3's 53.0% / 77.7%; v4 leans more on the band above 4 kHz, so its track changes more.
    ["8 kHz", ["-ar", "8000"], "wav", 0.35],
    ["96 kHz", ["-ar", "96000"], "wav", 0.85],
    ["MP3", [], "mp3", 0.65], // v4: 69.7%
    ["OGG Vorbis", ["-c:a", "libvorbis"], "ogg", 0.7],
    ["FLAC", [], "flac", 0.95],
    ["M4A (AAC)", ["-c:a", "aac"], "m4a", 0.7],
  ])("%s gives the same visemes as the original", async (_label, args, ext, minAgreement) => {
    const p = join(dir, `speech-${String(_label).replace(/\W/g, "")}.${ext}`);
    ffmpeg("-i", speechPath, ...(args as string[]), p);
    const r = await cli(p);
    expect(r.code).toBe(0);
    expect(agreement(JSON.parse(r.out) as Track, reference)).toBeGreaterThan(minAgreement as number);
  });

  it("5 minutes of audio in reasonable time", async () => {
    const p = join(dir, "long.flac");
    ffmpeg("-stream_loop", "-1", "-i", speechPath, "-t", "300", p);
    const t0 = performance.now();
    const r = await cli(p, "--fps", "25");
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as Track).frames.length).toBe(7500);
    expect(performance.now() - t0).toBeLessThan(45_000);
  });
});
