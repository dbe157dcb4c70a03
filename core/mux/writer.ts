import type { Bytes } from "./bytes";
import { LIMITS } from "./constants";
import { encodePreamble, encodeRecord } from "./encode";
import { MuxError } from "./errors";
import { framePts } from "./rules";
import type { AvatarState, EndReason, VideoCodec } from "./constants";
import type { HeaderRecord, MuxFace, MuxMouthParams } from "./types";

export type MuxHeaderInit = Omit<HeaderRecord, "kind" | "versionMajor" | "versionMinor" | "audioCodec"> & {
  audioCodec?: HeaderRecord["audioCodec"];
};

/** Billable micros for `samples` on a `sampleRate` clock; floors so usage never exceeds what was heard. */
export function samplesToMicros(samples: number, sampleRate: number): number {
  return Math.floor((samples * 1_000_000) / sampleRate);
}

/**
 * Streaming writer: each method returns the bytes of one record, ready to enqueue on an HTTP body.
 * It owns the clock: audio pts is the running sample count and frame pts are derived from the frame
 * index, so a server cannot emit drifting timestamps. Misuse throws MuxError (`invalid_argument`,
 * `writer_closed`) before any byte is produced.
 */
/** A writer's clock and ordering state (MuxWriter.mark / rewind). */
export type WriterMark = { samples: number; lastMotionFrame: number; lastVideoFrame: number; lastTextPts: number; lastStatePts: number };

export class MuxWriter {
  private readonly h: HeaderRecord;
  private started = false;
  private closed = false;
  private samples = 0;
  private lastMotionFrame = -1;
  private lastVideoFrame = -1;
  private lastTextPts = 0;
  private lastStatePts = 0;

  constructor(init: MuxHeaderInit) {
    this.h = { kind: "header", versionMajor: 0, versionMinor: 0, audioCodec: "pcm_s16le", ...init };
    encodeRecord(this.h); // validate now, not at the first write
  }

  /** Audio samples written so far: the stream clock. */
  get position(): number {
    return this.samples;
  }
  get sampleRate(): number {
    return this.h.sampleRate;
  }
  get fps(): number {
    return this.h.fps;
  }
  get isClosed(): boolean {
    return this.closed;
  }
  /** Whether the header went out (a live session's stream continues on its writer across turns). */
  get isStarted(): boolean {
    return this.started;
  }

  /** The clock and ordering state now, for rewind(). */
  mark(): WriterMark {
    return { samples: this.samples, lastMotionFrame: this.lastMotionFrame, lastVideoFrame: this.lastVideoFrame, lastTextPts: this.lastTextPts, lastStatePts: this.lastStatePts };
  }

  /**
   * Back to an earlier mark: records encoded since were never sent (a live session's barge-in drops
   * what the pipeline had already encoded), so the next records continue the reader's clock without
   * a gap. Never forward, never past the end.
   */
  rewind(mark: WriterMark): void {
    this.open();
    if (mark.samples > this.samples) throw new MuxError("invalid_argument", "rewind() cannot move the clock forward");
    ({ samples: this.samples, lastMotionFrame: this.lastMotionFrame, lastVideoFrame: this.lastVideoFrame, lastTextPts: this.lastTextPts, lastStatePts: this.lastStatePts } = mark);
  }

  /** Preamble + header record. Must be the first bytes written. */
  start(): Bytes {
    this.open();
    if (this.started) throw new MuxError("invalid_argument", "start() was already called");
    this.started = true;
    const pre = encodePreamble();
    const head = encodeRecord(this.h);
    const out = new Uint8Array(pre.length + head.length);
    out.set(pre);
    out.set(head, pre.length);
    return out;
  }

  /** PCM16 mono samples at the current clock position; splits chunks larger than one record allows. */
  audio(samples: Int16Array): Bytes {
    this.body();
    const parts: Bytes[] = [];
    for (let i = 0; i < samples.length; i += LIMITS.maxAudioSamples) {
      const part = samples.subarray(i, i + LIMITS.maxAudioSamples);
      parts.push(encodeRecord({ kind: "audio", pts: this.samples, samples: part }));
      this.samples += part.length;
    }
    return concatBytes(parts);
  }

