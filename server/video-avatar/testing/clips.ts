import "server-only";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { deformFrame } from "@/core/render/deform";
import { compileRig } from "@/core/render/model";
import { SoftwareRasterizer } from "@/core/render/raster";
import type { Rig } from "@/core/render/rig";
import { RESTING_MOUTH } from "@/core/render/mouth";
import { runTool } from "@/server/media/ffmpeg";
import { framedPortrait } from "@/server/render/framing";

// Test media for source-video avatars, made on the machine: the fixture portrait animated by our own
// idle motion (blinks, sway, breathing) on the CPU rasteriser and encoded by ffmpeg, plus the bad
// clips every refusal needs. Kept tiny (a few seconds, ~300 px, low fps) so tests stay cheap.

export const FIXTURE_PORTRAIT = join(process.cwd(), "public/demo/astronaut.png");
const FIXTURE_RIG = join(process.cwd(), "public/demo/astronaut.rig.json");
/** Where the face sits in the 512 px fixture: this square keeps the head (face ~130 px) with room around it. */
export const FACE_CROP = { x: 80, y: 0, size: 288 };

async function ffmpeg(args: string[], input?: Uint8Array): Promise<void> {
  const r = await runTool("ffmpeg", ["-nostdin", "-y", "-v", "error", ...args], { input, timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`ffmpeg failed: ${r.stderr.slice(-600)}`);
}

/** Raw RGBA frames of the fixture's idle motion at 512 px (`mirror` flips it: "another person" for the identity test). */
export async function idleFrames(opts: { seconds: number; fps: number; startSec?: number; mirror?: boolean }): Promise<Uint8Array> {
  const rig = JSON.parse(readFileSync(FIXTURE_RIG, "utf8")) as Rig;
  const model = compileRig(rig);
  const texture = await framedPortrait(readFileSync(FIXTURE_PORTRAIT), rig, 512);
  const raster = new SoftwareRasterizer(model, texture);
  const n = Math.round(opts.seconds * opts.fps);
  const frame = new Uint8Array(512 * 512 * 4);
  const all = new Uint8Array(n * frame.length);
  const vertices = new Float32Array(model.template.length);
  for (let i = 0; i < n; i++) {
    deformFrame(model, { mouth: RESTING_MOUTH, idle: { timeSec: (opts.startSec ?? 0) + i / opts.fps, listening: 0 } }, vertices);
    raster.render(vertices, frame);
    all.set(frame, i * frame.length);
  }
  return all;
}

/** Encodes raw 512 px RGBA frames as a clip (`vf`: ffmpeg filters after the face crop). */
export async function encodeFrames(rgba: Uint8Array, fps: number, out: string, opts: { vf?: string; crop?: boolean; mirror?: boolean } = {}): Promise<string> {
  const filters = [opts.crop === false ? null : `crop=${FACE_CROP.size}:${FACE_CROP.size}:${FACE_CROP.x}:${FACE_CROP.y}`, opts.mirror ? "hflip" : null, opts.vf ?? null].filter(Boolean);
  await ffmpeg(
    ["-f", "rawvideo", "-pix_fmt", "rgba", "-s", "512x512", "-framerate", String(fps), "-i", "pipe:0", ...(filters.length ? ["-vf", filters.join(",")] : []), "-c:v", "libx264", "-preset", "ultrafast", "-crf", "16", "-pix_fmt", "yuv420p", out],
    rgba,
  );
  return out;
}

/** The good clip: `seconds` of the fixture's idle motion, one face looking at the camera. */
export async function idleClip(out: string, opts: { seconds?: number; fps?: number; startSec?: number; mirror?: boolean } = {}): Promise<string> {
  const fps = opts.fps ?? 10;
  return encodeFrames(await idleFrames({ seconds: opts.seconds ?? 4, fps, startSec: opts.startSec }), fps, out, { mirror: opts.mirror });
}

/** A clip of one colour: no face anywhere. */
export async function colourClip(out: string, seconds: number, opts: { size?: string; fps?: number } = {}): Promise<string> {
  await ffmpeg(["-f", "lavfi", "-i", `color=c=0x406080:s=${opts.size ?? "160x160"}:r=${opts.fps ?? 5}:d=${seconds}`, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", out]);
  return out;
}

/** The idle motion with the camera panning away until the face has left the picture. */
export async function panAwayClip(out: string): Promise<string> {
  const rgba = await idleFrames({ seconds: 4, fps: 10 });
  // A 288 px window that slides right across the 512 px frame: the face leaves by its left edge.
  return encodeFrames(rgba, 10, out, { crop: false, vf: "crop=288:288:'min(224,80+t*110)':0" });
}

/** Two different clips joined hard: a cut (the second is a colour card with the same size). */
export async function cutClip(dir: string): Promise<string> {
  const a = await idleClip(join(dir, "cut-a.mp4"), { seconds: 2 });
  const b = await encodeFrames(await idleFrames({ seconds: 2, fps: 10 }), 10, join(dir, "cut-b.mp4"), { vf: "negate" });
  const out = join(dir, "cut.mp4");
  await ffmpeg(["-i", a, "-i", b, "-filter_complex", "[0:v][1:v]concat=n=2:v=1[v]", "-map", "[v]", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "16", "-pix_fmt", "yuv420p", out]);
  return out;
}

/** The face dissolving into a different, smaller one (mirrored, farther away; no hard cut): another person takes over. */
export async function takeoverClip(dir: string): Promise<string> {
  const a = await idleClip(join(dir, "take-a.mp4"), { seconds: 3 });
  const b = await encodeFrames(await idleFrames({ seconds: 3, fps: 10, startSec: 1.3 }), 10, join(dir, "take-b.mp4"), { crop: false, vf: "hflip,scale=320:320,crop=288:288:32:20" });
  const out = join(dir, "takeover.mp4");
  await ffmpeg(["-i", a, "-i", b, "-filter_complex", "[0:v][1:v]xfade=transition=fade:duration=1.6:offset=1.2[v]", "-map", "[v]", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "16", "-pix_fmt", "yuv420p", out]);
  return out;
}

/** A clip wider than any accepted: cheap (a thin strip, 1 fps). */
export async function oversizeClip(out: string): Promise<string> {
  return colourClip(out, 3, { size: "4096x64", fps: 1 });
}
