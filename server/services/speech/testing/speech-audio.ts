import "server-only";
import { floatToPcm16, pcm16ToFloat } from "@/core/audio/pcm16";
import { resample } from "@/core/audio/resampler";
import { createEspeakProvider } from "@/server/services/tts/espeak";
import { collect } from "@/server/services/tts/testing/pcm-measure";
import { concatPcm16 } from "@/core/audio/pcm16";

// Audio the speech-input tests and the conversation bench feed in: espeak-ng questions (the real
// embedded TTS), silence, and noise shaped like a cough, with the ground truth of where speech is.

const espeak = createEspeakProvider();

/** `text` spoken by espeak-ng, as PCM16 mono at `rate`. */
export async function spoken(text: string, rate = 16_000, voiceId = "espeak:en-us"): Promise<Int16Array> {
  const { samples, sampleRate } = await collect(espeak.synthesize({ text, voiceId }));
  return sampleRate === rate ? samples : floatToPcm16(resample(pcm16ToFloat(samples), sampleRate, rate));
}

export const silence = (ms: number, rate = 16_000) => new Int16Array(Math.round((ms * rate) / 1000));

/** A cough-like burst: broadband noise with a 5 ms attack and an exponential decay, `ms` long. */
export function coughBurst(ms: number, rate = 16_000, peak = 12_000, seed = 7): Int16Array {
  const n = Math.round((ms * rate) / 1000);
  const out = new Int16Array(n);
  let x = seed;
  let low = 0;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const white = x / 0x3fffffff - 1;
    low += 0.35 * (white - low); // a little low-pass: a cough's energy sits under 4 kHz
    const t = i / rate;
    const envelope = Math.min(1, t / 0.005) * Math.exp(-t / (ms / 1000 / 3));
    out[i] = Math.round(peak * envelope * low * 2);
  }
  return out;
}

/** Concatenates PCM pieces. */
export function joinPcm(...parts: Int16Array[]): Int16Array {
  return concatPcm16(parts);
}

/** Where sound is in `pcm`: the first and last 10 ms window whose RMS passes `rms`, in ms; null when silent. */
export function soundBounds(pcm: Int16Array, rate = 16_000, rms = 300): { startMs: number; endMs: number } | null {
  const win = Math.round(rate / 100);
  let first = -1;
  let last = -1;
  for (let w = 0; w * win < pcm.length; w++) {
    let e = 0;
    const end = Math.min(pcm.length, (w + 1) * win);
    for (let i = w * win; i < end; i++) e += pcm[i]! * pcm[i]!;
    if (Math.sqrt(e / (end - w * win)) >= rms) {
      if (first < 0) first = w;
      last = w;
    }
  }
  return first < 0 ? null : { startMs: first * 10, endMs: (last + 1) * 10 };
}