  /** Mouth state for frame `frame` (pts derived from the frame index on the audio clock). */
  motion(frame: number, mouth: MuxMouthParams, visemeId = 255, visemeWeights: number[] = [], face?: MuxFace): Bytes {
    this.body();
    this.frameOrder(frame, this.lastMotionFrame, "motion");
    const rec = { kind: "motion", pts: this.pts(frame), frame, mouth, visemeId, visemeWeights } as const;
    const bytes = encodeRecord(face ? { ...rec, face } : rec);
    this.lastMotionFrame = frame;
    return bytes;
  }

  /** One encoded video frame; codec and size must match the header. */
  video(frame: number, data: Uint8Array): Bytes {
    this.body();
    this.frameOrder(frame, this.lastVideoFrame, "video");
    const codec = this.h.videoCodec;
    if (codec === "none") throw new MuxError("invalid_argument", "header declares no video codec");
    const bytes = encodeRecord({ kind: "video", pts: this.pts(frame), frame, codec, width: this.h.width, height: this.h.height, data });
    this.lastVideoFrame = frame;
    return bytes;
  }

  /** Transcript text presented at `pts` (default: now on the audio clock); long text is split. */
  text(text: string, pts = this.samples): Bytes {
    this.body();
    this.lastTextPts = this.notBefore(pts, this.lastTextPts, "text");
    return concatBytes(splitUtf8(text, LIMITS.maxTextBytes).map((t) => encodeRecord({ kind: "text_delta", pts, text: t })));
  }

  state(state: AvatarState, pts = this.samples): Bytes {
    this.body();
    this.lastStatePts = this.notBefore(pts, this.lastStatePts, "state");
    return encodeRecord({ kind: "state", pts, state });
  }

  /** Usage so far = audio written so far (what a viewer can have heard). */
  usage(): Bytes {
    this.body();
    const s = this.samples;
    return encodeRecord({ kind: "usage", pts: s, renderedSamples: s, renderedMicros: samplesToMicros(s, this.h.sampleRate) });
  }

  error(code: string, message: string, retryable = false): Bytes {
    this.body();
    return encodeRecord({ kind: "error", code, message: truncateUtf8(message, LIMITS.maxErrorMessageBytes), retryable });
  }

  /** The last record; the writer refuses further writes. */
  end(reason: EndReason = "complete"): Bytes {
    this.body();
    this.closed = true;
    return encodeRecord({ kind: "end", reason, totalSamples: this.samples });
  }

  private open(): void {
    if (this.closed) throw new MuxError("writer_closed", "the stream already ended");
  }
  private body(): void {
    this.open();
    if (!this.started) throw new MuxError("invalid_argument", "call start() first");
  }
  private pts(frame: number): number {
    return framePts(frame, this.h.sampleRate, this.h.fps);
  }
  private notBefore(pts: number, last: number, what: string): number {
    if (!Number.isInteger(pts) || pts < last) throw new MuxError("invalid_argument", `${what} pts ${pts} must be an integer >= ${last}`);
    return pts;
  }
  private frameOrder(frame: number, last: number, what: string): void {
    if (!Number.isInteger(frame) || frame <= last) throw new MuxError("invalid_argument", `${what} frame ${frame} must be an integer > ${last}`);
  }
}

/** Codec helper for writers that batch records into one chunk. */
export function concatBytes(parts: Bytes[]): Bytes {
  if (parts.length === 1) return parts[0]!;
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Split text into pieces of at most `maxBytes` UTF-8 bytes without cutting a code point. */
export function splitUtf8(text: string, maxBytes: number): string[] {
  const out: string[] = [];
  let cur = "";
  let curBytes = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (curBytes + n > maxBytes) {
      out.push(cur);
      cur = "";
      curBytes = 0;
    }
    cur += ch;
    curBytes += n;
  }
  if (cur) out.push(cur);
  return out;
}

function truncateUtf8(text: string, maxBytes: number): string {
  return splitUtf8(text, maxBytes)[0] ?? "";
}

export type { VideoCodec };
