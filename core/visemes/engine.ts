import { LOG_MEL } from "../audio/mel-filterbank";
import { LogMelStream } from "../audio/log-mel";
import { Resampler } from "../audio/resampler";
import { VisemeError } from "./errors";
import { MouthSmoother, type MouthParams } from "./mouth-params";
import { initialState, type ModelState, type VisemeModelRunner } from "./runner";
import { VISEMES, pickViseme, type VisemeName } from "./visemes";

/** Model frame rate: one frame every 160 samples at 16 kHz. */
export const VISEME_FPS = LOG_MEL.sampleRate / LOG_MEL.hop;
const MAX_RUN_FRAMES = 2048; // bounds activation memory on long files

export type VisemeFrame = {
  /** Frame number at VISEME_FPS; frame k describes the audio around t = k / VISEME_FPS. */
  index: number;
  t: number;
  viseme: VisemeName;
  /** 15 probabilities in VISEMES order. */
  probs: Float32Array;
  mouth: MouthParams;
};

/**
 * Streaming audio-to-viseme engine: push PCM at any sample rate, get frames as
 * soon as the model's lookahead allows; `end()` flushes the rest. Pushes are
 * serialised, so callers may fire them without awaiting each one.
 */
export class VisemeStream {
  private readonly resampler: Resampler | null;
  private readonly mel = new LogMelStream();
  private readonly mouth = new MouthSmoother(1 / VISEME_FPS);
  private state: ModelState;
  private outRows = 0; // model output rows so far (row r names frame r - lookahead)
  private queue: Promise<unknown> = Promise.resolve();
  private ended = false;
  /** Samples that were NaN or infinite and were treated as silence. */
  nonFiniteSamples = 0;
  /** Input samples received, at the input rate. */
  samplesIn = 0;

  constructor(
    private readonly runner: VisemeModelRunner,
    readonly sampleRate: number,
  ) {
    if (!Number.isInteger(sampleRate) || sampleRate < 4000 || sampleRate > 384000) {
      throw new VisemeError("invalid_sample_rate", `sample rate must be an integer from 4000 to 384000 Hz, got ${sampleRate}`);
    }
    this.resampler = sampleRate === LOG_MEL.sampleRate ? null : new Resampler(sampleRate, LOG_MEL.sampleRate);
    this.state = initialState(runner.spec);
  }

  /** Feeds mono PCM in [-1, 1]; resolves with the frames that became ready. */
  push(pcm: Float32Array): Promise<VisemeFrame[]> {
    if (this.ended) return Promise.reject(new VisemeError("stream_ended", "push() after end()"));
    const clean = this.sanitize(pcm);
    this.samplesIn += pcm.length;
    return this.enqueue(() => {
      const x = this.resampler ? this.resampler.push(clean) : clean;
      const f = this.mel.push(x);
      return this.runModel(f.data, f.frames);
    });
  }

  /** Ends the stream: flushes the resampler and the model's lookahead. */
  end(): Promise<VisemeFrame[]> {
    if (this.ended) return Promise.reject(new VisemeError("stream_ended", "end() called twice"));
    this.ended = true;
    return this.enqueue(async () => {
      const frames: VisemeFrame[] = [];
      if (this.resampler) {
        const f = this.mel.push(this.resampler.flush());
        frames.push(...(await this.runModel(f.data, f.frames)));
      }
      const spec = this.runner.spec;
      const pad = new Float32Array(spec.lookaheadFrames * spec.melBins).fill(spec.silenceFeature);
      const tail = await this.runModel(pad, spec.lookaheadFrames);
      frames.push(...tail.filter((fr) => fr.index < this.mel.frames));
      return frames;
    });
  }

  private enqueue(job: () => Promise<VisemeFrame[]>): Promise<VisemeFrame[]> {
    const next = this.queue.then(job);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private sanitize(pcm: Float32Array): Float32Array {
    let bad = 0;
    for (let i = 0; i < pcm.length; i++) if (!Number.isFinite(pcm[i]!)) bad++;
    if (bad === 0) return pcm;
    this.nonFiniteSamples += bad;
    return pcm.map((v) => (Number.isFinite(v) ? v : 0));
  }

  private async runModel(features: Float32Array, frames: number): Promise<VisemeFrame[]> {
    const out: VisemeFrame[] = [];
    const { melBins, visemes, lookaheadFrames } = this.runner.spec;
    for (let start = 0; start < frames; start += MAX_RUN_FRAMES) {
      const n = Math.min(MAX_RUN_FRAMES, frames - start);
      const chunk = features.subarray(start * melBins, (start + n) * melBins);
      const { probs, state } = await this.runner.run(chunk, n, this.state);
      this.state = state;
      for (let r = 0; r < n; r++) {
        const index = this.outRows + r - lookaheadFrames;
        if (index < 0) continue;
        const p = probs.slice(r * visemes, (r + 1) * visemes);
        out.push({ index, t: index / VISEME_FPS, viseme: VISEMES[pickViseme(p)]!, probs: p, mouth: this.mouth.next(p) });
      }
      this.outRows += n;
    }
    return out;
  }
}

/** Whole-file analysis: the same frames a stream gives, in one call. */
export async function analyzeVisemes(runner: VisemeModelRunner, pcm: Float32Array, sampleRate: number) {
  const stream = new VisemeStream(runner, sampleRate);
  const frames = [...(await stream.push(pcm)), ...(await stream.end())];
  return { frames, nonFiniteSamples: stream.nonFiniteSamples, seconds: pcm.length / sampleRate };
}
