/**
 * The feature definition shared with training (training/visemes/features.py):
 * change one, change both, and regenerate the reference fixture.
 */
export const LOG_MEL = {
  sampleRate: 16000,
  hop: 160,
  window: 400,
  fftSize: 512,
  melBins: 40,
  fMin: 60,
  fMax: 7600,
  epsilon: 1e-6,
} as const;

/** One triangular filter stored sparsely: weights for FFT bins start..start+weights.length-1. */
export type MelFilter = { start: number; weights: Float64Array };

const hzToMel = (f: number) => 2595 * Math.log10(1 + f / 700);
const melToHz = (m: number) => 700 * (10 ** (m / 2595) - 1);

/** HTK-mel triangular filters (peak 1, no area normalisation) over the rfft bins. */
export function melFilterbank(cfg = LOG_MEL): MelFilter[] {
  const bins = cfg.fftSize / 2 + 1;
  const lo = hzToMel(cfg.fMin);
  const hi = hzToMel(cfg.fMax);
  const edges = Array.from({ length: cfg.melBins + 2 }, (_, i) => melToHz(lo + ((hi - lo) * i) / (cfg.melBins + 1)));
  const filters: MelFilter[] = [];
  for (let m = 0; m < cfg.melBins; m++) {
    const [a, c, b] = [edges[m]!, edges[m + 1]!, edges[m + 2]!];
    const w: number[] = [];
    let start = -1;
    for (let k = 0; k < bins; k++) {
      const f = (k * cfg.sampleRate) / cfg.fftSize;
      const v = Math.max(0, Math.min((f - a) / (c - a), (b - f) / (b - c)));
      if (v > 0) {
        if (start < 0) start = k;
        w[k - start] = v;
      } else if (start >= 0) break;
    }
    filters.push({ start: Math.max(start, 0), weights: Float64Array.from(w, (x) => x ?? 0) });
  }
  return filters;
}
