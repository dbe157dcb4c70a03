import "server-only";
import { lumaThumb, quantile, thumbDiff } from "@/core/video/frame-diff";
import { fitSimilarity, interpolateTrack, type Similarity } from "@/core/video/similarity";
import type { Point, Rig } from "@/core/render/rig";
import { buildRig } from "@/server/portrait/build-rig";
import { detectFaces, faceLandmarker, type DetectedFace } from "@/server/portrait/face-landmarks";
import { FACEMESH } from "@/server/portrait/landmark-indices";
import { decodeFrames } from "./decode-frames";
import { VIDEO_LIMITS, VideoError } from "./errors";
import { probeVideo, type VideoProbe } from "./probe";

/** Frames per second the clip is analysed (and its loop played) at, at most. */
export const ANALYSIS_MAX_FPS = 25;
/** Landmarks are tracked at most this often (the rest interpolated): ~35 ms a 288 px frame on one core, measured. */
export const TRACK_MAX_FPS = 12.5;
// Frames are analysed on a copy at most this large: the landmark model works at 256 px anyway.
const ANALYSIS_MAX_SIDE = 640;
export const THUMB_SIDE = 24;

/** What preparation learns from the clip; plans are computed from it (core/video/loop-plan.ts). */
export type VideoAnalysis = {
  probe: VideoProbe;
  fps: number;
  /** Size of the analysis frames; the rig and its crop are in these pixels. */
  width: number;
  height: number;
  rig: Rig;
  /** Per analysis frame: crop thumbnail (base64 luma, THUMB_SIDE²), the face's pose vs frame 0 (crop units), mouth opening (face widths). */
  frames: { thumb: string; pose: Similarity; mouthOpen: number }[];
  timings: Record<string, number>;
};

const STABLE = [...FACEMESH.eyeAUpper, ...FACEMESH.eyeALower, ...FACEMESH.eyeBUpper, ...FACEMESH.eyeBLower, FACEMESH.noseTip, FACEMESH.forehead, FACEMESH.cheekA, FACEMESH.cheekB];
const EDGE = [...FACEMESH.faceOval, ...FACEMESH.lipsUpperOuter, ...FACEMESH.lipsLowerOuter, ...FACEMESH.eyeAUpper, ...FACEMESH.eyeBUpper];
const even = (v: number) => Math.max(2, 2 * Math.round(v / 2));
const ms = (t0: number) => Math.round(performance.now() - t0);
const at = (frame: number, fps: number) => `${(frame / fps).toFixed(1)} s`;

type Track = { frame: number; face: DetectedFace | null };

const centre = (f: DetectedFace): Point => [f.box.x + f.box.width / 2, f.box.y + f.box.height / 2];
const across = (f: DetectedFace) => Math.max(f.box.width, f.box.height);

/**
 * Decodes the clip (bounded: container checks first, then at most VIDEO_LIMITS.maxFrames frames),
 * tracks the face with the portrait landmark stack, refuses what cannot be animated (VideoError or
 * the reference frame's PortraitError) and builds the rig from the first frame.
 */
export async function analyseVideo(path: string): Promise<VideoAnalysis> {
  const t0 = performance.now();
  const probe = await probeVideo(path);
  const probeMs = ms(t0);
  const fps = Math.min(ANALYSIS_MAX_FPS, Math.round(probe.fps * 1000) / 1000);
  const step = Math.max(1, Math.round(fps / TRACK_MAX_FPS));
  const turned = Math.abs(probe.rotation) % 180 === 90;
  const [sw, sh] = turned ? [probe.height, probe.width] : [probe.width, probe.height];
  const k = Math.min(1, ANALYSIS_MAX_SIDE / Math.max(sw, sh));
  const width = even(sw * k);
  const height = even(sh * k);
  await faceLandmarker();
  let rig: Rig | undefined;
  let ref: Point[] = [];
  const thumbs: Uint8Array[] = [];
  const cutDiffs: number[] = [];
  const tracks: Track[] = [];
  let prevWhole: Uint8Array | undefined;
  let detectMs = 0;
  const t1 = performance.now();
  const frames = decodeFrames(path, { fps, width, height, maxFrames: VIDEO_LIMITS.maxFrames, maxSeconds: VIDEO_LIMITS.maxSeconds + 1 });
  let i = 0;
  for await (const rgb of frames) {
    const whole = lumaThumb(rgb, width, 3, { x: 0, y: 0, size: Math.max(width, height) }, 16, height);
    if (prevWhole) cutDiffs.push(thumbDiff(prevWhole, whole));
    prevWhole = whole;
    if (i % step === 0 || !rig) {
      const d0 = performance.now();
      const faces = await detectFaces(rgb, width, height);
      detectMs += performance.now() - d0;
      const last = [...tracks].reverse().find((t) => t.face)?.face;
      // The face followed is the one nearest the last seen (the largest at the start).
      const face = faces.sort((a, b) => (last ? dist(centre(a), centre(last)) - dist(centre(b), centre(last)) : across(b) - across(a)))[0] ?? null;
      tracks.push({ frame: i, face });
      if (!rig) {
        if (!face) {
          if (i >= 2 * step) throw new VideoError("video_face_not_found", "No face was found at the start of the video. Use a clip that shows one person facing the camera from the first frame, well lit.");
        } else {
          // Throws the portrait codes (face_too_small, face_tilted …) for a face the rig cannot animate.
          rig = buildRig(face, { width, height }, hashFrame(rgb), { rgb, width, height, scale: 1 });
          ref = STABLE.map((j) => norm(face.landmarks[j]!, rig!));
        }
      }
    }
    if (rig) thumbs.push(lumaThumb(rgb, width, 3, rig.crop, THUMB_SIDE, height));
    i++;
  }
  const decodeMs = ms(t1) - Math.round(detectMs);
  if (!rig) throw new VideoError("video_face_not_found", "No face was found in the video. Use a clip that shows one person facing the camera, well lit and unobstructed.");
  const first = tracks.findIndex((t) => t.face);
  if (tracks[first]!.frame > 0) throw new VideoError("video_face_left_frame", `No face at the start of the video (first seen at ${at(tracks[first]!.frame, fps)}). Trim the clip to start with the face in the picture.`);
  checkCuts(cutDiffs, fps);
  checkTrack(tracks, { width, height }, fps);
  const poses = interpolateTrack(Array.from({ length: thumbs.length }, (_, f) => {
    const t = tracks.find((x) => x.frame === f);
    return t?.face ? fitSimilarity(ref, STABLE.map((j) => norm(t.face!.landmarks[j]!, rig!))) : null;
  }));
  const opens = interpolateOpen(tracks, thumbs.length);
  return {
    probe,
    fps,
    width,
    height,
    rig,
    frames: thumbs.map((t, f) => ({ thumb: Buffer.from(t).toString("base64"), pose: poses[f]!.map((v) => Math.round(v * 1e5) / 1e5) as Similarity, mouthOpen: Math.round(opens[f]! * 1e4) / 1e4 })),
    timings: { probeMs, decodeMs, detectMs: Math.round(detectMs), frames: thumbs.length, trackedFrames: tracks.length, totalMs: ms(t0) },
  };
}

