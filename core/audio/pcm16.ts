// Speech travels as 16-bit PCM (the mux carries it; TTS engines make it); the viseme model reads
// floats. One conversion each way, so every tier feeds the model the same numbers.

/** PCM16 samples as floats in [-1, 1). */
export function pcm16ToFloat(pcm: Int16Array): Float32Array<ArrayBuffer> {
  const out = new Float32Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = pcm[i]! / 32768;
  return out;
}

/** Float samples as PCM16 (clipped; NaN as silence); the exact inverse of pcm16ToFloat on its outputs. */
export function floatToPcm16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]!;
    out[i] = Number.isFinite(v) ? Math.max(-32768, Math.min(32767, Math.round(v * 32768))) : 0;
  }
  return out;
}

/** Concatenates PCM16 pieces into one array. */
export function concatPcm16(parts: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
