import "server-only";
import type { VideoPlan } from "@/core/video/loop-plan";
import type { RgbaImage } from "@/core/render/raster";
import { runTool } from "@/server/media/ffmpeg";
import { decodeFrames } from "@/server/video-avatar/decode-frames";

/** The analysis pipeline's frames (fps, analysis size) so the loop's frames are the analysed ones. */
type Analysed = { fps: number; width: number; height: number; crop: { x: number; y: number; size: number } };

/**
 * Writes the plan's loop (its forward frames) as an H.264 MP4: the source decoded exactly as it was
 * analysed (fps, size), the loop's frames trimmed out, cropped to the rig's crop and scaled to the
 * output size and fps. crf 14: the loop is the texture every speech frame is drawn on.
 */
export async function writeLoopMp4(source: string, a: Analysed, plan: VideoPlan, out: string): Promise<void> {
  const { startFrame, endFrame } = plan.loop;
  const { size, fps } = plan.output;
  const vf = [
    `fps=${a.fps}`,
    `scale=${a.width}:${a.height}:flags=area`,
    `trim=start_frame=${startFrame}:end_frame=${endFrame + 1}`,
    "setpts=PTS-STARTPTS",
    `crop=${a.crop.size}:${a.crop.size}:${a.crop.x}:${a.crop.y}`,
    `scale=${size}:${size}:flags=lanczos`,
    `fps=${fps}`,
  ].join(",");
  const r = await runTool("ffmpeg", ["-nostdin", "-y", "-v", "error", "-i", source, "-vf", vf, "-frames:v", String(plan.rigTrack.length), "-an", "-c:v", "libx264", "-preset", "veryfast", "-crf", "14", "-pix_fmt", "yuv420p", "-movflags", "+faststart", out], { timeoutMs: 180_000 });
  if (r.code !== 0) throw new Error(`ffmpeg could not write the loop: ${r.stderr.slice(-400)}`);
}

/** Decodes a loop MP4 into RGBA frames at `size` (at most `maxFrames`). */
export async function decodeLoop(path: string, size: number, fps: number, maxFrames: number): Promise<RgbaImage[]> {
  const frames: RgbaImage[] = [];
  for await (const rgb of decodeFrames(path, { fps, width: size, height: size, maxFrames, maxSeconds: 30 })) {
    const data = new Uint8Array(size * size * 4);
    for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
      data[j] = rgb[i]!;
      data[j + 1] = rgb[i + 1]!;
      data[j + 2] = rgb[i + 2]!;
      data[j + 3] = 255;
    }
    frames.push({ width: size, height: size, data });
  }
  return frames;
}