const dist = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1]);
const norm = (p: Point, rig: Rig): [number, number] => [(p[0] - rig.crop.x) / rig.crop.size, (p[1] - rig.crop.y) / rig.crop.size];

function hashFrame(rgb: Uint8Array): number {
  let h = 2166136261;
  for (let j = 0; j < rgb.length; j += 97) h = Math.imul(h ^ rgb[j]!, 16777619);
  return h >>> 0;
}

/**
 * A cut: one step between frames far larger than the clip's ordinary steps, large in itself, and
 * alone (a pan or a fast movement changes every step around it as much).
 */
function checkCuts(diffs: number[], fps: number): void {
  const limit = Math.max(8 * quantile(diffs, 0.5), 18);
  const j = diffs.findIndex((d, i) => d > limit && d > 3 * Math.max(diffs[i - 1] ?? 0, diffs[i + 1] ?? 0));
  if (j >= 0) {
    throw new VideoError("video_scene_cut", `The video cuts to another shot at ${at(j + 1, fps)}. Use one continuous shot (no edits), or trim the clip to before the cut.`);
  }
}

/** The face must stay in the picture and stay the same person (no jump in position or size between tracked frames). */
function checkTrack(tracks: Track[], size: { width: number; height: number }, fps: number): void {
  let last: DetectedFace | undefined;
  for (const t of tracks) {
    const f = t.face;
    if (!f) continue;
    if (last) {
      const jump = dist(centre(f), centre(last)) / across(last);
      const grow = across(f) / across(last);
      const gap = t.frame - tracks[tracks.indexOf(t) - 1]!.frame;
      if (jump > 0.35 * Math.max(1, gap / 3) || grow > 1.35 || grow < 1 / 1.35) {
        throw new VideoError("video_face_changed", `The face jumps to another place or size at ${at(t.frame, fps)}: another person seems to take over. Use a clip of one person only, who stays in place.`);
      }
    }
    const m = 0.02 * f.box.width;
    if (EDGE.some((j) => f.landmarks[j]![0] < -m || f.landmarks[j]![1] < -m || f.landmarks[j]![0] > size.width + m || f.landmarks[j]![1] > size.height + m)) {
      throw new VideoError("video_face_left_frame", `The face leaves the picture at ${at(t.frame, fps)}. Use a clip where the whole head stays inside the frame.`);
    }
    last = f;
  }
  const lost = tracks.find((t) => !t.face);
  if (lost) throw new VideoError("video_face_left_frame", `The face is lost at ${at(lost.frame, fps)} (out of the picture or hidden). Use a clip where the face stays visible throughout.`);
}

/** Mouth opening (inner-lip gap at the centre over face width) per analysis frame, interpolated between tracked frames. */
function interpolateOpen(tracks: Track[], n: number): number[] {
  const open = (f: DetectedFace) => {
    const u = f.landmarks[FACEMESH.lipsUpperInner[5]]!;
    const l = f.landmarks[FACEMESH.lipsLowerInner[5]]!;
    const w = dist(f.landmarks[FACEMESH.cheekA]!, f.landmarks[FACEMESH.cheekB]!);
    return w > 0 ? dist(u, l) / w : 0;
  };
  const known = tracks.filter((t) => t.face).map((t) => ({ frame: t.frame, v: open(t.face!) }));
  return Array.from({ length: n }, (_, f) => {
    const next = known.find((x) => x.frame >= f);
    const prev = [...known].reverse().find((x) => x.frame <= f);
    if (!prev) return next?.v ?? 0;
    if (!next || next.frame === prev.frame) return prev.v;
    return prev.v + ((next.v - prev.v) * (f - prev.frame)) / (next.frame - prev.frame);
  });
}
