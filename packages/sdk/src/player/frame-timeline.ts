import type { AvatarState, MotionRecord, MuxMouthParams } from "../../../../core/mux";
import type { FrameSink } from "./frame-sink";
import type { PlayerStats } from "./player-stats";
import type { VideoEntry } from "./video-decoder";

/** A transcript piece or state change, due at `pts` (samples). */
export interface Cue {
  pts: number;
  text?: string;
  state?: AvatarState;
}

export const RESTING_MOUTH: MuxMouthParams = { jawOpen: 0, lipWidth: 0, pucker: 0, lipsPressed: 0, upperLipRaise: 0 };

/**
 * One turn's pictures (motion records for client tiers, decoded video for the server tier) and
 * cues, in pts order, and the rule that picks what to show: on each display frame, the newest
 * record whose pts the audible position reached. Older ones are dropped: the sound passed them.
 */
export class FrameTimeline {
  private readonly motion: MotionRecord[] = [];
  private readonly video: VideoEntry[] = [];
  private readonly cues: Cue[] = [];
  private drawTimes: number[] = [];

  constructor(
    private readonly sink: FrameSink,
    /** Server frames (video records) rather than motion. */
    readonly serverFrames: boolean,
    private readonly sampleRate: number,
    private readonly fps: number,
    /** The player's figures; the frame ones are kept here. */
    private readonly stats: PlayerStats,
  ) {}

  addMotion(rec: MotionRecord): void {
    this.motion.push(rec);
  }

  addVideo(entry: VideoEntry): void {
    this.video.push(entry);
  }

  addCue(cue: Cue): void {
    this.cues.push(cue);
  }

  /** Removes and returns the cues due at `pos` (samples), in order. */
  takeCues(pos: number): Cue[] {
    let n = 0;
    while (n < this.cues.length && this.cues[n]!.pts <= pos) n++;
    return this.cues.splice(0, n);
  }

  /** Draws the frame due at `pos` (samples), if any, and updates the frame figures. */
  draw(pos: number, nowMs: number): void {
    const queue: { pts: number }[] = this.serverFrames ? this.video.map((v) => v.rec) : this.motion;
    let due = -1;
    while (due + 1 < queue.length && queue[due + 1]!.pts <= pos) due++;
    if (due >= 0 && this.show(due)) {
      const pts = queue[due]!.pts;
      // Frames before `due` were never shown: the audio already passed them.
      this.stats.droppedFrames += due;
      (this.serverFrames ? this.video : this.motion).splice(0, due + 1);
      this.stats.framesDrawn++;
      const offset = pos - pts;
      if (offset > this.sampleRate / this.fps) this.stats.lateFrames++;
      this.stats.avOffsetMs = (offset / this.sampleRate) * 1000;
      this.stats.maxAvOffsetMs = Math.max(this.stats.maxAvOffsetMs, Math.abs(this.stats.avOffsetMs));
      this.drawTimes.push(nowMs);
    }
    while (this.drawTimes.length > 0 && this.drawTimes[0]! < nowMs - 1000) this.drawTimes.shift();
    this.stats.fps = this.drawTimes.length;
  }

  /** Puts frame `i` on the sink; false for a server frame still decoding (it stays queued). */
  private show(i: number): boolean {
    const rate = this.sampleRate;
    if (!this.serverFrames) {
      const m = this.motion[i]!;
      this.sink.drawMotion(m.mouth, m.pts / rate, m.face);
      return true;
    }
    const { rec, image } = this.video[i]!;
    if (!image) return false;
    this.sink.drawVideo({ frame: rec.frame, pts: rec.pts, t: rec.pts / rate, width: rec.width, height: rec.height, image });
    return true;
  }
}
