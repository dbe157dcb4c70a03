import "server-only";
import type { TtsChunk } from "../types";

// Measurements tests make on synthesized speech: what a listener would notice (length, pitch).

/** Collects a whole synthesis. */
export async function collect(chunks: AsyncIterable<TtsChunk>): Promise<{ chunks: TtsChunk[]; samples: Int16Array; sampleRate: number }> {
  const all: TtsChunk[] = [];
  for await (const chunk of chunks) all.push(chunk);
  const samples = new Int16Array(all.reduce((n, c) => n + c.pcm.length, 0));
  let at = 0;
  for (const c of all) {
    samples.set(c.pcm, at);
    at += c.pcm.length;
  }
  return { chunks: all, samples, sampleRate: all[0]?.sampleRate ?? 0 };
}

/** Samples that are not near-silence (espeak pads sentence ends with silence). */
export function voicedSamples(samples: Int16Array, threshold = 300): number {
  let n = 0;
  for (const s of samples) if (Math.abs(s) > threshold) n++;
  return n;
}

/** Median fundamental frequency (Hz) over voiced frames, by normalized autocorrelation. */
export function medianPitchHz(samples: Int16Array, sampleRate: number): number {
  const frame = Math.round(sampleRate * 0.04);
  const minLag = Math.floor(sampleRate / 450);
  const maxLag = Math.ceil(sampleRate / 60);
  const pitches: number[] = [];
  for (let start = 0; start + frame + maxLag < samples.length; start += frame) {
    let energy = 0;
    for (let i = 0; i < frame; i++) energy += samples[start + i]! ** 2;
    if (Math.sqrt(energy / frame) < 1000) continue;
    let bestLag = 0;
    let best = 0;
    for (let lag = minLag; lag <= maxLag; lag++) {
      let dot = 0;
      let e2 = 0;
      for (let i = 0; i < frame; i++) {
        const b = samples[start + i + lag]!;
        dot += samples[start + i]! * b;
        e2 += b * b;
      }
      const r = dot / Math.sqrt(energy * e2 || 1);
      if (r > best) {
        best = r;
        bestLag = lag;
      }
    }
    if (best > 0.6) pitches.push(sampleRate / bestLag);
  }
  pitches.sort((a, b) => a - b);
  return pitches[Math.floor(pitches.length / 2)] ?? 0;
}
