import { VisemeError } from "./errors";
import { VISEME_MODEL } from "./model-spec";
import { createOrtRunner, type OrtLike, type OrtSessionLike, type VisemeModelRunner } from "./runner";

// The one place a viseme model session is opened, for onnxruntime-node (server, CLI, tests) and
// onnxruntime-web (the lipsync worker) alike; the runtime module is passed in so core imports none.

/** The slice of an onnxruntime module that opens sessions. */
export type OrtRuntimeLike = OrtLike & {
  InferenceSession: { create(model: string, options: Record<string, unknown>): Promise<unknown> };
};

export type VisemeSessionOptions = {
  /** Intra-op threads (onnxruntime-node); the web runtime takes its thread count from ort.env.wasm. */
  threads?: number;
  /** e.g. ["webgpu"] or ["wasm"] in the browser; the runtime's default when unset. */
  executionProviders?: string[];
};

/** Opens the viseme model (a path or URL) and wraps it as the runner the viseme engine drives. */
export async function openVisemeRunner(ort: OrtRuntimeLike, model: string, options: VisemeSessionOptions = {}): Promise<VisemeModelRunner> {
  let session: unknown;
  try {
    session = await ort.InferenceSession.create(model, {
      // Sequential, one inter-op thread: per-batch work is small and a server runs many streams at once.
      interOpNumThreads: 1,
      executionMode: "sequential",
      graphOptimizationLevel: "all",
      ...(options.threads ? { intraOpNumThreads: options.threads } : {}),
      ...(options.executionProviders ? { executionProviders: options.executionProviders } : {}),
    });
  } catch (cause) {
    throw new VisemeError("model_failed", `cannot load the viseme model ${model}: ${String(cause)}`, { cause });
  }
  return createOrtRunner(ort, session as OrtSessionLike, VISEME_MODEL);
}
