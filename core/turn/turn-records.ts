import { CodedError } from "../coded-error";
import { concatBytes, framePts, framesUntil, MuxWriter, type Bytes, type MuxChunk, type MuxFace, type MuxMouthParams } from "../mux";
import type { MouthSource } from "./mouth-source";
import { SpeechTimeline, type TimelineBatch } from "./speech-timeline";

// One realtime turn as mux records, the same on every tier: the REST turn, the dashboard's Speak and
// the public demo on the server, and the /demo page's clip player in the browser. Only where the
// speech, the mouth track and the money come from differ; the lips do not.

/** Frames per second of motion (and video) records: 25 keeps server rendering affordable on a CPU. */
export const TURN_FPS = 25;

/** A piece of speech: PCM16 mono at `sampleRate` (constant within a turn); `text` marks a sentence starting here. */
export type SpeechChunk = { pcm: Int16Array; sampleRate: number; text?: string };

/** Draws video frames (server rendering): JPEG bytes of frame `frame` with `mouth` and `face`. */
export interface FrameRenderer {
  readonly size: number;
  render(frame: number, fps: number, mouth: MuxMouthParams, face: MuxFace): Promise<Uint8Array>;
}

export type TurnPlan = {
  avatarId: string;
  manifestId: string | null;
  manifestVersion: number;
  fps: number;
  /** The face's emotion for this turn (an id of core/render/expression.ts EMOTIONS; 0 = neutral). */
  emotion?: number;
  /** The mouth track of the speech, opened once its sample rate is known. */
  mouth: (sampleRate: number) => MouthSource;
  speech: AsyncIterable<SpeechChunk>;
  /** Server rendering: JPEG video records after each batch's motion. */
  frames: FrameRenderer | null;
  /** Longest turn in credit micros to begin with (the reservation); audio beyond it is cut at a frame boundary… */
  maxMicros: number;
  /** …unless this makes room once speech reaches it: the new cap, or the coded reason the turn ends there. */
  extend?: (neededMicros: number) => Promise<{ maxMicros: number } | TurnStop>;
  /** Checked before each batch: a reason here ends the turn with that error record (its hold was lost). */
  stopped?: () => TurnStop | null;
  lowLatencyFirstChunk: boolean;
  /** How far ahead of real time batches may leave (Infinity: as fast as they are read). */
  playoutDelayMs: number;
  maxBufferDelayMs: number;
  signal: AbortSignal;
  /** The `error` record of a failure after streaming began: the caller's one mapping of its errors. */
  errorRecord: (error: unknown) => TurnStop;
  /** A live session's stream this turn continues (its clock, frames and header); absent: a stream of its own. */
  stream?: SessionStream;
};

/** Why a turn ends before its speech does: the `error` record's code, message and retryable flag. */
export type TurnStop = { code: string; message: string; retryable: boolean };

/**
 * A stream that outlives its turns (a live session): one header and one audio clock for all of them.
 * The first turn that speaks makes the writer; each turn then adds `speaking` … `idle`, never `end`
 * (the session writes it), and a failure is thrown to the session instead of becoming an error record.
 */
export type SessionStream = { writer: MuxWriter | null };

/** Thrown inside the generator to end the turn with a TurnStop's error record (to a session: thrown on). */
export class TurnStopped extends CodedError<string> {
  constructor(readonly stop: TurnStop) {
    super(stop.code, stop.message);
  }
}

/** A batch of the turn's records: a chunk of its mux body (core/mux/mux-stream.ts streams them). */
export type TurnChunk = MuxChunk;

/** Audio per record batch once playback runs: 200 ms keeps records few without adding latency that matters. */
const CHUNK_MS = 200;
/** Sample rate of the (silent) stream of a turn whose speech produced no audio at all. */
const FALLBACK_RATE = 22_050;

/**
 * The records of one turn, in stream order: header and `speaking` state with the first audio, then
 * audio + motion (+ video) batches with `text_delta` where sentences start and `usage` after each,
 * then `idle`, the final `usage` and `end`. Failures before the first yield are thrown (the caller
 * can still answer with an HTTP error); later ones become an `error` record and `end`.
 */
