import { floatToPcm16 } from "./pcm16";
import { SILERO_FRAME, type VadStream } from "./silero-vad";
import { SPEECH_SAMPLE_RATE, SpeechRateConverter } from "./speech-rate";
import { concatPcm16 } from "./pcm16";

// Server-side turn detection: input audio (any 8–48 kHz rate, chunks of any size) is converted to
// 16 kHz, cut into 32 ms frames and scored by the VAD. A turn starts only after `minSpeechMs` of
// speech (a cough or a click is not a turn) and ends after `silenceDurationMs` of silence. The audio
// of a turn (with `prefixPaddingMs` before its onset) is handed out as it arrives, so a recogniser
// can decode it while the user is still speaking. All positions are audio time from the stream's start.

export type TurnDetectorSettings = {
  /** Speech probability (0..1) that opens speech; it closes below threshold − 0.15 (hysteresis, as silero-vad does). */
  threshold: number;
  /** Silence that ends a turn. */
  silenceDurationMs: number;
  /** Audio kept before the detected onset (the first syllable's attack is quieter than the model's threshold). */
  prefixPaddingMs: number;
  /** Speech shorter than this never starts a turn; it is also the confirmation delay of an onset. */
  minSpeechMs: number;
  /** A turn is ended after this much audio, which bounds the memory a session holds. */
  maxSpeechMs: number;
};

export const TURN_DEFAULTS: TurnDetectorSettings = { threshold: 0.5, silenceDurationMs: 500, prefixPaddingMs: 300, minSpeechMs: 120, maxSpeechMs: 30_000 };

export type TurnEvent =
  /** `audio`: 16 kHz PCM16 from `prefixPaddingMs` before the onset up to `confirmedAtMs`. */
  | { type: "speech_started"; audioStartMs: number; confirmedAtMs: number; audio: Int16Array }
  /** More of the turn's audio (16 kHz PCM16), one frame at a time, until it stops (trailing silence included). */
  | { type: "speech_audio"; audio: Int16Array }
  /** `audioEndMs`: where the silence began; `stoppedAtMs`: the audio time at which that was decided. */
  | { type: "speech_stopped"; audioEndMs: number; stoppedAtMs: number; reason: "silence" | "max_speech" };

export interface TurnDetector {
  /** Queues PCM16 mono at the detector's input rate; resolves when it has been scored and its events emitted. */
  push(pcm: Int16Array): Promise<void>;
  /** Drops the pending audio and any turn in progress (no event), keeping the clock (input_audio_buffer.clear). */
  clear(): Promise<void>;
  /** Whether a turn is in progress (started, not yet stopped). */
  readonly speaking: boolean;
  /** 16 kHz PCM16 of the turn in progress or the last one (prefix padding included); empty before the first. */
  segment(): Int16Array;
  /** Audio time processed so far. */
  readonly processedMs: number;
}

/**
 * A dip this short inside an onset does not end it: a stop consonant's closure (the /k/ of "How can")
 * reads as one or two silent frames, and restarting the onset there delayed a barge-in by the whole
 * minimum-speech window. A false start still ends once it has been quiet this long.
 */
const ONSET_GAP_FRAMES = 2;

const toMs = (samples: number) => Math.round((samples * 1000) / SPEECH_SAMPLE_RATE);
const toSamples = (ms: number) => Math.round((ms * SPEECH_SAMPLE_RATE) / 1000);

/** Checks settings at the edge: a session's `turn_detection` passes through here. */
export function turnSettings(partial: Partial<TurnDetectorSettings> = {}): TurnDetectorSettings {
  const s = { ...TURN_DEFAULTS, ...Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) };
  if (!(s.threshold > 0 && s.threshold < 1)) throw new RangeError(`threshold must be between 0 and 1, got ${s.threshold}`);
  for (const key of ["silenceDurationMs", "prefixPaddingMs", "minSpeechMs", "maxSpeechMs"] as const) {
    if (!Number.isFinite(s[key]) || s[key] < 0) throw new RangeError(`${key} must be a non-negative number of milliseconds, got ${s[key]}`);
  }
  return s;
}

