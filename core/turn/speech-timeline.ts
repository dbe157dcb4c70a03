import { pcm16ToFloat } from "../audio/pcm16";
import { framePts, framesUntil, type MuxMouthParams } from "../mux";
import type { Gesture } from "../render/expression";
import { mouthForFrame } from "../render/mouth-track";
import { gestureForFrame, ProsodyGestures } from "../render/prosody-gestures";
import type { MouthParams } from "../visemes/mouth-params";
import type { MouthSource, TrackFrame } from "./mouth-source";

/** `gesture`: the speech's brow raises and nods on stressed syllables (prosody-gestures.ts). */
export type TimelineFrame = { frame: number; mouth: MuxMouthParams; visemeId: number; gesture: Gesture };
/** Audio to send, in order; `text` marks where a sentence starts sounding. */
export type TimelinePiece = { kind: "audio"; samples: Int16Array } | { kind: "text"; text: string };
export type TimelineBatch = { pieces: TimelinePiece[]; frames: TimelineFrame[]; endSample: number };

/**
 * Keeps speech audio and the viseme engine's mouth track in step. Audio goes in as the TTS makes it;
 * batches come out holding audio up to a frame boundary plus the motion of every frame that audio
 * covers, so a stream never sends sound whose mouth shapes it cannot send yet (the viseme model
 * needs a few frames of lookahead). Each frame's mouth is the track resampled over the frame
 * (mouthForFrame: the mean, lip closure at its peak). All positions are integer sample indices.
 */
export class SpeechTimeline {
  /** Samples received so far (after padding at the end). */
  total = 0;
  /** Frames handed out so far. */
  framesOut = 0;
  private readonly track: MouthParams[] = [];
  private readonly trackVisemes: number[] = [];
  // Gestures come from the same audio, 10 ms steps, computed beside the mouth track.
  private readonly gestures: ProsodyGestures;
  private readonly gestureTrack: Gesture[] = [];
  private buffer = new Int16Array(0);
  private bufferStart = 0; // sample index of buffer[0]
  private markers: { at: number; text: string }[] = [];
  private ended = false;

  constructor(
    private readonly mouth: MouthSource,
    readonly sampleRate: number,
    readonly fps: number,
  ) {
    this.gestures = new ProsodyGestures(sampleRate);
  }

  /** Samples handed out so far. */
  get samplesOut(): number {
    return this.bufferStart;
  }

  /** Appends TTS audio; `text` is shown when this chunk starts to sound. */
  async push(pcm: Int16Array, text?: string): Promise<void> {
    if (text) this.markers.push({ at: this.total, text });
    this.append(pcm);
    const float = pcm16ToFloat(pcm);
    this.gestureTrack.push(...this.gestures.push(float));
    this.addTrack(await this.mouth.push(float));
  }

  /** No more audio: pads with silence to a whole frame and flushes the model's lookahead. */
  async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    const target = framePts(framesUntil(this.total, this.sampleRate, this.fps), this.sampleRate, this.fps);
    if (target > this.total) {
      const pad = new Int16Array(target - this.total);
      this.append(pad);
      this.addTrack(await this.mouth.push(pcm16ToFloat(pad)));
    }
    this.addTrack(await this.mouth.end());
  }

  /** Frees the mouth source of a turn that stops before its end. */
  dispose(): void {
    if (!this.ended) this.mouth.dispose?.();
    this.ended = true;
  }

  /** Frames whose mouth is known now (all of them once ended). */
  readyFrames(): number {
    if (this.ended) return framesUntil(this.total, this.sampleRate, this.fps);
    // Frame f averages the track up to index ceil((f + 0.5) * trackFps / fps) - 1.
    const f = this.track.length ? Math.floor((this.track.length * this.fps) / this.mouth.fps - 0.5) + 1 : 0;
    const byAudio = Math.floor((this.total * this.fps) / this.sampleRate);
    return Math.max(0, Math.min(f, byAudio));
  }

  /** Samples that a take() could send now. */
  readySamples(): number {
    return Math.min(this.total, framePts(this.readyFrames(), this.sampleRate, this.fps)) - this.bufferStart;
  }

  /** Audio of every ready frame and those frames' motion, removing them from the timeline. */
  take(limitSamples = Infinity): TimelineBatch {
    const frames = this.readyFrames();
    let end = this.ended && frames === framesUntil(this.total, this.sampleRate, this.fps) ? this.total : framePts(frames, this.sampleRate, this.fps);
    if (end - this.bufferStart > limitSamples) {
      // Whole frames only; a limit below one frame still moves on by one frame.
      const limited = Math.floor(((this.bufferStart + limitSamples) * this.fps) / this.sampleRate);
      const limitedEnd = framePts(limited, this.sampleRate, this.fps);
      if (limitedEnd > this.bufferStart) {
        end = limitedEnd;
      } else {
        end = Math.min(end, framePts(framesUntil(this.bufferStart, this.sampleRate, this.fps) + 1, this.sampleRate, this.fps));
      }
    }
    end = Math.max(end, this.bufferStart);
    const pieces: TimelinePiece[] = [];
    let at = this.bufferStart;
    while (this.markers.length && this.markers[0]!.at < end) {
      const m = this.markers.shift()!;
      if (m.at > at) pieces.push({ kind: "audio", samples: this.buffer.slice(at - this.bufferStart, m.at - this.bufferStart) });
      at = Math.max(at, m.at);
      pieces.push({ kind: "text", text: m.text });
    }
    if (end > at) pieces.push({ kind: "audio", samples: this.buffer.slice(at - this.bufferStart, end - this.bufferStart) });
    this.buffer = this.buffer.slice(end - this.bufferStart);
    this.bufferStart = end;
    const out: TimelineFrame[] = [];
    for (; this.framesOut < framesUntil(end, this.sampleRate, this.fps); this.framesOut++) out.push(this.frame(this.framesOut));
    return { pieces, frames: out, endSample: end };
  }

  /** Drops audio not yet handed out beyond `samples` (the reservation cap); the turn then ends there. */
  truncate(samples: number): void {
    if (samples >= this.total) return;
    this.buffer = this.buffer.slice(0, Math.max(0, samples - this.bufferStart));
    this.total = Math.max(samples, this.bufferStart);
    this.markers = this.markers.filter((m) => m.at < this.total);
  }

  private frame(f: number): TimelineFrame {
    const t = f / this.fps;
    const m = mouthForFrame(this.track, this.mouth.fps, t, this.fps);
    const k = Math.min(this.trackVisemes.length - 1, Math.round(t * this.mouth.fps));
    return { frame: f, mouth: clampMouth(m), visemeId: k >= 0 ? this.trackVisemes[k]! : 255, gesture: gestureForFrame(this.gestureTrack, t, this.fps) };
  }

  private append(pcm: Int16Array): void {
    const next = new Int16Array(this.buffer.length + pcm.length);
    next.set(this.buffer);
    next.set(pcm, this.buffer.length);
    this.buffer = next;
    this.total += pcm.length;
  }

  private addTrack(frames: TrackFrame[]): void {
    for (const f of frames) {
      this.track.push(f.mouth);
      this.trackVisemes.push(f.viseme);
    }
  }
}

const c01 = (v: number) => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0);
function clampMouth(m: MouthParams): MuxMouthParams {
  return { jawOpen: c01(m.jawOpen), lipWidth: c01(m.lipWidth), pucker: c01(m.pucker), lipsPressed: c01(m.lipsPressed), upperLipRaise: c01(m.upperLipRaise) };
}
