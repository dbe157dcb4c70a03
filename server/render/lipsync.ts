import "server-only";
import { readFile } from "node:fs/promises";
import { deformFrame } from "@/core/render/deform";
import { I420Frame } from "@/core/render/i420";
import { compileRig } from "@/core/render/model";
import { mouthForFrame } from "@/core/render/mouth-track";
import { SoftwareRasterizer } from "@/core/render/raster";
import { VISEME_FPS } from "@/core/visemes/engine";
import { PortraitError } from "@/server/portrait/errors";
import { preparePortrait, type PrepareResult } from "@/server/portrait/prepare";
import { preparePortraitCached } from "@/server/portrait/rig-cache";
import { probeAudio } from "@/server/media/ffmpeg";
import { analyzeAudioFile } from "@/server/visemes/analyze-file";
import { framedPortrait } from "./framing";
import { Mp4Writer } from "./mp4-writer";

export type LipsyncOptions = { portrait: string; audio: string; out: string; fps: number; size: number; rigCache?: boolean };

export type LipsyncResult = {
  frames: number;
  seconds: number;
  warnings: string[];
  prepare: PrepareResult["timings"] & { cached: boolean };
  timings: { prepareAndVisemesMs: number; renderMs: number; encodeWaitMs: number; totalMs: number };
};

/** Portrait + speech -> talking-head MP4: viseme model track, core deformation, CPU rasteriser, ffmpeg. */
export async function renderLipsyncVideo(opts: LipsyncOptions): Promise<LipsyncResult> {
  const t0 = performance.now();
  const image = new Uint8Array(
    await readFile(opts.portrait).catch((cause: unknown) => {
      throw new PortraitError("image_unreadable", `Cannot read the portrait ${opts.portrait}: ${(cause as Error).message}`, { cause });
    }),
  );
  // Face landmarks (wasm) and the viseme model (onnxruntime) load side by side.
  const prepare = opts.rigCache === false ? preparePortrait(image).then((r) => ({ ...r, cached: false })) : preparePortraitCached(image);
  const [prepared, visemes] = await Promise.all([prepare, analyzeAudioFile(opts.audio)]);
  const t1 = performance.now();
  const { rig } = prepared;
  const frames = Math.round(visemes.seconds * opts.fps);
  const texture = await framedPortrait(image, rig, opts.size);
  const model = compileRig(rig);
  const raster = new SoftwareRasterizer(model, texture);
  const track = visemes.frames.map((f) => f.mouth);
  const copyAudio = (await probeAudio(opts.audio)).codec === "aac";
  const writer = new Mp4Writer({ out: opts.out, audio: opts.audio, size: opts.size, fps: opts.fps, frames, copyAudio });
  const vertices = new Float32Array(model.template.length);
  // One RGBA buffer (the rasteriser then only restores what the last frame touched) and one I420
  // frame updated inside the changed box; ffmpeg gets pooled copies, so nothing is allocated per frame.
  const out = new Uint8Array(opts.size * opts.size * 4);
  const yuv = new I420Frame(opts.size);
  const pool = Array.from({ length: 4 }, () => ({ buf: new Uint8Array(yuv.data.length), busy: Promise.resolve() }));
  let renderMs = 0;
  for (let n = 0; n < frames; n++) {
    const r0 = performance.now();
    const t = n / opts.fps;
    deformFrame(model, { mouth: mouthForFrame(track, VISEME_FPS, t, opts.fps), idle: { timeSec: t, listening: 0 } }, vertices);
    raster.render(vertices, out);
    yuv.update(out, raster.changed);
    renderMs += performance.now() - r0;
    const slot = pool[n % pool.length]!;
    await slot.busy;
    slot.buf.set(yuv.data);
    slot.busy = writer.write(slot.buf);
  }
  await Promise.all(pool.map((p) => p.busy));
  const e0 = performance.now();
  await writer.finish();
  const end = performance.now();
  return {
    frames,
    seconds: visemes.seconds,
    warnings: [...prepared.warnings.map((w) => w.message), ...visemes.warnings],
    prepare: { ...prepared.timings, cached: prepared.cached },
    timings: { prepareAndVisemesMs: Math.round(t1 - t0), renderMs: Math.round(renderMs), encodeWaitMs: Math.round(end - e0), totalMs: Math.round(end - t0) },
  };
}
