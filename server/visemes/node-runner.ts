import "server-only";
import type { VisemeModelRunner } from "@/core/visemes/runner";
import { visemeModelPath } from "./model-file";
import { visemeSession } from "./viseme-sessions";

/**
 * onnxruntime-node runner for the viseme model, one session per file per process (the shipped model
 * unless a path is given). One intra-op thread: the per-frame work is tiny and the server runs many streams.
 */
export function loadNodeVisemeRunner(path = visemeModelPath(), threads = 1): Promise<VisemeModelRunner> {
  return visemeSession(path, threads);
}
