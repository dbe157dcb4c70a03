/**
 * What the engine must know about the shipped network (written by
 * training/visemes/export.py into public/models/visemes-v5.card.json; a test
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

// The shipped network's shape (training/visemes/model.py; the card's spec.caches, checked by
// server/visemes/model-card.test.ts, is what export.py measured from the graph itself).
const MEL_BINS = 40;
const CHANNELS = 150;
const KERNEL = 3;
const DILATIONS = [1, 2, 4, 8, 16, 1, 2];
const STATE_SIZE = (KERNEL - 1) * (MEL_BINS + CHANNELS * DILATIONS.reduce((n, d) => n + d, 0));

/**
 * visemes-v5: every layer's history travels as one packed state tensor
 * [1, 1, STATE] (40 x 2 input frames, then CHANNELS x 2·dilation per layer),
 * because each graph input and output costs onnxruntime a fixed overhead on
 * every run and a live stream runs the graph ten times a second.
 */
export const VISEME_MODEL: VisemeModelSpec = {
  melBins: MEL_BINS,
  visemes: 15,
  lookaheadFrames: 6,
  caches: [[1, STATE_SIZE]],
  silenceFeature: Math.log(1e-6),
  inputs: ["feats", "state"],
  outputs: ["probs", "state_out"],
};

/** Path of the model relative to the public root (browser) or repo root + "public" (Node). */
export const VISEME_MODEL_PATH = "/models/visemes-v5.onnx";

/** A speech sample shipped beside the model (the lab page and e2e stream it through the worker). */
export const VISEME_SAMPLE_PATH = VISEME_MODEL_PATH.replace(/\.onnx$/, ".sample.wav");
