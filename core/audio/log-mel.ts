import { createRealPowerSpectrum } from "./fft";
import { LOG_MEL, melFilterbank } from "./mel-filterbank";
import { appendSamples } from "./grow";

/** Frames whose window fits in `samples` (frame k needs samples up to k*hop + window/2). */
export function frameCount(samples: number): number {
  const half = LOG_MEL.window / 2;
  return samples < half ? 0 : Math.floor((samples - half) / LOG_MEL.hop) + 1;
}

/**
 * Streaming log-mel extractor at 16 kHz: frame k is centred on sample k*160
 * (zeros before the start), so pushing audio in any chunking yields the same
 * frames as one call on the whole signal.
 */
export class LogMelStream {
  private readonly powerSpectrum = createRealPowerSpectrum(LOG_MEL.fftSize);
  private readonly filters = melFilterbank();
  private readonly hann = Float64Array.from(
    { length: LOG_MEL.window },
    (_, n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / LOG_MEL.window),
  );
  private readonly frame = new Float64Array(LOG_MEL.fftSize); // window zero-padded to the FFT size
  private readonly power = new Float64Array(LOG_MEL.fftSize / 2 + 1);
  // pending samples, starting at absolute sample `bufStart` (may be negative: the zero pre-roll)
  private buf = new Float32Array(4096);
  private bufLen = LOG_MEL.window / 2;
  private bufStart = -LOG_MEL.window / 2;
  private nextFrame = 0;

  /** Frames emitted so far. */
  get frames(): number {
    return this.nextFrame;
  }

  /** Appends 16 kHz samples; returns the new frames as one [n, melBins] row-major array. */
  push(samples: Float32Array): { data: Float32Array; frames: number } {
    this.append(samples);
    const bins = LOG_MEL.melBins;
    const ready = this.readyFrames();
    const out = new Float32Array(ready * bins);
    for (let i = 0; i < ready; i++) this.computeFrame(this.nextFrame + i, out, i * bins);
    this.nextFrame += ready;
    this.trim();
    return { data: out, frames: ready };
  }

  private readyFrames(): number {
    const available = this.bufStart + this.bufLen; // absolute end of received audio
    return Math.max(0, frameCount(available) - this.nextFrame);
  }

  private append(x: Float32Array) {
    this.buf = appendSamples(this.buf, this.bufLen, x);
    this.bufLen += x.length;
  }

  private trim() {
    // keep from the first sample the next frame needs
    const keepFrom = this.nextFrame * LOG_MEL.hop - LOG_MEL.window / 2 - this.bufStart;
    if (keepFrom <= 0) return;
    this.buf.copyWithin(0, keepFrom, this.bufLen);
    this.bufLen -= keepFrom;
    this.bufStart += keepFrom;
  }

  private computeFrame(k: number, out: Float32Array, offset: number) {
    const { frame, hann, power } = this;
    const first = k * LOG_MEL.hop - LOG_MEL.window / 2 - this.bufStart;
    for (let n = 0; n < LOG_MEL.window; n++) frame[n] = this.buf[first + n]! * hann[n]!;
    this.powerSpectrum(frame, power);
    for (let m = 0; m < this.filters.length; m++) {
      const { start, weights } = this.filters[m]!;
      let e = 0;
      for (let j = 0; j < weights.length; j++) e += weights[j]! * power[start + j]!;
      out[offset + m] = Math.log(e + LOG_MEL.epsilon);
    }
  }
}

/** Log-mel of a whole 16 kHz signal: [frames, melBins] row-major. */
export function logMel(samples: Float32Array): { data: Float32Array; frames: number } {
  return new LogMelStream().push(samples);
}
