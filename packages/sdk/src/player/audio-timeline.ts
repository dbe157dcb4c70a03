import { pcm16ToFloat32 } from "./pcm";
import type { PlayerAudioContext, PlayerAudioSource } from "./audio-types";

// Audio arriving closer to its slot than this cannot be scheduled in time, and when it is late the
// timeline moves to this far ahead of now (seconds).
const MIN_LEAD_S = 0.01;
const RESUME_LEAD_S = 0.05;

/**
 * One turn's audio on the AudioContext clock, the master clock of playback: each record is
 * scheduled back to back from the first sample's start time, and the audible position is read
 * back from the same clock, so pictures follow the sound and never the other way round.
 */
export class AudioTimeline {
  private startTime: number | null = null;
  private readonly sources = new Set<PlayerAudioSource>();
  /** Samples received so far (the end of the last record). */
  received = 0;

  constructor(
    private readonly ctx: PlayerAudioContext,
    private readonly sampleRate: number,
    /** Buffer before the first sample plays, in seconds. */
    private readonly delayS: number,
    private readonly destination: unknown,
  ) {}

  /** Whether any audio has been scheduled yet. */
  get started(): boolean {
    return this.startTime !== null;
  }

  /** Schedules samples starting at `pts`; true when they came after their slot (an underrun). */
  schedule(pts: number, samples: Int16Array): boolean {
    const now = this.ctx.currentTime;
    this.startTime ??= now + this.delayS;
    let when = this.startTime + pts / this.sampleRate;
    const late = when < now + MIN_LEAD_S;
    if (late) {
      // Push the whole timeline back: pictures follow the audio clock, so sync holds.
      this.startTime += now + RESUME_LEAD_S - when;
      when = this.startTime + pts / this.sampleRate;
    }
    const buffer = this.ctx.createBuffer(1, samples.length, this.sampleRate);
    buffer.copyToChannel(pcm16ToFloat32(samples), 0);
    const src = this.ctx.createBufferSource();
    src.buffer = buffer;
    src.connect(this.destination ?? this.ctx.destination);
    src.onended = () => this.sources.delete(src);
    src.start(when);
    this.sources.add(src);
    this.received = pts + samples.length;
    return late;
  }

  /** Audible position in samples (what the listener hears now), or null before audio starts. */
  position(): number | null {
    if (this.startTime === null) return null;
    const heard = this.ctx.currentTime - (this.ctx.outputLatency ?? 0) - this.startTime;
    return Math.max(0, heard) * this.sampleRate;
  }

  /** Silences everything scheduled. */
  stop(): void {
    for (const s of this.sources) {
      try {
        s.stop();
      } catch {
        // Already stopped or never started: nothing left to silence.
      }
    }
    this.sources.clear();
  }
}
