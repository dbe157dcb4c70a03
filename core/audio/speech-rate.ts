import { pcm16ToFloat } from "./pcm16";
import { Resampler } from "./resampler";

// Voice-activity detection (Silero) and the embedded recogniser (pocketsphinx's en-us model) both
// read 16 kHz mono. Clients send 8–48 kHz; each input stream is converted once, as it arrives.

/** The rate every speech-input model reads. */
export const SPEECH_SAMPLE_RATE = 16_000;
/** The input rates a session may declare (telephone 8 kHz up to 48 kHz browser capture). */
export const INPUT_RATE_RANGE = { min: 8_000, max: 48_000 } as const;

/** Whether `rate` is an integer input rate the speech input converts. */
export function isSupportedInputRate(rate: number): boolean {
  return Number.isInteger(rate) && rate >= INPUT_RATE_RANGE.min && rate <= INPUT_RATE_RANGE.max;
}

/** Streaming PCM16 (any supported rate) → float samples at 16 kHz; chunking never changes the result. */
export class SpeechRateConverter {
  private readonly resampler: Resampler | null;

  constructor(readonly inputRate: number) {
    if (!isSupportedInputRate(inputRate)) {
      throw new RangeError(`input sample rate must be an integer from ${INPUT_RATE_RANGE.min} to ${INPUT_RATE_RANGE.max} Hz, got ${inputRate}`);
    }
    this.resampler = inputRate === SPEECH_SAMPLE_RATE ? null : new Resampler(inputRate, SPEECH_SAMPLE_RATE);
  }

  /** Converts the next chunk; returns the 16 kHz samples that are now determined. */
  push(pcm: Int16Array): Float32Array {
    const x = pcm16ToFloat(pcm);
    return this.resampler ? this.resampler.push(x) : x;
  }

  /** Ends the stream: the samples the resampler still held (none at 16 kHz input). */
  flush(): Float32Array {
    return this.resampler ? this.resampler.flush() : new Float32Array(0);
  }
}
