import { quantile, thumbDiff } from "./frame-diff";
import { smoothTrack, type Similarity } from "./similarity";

// The resting loop of a source-video avatar: a segment of the clip whose end returns to its start,
// chosen by frame similarity, with its rig track and where the mouth is closed. Pure: the server
// plans from the stored analysis, and tests check the same numbers.

/** One analysed frame (at the analysis fps): crop thumbnail, the face's pose vs the reference frame, mouth opening. */
export type AnalysedFrame = { thumb: Uint8Array; pose: Similarity; mouthOpen: number };

export type LoopSettings = { fps: number; size: number; loopStartSec?: number; loopEndSec?: number; minLoopSec: number; maxLoopSec: number };

export type VideoPlan = {
  version: 1;
  output: { size: number; fps: number };
  loop: {
    mode: "cut" | "pingpong";
    startSec: number;
    endSec: number;
    /** Source frames (analysis fps) of the loop's first and last frame, inclusive. */
    startFrame: number;
    endFrame: number;
    /** Frames one pass of the loop plays at the output fps (ping-pong: forward and back). */
    frames: number;
    /** Thumbnail difference across the loop point, and the clip's own frame-to-frame difference (95th percentile). */
    seamDiff: number;
    frameDiffP95: number;
  };
  /** Per loop frame (output fps, forward order): the face's smoothed pose [a, b, tx, ty] relative to the rig's reference frame. */
  rigTrack: Similarity[];
  /** Per loop frame: whether the source's mouth is already closed there. */
  mouthClosed: boolean[];
};

const round = (v: number, d = 5) => Math.round(v * 10 ** d) / 10 ** d;

/** Chooses the loop in `frames` (analysed at `analysisFps`) for the settings; throws RangeError for bounds outside the clip. */
export function planLoop(frames: readonly AnalysedFrame[], analysisFps: number, s: LoopSettings): VideoPlan {
  const n = frames.length;
  const steps = frames.slice(1).map((f, i) => thumbDiff(frames[i]!.thumb, f.thumb));
  const p95 = quantile(steps, 0.95);
  const minOpen = Math.min(...frames.map((f) => f.mouthOpen));
  const closed = frames.map((f) => f.mouthOpen <= minOpen + 0.04);
  const minLen = Math.max(2, Math.round(s.minLoopSec * analysisFps));
  const maxLen = Math.max(minLen, Math.min(n, Math.round(s.maxLoopSec * analysisFps)));
  let start: number, end: number;
  if (s.loopStartSec !== undefined || s.loopEndSec !== undefined) {
    start = Math.round((s.loopStartSec ?? 0) * analysisFps);
    end = Math.min(n - 1, Math.round((s.loopEndSec ?? n / analysisFps) * analysisFps) - 1);
    if (!(start >= 0 && end - start + 1 >= 2 && end < n)) throw new RangeError("loop bounds outside the clip");
  } else {
    // The seam e → s should look like an ordinary step; among seams that do, the longest loop wins,
    // and a closed mouth at the seam breaks ties (the avatar rests with its mouth closed).
    let best = { score: Infinity, s: 0, e: Math.min(n - 1, maxLen - 1) };
    for (let a = 0; a + minLen <= n; a++) {
      for (let e = a + minLen - 1; e < Math.min(n, a + maxLen); e++) {
        const seam = thumbDiff(frames[e]!.thumb, frames[a]!.thumb);
        const score = Math.max(seam, p95) - 0.02 * p95 * ((e - a + 1) / maxLen) - (closed[a] ? 0.01 * p95 : 0);
        if (score < best.score) best = { score, s: a, e };
      }
    }
    start = best.s;
    end = best.e;
  }
  const seamDiff = thumbDiff(frames[end]!.thumb, frames[start]!.thumb);
  // No clean cut: play forward and back, every step of which is one of the clip's own.
  const mode = seamDiff <= Math.max(p95, 0.5) ? "cut" : "pingpong";
  const smoothed = smoothTrack(frames.map((f) => f.pose), 0.08 * analysisFps + 0.5);
  const startSec = start / analysisFps;
  const endSec = (end + 1) / analysisFps;
  const out = Math.max(1, Math.round((endSec - startSec) * s.fps));
  const at = (k: number) => Math.min(end, start + Math.floor(((k + 0.5) * analysisFps) / s.fps));
  const rigTrack = Array.from({ length: out }, (_, k) => smoothed[at(k)]!.map((v) => round(v)) as Similarity);
  const mouthClosed = Array.from({ length: out }, (_, k) => closed[at(k)]!);
  return {
    version: 1,
    output: { size: s.size, fps: s.fps },
    loop: { mode, startSec: round(startSec, 3), endSec: round(endSec, 3), startFrame: start, endFrame: end, frames: mode === "cut" ? out : Math.max(1, 2 * out - 2), seamDiff: round(seamDiff, 3), frameDiffP95: round(p95, 3) },
    rigTrack,
    mouthClosed,
  };
}

/** Which forward loop frame shows at output frame `k` (wraps; ping-pong runs back after the end). */
export function loopFrameAt(plan: Pick<VideoPlan, "loop" | "rigTrack">, k: number): number {
  const n = plan.rigTrack.length;
  if (plan.loop.mode === "cut" || n < 2) return ((k % n) + n) % n;
  const period = 2 * n - 2;
  const p = ((k % period) + period) % period;
  return p < n ? p : period - p;
}

/** The forward loop frame output frame `n` of a stream at `fps` shows (the loop runs at the plan's fps). */
export function loopFrameForOutput(plan: Pick<VideoPlan, "loop" | "rigTrack" | "output">, n: number, fps: number): number {
  return loopFrameAt(plan, Math.floor((n * plan.output.fps) / fps + 1e-6));
}
