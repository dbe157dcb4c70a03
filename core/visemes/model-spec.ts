/**
 * What the engine must know about the shipped network (written by
 * training/visemes/export.py into public/models/visemes-v1.card.json; a test
 * keeps the two equal).
 */
export type VisemeModelSpec = {
  melBins: number;
  visemes: number;
  /** Output row t + lookaheadFrames names frame t. */
  lookaheadFrames: number;
  /** [channels, frames] of each layer's history, carried between runs. */
  caches: ReadonlyArray<readonly [number, number]>;
  /** Feature value of digital silence, fed after the end to flush the lookahead. */
  silenceFeature: number;
  inputs: readonly string[];
  outputs: readonly string[];
};

export const VISEMES_V1: VisemeModelSpec = {
  melBins: 40,
  visemes: 15,
  lookaheadFrames: 6,
  caches: [[40, 2], [64, 2], [64, 4], [64, 8], [64, 16], [64, 32], [64, 2], [64, 4]],
  silenceFeature: Math.log(1e-6),
  inputs: ["feats", ...Array.from({ length: 8 }, (_, i) => `cache_${i}`)],
  outputs: ["probs", ...Array.from({ length: 8 }, (_, i) => `cache_out_${i}`)],
};

/** Path of the model relative to the public root (browser) or repo root + "public" (Node). */
export const VISEMES_V1_PATH = "/models/visemes-v1.onnx";
