/**
 * What the engine must know about the shipped network (written by
 * training/visemes/export.py into public/models/visemes-v4.card.json; a test
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

const STATE_SIZE = 8784; // 128 channels, dilations 1 2 4 8 16 1 2 (training/visemes/model.py)

/**
 * visemes-v4: every layer's history travels as one packed state tensor
 * [1, 1, STATE] (40 x 2 input frames, then CHANNELS x 2·dilation per layer),
 * because each graph input and output costs onnxruntime a fixed overhead on
 * every run and a live stream runs the graph ten times a second.
 */
export const VISEME_MODEL: VisemeModelSpec = {
  melBins: 40,
  visemes: 15,
  lookaheadFrames: 6,
  caches: [[1, STATE_SIZE]],
  silenceFeature: Math.log(1e-6),
  inputs: ["feats", "state"],
  outputs: ["probs", "state_out"],
};

/** Path of the model relative to the public root (browser) or repo root + "public" (Node). */
export const VISEME_MODEL_PATH = "/models/visemes-v4.onnx";
