import "server-only";
import * as ort from "onnxruntime-node";
import type { VisemeModelRunner } from "@/core/visemes/runner";
import { openVisemeRunner, type OrtRuntimeLike } from "@/core/visemes/session";
import { processState } from "../process-state";

// One onnxruntime-node session per model file and thread count per process, for the turn engine, the
// CLI and the tests alike. Free of import.meta.url (the Next.js bundle moves files): callers pass the path.

const runners = processState("visemeRunners", () => new Map<string, Promise<VisemeModelRunner>>(), (m) => m.clear());

/** The process-wide runner of the viseme model at `path`; a failed load is retried on the next call. */
export function visemeSession(path: string, threads = 1): Promise<VisemeModelRunner> {
  const key = `${path}#${threads}`;
  let runner = runners.get(key);
  if (!runner) {
    runner = openVisemeRunner(ort as unknown as OrtRuntimeLike, path, { threads });
    runner.catch(() => runners.delete(key));
    runners.set(key, runner);
  }
  return runner;
}