/** A streaming turn detector over a VAD stream; `onEvent` is called in audio order. */
export function createTurnDetectorOn(stream: VadStream, settings: TurnDetectorSettings, sampleRate: number, onEvent: (event: TurnEvent) => void): TurnDetector {
  const s = turnSettings(settings);
  const converter = new SpeechRateConverter(sampleRate);
  const negThreshold = Math.max(0.01, s.threshold - 0.15);
  const prefixSamples = toSamples(s.prefixPaddingMs);
  const minSpeechFrames = Math.max(1, Math.ceil(toSamples(s.minSpeechMs) / SILERO_FRAME));
  const silenceSamples = toSamples(s.silenceDurationMs);
  const maxSpeechSamples = toSamples(s.maxSpeechMs);

  let pending = new Float32Array(SILERO_FRAME);
  let pendingLength = 0;
  let position = 0; // 16 kHz samples scored so far
  let state: "idle" | "candidate" | "speech" = "idle";
  let prefix: Int16Array[] = []; // the frames before now, at most prefixSamples (+ one frame) long
  let prefixLength = 0;
  let onsetAt = 0;
  let speechFrames = 0;
  let gapFrames = 0; // consecutive quiet frames inside an onset
  let silenceFrom: number | null = null;
  let turn: Int16Array[] = [];
  let work: Promise<void> = Promise.resolve();
  let generation = 0; // bumped by clear(): frames queued before it are dropped

  const keepPrefix = (frame: Int16Array) => {
    prefix.push(frame);
    prefixLength += frame.length;
    while (prefix.length > 0 && prefixLength - prefix[0]!.length >= prefixSamples) prefixLength -= prefix.shift()!.length;
  };
  const addToTurn = (frame: Int16Array) => turn.push(frame);
  const toIdle = () => {
    state = "idle";
    speechFrames = 0;
    gapFrames = 0;
    silenceFrom = null;
    // The next onset's padding comes from what was heard just before it, silence included.
    prefix = [];
    prefixLength = 0;
  };

  const step = (frame: Int16Array, prob: number, frameStart: number) => {
    const frameEnd = frameStart + frame.length;
    if (state === "idle") {
      if (prob < s.threshold) return keepPrefix(frame);
      state = "candidate";
      onsetAt = frameStart;
      speechFrames = 0;
      const padding = concatPcm16(prefix);
      turn = [padding.subarray(Math.max(0, padding.length - prefixSamples))];
    }
    if (state === "candidate") {
      addToTurn(frame);
      gapFrames = prob < negThreshold ? gapFrames + 1 : 0;
      if (gapFrames > ONSET_GAP_FRAMES) {
        // Too short to be a turn: its frames become the next onset's padding.
        const heard = concatPcm16(turn);
        toIdle();
        keepPrefix(heard.subarray(Math.max(0, heard.length - prefixSamples - SILERO_FRAME)));
        return;
      }
      // Only confident frames count towards min_speech: the model rings on for a frame or two after a
      // click, and those frames must not turn a 100 ms false start into a turn.
      if (prob >= s.threshold) speechFrames++;
      if (speechFrames < minSpeechFrames) return;
      state = "speech";
      silenceFrom = null;
      onEvent({ type: "speech_started", audioStartMs: toMs(onsetAt), confirmedAtMs: toMs(frameEnd), audio: concatPcm16(turn) });
      return;
    }
    addToTurn(frame);
    onEvent({ type: "speech_audio", audio: frame });
    if (prob >= s.threshold) silenceFrom = null;
    else if (prob < negThreshold && silenceFrom === null) silenceFrom = frameStart;
    if (silenceFrom !== null && frameEnd - silenceFrom >= silenceSamples) {
      const audioEndMs = toMs(silenceFrom);
      toIdle();
      onEvent({ type: "speech_stopped", audioEndMs, stoppedAtMs: toMs(frameEnd), reason: "silence" });
    } else if (frameEnd - onsetAt >= maxSpeechSamples) {
      toIdle();
      onEvent({ type: "speech_stopped", audioEndMs: toMs(frameEnd), stoppedAtMs: toMs(frameEnd), reason: "max_speech" });
    }
  };

  const process = async (samples: Float32Array, gen: number) => {
    // Audio dropped by clear() still passes on the clock.
    if (gen !== generation) return void (position += samples.length);
    let at = 0;
    while (at < samples.length) {
      const take = Math.min(SILERO_FRAME - pendingLength, samples.length - at);
      pending.set(samples.subarray(at, at + take), pendingLength);
      pendingLength += take;
      at += take;
      if (pendingLength < SILERO_FRAME) break;
      const frame = pending;
      pending = new Float32Array(SILERO_FRAME);
      pendingLength = 0;
      const prob = await stream.score(frame);
      if (gen !== generation) return void (position += SILERO_FRAME + samples.length - at);
      const frameStart = position;
      position += SILERO_FRAME;
      step(floatToPcm16(frame), prob, frameStart);
    }
  };

  return {
    push(pcm) {
      const samples = converter.push(pcm);
      const gen = generation;
      const done = work.then(() => process(samples, gen));
      // One failed run must not wedge the queue; the caller of that push sees the error.
      work = done.catch(() => undefined);
      return done;
    },
    clear() {
      generation++;
      const done = work.then(() => {
        position += pendingLength;
        pendingLength = 0;
        turn = [];
        toIdle();
        stream.reset();
      });
      work = done;
      return done;
    },
    get speaking() {
      return state === "speech";
    },
    segment: () => concatPcm16(turn),
    get processedMs() {
      return toMs(position);
    },
  };
}
