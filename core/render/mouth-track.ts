import type { MouthParams } from "./mouth";

const MEAN_KEYS = ["jawOpen", "lipWidth", "pucker", "upperLipRaise"] as const;

/**
 * Resamples a mouth track (e.g. the viseme engine's 100 fps) to one video frame at time t:
 * the mean over the frame's display interval, except lip closure which takes the peak, so a
 * 60 ms /p b m/ closure still shows at 25 fps instead of being averaged away.
 */
export function mouthForFrame(track: readonly MouthParams[], trackFps: number, t: number, videoFps: number): MouthParams {
  const out: MouthParams = { jawOpen: 0, lipWidth: 0, pucker: 0, lipsPressed: 0, upperLipRaise: 0 };
  if (track.length === 0) return out;
  const a = Math.max(0, Math.floor((t - 0.5 / videoFps) * trackFps));
  const b = Math.min(track.length - 1, Math.max(a, Math.ceil((t + 0.5 / videoFps) * trackFps) - 1));
  if (a > track.length - 1) return { ...track[track.length - 1]! };
  for (let i = a; i <= b; i++) {
    const m = track[i]!;
    for (const k of MEAN_KEYS) out[k] += m[k];
    out.lipsPressed = Math.max(out.lipsPressed, m.lipsPressed);
  }
  for (const k of MEAN_KEYS) out[k] /= b - a + 1;
  return out;
}
