import type { AvatarState } from "../../../../core/mux";
import type { RenderTier } from "./frame-sink";

export interface PlayerStats {
  tier: RenderTier;
  state: AvatarState;
  framesDrawn: number;
  /** Frames drawn more than one frame period after their presentation time. */
  lateFrames: number;
  /** Frames never drawn because a later one was already due. */
  droppedFrames: number;
  /** Audio position minus the drawn frame's pts, in ms, at the last draw (positive: picture behind). */
  avOffsetMs: number;
  /** Largest |avOffsetMs| seen this turn. */
  maxAvOffsetMs: number;
  /** Audio received but not yet played, in ms. */
  bufferedMs: number;
  /** Times the audio ran dry and playback was pushed back. */
  underruns: number;
  /** Audio played so far, in seconds. */
  playedSeconds: number;
  /** Frames per second drawn over the last second. */
  fps: number;
  /** Transcript spoken so far. */
  text: string;
  /** Last usage record: billable seconds rendered. */
  renderedSeconds: number;
}

export interface PlaybackResult {
  reason: "ended" | "stopped" | "error";
  stats: PlayerStats;
  error?: unknown;
}

/** The figures of a turn that has not started. */
export function freshStats(tier: RenderTier): PlayerStats {
  return {
    tier, state: "idle", framesDrawn: 0, lateFrames: 0, droppedFrames: 0,
    avOffsetMs: 0, maxAvOffsetMs: 0, bufferedMs: 0, underruns: 0, playedSeconds: 0, fps: 0, text: "", renderedSeconds: 0,
  };
}
