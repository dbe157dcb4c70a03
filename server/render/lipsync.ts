import "server-only";
import { readFile } from "node:fs/promises";
import { compileRig } from "@/core/render/model";
import { PortraitError } from "@/server/portrait/errors";
import { preparePortrait, type PrepareResult } from "@/server/portrait/prepare";
import { preparePortraitCached } from "@/server/portrait/rig-cache";
import { probeAudio } from "@/server/media/ffmpeg";
import { analyzeAudioFile } from "@/server/visemes/analyze-file";
import { framedPortrait } from "./framing";
import { renderMp4 } from "./render-mp4";

export type LipsyncOptions = { portrait: string; audio: string; out: string; fps: number; size: number; rigCache?: boolean; emotion?: string };

export type LipsyncResult = {
  frames: number;
  seconds: number;
  warnings: string[];
  prepare: PrepareResult["timings"] & { cached: boolean };
  timings: { prepareAndVisemesMs: number; renderMs: number; encodeWaitMs: number; totalMs: number };
};

/** Portrait + speech files -> talking-head MP4 (the CLI's `tic-avatar lipsync`): prepare and visemes here, frames in renderMp4. */
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
  const frames = Math.round(visemes.seconds * opts.fps);
  const copyAudio = (await probeAudio(opts.audio)).codec === "aac";
  const { renderMs, encodeWaitMs } = await renderMp4({
    model: compileRig(prepared.rig),
    texture: await framedPortrait(image, prepared.rig, opts.size),
    track: visemes.frames.map((f) => f.mouth),
    gestures: visemes.gestures,
    emotion: opts.emotion,
    out: opts.out,
    audio: opts.audio,
    size: opts.size,
    fps: opts.fps,
    frames,
    copyAudio,
  });
  return {
    frames,
    seconds: visemes.seconds,
    warnings: [...prepared.warnings.map((w) => w.message), ...visemes.warnings],
    prepare: { ...prepared.timings, cached: prepared.cached },
    timings: { prepareAndVisemesMs: Math.round(t1 - t0), renderMs, encodeWaitMs, totalMs: Math.round(performance.now() - t0) },
  };
}
