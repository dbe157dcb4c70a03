import "server-only";
import * as ort from "onnxruntime-node";
import { createOrtRunner, type OrtLike, type OrtSessionLike, type VisemeModelRunner } from "@/core/visemes/runner";
import { VISEME_MODEL } from "@/core/visemes/model-spec";
import { VisemeError } from "@/core/visemes/errors";
import { visemeModelPath } from "./model-file";

const cache = new Map<string, Promise<VisemeModelRunner>>();

/**
 * onnxruntime-node runner for the viseme model, one session per file per process.
 * One intra-op thread: the per-frame work is tiny and the server runs many streams.
 */
export function loadNodeVisemeRunner(path = visemeModelPath(), threads = 1): Promise<VisemeModelRunner> {
  const key = `${path}#${threads}`;
  let runner = cache.get(key);
  if (!runner) {
    runner = ort.InferenceSession.create(path, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: "sequential",
      graphOptimizationLevel: "all",
    })
      .then((s) => createOrtRunner(ort as unknown as OrtLike, s as unknown as OrtSessionLike, VISEME_MODEL))
      .catch((cause: unknown) => {
        cache.delete(key);
        throw cause instanceof VisemeError
          ? cause
          : new VisemeError("model_failed", `cannot load viseme model ${path}: ${String(cause)}`, { cause });
      });
    cache.set(key, runner);
  }
  return runner;
}