export async function* turnRecords(plan: TurnPlan): AsyncGenerator<TurnChunk> {
  let writer: MuxWriter | null = null;
  let timeline: SpeechTimeline | null = null;
  let started = false;
  let idleWritten = false;
  let firstAt = 0;
  // Where this turn begins on a session's clock (0 for a stream of its own): pacing counts from here,
  // and frame numbers continue the session's (turns end on frame boundaries, so pts line up).
  let startSample = 0;
  let frameOffset = 0;
  let bufferedSince: number | null = null;
  let maxMicros = plan.maxMicros;
  let capSamples = Infinity;
  let cut: TurnStop | null = null;
  // The cap sits on a frame boundary so the last frame is whole.
  const capFor = (sampleRate: number) => framePts(Math.floor((maxMicros * plan.fps) / 1_000_000), sampleRate, plan.fps);

  const open = (sampleRate: number) => {
    const video = plan.frames !== null;
    const continued = plan.stream?.writer;
    if (continued) {
      writer = continued;
      startSample = continued.position;
      frameOffset = framesUntil(startSample, continued.sampleRate, continued.fps);
      timeline = new SpeechTimeline(plan.mouth(continued.sampleRate), continued.sampleRate, plan.fps);
      capSamples = capFor(continued.sampleRate);
      return { w: writer, t: timeline };
    }
    writer = new MuxWriter({
      sampleRate,
      fps: plan.fps,
      width: video ? plan.frames!.size : 0,
      height: video ? plan.frames!.size : 0,
      videoCodec: video ? "jpeg" : "none",
      avatarId: plan.avatarId,
      manifestId: plan.manifestId,
      manifestVersion: plan.manifestVersion,
    });
    if (plan.stream) plan.stream.writer = writer;
    timeline = new SpeechTimeline(plan.mouth(sampleRate), sampleRate, plan.fps);
    capSamples = capFor(sampleRate);
    return { w: writer, t: timeline };
  };

  // Room past the cap, or why there is none (without `extend`, the reservation is the limit).
  const extend = async (sampleRate: number, samples: number): Promise<TurnStop | null> => {
    const needed = Math.ceil((samples * 1_000_000) / sampleRate);
    const room = plan.extend
      ? await plan.extend(needed)
      : { code: "turn_duration_limit", message: `The turn reached its reserved length (${(maxMicros / 1e6).toFixed(1)} s) and was cut there; send shorter text or split it into several turns.`, retryable: false };
    if ("code" in room) return room;
    maxMicros = room.maxMicros;
    capSamples = capFor(sampleRate);
    return null;
  };

  async function* emit(w: MuxWriter, batch: TimelineBatch): AsyncGenerator<TurnChunk> {
    if (batch.endSample + startSample === w.position && batch.pieces.length === 0 && batch.frames.length === 0) return;
    // Pacing: a batch leaves once playback (assumed to start with the first batch) is within the
    // playout delay of its first sample, so the stream runs at most delay + one batch ahead of real
    // time and what was sent stays close to what was heard (a viewer who leaves pays for little more).
    const now = performance.now();
    if (!started) firstAt = now;
    const due = firstAt + ((w.position - startSample) / w.sampleRate) * 1000 - plan.playoutDelayMs;
    if (due > now) await sleep(due - now, plan.signal);
    // After the wait: the hold may have been lost while the batch waited (or the reader paused).
    const stop = plan.stopped?.();
    if (stop) throw new TurnStopped(stop);
    const parts: Bytes[] = [];
    if (!started) parts.push(...begin(w));
    for (const p of batch.pieces) parts.push(p.kind === "text" ? w.text(p.text) : w.audio(p.samples));
    const face = (f: TimelineBatch["frames"][number]): MuxFace => ({ emotion: plan.emotion ?? 0, brow: f.gesture.brow, nod: f.gesture.nod });
    for (const f of batch.frames) parts.push(w.motion(frameOffset + f.frame, f.mouth, f.visemeId, [], face(f)));
    parts.push(w.usage());
    started = true;
    bufferedSince = null;
    yield { bytes: concatBytes(parts), samples: w.position, sampleRate: w.sampleRate };
    // Video after the audio and motion it belongs to: sound is never held back by the rasteriser.
    if (plan.frames) {
      for (const f of batch.frames) {
        const jpeg = await plan.frames.render(frameOffset + f.frame, plan.fps, f.mouth, face(f));
        yield { bytes: w.video(frameOffset + f.frame, jpeg), samples: w.position, sampleRate: w.sampleRate };
      }
    }
  }

  try {
    speech: for await (const chunk of plan.speech) {
      const { w, t } = writer && timeline ? { w: writer as MuxWriter, t: timeline as SpeechTimeline } : open(chunk.sampleRate);
      if (chunk.sampleRate !== w.sampleRate) throw new CodedError("sample_rate_changed", `The speech changed its sample rate mid-turn (${w.sampleRate} to ${chunk.sampleRate} Hz).`);
      const batch = Math.round((w.sampleRate * CHUNK_MS) / 1000);
      // A TTS chunk can hold seconds of audio: feed it to the viseme model a batch at a time, so the
      // first batch goes out after the model has seen 200 ms, not the whole chunk.
      for (let at = 0; at < chunk.pcm.length; at += batch) {
        await t.push(chunk.pcm.subarray(at, at + batch), at === 0 ? chunk.text : undefined);
        while (t.total >= capSamples) {
          const before = capSamples;
          cut = await extend(w.sampleRate, t.total);
          if (!cut && capSamples > before) continue;
          cut ??= { code: "turn_duration_limit", message: "The turn could not be extended past its reserved length.", retryable: false };
          t.truncate(capSamples);
          break speech; // leaving the loop stops the TTS (and the LLM behind it)
        }
        for (;;) {
          const ready = t.readySamples();
          if (ready <= 0) break;
          const now = performance.now();
          bufferedSince ??= now;
          const eager = !started && plan.lowLatencyFirstChunk;
          if (ready < batch && !eager && now - bufferedSince < plan.maxBufferDelayMs) break;
          yield* emit(w, t.take(batch));
        }
      }
    }
    const { w, t } = writer && timeline ? { w: writer as MuxWriter, t: timeline as SpeechTimeline } : open(FALLBACK_RATE);
    await t.end();
    const batch = Math.round((w.sampleRate * CHUNK_MS) / 1000);
    while (t.readySamples() > 0) yield* emit(w, t.take(batch));
    yield* emit(w, t.take());
    const tail: Bytes[] = [];
    if (!started) tail.push(...begin(w));
    started = true;
    tail.push(w.state("idle"), w.usage());
    if (plan.stream) {
      idleWritten = true;
      yield { bytes: concatBytes(tail), samples: w.position, sampleRate: w.sampleRate };
      if (cut) throw new TurnStopped(cut);
      return;
    }
    if (cut) {
      tail.push(w.error(cut.code, cut.message, cut.retryable));
      tail.push(w.end("error"));
    } else {
      tail.push(w.end("complete"));
    }
    yield { bytes: concatBytes(tail), samples: w.position, sampleRate: w.sampleRate };
  } catch (error) {
    if (!started || plan.signal.aborted) throw error;
    const w = writer as MuxWriter | null;
    if (!w || w.isClosed) throw error;
    if (plan.stream) {
      // The session goes on: this turn ends idle, and the session says why in its own terms.
      if (!idleWritten) yield { bytes: concatBytes([w.state("idle"), w.usage()]), samples: w.position, sampleRate: w.sampleRate };
      throw error;
    }
    const stop = error instanceof TurnStopped ? error.stop : plan.errorRecord(error);
    yield { bytes: concatBytes([w.state("idle"), w.usage(), w.error(stop.code, stop.message, stop.retryable), w.end("error")]), samples: w.position, sampleRate: w.sampleRate };
  } finally {
    (timeline as SpeechTimeline | null)?.dispose();
  }
}

/** A turn's first records: the header (unless a session's stream already sent it) and `speaking`. */
function begin(w: MuxWriter): Bytes[] {
  return w.isStarted ? [w.state("speaking")] : [w.start(), w.state("speaking", 0)];
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
