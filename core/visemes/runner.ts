import { VisemeError } from "./errors";
import type { VisemeModelSpec } from "./model-spec";

/** Per-layer history carried between model runs; opaque to callers. */
export type ModelState = Float32Array[];

/**
 * Runs the network; injected so core stays free of any runtime. Adapters for
 * onnxruntime-node (server/visemes) and onnxruntime-web (workers/lipsync) wrap
 * `createOrtRunner`.
 */
export interface VisemeModelRunner {
  readonly spec: VisemeModelSpec;
  /** features: [frames, melBins] row-major; returns [frames, visemes] probabilities and the next state. */
  run(features: Float32Array, frames: number, state: ModelState): Promise<{ probs: Float32Array; state: ModelState }>;
}

/** Zero history: what the network saw before the first frame in training. */
export function initialState(spec: VisemeModelSpec): ModelState {
  return spec.caches.map(([c, t]) => new Float32Array(c * t));
}

// The slice of onnxruntime's API we use; both onnxruntime-web and -node satisfy it.
type TensorLike = { readonly data: unknown; readonly dims: readonly number[] };
export type OrtLike = { Tensor: new (type: "float32", data: Float32Array, dims: readonly number[]) => TensorLike };
export type OrtSessionLike = {
  readonly inputNames: readonly string[];
  run(feeds: Record<string, TensorLike>): Promise<Record<string, TensorLike>>;
};

/** Wraps an onnxruntime session; runs are serialised because a session is not re-entrant in ort-web. */
export function createOrtRunner(ort: OrtLike, session: OrtSessionLike, spec: VisemeModelSpec): VisemeModelRunner {
  const missing = spec.inputs.filter((n) => !session.inputNames.includes(n));
  if (missing.length) throw new VisemeError("model_mismatch", `model lacks inputs ${missing.join(", ")}`);
  let queue: Promise<unknown> = Promise.resolve();
  const runOnce = async (features: Float32Array, frames: number, state: ModelState) => {
    const feeds: Record<string, TensorLike> = {
      [spec.inputs[0]!]: new ort.Tensor("float32", features, [1, frames, spec.melBins]),
    };
    spec.caches.forEach(([c, t], i) => {
      feeds[spec.inputs[i + 1]!] = new ort.Tensor("float32", state[i]!, [1, c, t]);
    });
    let out: Record<string, TensorLike>;
    try {
      out = await session.run(feeds);
    } catch (cause) {
      throw new VisemeError("model_failed", `viseme model run failed: ${String(cause)}`, { cause });
    }
    const probs = out[spec.outputs[0]!]?.data;
    if (!(probs instanceof Float32Array) || probs.length !== frames * spec.visemes) {
      throw new VisemeError("model_mismatch", "viseme model returned an unexpected output");
    }
    return { probs, state: spec.caches.map((_, i) => out[spec.outputs[i + 1]!]!.data as Float32Array) };
  };
  return {
    spec,
    run(features, frames, state) {
      const next = queue.then(() => runOnce(features, frames, state));
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
