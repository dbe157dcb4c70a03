import "server-only";
import { deformFrame } from "@/core/render/deform";
import { ExpressionBlend, type Gesture } from "@/core/render/expression";
import { gestureForFrame } from "@/core/render/prosody-gestures";
import { I420Frame } from "@/core/render/i420";
import type { MeshModel } from "@/core/render/model";
import { mouthForFrame } from "@/core/render/mouth-track";
import { SoftwareRasterizer, type RgbaImage } from "@/core/render/raster";
import { VISEME_FPS } from "@/core/visemes/engine";
import type { MouthParams } from "@/core/visemes/mouth-params";
import type { SourceVideoRenderer } from "@/core/video/video-frames";
import { Mp4Writer, type Mp4WriterOptions } from "./mp4-writer";

export type RenderMp4Input = Mp4WriterOptions & {
  model: MeshModel;
  /** The framed portrait at `size` (framing.ts); or `video`, a source-video avatar's loop at `size`. */
  texture?: RgbaImage;
  video?: SourceVideoRenderer;
  /** Mouth parameters at VISEME_FPS, as the viseme engine produces them. */
  track: MouthParams[];
  /** Speech gestures at GESTURE_FPS (prosody-gestures.ts gestureTrack of the same audio); none: no gestures. */
  gestures?: readonly Gesture[];
  /** The face's emotion (expression.ts EMOTIONS); it blends in from neutral over the first few hundred ms. */
  emotion?: string;
  /** Checked once per second of video: aborting stops the render and rejects with its reason. */
  signal?: AbortSignal;
};

/**
 * The one render-to-MP4 path (the CLI's `tic-avatar lipsync` and `/api/v1/lipsync`): each frame
 * is deformed in core, drawn by the CPU rasteriser and piped to ffmpeg as I420. ffmpeg is ended
 * on every path, also when the render stops or fails (it would otherwise wait on its input forever).
 */
export async function renderMp4(input: RenderMp4Input): Promise<{ renderMs: number; encodeWaitMs: number }> {
  const { model, texture, video, track, gestures = [], emotion = "neutral", signal, ...opts } = input;
  if (!texture && !video) throw new Error("renderMp4 needs a texture or a video loop");
  const blend = new ExpressionBlend("neutral");
  const raster = video ? null : new SoftwareRasterizer(model, texture!);
  const whole: [number, number, number, number] = [0, 0, opts.size, opts.size];
  const writer = new Mp4Writer(opts);
  const vertices = new Float32Array(model.template.length);
  // One RGBA buffer (the rasteriser then only restores what the last frame touched) and one I420
  // frame updated inside the changed box; ffmpeg gets pooled copies, so nothing is allocated per frame.
  const rgba = new Uint8Array(opts.size * opts.size * 4);
  const yuv = new I420Frame(opts.size);
  const pool = Array.from({ length: 4 }, () => ({ buf: new Uint8Array(yuv.data.length), busy: Promise.resolve() }));
  let renderMs = 0;
  try {
    for (let n = 0; n < opts.frames; n++) {
      if (n % opts.fps === 0) signal?.throwIfAborted();
      const r0 = performance.now();
      const t = n / opts.fps;
      const mouth = mouthForFrame(track, VISEME_FPS, t, opts.fps);
      if (raster) {
        const face = { expression: blend.at(emotion, t), gesture: gestureForFrame(gestures, t, opts.fps) };
        deformFrame(model, { mouth, idle: { timeSec: t, listening: 0 }, face }, vertices);
        raster.render(vertices, rgba);
        yuv.update(rgba, raster.changed);
      } else {
        // Every frame of a video loop differs everywhere: the whole picture is converted. The person's
        // own face carries expression on a video loop; only the mouth is re-animated.
        video!.draw(n, opts.fps, mouth, rgba);
        yuv.update(rgba, whole);
      }
      renderMs += performance.now() - r0;
      const slot = pool[n % pool.length]!;
      await slot.busy;
      slot.buf.set(yuv.data);
      slot.busy = writer.write(slot.buf);
    }
    await Promise.all(pool.map((p) => p.busy));
  } catch (error) {
    await Promise.allSettled(pool.map((p) => p.busy));
    await writer.finish().catch(() => undefined);
    throw error;
  }
  const e0 = performance.now();
  await writer.finish();
  return { renderMs: Math.round(renderMs), encodeWaitMs: Math.round(performance.now() - e0) };
}
